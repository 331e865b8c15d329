/**
 * The project's schema must accept exactly what the official Naftiko schema accepts once its
 * relaxations are refused (--strict). Checked on the published files and on random mutants of them,
 * against ../shared/reference (published by others: never copied here).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'yaml';
import { beforeAll, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { validateAgainstSchema } from '../src/validate/schema-validator.js';
import { findSpecVersion } from '../src/validate/versions.js';
import { corpusFiles, describeWithShared, SEED, SHARED } from './helpers/shared.js';
import { mutate, type Json } from './helpers/mutate.js';

function officialValidator(version: string): (data: unknown) => boolean {
  const schema = JSON.parse(readFileSync(`${SHARED}reference/naftiko-schema-${version}.json`, 'utf8')) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  ajv.addFormat('uri', /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/);
  const v = ajv.compile(schema);
  return (data) => v(data) as boolean;
}

describeWithShared('the project schema against the official one (../shared/reference)', () => {
  // Read in beforeAll, not while collecting: without ../shared the suite is skipped, and must not fail.
  let official: (data: unknown) => boolean;
  let bases: Json[];
  const version = findSpecVersion('1.0.0-alpha2')!;
  const strictValid = (data: unknown) => validateAgainstSchema(version, 'strict', data).errors.length === 0;
  beforeAll(() => {
    official = officialValidator('1.0.0-alpha2');
    bases = [SEED, ...corpusFiles().slice(0, 20)].map((f) => parse(readFileSync(f, 'utf8')) as Json);
  });

  it('agrees with it under --strict on 3,000 random mutants of published capabilities', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (b, picks) => {
        const doc = mutate(bases[b % bases.length]!, picks);
        expect(strictValid(doc), JSON.stringify(picks)).toBe(official(doc));
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  // The published files all rely on relaxations, so most mutants above are rejected by both schemas;
  // this test starts from relaxation-free copies, so that accepted documents are compared too.
  it('accepts, like the official schema, the published files once their relaxations are removed, and agrees on their mutants', () => {
    let accepted = 0;
    for (const base of bases) {
      const doc = structuredClone(base) as { capability: { exposes: Array<Record<string, Json>>; consumes: Array<{ resources: Array<{ operations: Array<{ inputParameters?: Array<Record<string, Json>> }> }> }> } };
      for (const e of doc.capability.exposes) {
        if (e.type === 'rest') delete e.description;
      }
      const outputsToProperties = (v: Json): void => {
        if (Array.isArray(v)) v.forEach(outputsToProperties);
        else if (v && typeof v === 'object') {
          if (v.type === 'object' && typeof v.mapping === 'string' && !('properties' in v)) (v as Record<string, Json>).properties = {};
          Object.values(v).forEach(outputsToProperties);
        }
      };
      outputsToProperties(doc.capability.exposes as unknown as Json);
      for (const c of doc.capability.consumes) for (const r of c.resources) for (const o of r.operations) for (const p of o.inputParameters ?? []) {
        delete p.type;
        delete p.description;
        delete p.required;
      }
      expect(official(doc)).toBe(true);
      expect(strictValid(doc)).toBe(true);
      for (let k = 0; k < 50; k++) {
        const m = mutate(doc as unknown as Json, [k * 7919 + 13]);
        const expected = official(m);
        accepted += expected ? 1 : 0;
        expect(strictValid(m), `mutant ${k}`).toBe(expected);
      }
    }
    // Some mutants stay valid (a changed description, say): both sides of the comparison are exercised.
    expect(accepted).toBeGreaterThan(50);
  });
});
