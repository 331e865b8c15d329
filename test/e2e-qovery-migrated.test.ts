/**
 * What `naftiko-gen migrate` writes for the seed: the relaxations it rewrote into official forms and the
 * ones it kept. That the migrated seed behaves as the seed does is tested by test/e2e-qovery.test.ts, which
 * runs every one of its tests on both files.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrateText } from '../src/migrate/migrate.js';
import { validateText } from '../src/validate/validate.js';
import { NEWEST_VERSION } from '../src/validate/versions.js';
import { SEED } from './helpers/shared.js';

const migrated = migrateText(readFileSync(SEED, 'utf8'));

describe(`the Qovery seed migrated to ikanos ${NEWEST_VERSION.version}`, () => {
  it('validates without errors, its typed inputs declared where they are used: only the relaxations without an official form are left', () => {
    if (!migrated.ok) throw new Error(migrated.message);
    expect(migrated.text).toMatch(/^ikanos: /m);
    const relaxed = validateText(SEED, migrated.text);
    expect(relaxed.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const count = (rule: string, r = relaxed) => r.findings.filter((f) => f.rule === rule).length;
    const original = validateText(SEED, readFileSync(SEED, 'utf8'));
    expect(count('relaxed-consumed-input-annotations', original)).toBe(4);
    expect(count('relaxed-consumed-input-annotations')).toBe(0);
    // Three REST operations and three MCP tools return the whole answer as an object: the REST ones say it officially now.
    expect(count('relaxed-object-output-mapping', original)).toBe(6);
    expect(count('relaxed-object-output-mapping')).toBe(3);
    expect(count('relaxed-rest-description')).toBe(1);
    // Under --strict the same uses are the errors, each at its place (not a branch error of the MCP tool's anyOf).
    const strict = validateText(SEED, migrated.text, { strict: true }).findings.filter((f) => f.severity === 'error');
    expect(strict.map((f) => `${f.rule} ${f.line}`)).toEqual(
      relaxed.findings.filter((f) => f.rule.startsWith('relaxed-')).map((f) => `${f.rule} ${f.line}`),
    );
    expect(strict).toHaveLength(4);
    expect(migrated.text).toContain('            inputParameters:\n              name:\n                in: query\n                type: string\n');
  });
});
