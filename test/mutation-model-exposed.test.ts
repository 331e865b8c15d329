/**
 * Exposed REST operations and MCP tools that `call` a consumed operation (src/model/bind-call.ts,
 * transform-exposed.ts, input-usage.ts): which inputs the route or tool takes, where a REST request
 * carries each, where every consumed parameter gets its value, and the findings, given and wanted.
 */
import { describe, expect, it } from 'vitest';
import { API_HEAD, BOUND_TOKEN_AND_SECRET, cap, modelOf } from './helpers/model-build.js';
import type { ExposedInput, McpTool, RestOperation } from '../src/model/types.js';

const HEAD = BOUND_TOKEN_AND_SECRET;

const CONSUMES = [
  ...API_HEAD,
  '      - name: items',
  '        path: /items/{itemId}',
  '        operations:',
  '          - name: get-item',
  '            method: GET',
  '            inputParameters: [{ name: limit, in: query, type: integer, description: How many. }, { name: X-Tenant, in: header }, { name: HOME, in: environment }]',
  '          - name: put-item',
  '            method: PUT',
  '            inputParameters: [{ name: payload, in: body }]',
  '          - name: tagged',
  '            method: POST',
  "            inputParameters: [{ name: uid, in: query, value: '{{userId}}' }, { name: fixed, in: query, value: abc }]",
  '          - name: two-bodies',
  '            method: POST',
  '            inputParameters: [{ name: a, in: body }, { name: b, in: body }]',
  '          - name: form',
  '            method: POST',
  '            inputParameters: [{ name: f, in: formData }]',
  '          - name: post-doc',
  '            method: POST',
  '            body: \'{"d": "{{doc}}"}\'',
  '          - name: keyed',
  '            method: GET',
  "            inputParameters: [{ name: key, in: header, value: '{{env.TOKEN}}' }]",
  '          - name: echo',
  '            method: GET',
  "            inputParameters: [{ name: m, in: query, value: 'v{{n}}' }, { name: n, in: query, type: integer, required: true }]",
  '      - name: flat',
  '        path: /flat',
  '        operations:',
  '          - name: get-flat',
  '            method: GET',
  '            inputParameters: [{ name: q, in: query, required: true }]',
];

/** A REST adapter `rest-ns` with one resource; `lines` are its keys (path, operations) in YAML. */
function restCap(lines: string[], adapter: string[] = []): string {
  return cap([...CONSUMES, 'exposes:', '  - type: rest', '    namespace: rest-ns', '    port: 8080', ...adapter.map((l) => `    ${l}`), '    resources:', ...lines.map((l) => `      ${l}`)].join('\n'), HEAD);
}

/** A REST operation at `path` calling `call` with the given extra keys (flow style, one per line). */
function restOp(path: string, call: string, extra: string[] = []): string {
  return restCap([`- path: '${path}'`, '  name: things', '  operations:', '    - method: GET', '      name: op', `      call: ${call}`, ...extra.map((l) => `      ${l}`)]);
}

/** An MCP adapter `mcp-ns` with the given tools lines. */
function mcpCap(tools: string[], adapter: string[] = []): string {
  return cap([...CONSUMES, 'exposes:', '  - type: mcp', '    namespace: mcp-ns', ...adapter.map((l) => `    ${l}`), '    tools:', ...tools.map((l) => `      ${l}`)].join('\n'), HEAD);
}

function mcpTool(call: string, extra: string[] = []): string {
  return mcpCap(['- name: tool', '  description: A tool.', `  call: ${call}`, ...extra.map((l) => `  ${l}`)]);
}

const inputLine = (i: ExposedInput): string =>
  `${i.name}:${i.type}:${i.location}:${i.required ? 'required' : 'optional'}:${i.origin}${i.wholeBody ? ':whole' : ''}${i.bodyPath ? `:${i.bodyPath.join('.')}` : ''}`;
const argLines = (o: RestOperation | McpTool): string[] => o.call!.arguments.map((a) => `${a.parameter.name}<-${a.source === undefined ? 'nothing' : JSON.stringify(a.source)}`);

const restOf = (yaml: string) => {
  const built = modelOf(yaml);
  return { op: built.model.rest[0]!.operations[0]!, notes: built.notes, raw: built.raw, model: built.model };
};
const OP = 'capability/exposes/0/resources/0/operations/0';

describe('inferred inputs of a REST call', () => {
  it('exposed placeholders, then consumed parameters; the environment is not an input', () => {
    const { op, notes } = restOf(restOp('/things/{itemId}', 'api.get-item'));
    expect(op.inputs.map(inputLine)).toEqual(['itemId:string:path:required:exposed-path', 'limit:integer:query:optional:consumed-parameter', 'X-Tenant:string:header:optional:consumed-parameter']);
    expect(op.inputs[0]!.description).toBe('The {itemId} segment of /things/{itemId}.');
    expect(op.inputs[1]!.description).toBe('How many.');
    expect(op.inputs[2]).not.toHaveProperty('description');
    expect(argLines(op)).toEqual(['limit<-{"kind":"input","name":"limit"}', 'X-Tenant<-{"kind":"input","name":"X-Tenant"}', 'HOME<-nothing', 'itemId<-{"kind":"input","name":"itemId"}']);
    expect(op.handler).toEqual({ kind: 'call', call: op.call });
    expect(op.call!.operation.name).toBe('get-item');
    expect(notes).toEqual([]);
  });

  it('a consumed placeholder the exposed path lacks is a required query input', () => {
    const { op } = restOf(restOp('/things', 'api.get-item'));
    expect(op.inputs.map(inputLine)).toEqual(['itemId:string:query:required:consumed-path', 'limit:integer:query:optional:consumed-parameter', 'X-Tenant:string:header:optional:consumed-parameter']);
    expect(op.inputs[0]!.description).toBe('The {itemId} segment of /items/{itemId} in the consumed API.');
  });

  it('a body parameter is the whole JSON body; a form field is a body input', () => {
    const put = restOf(restOp('/things/{itemId}', 'api.put-item')).op;
    expect(put.inputs.map(inputLine)).toEqual(['itemId:string:path:required:exposed-path', 'payload:object:body:optional:consumed-parameter:whole']);
    const two = restOf(restOp('/things/{itemId}', 'api.two-bodies')).op;
    expect(two.inputs.map(inputLine)).toEqual(['itemId:string:path:required:exposed-path', 'a:object:body:optional:consumed-parameter', 'b:object:body:optional:consumed-parameter']);
    const form = restOf(restOp('/things/{itemId}', 'api.form')).op;
    expect(form.inputs.map(inputLine)).toEqual(['itemId:string:path:required:exposed-path', 'f:string:body:optional:consumed-parameter']);
  });

  it('a body input fed through a template is not the whole body', () => {
    const { op } = restOf(restOp('/things/{itemId}', 'api.put-item', ["with: { payload: 'x{{rest.doc}}' }"]));
    expect(op.inputs.map(inputLine)).toEqual(['itemId:string:path:required:exposed-path', 'doc:string:query:optional:with']);
  });

  it("a consumed parameter's own value: fixed, or a template naming an input", () => {
    const { op } = restOf(restOp('/things/{itemId}', 'api.tagged'));
    expect(op.inputs.map(inputLine)).toEqual(['itemId:string:path:required:exposed-path', 'userId:string:query:optional:with']);
    expect(argLines(op)).toEqual([
      'uid<-{"kind":"template","parts":[{"kind":"input","name":"userId"}]}',
      'fixed<-{"kind":"literal","value":"abc"}',
      'itemId<-{"kind":"input","name":"itemId"}',
    ]);
  });

  it('a value template naming a declared input uses it', () => {
    const { op } = restOf(restOp('/things/{itemId}', 'api.tagged', ['inputParameters: [{ name: userid, in: header, type: string, description: U }]']));
    expect(op.inputs.map(inputLine)).toEqual(['userid:string:header:optional:declared', 'itemId:string:path:required:exposed-path']);
    expect(argLines(op)[0]).toBe('uid<-{"kind":"template","parts":[{"kind":"input","name":"userid"}]}');
  });
});

describe('declared inputs', () => {
  it('keep their type, place, description and constraints; requirement defaults by place', () => {
    const { op } = restOf(
      restOp('/things/{itemId}', 'api.get-item', [
        'inputParameters:',
        '  - { name: itemId, type: string, description: The item. }',
        '  - { name: lim, in: query, type: integer, description: Limit., required: true, minimum: 1, maximum: 9, enum: [1, 2], default: 1, pattern: "^[0-9]+$", format: int32, minLength: 1, maxLength: 2, minItems: 0, maxItems: 3, items: { type: string } }',
        '  - { name: h, in: header, type: string, description: H. }',
        '  - { name: p, in: path, type: string, description: P. }',
        '  - { name: plain, type: boolean, description: "" }',
        'with: { limit: rest.lim, X-Tenant: rest.h }',
      ]),
    );
    expect(op.inputs.map(inputLine)).toEqual(['itemId:string:path:required:declared', 'lim:integer:query:required:declared', 'h:string:header:optional:declared', 'p:string:path:required:declared', 'plain:boolean:query:optional:declared']);
    expect(op.inputs[1]!.constraints).toEqual({ pattern: '^[0-9]+$', enum: [1, 2], default: 1, format: 'int32', minimum: 1, maximum: 9, minLength: 1, maxLength: 2, minItems: 0, maxItems: 3, items: { type: 'string' } });
    expect(op.inputs[0]).not.toHaveProperty('constraints');
    expect(op.inputs[0]!.description).toBe('The item.');
    expect(op.inputs[4]).not.toHaveProperty('description');
    expect(argLines(op).slice(0, 2)).toEqual(['limit<-{"kind":"input","name":"lim"}', 'X-Tenant<-{"kind":"input","name":"h"}']);
  });

  const bodyPaths: Array<[string, string]> = [
    ["{ name: id, in: body, type: string, description: I, value: '$.user.id' }", 'id:string:body:optional:declared:user.id'],
    ["{ name: id, type: string, description: I, value: '$.tags[0]' }", 'id:string:query:optional:declared:tags.0'],
    ["{ name: id, in: body, type: string, description: I, value: '$.items[*].id' }", 'id:string:body:optional:declared'],
    ["{ name: id, in: body, type: string, description: I, value: 'user.id' }", 'id:string:body:optional:declared'],
    ["{ name: id, in: query, type: string, description: I, value: '$.user.id' }", 'id:string:query:optional:declared'],
    ["{ name: id, in: body, type: string, description: I, value: '$..id' }", 'id:string:body:optional:declared'],
  ];
  it.each(bodyPaths)('body path of %s', (input, want) => {
    const { op } = restOf(restOp('/flat', 'api.get-flat', [`inputParameters: [${input}]`, "with: { q: '{{rest.id}}' }"]));
    expect(inputLine(op.inputs[0]!)).toBe(want);
  });

  it('a declared body input that alone feeds the body parameter is the whole body', () => {
    const { op } = restOf(restOp('/things/{itemId}', 'api.put-item', ['inputParameters: [{ name: payload, in: body, type: object, description: P }]']));
    expect(op.inputs.map(inputLine)).toEqual(['payload:object:body:optional:declared:whole', 'itemId:string:path:required:exposed-path']);
  });

  it('resource-level inputs come first', () => {
    const yaml = restCap(['- path: /flat', '  name: things', '  inputParameters: [{ name: q, in: query, type: string, description: Q }]', '  operations:', '    - method: GET', '      call: api.get-flat']);
    const { op, notes } = restOf(yaml);
    expect(op.inputs.map(inputLine)).toEqual(['q:string:query:optional:declared']);
    expect(notes).toEqual([]);
  });
});

describe('with', () => {
  const rows: Array<[string, string, string[], string[]]> = [
    ['a number', 'with: { q: 5 }', ['q<-{"kind":"literal","value":5}'], []],
    ['a boolean', 'with: { q: false }', ['q<-{"kind":"literal","value":false}'], []],
    ['plain text', 'with: { q: abc }', ['q<-{"kind":"literal","value":"abc"}'], []],
    ['text with a dot', 'with: { q: a.b }', ['q<-{"kind":"literal","value":"a.b"}'], []],
    ['a leading dot', 'with: { q: .b }', ['q<-{"kind":"literal","value":".b"}'], []],
    ['rest.x', 'with: { q: rest.search }', ['q<-{"kind":"input","name":"search"}'], ['search:string:query:required:with']],
    ['adapter.x', 'with: { q: rest-ns.search }', ['q<-{"kind":"input","name":"search"}'], ['search:string:query:required:with']],
    ['tools.x on REST', 'with: { q: tools.search }', ['q<-{"kind":"literal","value":"tools.search"}'], []],
    ['a template of an input', "with: { q: 'a-{{rest.search}}' }", ['q<-{"kind":"template","parts":[{"kind":"text","text":"a-"},{"kind":"input","name":"search"}]}'], ['search:string:query:optional:with']],
    ['a template of a bare name', "with: { q: '{{search}}' }", ['q<-{"kind":"template","parts":[{"kind":"input","name":"search"}]}'], ['search:string:query:optional:with']],
    ['a dotted reference with braces', "with: { q: 'rest.{{search}}' }", ['q<-{"kind":"template","parts":[{"kind":"text","text":"rest."},{"kind":"input","name":"search"}]}'], ['search:string:query:optional:with']],
    ['a template of a secret', "with: { q: 'k {{env.TOKEN}}' }", ['q<-{"kind":"template","parts":[{"kind":"text","text":"k "},{"kind":"secret","variable":"TOKEN"}]}'], []],
    ['a template of a bound name', "with: { q: '{{SECRET}}' }", ['q<-{"kind":"template","parts":[{"kind":"secret","variable":"SECRET"}]}'], []],
  ];
  it.each(rows)('%s', (_, line, wantArgs, wantInputs) => {
    const { op, notes } = restOf(restOp('/flat', 'api.get-flat', [line]));
    expect(argLines(op)).toEqual(wantArgs);
    expect(op.inputs.map(inputLine)).toEqual(wantInputs);
    expect(notes).toEqual([]);
  });

  it('a with key that is no parameter is a value of nothing; its reference still makes an input', () => {
    const { op } = restOf(restOp('/flat', 'api.get-flat', ['with: { other: rest.zzz, q: rest.q }']));
    expect(op.inputs.map(inputLine)).toEqual(['zzz:string:query:optional:with', 'q:string:query:required:with']);
  });

  it('an input referenced twice is one input', () => {
    const { op } = restOf(restOp('/things/{itemId}', 'api.get-item', ['with: { limit: rest.x, X-Tenant: rest.x }']));
    expect(op.inputs.map(inputLine)).toEqual(['itemId:string:path:required:exposed-path', 'x:integer:query:optional:with']);
  });

  it('an input feeding a header from with is a header input', () => {
    const { op } = restOf(restOp('/things/{itemId}', 'api.get-item', ['with: { X-Tenant: rest.tenant }']));
    expect(op.inputs.map(inputLine)).toContain('tenant:string:header:optional:with');
  });

  it('a with reference to an exposed placeholder is a path input', () => {
    const { op } = restOf(restOp('/flat/{search}', 'api.get-flat', ['with: { q: rest.search }']));
    expect(op.inputs.map(inputLine)).toEqual(['search:string:path:required:exposed-path']);
  });

  it('an unbound secret in with is an error at the with key', () => {
    const { notes, raw } = restOf(restOp('/flat', 'api.get-flat', ["with: { q: '{{vault.NOPE}}' }"]));
    expect(notes).toEqual([`error template-variable-unbound ${OP}/with/q`]);
    expect(raw[0]!.message).toContain('`NOPE`');
    expect(raw[0]!.hint).toContain('`NOPE`');
  });
});

describe('names that match only loosely (D5)', () => {
  it('a with reference to a declared input in another case', () => {
    const { op, notes, raw } = restOf(restOp('/flat', 'api.get-flat', ['inputParameters: [{ name: Search, in: query, type: string, description: S }]', 'with: { q: rest.search }']));
    expect(argLines(op)).toEqual(['q<-{"kind":"input","name":"Search"}']);
    expect(notes).toEqual([`warning name-case-mismatch ${OP}/with/q`]);
    expect(raw[0]!.message).toBe('The `with` reference `search` matches `Search` only when case and separators are ignored; naftiko-gen treats them as the same name.');
    expect(raw[0]!.hint).toBe('Spell both sides the same (`Search`) to silence this warning.');
  });

  it('a with key in another case than the parameter', () => {
    const { op, notes, raw } = restOf(restOp('/flat', 'api.get-flat', ['with: { Q: 1 }']));
    expect(argLines(op)).toEqual(['q<-{"kind":"literal","value":1}']);
    expect(notes).toEqual([`warning name-case-mismatch ${OP}/with/Q (key)`]);
    expect(raw[0]!.message).toContain('The `with` key `Q` matches `q`');
  });

  it('a placeholder filled from an input spelt with separators', () => {
    const { op, notes, raw } = restOf(restOp('/flat', 'api.get-item', ['inputParameters: [{ name: item_id, in: query, type: string, description: I }]']));
    expect(argLines(op)[3]).toBe('itemId<-{"kind":"input","name":"item_id"}');
    expect(notes).toEqual([`warning name-case-mismatch ${OP}/call`]);
    expect(raw[0]!.message).toBe('The consumed path placeholder `itemId` is filled from the input `item_id`, whose name differs only in case or separators.');
  });

  it('a parameter filled from an input in another case', () => {
    const { notes, raw } = restOf(restOp('/things/{itemId}', 'api.get-item', ['inputParameters: [{ name: LIMIT, in: query, type: integer, description: L }]']));
    expect(notes).toEqual([`warning name-case-mismatch ${OP}/call`]);
    expect(raw[0]!.message).toContain('The consumed parameter `limit` is filled from the input `LIMIT`');
  });

  it('two inputs matching in another case are ambiguous: a new input is made', () => {
    const { op, notes } = restOf(
      restOp('/things/{itemId}', 'api.get-item', ['inputParameters: [{ name: LIMIT, in: query, type: integer, description: L }, { name: Limit, in: query, type: integer, description: L }]', 'with: { limit: rest.LIMIT, X-Tenant: rest.Limit }']),
    );
    expect(op.inputs.map((i) => i.name)).toEqual(['LIMIT', 'Limit', 'itemId']);
    expect(notes).toEqual([]);
    const amb = restOf(restOp('/flat', 'api.get-flat', ['inputParameters: [{ name: Q, in: query, type: string, description: Q }, { name: q_, in: query, type: string, description: Q }]'])).op;
    expect(argLines(amb)).toEqual(['q<-{"kind":"input","name":"Q"}']);
  });

  it('separators alone: only a unique match counts', () => {
    const { op } = restOf(restOp('/flat', 'api.get-flat', ['inputParameters: [{ name: x-q, in: query, type: string, description: X }, { name: x_q, in: query, type: string, description: X }]', 'with: { q: rest.xq }']));
    expect(op.inputs.map((i) => i.name)).toEqual(['x-q', 'x_q', 'xq']);
  });
});

describe('input usage', () => {
  it('a declared input nothing uses', () => {
    const { notes, raw } = restOf(restOp('/flat', 'api.get-flat', ['inputParameters: [{ name: q, in: query, type: string, description: Q }, { name: extra, in: query, type: string, description: E }]']));
    expect(notes).toEqual([`warning input-unused ${OP}/inputParameters/1`]);
    expect(raw[0]!.message).toBe('The declared input `extra` is accepted but nothing uses it: no consumed parameter of `api.get-flat` takes its value.');
    expect(raw[0]!.hint).toBe('Pass it on with `with: { <consumed parameter>: {{extra}} }`, or remove it.');
  });

  it('a resource-level input nothing uses is reported at the resource', () => {
    const yaml = restCap(['- path: /flat', '  name: things', '  inputParameters: [{ name: extra, in: query, type: string, description: E }]', '  operations:', '    - method: GET', '      call: api.get-flat']);
    expect(restOf(yaml).notes).toEqual(['warning input-unused capability/exposes/0/resources/0/inputParameters/0']);
  });

  it('used through a template counts as used', () => {
    const { notes } = restOf(restOp('/flat', 'api.get-flat', ['inputParameters: [{ name: term, in: query, type: string, description: T }]', "with: { q: 'x{{rest.term}}' }"]));
    expect(notes).toEqual([]);
  });

  it('a near miss of an unused declared input, inferred from with, is reported at the with key', () => {
    const { notes, raw } = restOf(restOp('/flat', 'api.get-flat', ['inputParameters: [{ name: query, in: query, type: string, description: Q }]', 'with: { q: rest.quer }']));
    expect(notes).toEqual([`warning input-near-miss ${OP}/with/q`]);
    expect(raw[0]!.message).toBe('The input `quer` is not declared, so it is added as a new input, while the declared input `query` goes unused. Did you mean `query`?');
    expect(raw[0]!.hint).toBe('Spell both the same: rename one to `query` or `quer`.');
  });

  it('a near miss inferred from a consumed parameter is reported at the declared input', () => {
    const { notes } = restOf(restOp('/things/{itemId}', 'api.get-item', ['inputParameters: [{ name: h, in: header, type: string, description: H }, { name: limt, in: query, type: integer, description: L }]', 'with: { X-Tenant: rest.h, Other: limitless }']));
    expect(notes).toEqual([`warning input-near-miss ${OP}/inputParameters/1`]);
  });

  it('a near miss of a used input is no near miss', () => {
    const { notes } = restOf(restOp('/things/{itemId}', 'api.get-item', ['inputParameters: [{ name: limt, in: query, type: integer, description: L }]', 'with: { X-Tenant: rest.limt }']));
    expect(notes).toEqual([]);
  });

  it('on MCP tools too, at the tool', () => {
    const built = modelOf(mcpTool('api.get-flat', ['inputParameters: [{ name: q, type: string, description: Q }, { name: extra, type: string, description: E }]']));
    expect(built.notes).toEqual(['warning input-unused capability/exposes/0/tools/0/inputParameters/1']);
  });
});

describe('REST operations', () => {
  it('name, method, path, description and tags', () => {
    const yaml = restCap([
      '- path: /things/{itemId}',
      '  name: things',
      '  description: The things.',
      '  operations:',
      '    - { method: GET, call: api.get-item }',
      '    - { method: PUT, name: put, description: Puts., call: api.put-item, tags: [a, b] }',
      '    - { method: POST, call: api.tagged, tags: [] }',
      '- path: /flat',
      '  operations:',
      '    - { method: GET, call: api.get-flat }',
    ]);
    const ops = modelOf(yaml).model.rest[0]!.operations;
    expect(ops.map((o) => [o.name, o.method, o.path, o.description, o.tags])).toEqual([
      ['get-things', 'GET', '/things/{itemId}', 'The things.', undefined],
      ['put', 'PUT', '/things/{itemId}', 'Puts.', ['a', 'b']],
      ['post-things', 'POST', '/things/{itemId}', 'The things.', undefined],
      ['get-/flat', 'GET', '/flat', undefined, undefined],
    ]);
    expect(ops[0]!.pathParts).toEqual([
      { kind: 'text', text: '/things/' },
      { kind: 'param', name: 'itemId' },
    ]);
    expect(ops[0]!.at).toEqual(['capability', 'exposes', 0, 'resources', 0, 'operations', 0]);
    expect(ops[3]).not.toHaveProperty('description');
    expect(ops[2]).not.toHaveProperty('tags');
  });

  it('a call to nothing is left out (the call-target rule reports it)', () => {
    const built = modelOf(restOp('/flat', 'api.nothing'));
    expect(built.model.rest[0]!.operations).toEqual([]);
    expect(modelOf(restOp('/flat', 'nope.get-flat')).model.rest[0]!.operations).toEqual([]);
  });

  it('call and steps: the REST operation runs its call', () => {
    const built = modelOf(restOp('/flat', 'api.get-flat', ['steps: [{ type: call, name: s, call: api.get-flat }]']));
    expect(built.model.rest[0]!.operations[0]!.handler.kind).toBe('call');
    expect(built.notes).toEqual([`warning construct-ignored ${OP}/steps (key)`]);
    expect(built.raw[0]!.message).toContain('a REST operation runs its `call` and the `steps` is ignored');
    expect(built.raw[0]!.hint).toBe('Remove `steps` to say what runs.');
  });

  const binaries: Array<[string, unknown]> = [
    ['responseBinary: { mediaType: image/png }', { mediaType: 'image/png' }],
    ['responseBinary: { mediaType: image/png, status: 201 }', { mediaType: 'image/png', status: 201 }],
    ['responseBinary: { status: 201 }', undefined],
    ["responses: { '200': { content: { application/json: {}, image/png: { binary: true } } } }", { mediaType: 'image/png', status: 200 }],
    ["responses: { '404': { content: { image/png: { binary: true } } }, '206': { content: { video/mp4: { binary: true } } } }", { mediaType: 'video/mp4', status: 206 }],
    ["responses: { '200': { content: { image/png: { binary: false } } } }", undefined],
    ["responses: { '2000': { content: { image/png: { binary: true } } } }", undefined],
    ["responses: { '200': { description: ok } }", undefined],
  ];
  it.each(binaries)('binary answer: %s', (line, want) => {
    const o = restOf(restOp('/flat', 'api.get-flat', [line])).op;
    expect(o.binaryResponse).toEqual(want);
  });

  it('the adapter: port, address, description; none when not written', () => {
    const a = modelOf(restCap(['- path: /flat', '  operations: [{ method: GET, call: api.get-flat }]'], ['address: 127.0.0.1', 'description: The REST side.'])).model.rest[0]!;
    expect(a).toMatchObject({ namespace: 'rest-ns', port: 8080, address: '127.0.0.1', description: 'The REST side.' });
    expect(a).not.toHaveProperty('forwards');
    expect(a).not.toHaveProperty('auth');
    const bare = modelOf(restCap(['- path: /flat', '  operations: [{ method: GET, call: api.get-flat }]'])).model.rest[0]!;
    expect(bare).not.toHaveProperty('address');
    expect(bare).not.toHaveProperty('description');
  });
});

describe('MCP tools that call', () => {
  it('declared inputs are required by default; inferred ones follow the consumed parameter', () => {
    const built = modelOf(mcpTool('api.get-item', ['inputParameters: [{ name: itemId, type: string, description: I }, { name: n, type: integer, description: N, required: false }]', 'with: { limit: tools.n }']));
    const tool = built.model.mcp[0]!.tools[0]!;
    expect(tool.inputs.map(inputLine)).toEqual(['itemId:string:query:required:declared', 'n:integer:query:optional:declared', 'X-Tenant:string:header:optional:consumed-parameter']);
    expect(argLines(tool)).toEqual(['limit<-{"kind":"input","name":"n"}', 'X-Tenant<-{"kind":"input","name":"X-Tenant"}', 'HOME<-nothing', 'itemId<-{"kind":"input","name":"itemId"}']);
    expect(tool.inputs.some((i) => i.wholeBody)).toBe(false);
    expect(built.notes).toEqual([]);
  });

  it('tools.x and the adapter namespace name inputs; rest.x does not', () => {
    const t = (w: string) => modelOf(mcpTool('api.get-flat', [`with: { q: ${w} }`])).model.mcp[0]!.tools[0]!;
    expect(argLines(t('tools.a'))).toEqual(['q<-{"kind":"input","name":"a"}']);
    expect(argLines(t('mcp-ns.a'))).toEqual(['q<-{"kind":"input","name":"a"}']);
    expect(argLines(t('rest.a'))).toEqual(['q<-{"kind":"literal","value":"rest.a"}']);
  });

  it('a whole body input stays a plain input on MCP', () => {
    const tool = modelOf(mcpTool('api.put-item')).model.mcp[0]!.tools[0]!;
    expect(tool.inputs.map(inputLine)).toEqual(['itemId:string:query:required:consumed-path', 'payload:object:body:optional:consumed-parameter']);
  });

  it('name, title, description, hints, tags', () => {
    const built = modelOf(
      mcpCap([
        '- { name: a, label: The A, description: Does a., call: api.get-flat, hints: { readOnly: true, openWorld: false }, tags: [x] }',
        '- { name: b, description: Does b., call: api.get-flat, tags: [] }',
      ]),
    );
    const [a, b] = built.model.mcp[0]!.tools;
    expect(a).toMatchObject({ name: 'a', declaredName: 'a', title: 'The A', description: 'Does a.', hints: { readOnly: true, openWorld: false }, tags: ['x'], at: ['capability', 'exposes', 0, 'tools', 0] });
    expect(b).not.toHaveProperty('title');
    expect(b).not.toHaveProperty('tags');
    expect(b!.hints).toEqual({});
  });

  it('a call to nothing leaves the tool out', () => {
    expect(modelOf(mcpTool('api.nothing')).model.mcp[0]!.tools).toEqual([]);
    expect(modelOf(mcpTool('api')).model.mcp[0]!.tools).toEqual([]);
  });

  it('call and steps: the MCP tool runs its steps', () => {
    const built = modelOf(mcpTool('api.get-flat', ['steps: [{ type: call, name: s, call: api.get-flat }]']));
    expect(built.model.mcp[0]!.tools[0]!.handler.kind).toBe('steps');
    expect(built.model.mcp[0]!.tools[0]).not.toHaveProperty('call');
    expect(built.notes).toEqual(['warning construct-ignored capability/exposes/0/tools/0/call (key)']);
    expect(built.raw[0]!.message).toContain('an MCP tool runs its `steps` and the `call` is ignored');
  });

  it('a near miss in with: reported with a loose match note at the tool', () => {
    const built = modelOf(mcpTool('api.get-flat', ['with: { Q: tools.q }']));
    expect(built.notes).toEqual(['warning name-case-mismatch capability/exposes/0/tools/0/with/Q (key)']);
  });

  const adapters: Array<[string[], Record<string, unknown>, string[]]> = [
    [[], { transport: 'http' }, []],
    [['transport: stdio'], { transport: 'stdio' }, []],
    [['port: 9000', 'address: 0.0.0.0', 'description: Tools.'], { transport: 'http', port: 9000, address: '0.0.0.0', description: 'Tools.' }, []],
    [['cacheScope: public'], { cacheHint: { cacheScope: 'public' } }, []],
    [['ttlMs: 0'], { cacheHint: { ttlMs: 0 } }, []],
    [['cacheScope: private', 'ttlMs: 5'], { cacheHint: { cacheScope: 'private', ttlMs: 5 } }, []],
    [["authentication: { type: bearer, token: '{{env.TOKEN}}' }"], { auth: { kind: 'bearer', token: [{ kind: 'secret', variable: 'TOKEN' }] } }, []],
    [['transport: stdio', "authentication: { type: bearer, token: '{{env.TOKEN}}' }"], { transport: 'stdio' }, ['warning mcp-auth-stdio-conflict capability/exposes/0/authentication (key)']],
  ];
  it.each(adapters)('adapter %j', (lines, want, wantNotes) => {
    const built = modelOf(mcpCap(['- { name: a, description: A, call: api.get-flat }'], lines));
    const a = built.model.mcp[0]!;
    expect(a).toMatchObject({ namespace: 'mcp-ns', ...want });
    for (const key of ['port', 'address', 'description', 'cacheHint', 'auth', 'resources', 'staticResources', 'prompts']) if (!(key in want)) expect(a).not.toHaveProperty(key);
    if (!('cacheHint' in want)) expect(a).not.toHaveProperty('cacheHint');
    else expect(a.cacheHint).toEqual(want.cacheHint);
    expect(built.notes).toEqual(wantNotes);
  });
});

describe('more ways a value reaches a consumed parameter', () => {
  it('a value of a body template is a body input on REST', () => {
    const { op } = restOf(restOp('/things/{itemId}', 'api.post-doc'));
    expect(op.inputs.map(inputLine)).toEqual(['itemId:string:path:required:exposed-path', 'doc:string:body:optional:consumed-parameter']);
  });

  it('a parameter whose value is a bound secret needs no input', () => {
    const { op } = restOf(restOp('/things/{itemId}', 'api.keyed'));
    expect(argLines(op)[0]).toBe('key<-{"kind":"template","parts":[{"kind":"secret","variable":"TOKEN"}]}');
    expect(op.inputs.map(inputLine)).toEqual(['itemId:string:path:required:exposed-path']);
  });

  it('an input named in with takes the type and description of the parameter of its name, and the place of what it feeds', () => {
    const { op } = restOf(restOp('/things/{itemId}', 'api.get-item', ['with: { X-Tenant: rest.limit }']));
    expect(op.inputs.map(inputLine)).toEqual(['itemId:string:path:required:exposed-path', 'limit:integer:header:optional:with']);
    expect(op.inputs[1]!.description).toBe('How many.');
    expect(argLines(op).slice(0, 2)).toEqual(['limit<-{"kind":"input","name":"limit"}', 'X-Tenant<-{"kind":"input","name":"limit"}']);
  });

  it('inputs of an item answered by a function are not reported unused at the item', () => {
    const agg = ['aggregates:', '  - namespace: agg', '    functions:', '      - { name: f, description: F, call: api.get-flat, with: { q: agg.q } }'];
    const yaml = cap(
      [
        ...CONSUMES,
        ...agg,
        'exposes:',
        '  - { type: rest, namespace: r, port: 1, resources: [{ path: /f, operations: [{ method: GET, ref: agg.f, inputParameters: [{ name: zz, in: query, type: string, description: Z }] }] }] }',
        '  - { type: mcp, namespace: m, tools: [{ ref: agg.f, inputParameters: [{ name: zz, type: string, description: Z }] }] }',
      ].join('\n'),
      HEAD,
    );
    const built = modelOf(yaml);
    expect(built.notes).toEqual([]);
    expect(built.model.rest[0]!.operations[0]!.inputs.map(inputLine)).toEqual(['zz:string:query:optional:declared', 'q:string:query:required:with']);
    expect(built.model.mcp[0]!.tools[0]!.inputs.map(inputLine)).toEqual(['zz:string:query:required:declared', 'q:string:query:required:with']);
  });

  it('a tool whose ref names nothing keeps the other tools their names', () => {
    const built = modelOf(mcpCap(['- { name: gone, description: G, ref: agg.none }', '- { name: kept, description: K, call: api.get-flat }']));
    expect(built.model.mcp[0]!.tools.map((t) => t.name)).toEqual(['kept']);
  });

  it('a REST operation with nothing to answer with is left out', () => {
    const built = modelOf(restCap(['- path: /flat', '  operations: [{ method: GET, name: nothing }, { method: PUT, call: api.get-flat }]']));
    expect(built.model.rest[0]!.operations.map((o) => o.method)).toEqual(['PUT']);
    expect(built.notes).toEqual([`warning construct-unsupported ${OP}`]);
  });
});

describe('survivors of bind-call and transform-exposed, killed', () => {
  it('a variable whose name only starts like a namespace is an input', () => {
    const { op } = restOf(restOp('/flat', 'api.get-flat', ["with: { q: '{{envX}}' }"]));
    expect(argLines(op)).toEqual(['q<-{"kind":"template","parts":[{"kind":"input","name":"envX"}]}']);
    const plain = restOf(restOp('/flat', 'api.get-flat', ['with: { q: rests }'])).op;
    expect(argLines(plain)).toEqual(['q<-{"kind":"literal","value":"rests"}']);
  });

  it("a parameter's value template with text names an input, typed as text, found loosely with a warning", () => {
    const { op } = restOf(restOp('/flat', 'api.echo'));
    expect(argLines(op)).toEqual(['m<-{"kind":"template","parts":[{"kind":"text","text":"v"},{"kind":"input","name":"n"}]}', 'n<-{"kind":"input","name":"n"}', 'itemId<-{"kind":"input","name":"itemId"}']);
    expect(op.inputs.map(inputLine)).toEqual(['itemId:string:query:required:consumed-path', 'n:string:query:optional:with']);
    const loose = restOf(restOp('/flat', 'api.tagged', ['inputParameters: [{ name: UserId, in: query, type: string, description: U }]']));
    expect(loose.notes).toEqual([`warning name-case-mismatch ${OP}/call`]);
    expect(loose.raw[0]!.message).toContain('The `with` reference `userId` matches `UserId`');
  });

  it('a query input feeding the body parameter is not the whole body', () => {
    const { op } = restOf(restOp('/things/{itemId}', 'api.put-item', ['inputParameters: [{ name: p, in: query, type: object, description: P }]', 'with: { payload: rest.p }']));
    expect(op.inputs.map(inputLine)).toEqual(['p:object:query:optional:declared', 'itemId:string:path:required:exposed-path']);
  });

  it('a declared input without a type is a string', () => {
    const { op } = restOf(restOp('/flat', 'api.get-flat', ['inputParameters: [{ name: q, in: query, description: Q }]']));
    expect(op.inputs.map(inputLine)).toEqual(['q:string:query:optional:declared']);
  });

  it('declared and path inputs are never near misses; only unused declared ones are reported', () => {
    const { notes } = restOf(restOp('/things/{itemId}', 'api.get-item', ['inputParameters: [{ name: limit, in: query, type: integer, description: L }, { name: limt, in: query, type: integer, description: L }, { name: itemI, in: query, type: string, description: I }]']));
    expect(notes).toEqual([`warning input-unused ${OP}/inputParameters/1`, `warning input-unused ${OP}/inputParameters/2`]);
  });

  it('a REST adapter without resources, and REST operations with steps, refs and outputs', () => {
    expect(modelOf(cap([...CONSUMES, 'exposes:', '  - { type: rest, namespace: r, port: 1 }'].join('\n'), HEAD)).model.rest[0]!.operations).toEqual([]);
    const yaml = restCap([
      '- path: /flat',
      '  operations:',
      "    - { method: GET, call: api.get-flat, outputParameters: [{ name: n, type: string, mapping: $.n }] }",
      '    - { method: POST, steps: [{ type: call, name: s, call: api.get-flat, with: { q: rest.q } }] }',
      '    - { method: PUT, ref: agg.nothing }',
    ]);
    const ops = modelOf(yaml).model.rest[0]!.operations;
    expect(ops.map((o) => o.method)).toEqual(['GET', 'POST']);
    expect(ops[0]!.output).toEqual({ parameters: [{ name: 'n', type: 'string', mapping: { source: '$.n', steps: ['n'] } }] });
    const step = ops[1]!.handler.kind === 'steps' ? ops[1]!.handler.steps[0] : undefined;
    expect(step?.kind === 'call' && step.with).toEqual([{ key: 'q', value: { kind: 'variable', name: 'q' } }]);
  });

  it('an MCP tool with steps and no inputs has none, and a tool without description has an empty one', () => {
    const built = modelOf(mcpCap(['- { name: s, description: S, steps: [{ type: call, name: x, call: api.get-flat }] }', '- { name: d, call: api.get-flat }']));
    const [s, d] = built.model.mcp[0]!.tools;
    expect(s!.inputs).toEqual([]);
    expect(d!.description).toBe('');
  });

  it('cache hints and binary answers carry only what is written', () => {
    const hint = (lines: string[]) => modelOf(mcpCap(['- { name: a, description: A, call: api.get-flat }'], lines)).model.mcp[0]!.cacheHint;
    expect(hint(['cacheScope: public'])).toStrictEqual({ cacheScope: 'public' });
    expect(hint(['ttlMs: 5'])).toStrictEqual({ ttlMs: 5 });
    const binary = (line: string) => restOf(restOp('/flat', 'api.get-flat', [line])).op.binaryResponse;
    expect(binary('responseBinary: { mediaType: image/png }')).toStrictEqual({ mediaType: 'image/png' });
    expect(binary("responses: { '1200': { content: { image/png: { binary: true } } } }")).toBeUndefined();
    expect(binary("responses: { '200': ~, '201': { content: { text/plain: ~, image/png: { binary: true } } } }")).toStrictEqual({ mediaType: 'image/png', status: 201 });
  });
});
