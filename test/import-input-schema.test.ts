/**
 * Given an OpenAPI schema, want the input constraints the importer carries (only consistent ones), and
 * given those constraints, want a zod schema that accepts and refuses the right values, with every
 * capability string escaped (the emitted code is evaluated here, as the generated servers run it).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { collectOperations } from '../src/import/collect-operations.js';
import { parseOpenApi } from '../src/import/load-openapi.js';
import { zodInput } from '../src/emit/code/zod-input.js';
import { importOpenApi } from '../src/import/import-openapi.js';
import { validateText } from '../src/validate/validate.js';
import type { ExposedInput } from '../src/model/types.js';

function constraintsOf(schema: unknown): unknown {
  const doc = parseOpenApi(
    'given.json',
    JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/x': { get: { parameters: [{ name: 'p', in: 'query', schema }], responses: {} } } } }),
  );
  const p = collectOperations(doc).operations[0]!.parameters[0]!;
  return { type: p.type, ...p.constraints };
}

describe('input constraints from an OpenAPI schema: only what is consistent', () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['string enum and default', { type: 'string', enum: ['a', 'b', null], default: 'b' }, { type: 'string', enum: ['a', 'b'], default: 'b' }],
    ['a default outside the enum is dropped', { type: 'string', enum: ['a'], default: 'z' }, { type: 'string', enum: ['a'] }],
    ['an enum whose values do not fit the type is dropped', { type: 'integer', enum: [1, 'two'] }, { type: 'integer' }],
    ['bounds, format', { type: 'integer', format: 'int32', minimum: 1, maximum: 5 }, { type: 'integer', format: 'int32', minimum: 1, maximum: 5 }],
    ['OpenAPI 3.0 exclusive bounds are left out', { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1 }, { type: 'number', maximum: 1 }],
    ['bounds in the wrong order are left out', { type: 'string', minLength: 5, maxLength: 2 }, { type: 'string' }],
    ['array items and counts', { type: 'array', items: { type: 'integer', enum: [1, 2] }, minItems: 1, maxItems: 3 }, { type: 'array', minItems: 1, maxItems: 3, items: { type: 'integer', enum: [1, 2] } }],
    ['a single-member allOf around a $ref-like schema', { allOf: [{ type: 'string', enum: ['x'] }], description: 'd' }, { type: 'string', enum: ['x'] }],
    ['a pattern JavaScript compiles', { type: 'string', pattern: '^[a-z]+$' }, { type: 'string', pattern: '^[a-z]+$' }],
    ['a pattern JavaScript cannot compile is left out', { type: 'string', pattern: '(?<!a)b++' }, { type: 'string' }],
    ['3.1 type arrays with null', { type: ['string', 'null'], maxLength: 3 }, { type: 'string', maxLength: 3 }],
  ];
  for (const [name, given, want] of cases) it(name, () => expect(constraintsOf(given)).toEqual(want));
});

describe('the zod schema of a constrained input', () => {
  const input = (over: Partial<ExposedInput>): ExposedInput => ({ name: 'v', type: 'string', required: true, location: 'query', origin: 'declared', ...over });
  const evaluate = (i: ExposedInput): z.ZodType => new Function('z', `return ${zodInput(i)};`)(z) as z.ZodType;
  const ok = (s: z.ZodType, v: unknown): boolean => s.safeParse(v).success;

  it('an enum accepts its values only, and hostile values are escaped', () => {
    const hostile = "*/ `${process.exit(1)}` '\\\n";
    const s = evaluate(input({ constraints: { enum: ['a', hostile] }, description: hostile }));
    expect(ok(s, 'a')).toBe(true);
    expect(ok(s, hostile)).toBe(true);
    expect(ok(s, 'b')).toBe(false);
  });

  it('a pattern (escaped) is matched in Unicode mode; one that does not compile is left out', () => {
    const s = evaluate(input({ constraints: { pattern: "^[a-z']+\\d$" } }));
    expect(['ab\'c1', 'ab', 'x1y'].map((v) => ok(s, v))).toEqual([true, false, false]);
    const bad = evaluate(input({ constraints: { pattern: 'a++' } }));
    expect(ok(bad, 'anything')).toBe(true);
  });

  it('numbers: integer, bounds, a numeric enum', () => {
    const s = evaluate(input({ type: 'integer', constraints: { minimum: 1, maximum: 3 } }));
    expect([0, 1, 3, 4, 2.5].map((v) => ok(s, v))).toEqual([false, true, true, false, false]);
    const e = evaluate(input({ type: 'number', constraints: { enum: [1.5, 2] } }));
    expect([1.5, 2, 3].map((v) => ok(e, v))).toEqual([true, true, false]);
  });

  it('arrays: item type (numbers from a query string are converted), counts, item enum', () => {
    const s = evaluate(input({ type: 'array', constraints: { minItems: 1, maxItems: 2, items: { type: 'integer' } } }));
    expect([[1], ['2'], [], [1, 2, 3], ['x']].map((v) => ok(s, v))).toEqual([true, true, false, false, false]);
    const e = evaluate(input({ type: 'array', constraints: { items: { type: 'string', enum: ['a'] } } }));
    expect([['a'], ['b']].map((v) => ok(e, v))).toEqual([true, false]);
  });

  it('a default is published, not filled in; an optional input may be left out', () => {
    const s = evaluate(input({ required: false, constraints: { default: 'x', minLength: 1 } }));
    expect(s.safeParse(undefined)).toMatchObject({ success: true, data: undefined });
    expect(ok(s, '')).toBe(false);
    expect(z.toJSONSchema(s, { io: 'input' })).toMatchObject({ type: 'string', minLength: 1, default: 'x' });
  });
});

describe('an input pattern JavaScript cannot compile', () => {
  it('is a warning at validation (input-pattern-invalid), never a server that fails to start', () => {
    const doc = parseOpenApi(
      'given.json',
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'T', version: '1' },
        servers: [{ url: 'https://t.example.com' }],
        paths: { '/x': { get: { operationId: 'getX', parameters: [{ name: 'q', in: 'query', schema: { type: 'string', pattern: '^[a-z]+$' } }], responses: {} } } },
      }),
    );
    const text = importOpenApi(doc).capabilities[0]!.text.replace(/pattern: \^\[a-z\]\+\$/g, 'pattern: a++');
    expect(text).toContain('pattern: a++');
    const findings = validateText('t.yaml', text).findings.filter((f) => f.rule === 'input-pattern-invalid');
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({ severity: 'warning', message: expect.stringContaining('the input is accepted without this check') });
  });
});
