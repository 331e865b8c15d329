import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument, visit, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { lineOf, validate, weatherWith } from './helpers/fixtures.js';
import { SEED } from './helpers/shared.js';

const seed = readFileSync(SEED, 'utf8');

/** Lines of the first `type`/`description`/`required` key of each consumed input parameter that has one. */
function annotatedParameterLines(text: string): number[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const out: number[] = [];
  const consumes = (doc.getIn(['capability', 'consumes']) as YAMLSeq<YAMLMap>).items;
  for (const api of consumes)
    for (const res of (api.get('resources') as YAMLSeq<YAMLMap>).items)
      for (const op of (res.get('operations') as YAMLSeq<YAMLMap>).items)
        for (const param of ((op.get('inputParameters') as YAMLSeq<YAMLMap> | undefined)?.items ?? [])) {
          const first = param.items.find((pair) => ['type', 'description', 'required'].includes(String((pair.key as Scalar).value)));
          if (first) out.push(lines.linePos((first.key as Scalar).range![0]).line);
        }
  return out;
}

/** Lines of every exposed object output parameter (at any depth) that has a `mapping` and no `properties`. */
function mappedObjectOutputLines(text: string): number[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const out: number[] = [];
  visit(doc.getIn(['capability', 'exposes']) as YAMLSeq, {
    Map(_key, node) {
      if (node.get('type') === 'object' && node.has('mapping') && !node.has('properties')) out.push(lines.linePos(node.range![0]).line);
    },
  });
  return out.sort((a, b) => a - b);
}

describe('the three relaxations', () => {
  it('accept the seed with one warning per relaxed construct', () => {
    const r = validate(seed);
    expect(r.model).toBeDefined();
    const byRule = (rule: string) => r.findings.filter((f) => f.rule === rule);
    expect(byRule('relaxed-rest-description')).toHaveLength(1);
    expect(byRule('relaxed-rest-description')[0]).toMatchObject({ severity: 'warning', line: lineOf(seed, 'description: REST adapter'), column: 5 });
    // Each consumed parameter that carries type/description/required: one warning, at the first of those keys.
    const params = byRule('relaxed-consumed-input-annotations');
    expect(params.map((p) => p.line)).toEqual(annotatedParameterLines(seed));
    expect(params.length).toBeGreaterThan(0);
    expect(params.map((p) => p.message)).toContainEqual(expect.stringContaining('`type`, `description`, `required`'));
    // Each exposed object output with a mapping and no properties: one warning, at its `- type: object`.
    const outputs = byRule('relaxed-object-output-mapping');
    expect(outputs.map((o) => o.line)).toEqual(mappedObjectOutputLines(seed));
    expect(outputs.length).toBeGreaterThan(0);
    expect(r.findings.every((f) => f.severity === 'warning')).toBe(true);
  });

  it('are errors under --strict, each once and at the same place', () => {
    const relaxed = validate(seed).findings.filter((f) => f.rule.startsWith('relaxed-'));
    const strict = validate(seed, true);
    expect(strict.model).toBeUndefined();
    expect(strict.findings.every((f) => f.severity === 'error' && f.rule.startsWith('relaxed-'))).toBe(true);
    expect(strict.findings.map((f) => `${f.rule}@${f.line}:${f.column}`)).toEqual(relaxed.map((f) => `${f.rule}@${f.line}:${f.column}`));
    expect(strict.findings[0]!.hint).toMatch(/--strict|Remove/);
  });

  it('are not reported where the official schema allows the construct (an MCP adapter description)', () => {
    const r = validate(weatherWith(['      description: Weather station tools.', '      description: Tools.']));
    expect(r.findings).toEqual([]);
  });

  it('still reject an object output that has neither properties nor mapping', () => {
    const text = weatherWith(['          description: Read one station.\n', '          description: Read one station.\n          outputParameters:\n            - type: object\n']);
    const r = validate(text);
    expect(r.findings.some((f) => f.severity === 'error' && f.message.includes('`properties`') && f.message.includes('`mapping`'))).toBe(true);
  });
});
