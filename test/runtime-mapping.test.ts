/**
 * The runtime's answer-shaping modules, in process: output mappings (templates/runtime/output.ts),
 * input checks (inputs.ts), mock answers (mock.ts), formats other than JSON (formats.ts, format-*.ts)
 * and orchestration (steps.ts). The e2e tests run the same code in generated projects (child
 * processes); these import it directly, so that mutation testing sees which test covers which line.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { convertResponse } from '../templates/runtime/formats.js';
import { fromCsv, fromPsv, fromTsv } from '../templates/runtime/format-csv.js';
import { htmlSelector } from '../templates/runtime/format-html.js';
import { markdownUnder } from '../templates/runtime/format-markdown.js';
import { fromXml } from '../templates/runtime/format-xml.js';
import { fromYaml } from '../templates/runtime/format-yaml.js';
import { checkInput, InvalidInputError } from '../templates/runtime/inputs.js';
import { fill, mockAnswer, record, toolJson } from '../templates/runtime/mock.js';
import { runWith } from '../templates/runtime/ops.js';
import { isIdentity, mapOutput, parseBody, select, type OutputSpec } from '../templates/runtime/output.js';
import { runSteps, type Step } from '../templates/runtime/steps.js';
import { RequestInputError, type UpstreamResponse } from '../templates/runtime/upstream.js';

const ALL = { all: true } as const;
const DOC = { id: 7, name: 'Ada', tags: ['a', 'b', 'c'], owner: { login: 'ada', id: 1 }, items: [{ sku: 'x', qty: 2 }, { sku: 'y' }], nothing: null };

describe('select (compiled JSONPath)', () => {
  const rows: Array<[string, Parameters<typeof select>[1], unknown]> = [
    ['no step is the root', [], DOC],
    ['a property', ['name'], 'Ada'],
    ['a nested property', ['owner', 'login'], 'ada'],
    ['a missing property is null', ['owner', 'email'], null],
    ['a property of a scalar is null', ['name', 'length'], null],
    ['a property of an array is null (no index by name)', ['tags', '0'], null],
    ['an inherited property is not selected', ['owner', 'toString'], null],
    ['an index', ['tags', 0], 'a'],
    ['a negative index counts from the end', ['tags', -1], 'c'],
    ['an index past the end is null', ['tags', 3], null],
    ['an index of an object is null', ['owner', 0], null],
    ['a null value is kept as null', ['nothing'], null],
    ['`*` of an array gives every element', ['tags', ALL], ['a', 'b', 'c']],
    ['`*` of an object gives every value', ['owner', ALL], ['ada', 1]],
    ['`*` of a scalar gives an empty list', ['name', ALL], []],
    ['`*` of null gives an empty list', ['nothing', ALL], []],
    ['`*` then a property skips elements without it', ['items', ALL, 'qty'], [2]],
    ['`*` then an index takes the index of each array', [ALL, 0], ['a', { sku: 'x', qty: 2 }]],
  ];
  it.each(rows)('%s', (_what, steps, want) => {
    expect(select(DOC, steps)).toEqual(want);
  });
});

describe('mapOutput', () => {
  const rows: Array<{ what: string; specs: OutputSpec[]; want: unknown }> = [
    { what: 'an object mapping `$` is the whole body', specs: [{ type: 'object', mapping: [] }], want: DOC },
    { what: 'a string property', specs: [{ type: 'string', mapping: ['name'] }], want: 'Ada' },
    { what: 'a string cut to maxLength', specs: [{ type: 'string', mapping: ['name'], maxLength: 2 }], want: 'Ad' },
    { what: 'maxLength leaves a number alone', specs: [{ type: 'number', mapping: ['id'], maxLength: 0 }], want: 7 },
    { what: 'a fixed value wins over the mapping', specs: [{ type: 'string', mapping: ['name'], value: 'fixed' }], want: 'fixed' },
    { what: 'a scalar without mapping gives nothing: the raw body is used', specs: [{ type: 'string' }], want: undefined },
    { what: 'an object without mapping nor properties is empty', specs: [{ type: 'object' }], want: {} },
    {
      what: 'object properties read from the root; a missing one is null',
      specs: [{ type: 'object', properties: { who: { type: 'string', mapping: ['owner', 'login'] }, mail: { type: 'string', mapping: ['owner', 'mail'] } } }],
      want: { who: 'ada', mail: null },
    },
    {
      what: 'a map (`values`) built from each value of the mapped object',
      specs: [{ type: 'object', mapping: ['owner'], values: { type: 'string', mapping: [] } }],
      want: { login: 'ada', id: 1 },
    },
    { what: 'a map of an array gives nothing', specs: [{ type: 'object', mapping: ['tags'], values: { type: 'string', mapping: [] } }], want: undefined },
    { what: 'a map of a scalar gives nothing', specs: [{ type: 'object', mapping: ['name'], values: { type: 'string', mapping: [] } }], want: undefined },
    { what: 'a map of null gives nothing', specs: [{ type: 'object', mapping: ['nothing'], values: { type: 'string', mapping: [] } }], want: undefined },
    { what: 'an array as it is', specs: [{ type: 'array', mapping: ['tags'] }], want: ['a', 'b', 'c'] },
    { what: 'an array whose items are plain keeps its elements', specs: [{ type: 'array', mapping: ['tags'], items: { type: 'string' } }], want: ['a', 'b', 'c'] },
    {
      what: 'array items with properties read each element',
      specs: [{ type: 'array', mapping: ['items'], items: { type: 'object', properties: { code: { type: 'string', mapping: ['sku'] } } } }],
      want: [{ code: 'x' }, { code: 'y' }],
    },
    { what: 'array items with a mapping read each element', specs: [{ type: 'array', mapping: ['items'], items: { type: 'string', mapping: ['sku'] } }], want: ['x', 'y'] },
    { what: 'an array mapping a non-array gives nothing', specs: [{ type: 'array', mapping: ['owner'] }], want: undefined },
    { what: 'the first output with a value wins', specs: [{ type: 'string', mapping: ['nope'] }, { type: 'string', mapping: ['name'] }], want: 'Ada' },
    { what: 'no output with a value gives undefined', specs: [{ type: 'string', mapping: ['nope'] }], want: undefined },
  ];
  it.each(rows)('$what', ({ specs, want }) => {
    expect(mapOutput(specs, DOC)).toEqual(want);
  });

  it('an array without mapping is the body itself when the body is an array', () => {
    expect(mapOutput([{ type: 'array' }], [1, 2])).toEqual([1, 2]);
    expect(mapOutput([{ type: 'array' }], { a: 1 })).toBeUndefined();
  });
});

describe('isIdentity and parseBody', () => {
  it('only one object output mapping `$` with nothing else is the identity', () => {
    expect(isIdentity([{ type: 'object', mapping: [] }])).toBe(true);
    expect(isIdentity([])).toBe(false);
    expect(isIdentity([{ type: 'object', mapping: [] }, { type: 'object', mapping: [] }])).toBe(false);
    expect(isIdentity([{ type: 'array', mapping: [] }])).toBe(false);
    expect(isIdentity([{ type: 'object' }])).toBe(false);
    expect(isIdentity([{ type: 'object', mapping: ['a'] }])).toBe(false);
    expect(isIdentity([{ type: 'object', mapping: [], properties: {} }])).toBe(false);
    expect(isIdentity([{ type: 'object', mapping: [], values: { type: 'string' } }])).toBe(false);
  });

  it('parses JSON bodies only', () => {
    expect(parseBody('{"a":1}', undefined)).toEqual({ a: 1 });
    expect(parseBody('{"a":1}', 'application/problem+JSON')).toEqual({ a: 1 });
    expect(parseBody('{"a":1}', 'text/plain')).toBeUndefined();
    expect(parseBody('', 'application/json')).toBeUndefined();
    expect(parseBody('not json', 'application/json')).toBeUndefined();
  });
});

describe('checkInput', () => {
  const schema = z.object({ name: z.string(), count: z.number().int().optional(), tags: z.array(z.string()).optional() });

  it('returns the parsed value when it fits', () => {
    expect(checkInput(schema, { name: 'a', count: 2 })).toEqual({ name: 'a', count: 2 });
  });

  it('names every bad field, a missing one as required', () => {
    let error: unknown;
    try {
      checkInput(schema, { count: 1.5, tags: ['ok', 3] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const problems = (error as InvalidInputError).problems;
    expect(problems.map((p) => p.field).sort()).toEqual(['count', 'name', 'tags.1']);
    expect(problems.find((p) => p.field === 'name')!.problem).toBe('is required');
    expect(problems.find((p) => p.field === 'count')!.problem).not.toBe('is required');
    expect(problems.find((p) => p.field === 'tags.1')!.problem).not.toBe('is required');
    expect((error as Error).message).toContain('name: is required');
    expect((error as Error).message).toContain('; ');
  });

  it('a present but null field is not called missing', () => {
    const problems = (() => {
      try {
        checkInput(schema, { name: null });
      } catch (err) {
        return (err as InvalidInputError).problems;
      }
      return [];
    })();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.problem).not.toBe('is required');
  });

  it('a value that is not an object is named `(input)`', () => {
    try {
      checkInput(schema, 'text');
      expect.unreachable();
    } catch (err) {
      expect((err as InvalidInputError).problems[0]!.field).toBe('(input)');
      expect((err as InvalidInputError).problems[0]!.problem).not.toBe('is required');
    }
  });
});

describe('mock answers', () => {
  it('fills templates from the inputs: strings as they are, other values as JSON, missing ones empty', () => {
    const input = { id: 'S-1', n: 3, o: { k: [1] }, nil: null };
    expect(fill(['ship ', { variable: ['id'] }, '/', { variable: ['n'] }], input)).toBe('ship S-1/3');
    expect(fill([{ variable: ['o'] }], input)).toBe('{"k":[1]}');
    expect(fill(['[', { variable: ['missing'] }, { variable: ['nil'] }, ']'], input)).toBe('[]');
    expect(fill([{ variable: ['o', 'k', 0] }], input)).toBe('1');
  });

  it('builds nested objects whose keys may be any name', () => {
    const answer = mockAnswer({ __proto__: { template: ['p'] }, ship: { fields: { id: { template: [{ variable: ['id'] }] } } } } as never, { id: 'S' });
    expect(Object.getPrototypeOf(answer)).toBeNull();
    expect(JSON.stringify(answer)).toBe('{"ship":{"id":"S"}}');
    const r = record();
    Reflect.set(r, '__proto__', 1);
    expect(JSON.stringify(r)).toBe('{"__proto__":1}');
  });

  it('a JSON answer as a tool result carries the text and the object', () => {
    expect(toolJson({ a: 1 })).toEqual({ content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } });
  });
});

describe('formats', () => {
  const ok = (text: string): UpstreamResponse => ({ status: 200, contentType: 'text/csv', text });

  it('converts a successful answer to JSON', () => {
    const r = convertResponse(ok('a,b\n1,2\n'), { name: 'csv', convert: fromCsv });
    expect(r).toEqual({ status: 200, contentType: 'application/json', text: '[{"a":"1","b":"2"}]' });
  });

  it('a converter giving undefined gives JSON null', () => {
    expect(convertResponse(ok('x'), { name: 'x', convert: () => undefined }).text).toBe('null');
  });

  it('passes errors and empty answers on as they are', () => {
    const error = { status: 404, contentType: 'text/plain', text: 'a,b' };
    expect(convertResponse(error, { name: 'csv', convert: fromCsv })).toBe(error);
    const empty = ok('');
    expect(convertResponse(empty, { name: 'csv', convert: fromCsv })).toBe(empty);
    const almost = { status: 399, contentType: 'text/csv', text: 'a\n1' };
    expect(convertResponse(almost, { name: 'csv', convert: fromCsv }).status).toBe(399);
    expect(convertResponse(almost, { name: 'csv', convert: fromCsv }).text).toBe('[{"a":"1"}]');
  });

  it('an answer not in the format is a 502 that names the format, never the text', () => {
    const r = convertResponse(ok('<secret-text'), { name: 'xml', convert: fromXml });
    expect(r.status).toBe(502);
    expect(r.contentType).toBe('application/json');
    expect(JSON.parse(r.text)).toEqual({ error: 'upstream_format', message: 'The upstream answer is not valid xml.' });
  });

  it('delimited text: header columns, empty lines skipped, short rows allowed, BOM dropped', () => {
    expect(fromCsv('\uFEFFid,name\n1,Ada\n\n2\n')).toEqual([{ id: '1', name: 'Ada' }, { id: '2' }]);
    expect(fromTsv('id\tname\n1\tA,B\n')).toEqual([{ id: '1', name: 'A,B' }]);
    expect(fromPsv('id|name\n1|Ada\n')).toEqual([{ id: '1', name: 'Ada' }]);
  });

  it('XML: children as keys, repeats as arrays, attributes as keys, values as strings', () => {
    expect(fromXml('<?xml version="1.0"?><ship id="7"><name>Ada &amp; co</name><crew> 3 </crew><crew>4</crew></ship>')).toEqual({
      id: '7',
      name: 'Ada & co',
      crew: ['3', '4'],
    });
    expect(() => fromXml('<a><b></a>')).toThrow();
  });

  it('YAML', () => {
    expect(fromYaml('a: 1\nb: [x]\n')).toEqual({ a: 1, b: ['x'] });
  });

  it('HTML: tables as rows keyed by header cells, other elements as their text', () => {
    const page = `<div class="t"><table><tr><th>Name</th><th>Flag</th></tr><tr><td> Ada\n  Star </td><td>NO</td><td>extra</td></tr></table></div>
      <p class="x">Hello   <b>world</b></p><table><tr><td>k</td></tr><tr><td>v</td></tr></table>`;
    expect(htmlSelector(undefined)(page)).toEqual([[{ Name: 'Ada Star', Flag: 'NO', 2: 'extra' }], [{ k: 'v' }]]);
    expect(htmlSelector('div.t')(page)).toEqual([[{ Name: 'Ada Star', Flag: 'NO', 2: 'extra' }]]);
    expect(htmlSelector('p.x')(page)).toEqual(['Hello world']);
    expect(htmlSelector('table')('<table></table>')).toEqual([[]]);
  });

  it('Markdown: sections and tables, or only what is under a heading', () => {
    const doc = 'Intro text\n\n# Ships\n\nThe fleet.\n\nMore.\n\n## Results\n\n| id | name |\n| - | - |\n| 1 | Ada |\n\nAfter.\n\n# Other\n\nElse\n';
    const whole = markdownUnder(undefined)(doc) as { sections: unknown[]; tables: unknown[] };
    expect(whole.sections).toEqual([
      { heading: '', level: 0, text: 'Intro text' },
      { heading: 'Ships', level: 1, text: 'The fleet.\n\nMore.' },
      { heading: 'Results', level: 2, text: 'After.' },
      { heading: 'Other', level: 1, text: 'Else' },
    ]);
    expect(whole.tables).toEqual([[{ id: '1', name: 'Ada' }]]);
    expect(markdownUnder('## Res')(doc)).toEqual({ sections: [{ heading: 'Results', level: 2, text: 'After.' }], tables: [[{ id: '1', name: 'Ada' }]] });
    expect(markdownUnder('# Res')(doc)).toBeNull();
    expect(markdownUnder('Ships')(doc)).toEqual({
      sections: [
        { heading: 'Ships', level: 1, text: 'The fleet.\n\nMore.' },
        { heading: 'Results', level: 2, text: 'After.' },
      ],
      tables: [[{ id: '1', name: 'Ada' }]],
    });
    expect(markdownUnder('Other')(doc)).toEqual({ sections: [{ heading: 'Other', level: 1, text: 'Else' }], tables: [] });
    expect(markdownUnder('Missing')(doc)).toBeNull();
  });
});

describe('runSteps', () => {
  const json = (value: unknown): UpstreamResponse => ({ status: 200, contentType: 'application/json', text: JSON.stringify(value) });

  it('calls in order, passing values through the variables, and maps the answer', async () => {
    const sent: unknown[] = [];
    const steps: Step[] = [
      {
        kind: 'call',
        name: 'get-ship',
        with: { imo: { variable: 'imo_number' }, label: { template: ['ship-', { variable: ['imo_number'] }] }, absent: { variable: 'nope' } },
        parameters: [{ name: 'imo' }, { name: 'label' }, { name: 'fixed', value: { literal: 'F' } }, { name: 'absent' }],
        outputs: {},
        send: async (args) => {
          sent.push({ ...args });
          return json({ imo: args.imo, crewIds: ['c1', 'c3'], flag: 'NO' });
        },
      },
      {
        kind: 'call',
        name: 'crew',
        with: {},
        parameters: [{ name: 'flag', value: { template: [{ variable: ['get-ship', 'flag'] }] } }],
        outputs: { who: ['name'] },
        send: async (args) => {
          sent.push({ ...args });
          return json([{ id: 'c1', name: 'Ann' }, { id: 'c2', name: 'Bo' }, { id: 'c3', name: 'Cy' }, 'odd']);
        },
      },
      { kind: 'lookup', name: 'found', index: 'crew', match: 'id', value: { path: ['get-ship', 'crewIds'] }, fields: ['who', 'rank'] },
      { kind: 'lookup', name: 'one', index: 'crew', match: 'id', value: { template: ['c2'] }, fields: ['id'] },
      { kind: 'lookup', name: 'none', index: 'crew', match: 'id', value: { template: ['c9'] }, fields: ['id'] },
      { kind: 'lookup', name: 'nowhere', index: 'missing', match: 'id', value: { template: ['c1'] }, fields: ['id'] },
    ];
    const outcome = await runSteps(
      steps,
      [
        { target: ['ship', 'imo'], source: ['get-ship', 'imo'] },
        { target: ['ship', 'crew'], source: ['found'] },
        { target: ['second'], source: ['one', 'id'] },
        { target: ['gone'], source: ['none'] },
        { target: ['gone2'], source: ['nowhere'] },
      ],
      { imo_number: 'IMO-1' },
    );
    expect(sent).toEqual([{ imo: 'IMO-1', label: 'ship-IMO-1', fixed: 'F' }, { flag: 'NO' }]);
    expect(JSON.parse(JSON.stringify(outcome))).toEqual({
      mapped: { ship: { imo: 'IMO-1', crew: [{ who: 'Ann', rank: null }, { who: 'Cy', rank: null }] }, second: 'c2' },
    });
  });

  it('a step `with` value replaces the parameter’s own value; scripts read the variables', async () => {
    const sent: unknown[] = [];
    const outcome = await runSteps(
      [
        { kind: 'script', name: 'calc', with: { x: { literal: 2 } }, run: (ctx) => (ctx.x as number) * (ctx.y as number) },
        {
          kind: 'call',
          name: 'c',
          with: { p: { variable: 'calc' } },
          parameters: [{ name: 'p', value: { literal: 'own' } }],
          outputs: { first: [0] },
          send: async (args) => {
            sent.push({ ...args });
            return json({ a: 1 });
          },
        },
      ],
      [{ target: ['result'], source: ['c'] }],
      { y: 21 },
    );
    expect(sent).toEqual([{ p: 42 }]);
    expect(JSON.parse(JSON.stringify(outcome))).toEqual({ mapped: { result: { a: 1, first: null } } });
  });

  it('keeps a scalar answer’s outputs as an object; without mappings the last answer goes on', async () => {
    const last = json(5);
    const outcome = await runSteps(
      [{ kind: 'call', name: 's', with: {}, parameters: [], outputs: { v: [] }, send: async () => last }],
      [{ target: ['x'], source: ['missing'] }],
      {},
    );
    expect(outcome).toEqual({ last });
    const noMappings = await runSteps([{ kind: 'call', name: 's', with: {}, parameters: [], outputs: {}, send: async () => last }], [], {});
    expect(noMappings).toEqual({ last });
  });

  it('a mapping into a path whose parent is a value replaces it with an object', async () => {
    const outcome = await runSteps([], [{ target: ['a'], source: ['x'] }, { target: ['a', 'b'], source: ['y'] }, { target: ['c', 'd', 'e'], source: ['x'] }], { x: 1, y: 2 });
    expect(JSON.parse(JSON.stringify(outcome))).toEqual({ mapped: { a: { b: 2 }, c: { d: { e: 1 } } } });
  });

  it('a non-JSON answer leaves the variable unset', async () => {
    const outcome = await runSteps(
      [{ kind: 'call', name: 's', with: {}, parameters: [], outputs: {}, send: async () => ({ status: 200, contentType: 'text/plain', text: 'hi' }) }],
      [{ target: ['x'], source: ['s'] }],
      { s: 'seed' },
    );
    expect(JSON.parse(JSON.stringify(outcome))).toEqual({ mapped: { x: 'seed' } });
  });

  it('an unresolved call is refused as the caller’s problem, before any call', async () => {
    let called = false;
    const run = runSteps(
      [
        { kind: 'unresolved', name: 'bad', call: 'nowhere.op' },
        { kind: 'call', name: 'c', with: {}, parameters: [], outputs: {}, send: async () => {
          called = true;
          return json(1);
        } },
      ],
      [],
      {},
    );
    await expect(run).rejects.toThrow(RequestInputError);
    await expect(run).rejects.toThrow('Invalid call format: nowhere.op');
    expect(called).toBe(false);
  });

  it('each call runs with the request that started the steps', async () => {
    const ctx = { gone: false };
    const seen: unknown[] = [];
    const { currentRequest } = await import('../templates/runtime/ops.js');
    await runWith(ctx, () =>
      runSteps(
        [
          {
            kind: 'call',
            name: 'c',
            with: {},
            parameters: [],
            outputs: {},
            send: async () => {
              seen.push(currentRequest());
              return json(1);
            },
          },
          {
            kind: 'call',
            name: 'd',
            with: {},
            parameters: [],
            outputs: {},
            send: async () => {
              seen.push(currentRequest());
              return json(2);
            },
          },
        ],
        [],
        {},
      ),
    );
    expect(seen).toEqual([ctx, ctx]);
  });
});
