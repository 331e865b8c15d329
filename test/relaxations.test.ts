import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lineOf, validate, weatherWith } from './helpers/fixtures.js';
import { SEED } from './helpers/shared.js';

const seed = readFileSync(SEED, 'utf8');

describe('the three relaxations', () => {
  it('accept the seed with one warning per relaxed construct', () => {
    const r = validate(seed);
    expect(r.model).toBeDefined();
    const byRule = (rule: string) => r.findings.filter((f) => f.rule === rule);
    expect(byRule('relaxed-rest-description')).toHaveLength(1);
    expect(byRule('relaxed-rest-description')[0]).toMatchObject({ severity: 'warning', line: lineOf(seed, 'description: REST adapter'), column: 5 });
    // Four consumed parameters carry type/description(/required): one warning each, at the first of those keys.
    const params = byRule('relaxed-consumed-input-annotations');
    expect(params.map((p) => p.line)).toEqual([36, 40, 53, 70].map((l) => l));
    expect(params[2]!.message).toContain('`type`, `description`, `required`');
    // Three REST operations and three tools map `$.` without properties.
    const outputs = byRule('relaxed-object-output-mapping');
    expect(outputs).toHaveLength(6);
    expect(outputs.every((o) => seed.split('\n')[o.line - 1]!.includes('- type: object'))).toBe(true);
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
