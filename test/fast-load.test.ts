/**
 * The fast loader (src/load/fast-load.ts) against the reference (the `yaml` library's document model,
 * parseWithYaml): for every document the fast loader takes, the data and the position of every key
 * and value must be the same; documents it must not take fall back.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PathSegment } from '../src/load/json-pointer.js';
import { fastLoad } from '../src/load/fast-load.js';
import { parseWithYaml } from '../src/load/load-document.js';
import { REPO, SHARED } from './helpers/shared.js';

function yamlFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e) ? [p] : [];
  });
}

/** Every path in the data: each key of each mapping, each item of each list. */
function paths(value: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  return [];
}

/** `limit` bounds the paths compared per file (every seventh of the rest is compared too), to keep the test quick. */
function compare(name: string, text: string, limit = Infinity): 'fast' | 'fallback' {
  const fast = fastLoad(text);
  if (!fast) return 'fallback';
  const ref = parseWithYaml(name, text);
  expect(ref.ok, name).toBe(true);
  if (!ref.ok) return 'fast';
  expect(fast.data, name).toEqual(ref.document.data);
  for (const path of paths(fast.data).filter((_, i) => i < limit || i % 7 === 0)) {
    for (const where of ['key', 'value'] as const) {
      expect(fast.positionOf(path, where), `${name} ${where} /${path.join('/')}`).toEqual(ref.document.positionOf(path, where));
    }
  }
  // A path that does not exist points at its nearest existing ancestor, as with the reference.
  expect(fast.positionOf(['capability', 'no-such-key', 0])).toEqual(ref.document.positionOf(['capability', 'no-such-key', 0]));
  return 'fast';
}

const EDGES = `# leading comment
naftiko: 1.0.0-alpha2
empty:
written-null: null
tilde: ~
after-comment: # trailing comment
  # a comment line
  nested: 1
"quoted key": 'quoted value'
200: numeric key
flow: [x, "y", 3]
list:
  - plain
  -   spaced
  - key: value
    other: 2
  -
    - deep
  - ""
block: |
  line one
  line two
folded: >-
  folded
  text
multi: a plain
  scalar on two lines
same: same
same-next: same
nan: .nan
inf: -.inf
bool: True
hex: 0x1F
octal: 0o17
float: 1.5e3
url: http://example.com/a#b
hash: a#b
spaced-comment:    # nothing here
seq-with-nulls:
  - null
  - ~
nested-empty:
  inner:
  inner2: x
last:
`;

describe('fastLoad', () => {
  it('reads the same data and positions as the yaml library on the edge cases it takes', () => {
    expect(compare('edges.yaml', EDGES)).toBe('fast');
  });

  it('leaves to the yaml library the documents where the two may differ', () => {
    for (const text of [
      'a: &x 1\nb: *x\n', // anchors, aliases
      'a: !!str 1\n', // tags
      '%YAML 1.2\n---\na: 1\n', // directives
      'a: 1\n---\nb: 2\n', // several documents
      'base: {x: 1}\nm:\n  <<: {y: 2}\n', // merge keys
      '? a\n: 1\n', // explicit keys
      'a:\n\tb: 1\n', // tabs
      'n: 1_000\n', // digit separators
      'params:\n  - { name: a, in: body, description: Voyage name }\n', // flow mappings
      'l:\n  -\n  - x\n', // empty list items
      'a: 1\na: 2\n', // duplicate keys
      '- a\n- b\n', // not a mapping
      '', // empty
      'a: [1, 2\n', // syntax error
    ]) {
      expect(fastLoad(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  const files = [...yamlFiles(join(REPO, 'test/fixtures')), ...yamlFiles(join(REPO, 'examples')).filter((f) => !f.includes('/generated/')), ...yamlFiles(SHARED)];
  it(`agrees with the yaml library on every capability and fixture at hand (${files.length} files)`, () => {
    let fast = 0;
    for (const file of files) if (compare(file, readFileSync(file, 'utf8'), 200) === 'fast') fast++;
    // Most real documents take the fast path.
    expect(fast).toBeGreaterThan(files.length / 2);
  });
});
