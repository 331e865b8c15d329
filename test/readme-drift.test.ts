/**
 * test/README.md maps each claim of the repository's README to the test that checks it. This test
 * keeps the two together: every rule of the rules table, every command and flag of the command line,
 * every exit code and every bold claim of the generated servers and of "Capabilities from the wild"
 * has an entry; every entry names a test file that exists and a test title that file declares.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/shared.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const MAP = readFileSync(join(REPO, 'test/README.md'), 'utf8');

/** The text of a `## `/`### ` section of the README, up to the next heading of the same or a higher level. */
function section(text: string, heading: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^#{2,3} /.test(l) && l.replace(/^#+ /, '') === heading);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** Cells of a markdown table row (`\|` stays inside a cell). */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));
}

const codeSpans = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const boldSpans = (text: string): string[] => [...text.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]!);

interface Entry {
  claim: string;
  file: string;
  title: string;
}

/** Every row of test/README.md's claim tables: `| claim | test file | test |`. */
const entries: Entry[] = MAP.split('\n')
  .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l) && !/^\|\s*claim\s*\|/.test(l))
  .map((l) => {
    const [claim = '', file = '', title = ''] = cells(l);
    return { claim, file: file.replace(/`/g, ''), title };
  });

const claimed = new Set(entries.flatMap((e) => codeSpans(e.claim)));
const claimedBold = new Set(entries.flatMap((e) => boldSpans(e.claim)));

/** The rules of the README's rules table (first column). */
function readmeRules(): string[] {
  return section(README, 'Rules')
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .flatMap((l) => codeSpans(cells(l)[0]!));
}

/** `command` and `command --flag` for every line of the README's command-line synopsis. */
function readmeCommands(): string[] {
  const block = /```\n(naftiko-gen [\s\S]*?)```/.exec(section(README, 'Command line'))![1]!;
  const out: string[] = [];
  for (const line of block.trim().split('\n')) {
    const rest = line.replace(/^naftiko-gen /, '');
    if (rest.startsWith('--')) {
      out.push(...rest.split('|').map((f) => f.trim()));
      continue;
    }
    const words = rest.split(' ');
    const name = words.slice(0, words.findIndex((w) => !/^[a-z]+$/.test(w))).join(' ');
    out.push(name);
    for (const flag of rest.matchAll(/(?<=[[| ])(--?[a-z][a-z-]*)/g)) out.push(`${name} ${flag[1]!}`);
  }
  return [...new Set(out)];
}

describe('test/README.md, the map from README claims to tests', () => {
  it('finds the rules, commands and flags of the README (the parser still reads it)', () => {
    expect(readmeRules()).toEqual(expect.arrayContaining(['yaml-syntax', 'schema-required', 'baseuri-trailing-slash']));
    expect(readmeCommands()).toEqual(expect.arrayContaining(['validate', 'build --check', 'import openapi --group', 'migrate --write', '--version']));
  });

  it('has an entry for every rule of the README', () => {
    expect(readmeRules().filter((r) => !claimed.has(r))).toEqual([]);
  });

  it('has an entry for every command and flag of the README', () => {
    expect(readmeCommands().filter((c) => !claimed.has(c))).toEqual([]);
  });

  it('has an entry for every exit code and every bold claim about generated servers and capabilities from the wild', () => {
    const codes = section(README, 'Command line')
      .split('\n')
      .filter((l) => /^\| \d \|/.test(l))
      .map((l) => `exit ${cells(l)[0]!}`);
    expect(codes).toEqual(['exit 0', 'exit 1', 'exit 2']);
    expect(codes.filter((c) => !claimed.has(c))).toEqual([]);
    const bold = [...boldSpans(section(README, 'The generated project')), ...boldSpans(section(README, 'Capabilities from the wild'))];
    expect(bold.length).toBeGreaterThan(8);
    expect(bold.filter((b) => !claimedBold.has(b))).toEqual([]);
  });

  it('names only test files that exist and test titles they declare', () => {
    expect(entries.length).toBeGreaterThan(100);
    const missing: string[] = [];
    for (const e of entries) {
      const path = join(REPO, 'test', e.file);
      if (!e.file.endsWith('.test.ts') || !existsSync(path)) {
        missing.push(`${e.claim}: no test file ${e.file}`);
        continue;
      }
      // The title as written in an it(...)/describe(...) of that file, after the table of an it.each([...]),
      // or as the `title:` of a row of a table whose it.each prints `$title`.
      const declared = readFileSync(path, 'utf8')
        .split('\n')
        .map((l) => l.replace(/\\'/g, "'"))
        .filter((l) => /\b(it|describe|test|describeWithShared)(\.each\(.*?\)|\.skipIf\(.*?\))?\(/.test(l) || /^\s*\]\)\(['"`]/.test(l) || /^\s*title: ['"`]/.test(l));
      if (e.title === '' || !declared.some((l) => l.includes(e.title))) missing.push(`${e.claim}: ${e.file} declares no test "${e.title}"`);
    }
    expect(missing).toEqual([]);
  });
});
