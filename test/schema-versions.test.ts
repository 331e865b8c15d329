/**
 * Every version's schema of ours must accept exactly what that version's official schema accepts once
 * our relaxations are refused (--strict): checked on the published ikanos files (../shared/conformance,
 * written for beta5 and re-labelled for each other ikanos version) and on random mutants of them, and on
 * the Qovery seed re-labelled for naftiko 1.0.0-alpha3. Also: the derived schema files are up to date.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { validateAgainstSchema } from '../src/validate/schema-validator.js';
import { validateText } from '../src/validate/validate.js';
import { NEWEST_VERSION, SPEC_VERSIONS, type SpecVersion } from '../src/validate/versions.js';
import { describeWithShared, SHARED, yamlFiles } from './helpers/shared.js';
import { mutate, type Json } from './helpers/mutate.js';

const CONFORMANCE = `${SHARED}conformance/ikanos-1.0.0-beta5/`;

function officialFile(v: SpecVersion): string {
  return v.key === 'ikanos' ? `${SHARED}reference/ikanos/ikanos-schema-${v.version}.json` : `${SHARED}reference/naftiko-schema-${v.version}.json`;
}

function officialValidator(v: SpecVersion): (data: unknown) => boolean {
  const schema = JSON.parse(readFileSync(officialFile(v), 'utf8')) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  ajv.addFormat('uri', /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/);
  const validate = ajv.compile(schema);
  return (data) => validate(data) as boolean;
}

describe('derived schemas', () => {
  it('are up to date with scripts/derive-schemas.mjs', async () => {
    const { deriveAll } = await import('../scripts/derive-schemas.mjs');
    for (const [file, schema] of deriveAll()) {
      const onDisk = readFileSync(new URL(`../schema/${file}`, import.meta.url), 'utf8');
      expect(onDisk, `${file} is stale: run npm run schemas`).toBe(`${JSON.stringify(schema, null, 2)}\n`);
    }
  });
});

describeWithShared('each version of the project schema against the official one (../shared/reference)', () => {
  let published: Json[];
  beforeAll(() => {
    published = yamlFiles(CONFORMANCE).map((f) => parse(readFileSync(f, 'utf8')) as Json);
  });
  const relabel = (doc: Json, v: SpecVersion): Json => {
    const copy = structuredClone(doc) as Record<string, Json>;
    delete copy.ikanos;
    delete copy.naftiko;
    return { [v.key]: v.version, ...copy };
  };

  it('naftiko 1.0.0-alpha3: agrees under --strict on the published alpha2 tutorial, re-labelled, and its mutants', () => {
    const v = SPEC_VERSIONS.find((x) => x.key === 'naftiko' && x.version === '1.0.0-alpha3')!;
    const official = officialValidator(v);
    const ours = (data: unknown) => validateAgainstSchema(v, 'strict', data).errors.length === 0;
    const docs = yamlFiles(`${SHARED}conformance/framework-1.0.0-alpha2/tutorial/`).map((f) => relabel(parse(readFileSync(f, 'utf8')) as Json, v));
    let accepted = 0;
    for (const [i, d] of docs.entries()) expect(ours(d), `tutorial file ${i}`).toBe(official(d));
    fc.assert(
      fc.property(fc.nat(docs.length - 1), fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), (b, picks) => {
        const doc = mutate(docs[b]!, picks);
        const expected = official(doc);
        accepted += expected ? 1 : 0;
        expect(ours(doc), JSON.stringify(picks)).toBe(expected);
      }),
      { seed: 13, numRuns: 120 },
    );
    expect(accepted).toBeGreaterThan(10);
  });

  for (const v of SPEC_VERSIONS.filter((x) => x.key === 'ikanos')) {
    it(`ikanos ${v.version}: agrees under --strict on the published files and 120 mutants`, () => {
      const official = officialValidator(v);
      const ours = (data: unknown) => validateAgainstSchema(v, 'strict', data).errors.length === 0;
      let accepted = 0;
      for (const [i, doc] of published.entries()) {
        const d = relabel(doc, v);
        expect(ours(d), `published file ${i}`).toBe(official(d));
      }
      fc.assert(
        fc.property(fc.nat(published.length - 1), fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), (b, picks) => {
          const doc = mutate(relabel(published[b]!, v), picks);
          const expected = official(doc);
          accepted += expected ? 1 : 0;
          expect(ours(doc), JSON.stringify(picks)).toBe(expected);
          // The whole pipeline (normaliser, imports, cross-checks, model) reads any mutant without throwing.
          if (v === NEWEST_VERSION) validateText(`${CONFORMANCE}tutorial/mutant.yml`, stringify(doc));
        }),
        { seed: 11, numRuns: v === NEWEST_VERSION ? 400 : 120 },
      );
      expect(accepted).toBeGreaterThan(10);
    });
  }
});
