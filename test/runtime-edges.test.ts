/**
 * Edge cases of three runtime modules, in process, found by mutation testing (test/README.md, "Mutation
 * scores"): lookup steps over tables of every shape (templates/runtime/steps.ts), the names given to
 * nested and positional input problems (inputs.ts), and the response cache's order, expiry and caller
 * keys (cache.ts). Given/want tables where the cases share a shape.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { callerKey, ResponseCache } from '../templates/runtime/cache.js';
import { checkInput, InvalidInputError } from '../templates/runtime/inputs.js';
import { requestContext } from '../templates/runtime/ops.js';
import { runSteps, type LookupStep, type Step } from '../templates/runtime/steps.js';
import type { UpstreamResponse } from '../templates/runtime/upstream.js';

const json = (value: unknown): UpstreamResponse => ({ status: 200, contentType: 'application/json', text: JSON.stringify(value) });

/** The variable a lone lookup step sets, run over `variables` (as a script or an earlier call would have left them). */
async function lookedUp(step: Omit<LookupStep, 'kind' | 'name'>, variables: Record<string, unknown>): Promise<unknown> {
  const outcome = await runSteps([{ kind: 'lookup', name: 'found', ...step }], [{ target: ['found'], source: ['found'] }], variables);
  return 'mapped' in outcome ? outcome.mapped.found : undefined;
}

describe('lookup steps', () => {
  const fields = ['id', 'name'];
  const rows: Array<[string, unknown, string, unknown, unknown]> = [
    // [case, table, match, wanted, found]
    ['a number id matches the same digits as text', [{ id: 7, name: 'Ada' }], 'id', '7', { id: 7, name: 'Ada' }],
    ['a text id matches a number value', [{ id: '7', name: 'Ada' }], 'id', 7, { id: '7', name: 'Ada' }],
    ['a boolean matches its text', [{ id: true, name: 'T' }], 'id', 'true', { id: true, name: 'T' }],
    ['the first matching row wins', [{ id: 1, name: 'first' }, { id: '1', name: 'second' }], 'id', 1, { id: 1, name: 'first' }],
    ['a single object is a table of one row', { id: 'x', name: 'Solo' }, 'id', 'x', { id: 'x', name: 'Solo' }],
    ['a single object that does not match finds nothing', { id: 'x', name: 'Solo' }, 'id', 'y', undefined],
    ['a null table finds nothing', null, 'id', 'x', undefined],
    ['a null value matches a null field', [{ id: 'a', name: 'A' }, { id: null, name: 'N' }], 'id', null, { id: null, name: 'N' }],
    ['a null value does not match the text "null"', [{ id: 'null', name: 'S' }], 'id', null, undefined],
    ['the text "null" does not match a null field', [{ id: null, name: 'N' }], 'id', 'null', undefined],
    ['the text "undefined" does not match a missing field', [{ name: 'M' }], 'id', 'undefined', undefined],
    ['a null value does not match a missing field', [{ name: 'M' }], 'id', null, undefined],
    ['null rows and scalar rows are skipped', [null, 'abc', 3, { id: 'z', name: 'Z' }], 'id', 'z', { id: 'z', name: 'Z' }],
    ['a text row never matches, even on a property it has', ['abc'], 'length', 3, undefined],
    ['an array row never matches on an index', [['q']], '0', 'q', undefined],
  ];
  it.each(rows)('%s', async (_case, table, match, wanted, found) => {
    // The value comes from a variable path ($.want), so it keeps its type.
    expect(await lookedUp({ index: 'table', match, value: { path: ['want'] }, fields }, { table, want: wanted })).toStrictEqual(found === undefined ? undefined : Object.assign(Object.create(null), found));
  });

  it('keeps only own fields of a row: an inherited name is a missing field', async () => {
    const found = await lookedUp({ index: 't', match: 'id', value: { template: ['a'] }, fields: ['id', 'constructor', 'toString'] }, { t: [{ id: 'a' }] });
    expect(JSON.parse(JSON.stringify(found))).toEqual({ id: 'a', constructor: null, toString: null });
  });

  it('an array of values is a lookup per value, in the values’ order; values without a row are left out', async () => {
    const table = [{ id: 1, name: 'one' }, { id: 2, name: 'two' }, { id: 3, name: 'three' }];
    const found = await lookedUp({ index: 't', match: 'id', value: { path: ['ids'] }, fields: ['name'] }, { t: table, ids: ['3', 9, 1, null] });
    expect(JSON.parse(JSON.stringify(found))).toEqual([{ name: 'three' }, { name: 'one' }]);
  });

  it('a script’s undefined values match neither missing fields nor the text "undefined"', async () => {
    const outcome = await runSteps(
      [
        { kind: 'script', name: 'ids', with: {}, run: () => [undefined, 'k'] },
        { kind: 'lookup', name: 'found', index: 't', match: 'id', value: { path: ['ids'] }, fields: ['id'] },
      ],
      [{ target: ['found'], source: ['found'] }],
      { t: [{ id: 'undefined' }, { other: 1 }, { id: 'k' }] },
    );
    expect(JSON.parse(JSON.stringify(outcome))).toEqual({ mapped: { found: [{ id: 'k' }] } });
  });

  it('a lookup by template fills it from the variables; missing variables fill as empty text', async () => {
    const table = [{ code: 'NO-7', name: 'Norway' }, { code: '', name: 'blank' }];
    expect(JSON.parse(JSON.stringify(await lookedUp({ index: 't', match: 'code', value: { template: [{ variable: ['flag'] }, '-', { variable: ['n'] }] }, fields: ['name'] }, { t: table, flag: 'NO', n: 7 })))).toEqual({ name: 'Norway' });
    expect(JSON.parse(JSON.stringify(await lookedUp({ index: 't', match: 'code', value: { template: [{ variable: ['nope'] }] }, fields: ['name'] }, { t: table })))).toEqual({ name: 'blank' });
  });
});

describe('call steps', () => {
  it('a `with` value that resolves to nothing leaves the variable as it was, and an absent parameter is not sent', async () => {
    const sent: Array<Record<string, unknown>> = [];
    const steps: Step[] = [
      {
        kind: 'call',
        name: 'c',
        with: { p: { variable: 'nope' } },
        parameters: [{ name: 'p' }, { name: 'q' }],
        outputs: {},
        send: async (args) => {
          sent.push({ ...args });
          return json({});
        },
      },
    ];
    await runSteps(steps, [], { p: 'kept' });
    expect(sent).toStrictEqual([{ p: 'kept' }]);
    expect(Object.keys(sent[0]!)).toEqual(['p']);
  });

  it('named outputs of an answer whose elements are arrays, text or null are the outputs alone', async () => {
    const outcome = await runSteps(
      [{ kind: 'call', name: 'c', with: {}, parameters: [], outputs: { head: [0] }, send: async () => json([['a', 'b'], 'odd', null, { x: 1 }]) }],
      [{ target: ['out'], source: ['c'] }],
      {},
    );
    expect(JSON.parse(JSON.stringify(outcome))).toEqual({ mapped: { out: [{ head: 'a' }, { head: null }, { head: null }, { x: 1, head: null }] } });
  });

  it('without named outputs the answer is kept as it came, scalars included', async () => {
    const outcome = await runSteps(
      [
        { kind: 'call', name: 'list', with: {}, parameters: [], outputs: {}, send: async () => json(['a', 1, null]) },
        { kind: 'call', name: 'n', with: {}, parameters: [], outputs: {}, send: async () => json(5) },
      ],
      [{ target: ['list'], source: ['list'] }, { target: ['n'], source: ['n'] }],
      {},
    );
    expect(JSON.parse(JSON.stringify(outcome))).toEqual({ mapped: { list: ['a', 1, null], n: 5 } });
  });

  it('a mapping whose source a script left undefined maps nothing, so the last answer goes on', async () => {
    const outcome = await runSteps([{ kind: 'script', name: 's', with: {}, run: () => undefined }], [{ target: ['x'], source: ['s'] }], {});
    expect(outcome).toStrictEqual({ last: undefined });
  });
});

describe('checkInput: where each problem is', () => {
  function problems(schema: z.ZodType, raw: unknown): Array<{ field: string; problem: string }> {
    try {
      checkInput(schema, raw);
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidInputError);
      return (err as InvalidInputError).problems;
    }
    return [];
  }

  it('a missing field inside a given object is named by its dotted path, with the schema’s message', () => {
    const schema = z.object({ owner: z.object({ login: z.string(), id: z.number() }) });
    const found = problems(schema, { owner: { id: 'x' } });
    expect(found.map((p) => p.field).sort()).toEqual(['owner.id', 'owner.login']);
    // Only a top-level field the caller left out is "required"; inside an object the schema says what is wrong.
    for (const p of found) expect(p.problem).not.toBe('is required');
    expect(found.find((p) => p.field === 'owner.id')!.problem).toMatch(/number/);
  });

  it('a nested object left out at the top is required', () => {
    expect(problems(z.object({ owner: z.object({ login: z.string() }) }), {})).toEqual([{ field: 'owner', problem: 'is required' }]);
  });

  it('a missing element of a top-level array is named by its index, never "required"', () => {
    const found = problems(z.array(z.string()), [undefined, 'ok', 5]);
    expect(found.map((p) => p.field)).toEqual(['0', '2']);
    for (const p of found) expect(p.problem).not.toBe('is required');
  });

  it('the message lists every problem as `field: problem`, separated by `; `', () => {
    try {
      checkInput(z.object({ a: z.string(), b: z.object({ c: z.number() }) }), { b: { c: 'x' } });
      expect.unreachable();
    } catch (err) {
      const { problems: found, message } = err as InvalidInputError;
      expect(message).toBe(found.map((p) => `${p.field}: ${p.problem}`).join('; '));
      expect(message).toMatch(/^a: is required; b\.c: \S/);
    }
  });
});

describe('response cache: order, expiry and callers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('an answer expires at exactly ttl, and one produced again after expiry is the newest', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const cache = new ResponseCache<string>(30, 'public', 2);
    let produced = 0;
    const produce = (value: string) => async () => {
      produced += 1;
      return { value, keep: true };
    };
    await cache.get('a', produce('A1'));
    vi.setSystemTime(1_000_029);
    expect(await cache.get('a', produce('A-'))).toBe('A1');
    vi.setSystemTime(1_000_030);
    expect(await cache.get('a', produce('A2'))).toBe('A2');
    await cache.get('b', produce('B1'));
    vi.setSystemTime(1_000_061);
    // a (kept at 30) has expired, b (kept at 30) too: both produced again, a first.
    expect(await cache.get('a', produce('A3'))).toBe('A3');
    vi.setSystemTime(1_000_070);
    expect(await cache.get('b', produce('B2'))).toBe('B2');
    // a was produced again before b, so a third answer drops a, not b.
    await cache.get('c', produce('C1'));
    expect(await cache.get('b', produce('B-'))).toBe('B2');
    expect(await cache.get('a', produce('A4'))).toBe('A4');
    expect(produced).toBe(7);
  });

  it('an expired answer produced again moves behind the answers kept after it', async () => {
    vi.useFakeTimers({ now: 0 });
    const cache = new ResponseCache<string>(30, 'public', 2);
    const keep = (value: string) => async () => ({ value, keep: true });
    await cache.get('a', keep('A1'));
    vi.setSystemTime(20);
    await cache.get('b', keep('B1'));
    vi.setSystemTime(31);
    expect(await cache.get('a', keep('A2'))).toBe('A2');
    // Now b is the oldest: c drops it and a stays.
    await cache.get('c', keep('C1'));
    expect(await cache.get('a', keep('A-'))).toBe('A2');
    expect(await cache.get('b', keep('B2'))).toBe('B2');
  });

  it('keeps a thousand answers by default, dropping the oldest past that', async () => {
    const cache = new ResponseCache<number>(60_000, 'public');
    for (let i = 0; i < 1001; i++) await cache.get(`k${i}`, async () => ({ value: i, keep: true }));
    expect(await cache.get('k1', async () => ({ value: -1, keep: true }))).toBe(1);
    expect(await cache.get('k0', async () => ({ value: -1, keep: true }))).toBe(-1);
  });

  it('private answers outside a request are shared by the anonymous caller only', async () => {
    const cache = new ResponseCache<string>(60_000);
    expect(await cache.get('k', async () => ({ value: 'anon', keep: true }))).toBe('anon');
    expect(await cache.get('k', async () => ({ value: 'again', keep: true }))).toBe('anon');
    expect(await requestContext.run({ gone: false, caller: 'alice' }, () => cache.get('k', async () => ({ value: 'alice', keep: true })))).toBe('alice');
  });

  it('a caller’s name and the key cannot run together', async () => {
    const cache = new ResponseCache<string>(60_000);
    const as = (caller: string, key: string, value: string) => requestContext.run({ gone: false, caller }, () => cache.get(key, async () => ({ value, keep: true })));
    expect(await as('a', 'bc', 'first')).toBe('first');
    expect(await as('ab', 'c', 'second')).toBe('second');
  });

  it('every credential header tells callers apart, and headers cannot run together', () => {
    expect(callerKey({ 'x-api-key': 'k1' }, '1.1.1.1')).not.toBe(callerKey({ 'x-api-key': 'k2' }, '1.1.1.1'));
    expect(callerKey({ cookie: 'a' }, '1.1.1.1')).not.toBe(callerKey({ cookie: 'b' }, '1.1.1.1'));
    expect(callerKey({ authorization: 'a', 'x-api-key': 'b' }, undefined)).not.toBe(callerKey({ authorization: 'ab' }, undefined));
    expect(callerKey({ 'x-api-key': 'a', cookie: 'b' }, undefined)).not.toBe(callerKey({ 'x-api-key': 'ab' }, undefined));
    // Without credentials the address decides; an address is not mistaken for a credential.
    expect(callerKey({}, '1.1.1.1')).not.toBe(callerKey({ authorization: '1.1.1.1' }, undefined));
    expect(callerKey({}, '1.1.1.1')).not.toBe(callerKey({ authorization: 'remote:1.1.1.1' }, undefined));
  });
});
