/**
 * The consumed API as the generated client will call it (src/model/transform-consumes.ts): base URI,
 * authentication kind and placement, each parameter's location, type, requirement and value, path
 * placeholders, fixed query and headers, answers' format, and the findings, given and wanted.
 */
import { describe, expect, it } from 'vitest';
import { cap, dedent, modelOf, notesOf } from './helpers/model-build.js';
import type { ConsumedApi, ConsumedOperation } from '../src/model/types.js';

const BINDS = `
binds:
  - namespace: env
    keys: { TOKEN: TOKEN, USER: USER, PASS: PASS }
  - namespace: vault
    keys: { SECRET: SECRET }`;

/** One consumed API `api`: `lines` are the YAML lines after its namespace (baseUri, authentication, resources). */
function consumes(lines: string | string[], head = BINDS): string {
  const body = Array.isArray(lines) ? lines : dedent(lines).split('\n');
  return cap(['consumes:', '  - type: http', '    namespace: api', ...body.map((l) => `    ${l}`)].join('\n'), head);
}

const api = (yaml: string): ConsumedApi => modelOf(yaml).model.consumes[0]!;
const op = (yaml: string, i = 0): ConsumedOperation => api(yaml).operations[i]!;
const params = (o: ConsumedOperation): string[] => o.parameters.map((p) => `${p.name}:${p.in}:${p.type}:${p.required ? 'required' : 'optional'}${p.untyped ? ':untyped' : ''}`);

/** One resource `res` at `path` with one operation `op` (GET unless `opLines` says otherwise); each line is one key in flow style. */
const oneOp = (path: string, opLines: string[] = [], resLines: string[] = [], apiLines: string[] = []): string =>
  consumes([
    'baseUri: https://api.test',
    ...apiLines,
    'resources:',
    '  - name: res',
    `    path: '${path}'`,
    ...resLines.map((l) => `    ${l}`),
    '    operations:',
    '      - name: op',
    ...(opLines.some((l) => l.startsWith('method:')) ? [] : ['        method: GET']),
    ...opLines.map((l) => `        ${l}`),
  ]);

describe('base URI', () => {
  const rows: Array<[string, string, string[], string[]]> = [
    ['https://api.test', 'https://api.test', [], []],
    ['https://api.test/', 'https://api.test', [], ['warning baseuri-trailing-slash capability/consumes/0/baseUri']],
    ['https://api.test/v1//', 'https://api.test/v1', [], ['warning baseuri-trailing-slash capability/consumes/0/baseUri']],
    ['https://{tenant}.api.test/{version}', 'https://{tenant}.api.test/{version}', ['tenant', 'version'], []],
  ];
  it.each(rows)('%s', (given, want, wantParams, wantNotes) => {
    const built = modelOf(consumes(`baseUri: '${given}'\nresources: []`));
    expect(built.model.consumes[0]!.baseUri).toBe(want);
    expect(built.model.consumes[0]!.baseUriParams).toEqual(wantParams);
    expect(built.notes).toEqual(wantNotes);
  });
  it('says which URI it uses', () => {
    const note = modelOf(consumes(`baseUri: 'https://api.test/'\nresources: []`)).raw[0]!;
    expect(note.message).toContain('naftiko-gen uses `https://api.test`');
    expect(note.hint).toBe('Write `baseUri: https://api.test`: resource paths start with `/`.');
  });
  it('keeps the namespace and description', () => {
    const a = api(consumes(`baseUri: https://api.test\ndescription: The API.\nresources: []`));
    expect(a).toMatchObject({ namespace: 'api', description: 'The API.', operations: [] });
    expect(api(consumes(`baseUri: https://api.test\nresources: []`))).not.toHaveProperty('description');
  });
});

describe('authentication', () => {
  const rows: Array<[string, string, unknown, string[]]> = [
    ['bearer from a bound secret', "{ type: bearer, token: 'Bearer {{env.TOKEN}}' }", { kind: 'bearer', token: [{ kind: 'text', text: 'Bearer ' }, { kind: 'secret', variable: 'TOKEN' }] }, []],
    ['bearer without a token', '{ type: bearer }', { kind: 'bearer', token: [] }, []],
    ['bearer from a bare bound name', "{ type: bearer, token: '{{TOKEN}}' }", { kind: 'bearer', token: [{ kind: 'secret', variable: 'TOKEN' }] }, []],
    ['bearer from another namespace', "{ type: bearer, token: '{{vault.SECRET}}' }", { kind: 'bearer', token: [{ kind: 'secret', variable: 'SECRET' }] }, []],
    [
      'bearer from an unbound secret',
      "{ type: bearer, token: '{{vault.NOPE}}' }",
      { kind: 'bearer', token: [{ kind: 'secret', variable: 'NOPE' }] },
      ['error template-variable-unbound capability/consumes/0/authentication/token'],
    ],
    ['bearer from a call parameter', "{ type: bearer, token: '{{tenant}}' }", { kind: 'bearer', token: [{ kind: 'parameter', name: 'tenant' }] }, []],
    [
      'basic',
      "{ type: basic, username: '{{env.USER}}', password: '{{env.PASS}}' }",
      { kind: 'basic', username: [{ kind: 'secret', variable: 'USER' }], password: [{ kind: 'secret', variable: 'PASS' }] },
      [],
    ],
    ['basic without values', '{ type: basic }', { kind: 'basic', username: [], password: [] }, []],
    ['apikey in a header by default', "{ type: apikey, key: X-Key, value: '{{env.TOKEN}}' }", { kind: 'apikey', key: 'X-Key', value: [{ kind: 'secret', variable: 'TOKEN' }], placement: 'header' }, []],
    ['apikey in the query', "{ type: apikey, key: k, value: 'v', placement: query }", { kind: 'apikey', key: 'k', value: [{ kind: 'text', text: 'v' }], placement: 'query' }, []],
    ['apikey without a key', '{ type: apikey }', { kind: 'apikey', key: '', value: [], placement: 'header' }, []],
    ['digest', "{ type: digest, username: u, password: '{{env.PASS}}' }", { kind: 'digest', username: [{ kind: 'text', text: 'u' }], password: [{ kind: 'secret', variable: 'PASS' }] }, []],
    ['digest from a call value', "{ type: digest, username: '{{user}}', password: p }", { kind: 'unsupported', type: 'digest' }, ['warning auth-unsupported capability/consumes/0/authentication']],
    ['digest password from a call value', "{ type: digest, username: u, password: '{{p}}' }", { kind: 'unsupported', type: 'digest' }, ['warning auth-unsupported capability/consumes/0/authentication']],
    [
      'oauth2 with every field',
      '{ type: oauth2, authorizationServerUri: https://id.test, tokenEndpoint: https://id.test/token, scopes: [a, b], audience: aud, resource: res }',
      { kind: 'oauth2', clientIdVariable: 'API_CLIENT_ID', clientSecretVariable: 'API_CLIENT_SECRET', issuer: 'https://id.test', tokenEndpoint: 'https://id.test/token', scopes: ['a', 'b'], audience: 'aud', resource: 'res' },
      [],
    ],
    ['oauth2 bare', '{ type: oauth2 }', { kind: 'oauth2', clientIdVariable: 'API_CLIENT_ID', clientSecretVariable: 'API_CLIENT_SECRET', issuer: '', scopes: [] }, []],
    ['an unknown kind', '{ type: hawk }', { kind: 'unsupported', type: 'hawk' }, ['warning auth-unsupported capability/consumes/0/authentication/type']],
  ];
  it.each(rows)('%s', (_, auth, want, wantNotes) => {
    const built = modelOf(consumes(`baseUri: https://api.test\nauthentication: ${auth}\nresources: []`));
    expect(built.model.consumes[0]!.authentication).toStrictEqual(want);
    expect(built.notes).toEqual(wantNotes);
  });
  it('none declared: none in the model', () => {
    expect(api(consumes('baseUri: https://api.test\nresources: []'))).not.toHaveProperty('authentication');
  });
  it('messages name the variable and the kind', () => {
    const unbound = modelOf(consumes("baseUri: https://api.test\nauthentication: { type: bearer, token: '{{vault.NOPE}}' }\nresources: []")).raw;
    expect(unbound.map((n) => n.message)).toEqual(['`{{vault.NOPE}}` refers to the variable `NOPE`, which no `binds` entry declares, so it would be sent empty.']);
    const hawk = modelOf(consumes('baseUri: https://api.test\nauthentication: { type: hawk }\nresources: []')).raw[0]!;
    expect(hawk.message).toContain('`hawk`');
    const digest = modelOf(consumes("baseUri: https://api.test\nauthentication: { type: digest, username: '{{u}}' }\nresources: []")).raw[0]!;
    expect(digest.message).toContain('Digest');
  });
  it('oauth2 client credentials become required secrets of the API, once, unless already bound', () => {
    const yaml = consumes('baseUri: https://api.test\nauthentication: { type: oauth2, authorizationServerUri: https://id.test }\nresources: []', 'binds:\n  - namespace: env\n    keys: { API_CLIENT_ID: MY_ID }');
    expect(modelOf(yaml).model.secrets).toEqual([
      { namespace: 'env', variable: 'API_CLIENT_ID', source: 'MY_ID' },
      { namespace: 'api', variable: 'API_CLIENT_SECRET', source: 'API_CLIENT_SECRET' },
    ]);
    expect(modelOf(consumes("baseUri: https://api.test\nauthentication: { type: bearer, token: '{{env.TOKEN}}' }\nresources: []")).model.secrets.map((s) => s.variable)).toEqual(['TOKEN', 'USER', 'PASS', 'SECRET']);
  });
});

describe('parameters', () => {
  it('take their type, requirement and description, with defaults by location', () => {
    const o = op(
      oneOp('/items/{id}', [
        'inputParameters: [{ name: id, in: path }, { name: q, in: query, description: The query. }, { name: n, in: query, type: number, required: true }, { name: doc, in: body }]',
      ]).replace(
        'in: body }]',
        'in: body }, { name: X-Trace, in: header }, { name: sid, in: cookie, required: false }, { name: HOME, in: environment }, { name: opt, in: path, required: false }]',
      ),
    );
    expect(params(o)).toEqual(['id:path:string:required', 'q:query:string:optional', 'n:query:number:required', 'doc:body:object:optional', 'X-Trace:header:string:optional', 'sid:cookie:string:optional', 'HOME:environment:string:optional', 'opt:path:string:optional']);
    expect(o.parameters[1]!.description).toBe('The query.');
    expect(o.parameters[0]).not.toHaveProperty('description');
    expect(o.parameters[0]).not.toHaveProperty('value');
  });

  it('later declarations of a name and location replace earlier ones: consumes, resource, operation', () => {
    const yaml = oneOp(
      '/x',
      ['inputParameters: [{ name: a, in: query, type: integer }]'],
      ['inputParameters: [{ name: a, in: query, type: number }, { name: b, in: header }]'],
      ['inputParameters: [{ name: a, in: query, type: boolean }, { name: a, in: header }, { name: b, in: header, type: integer }]'],
    );
    expect(params(op(yaml))).toEqual(['a:query:integer:optional', 'a:header:string:optional', 'b:header:string:optional']);
  });

  const values: Array<[string, unknown, string[]]> = [
    ['plain', { kind: 'literal', value: 'plain' }, []],
    ["'{{env.TOKEN}}'", { kind: 'template', parts: [{ kind: 'secret', variable: 'TOKEN' }] }, []],
    ["'id-{{userId}}'", { kind: 'template', parts: [{ kind: 'text', text: 'id-' }, { kind: 'parameter', name: 'userId' }] }, []],
    ["'{{env.MISSING}}'", { kind: 'template', parts: [{ kind: 'secret', variable: 'MISSING' }] }, []],
    ["'{{other.MISSING}}'", { kind: 'template', parts: [{ kind: 'parameter', name: 'other.MISSING' }] }, []],
    ["'{{vault.GONE}}'", { kind: 'template', parts: [{ kind: 'secret', variable: 'GONE' }] }, ['error template-variable-unbound capability/consumes/0/resources/0/operations/0/inputParameters/0/value']],
  ];
  it.each(values)('value %s', (value, want, wantNotes) => {
    const built = modelOf(oneOp('/x', [`inputParameters: [{ name: p, in: query, value: ${value} }]`]));
    expect(built.model.consumes[0]!.operations[0]!.parameters[0]!.value).toEqual(want);
    expect(built.notes).toEqual(wantNotes);
  });

  const names: Array<[string, string, string[]]> = [
    ['header', 'X-Api-Key', []],
    ['header', "'X Key'", ['error header-name-invalid capability/consumes/0/resources/0/operations/0/inputParameters/0/name']],
    ['cookie', "'a;b'", ['error header-name-invalid capability/consumes/0/resources/0/operations/0/inputParameters/0/name']],
    ['cookie', 'session_id', []],
    ['query', "'a b'", []],
  ];
  it.each(names)('%s name %s', (where, name, wantNotes) => {
    const built = modelOf(oneOp('/x', [`inputParameters: [{ name: ${name}, in: ${where} }]`]));
    expect(built.notes).toEqual(wantNotes);
    if (wantNotes.length) expect(built.raw[0]!.message).toContain(`as a ${where} name`);
  });
});

describe('paths', () => {
  it('undeclared placeholders become required string parameters after the declared ones', () => {
    const o = op(oneOp('/orgs/{org}/items/{{item}}', ['inputParameters: [{ name: q, in: query }]']));
    expect(params(o)).toEqual(['q:query:string:optional', 'org:path:string:required', 'item:path:string:required']);
    expect(o.pathParts).toEqual([
      { kind: 'text', text: '/orgs/' },
      { kind: 'param', name: 'org' },
      { kind: 'text', text: '/items/' },
      { kind: 'param', name: 'item' },
    ]);
    expect(o).toMatchObject({ namespace: 'api', name: 'op', method: 'GET', resourceName: 'res', path: '/orgs/{org}/items/{{item}}', fixedQuery: [], fixedHeaders: [], outputFormat: 'json' });
  });

  it('a placeholder declared in another case is the declared parameter (D5)', () => {
    const o = op(oneOp('/orgs/{organizationid}', ['inputParameters: [{ name: organizationId, in: path }]']));
    expect(params(o)).toEqual(['organizationId:path:string:required']);
    expect(o.pathParts[1]).toEqual({ kind: 'param', name: 'organizationId' });
  });

  it('an exact match wins over a case-insensitive one', () => {
    const o = op(oneOp('/a/{id}/{ID}', ['inputParameters: [{ name: ID, in: path }, { name: id, in: path }]']));
    expect(o.pathParts.filter((p) => p.kind === 'param')).toEqual([
      { kind: 'param', name: 'id' },
      { kind: 'param', name: 'ID' },
    ]);
    expect(params(o)).toEqual(['ID:path:string:required', 'id:path:string:required']);
  });

  it('a fixed query and a fragment of headers are split off the path', () => {
    const o = op(oneOp('/bucket?acl&list-type=2#X-Amz-Target=Get'));
    expect(o.fixedQuery).toEqual([
      ['acl', ''],
      ['list-type', '2'],
    ]);
    expect(o.fixedHeaders).toEqual([['X-Amz-Target', 'Get']]);
    expect(o.pathParts).toEqual([{ kind: 'text', text: '/bucket' }]);
    expect(o.path).toBe('/bucket?acl&list-type=2#X-Amz-Target=Get');
  });

  it('notes of the path splitter point at the resource path', () => {
    const notes = notesOf(consumes("baseUri: https://api.test/v1\nresources:\n  - { name: r, path: '/v1/items', operations: [{ name: op, method: GET }] }"));
    expect(notes).toEqual(['warning path-repeats-base capability/consumes/0/resources/0/path']);
  });

  it('a malformed placeholder is an error at the resource path', () => {
    const built = modelOf(oneOp('/a/{id'));
    expect(built.notes).toEqual(['error path-placeholder-malformed capability/consumes/0/resources/0/path']);
    expect(built.raw[0]!.message).toContain('`/a/{id`');
  });

  const unused: Array<[string, string[], string[], string[]]> = [
    ['declared on the operation', ['inputParameters: [{ name: q, in: query }, { name: id, in: path }]'], [], ['warning path-parameter-unused capability/consumes/0/resources/0/operations/0/inputParameters/1']],
    ['declared on the resource', [], ['inputParameters: [{ name: id, in: path }]'], ['warning path-parameter-unused capability/consumes/0/resources/0/operations/0']],
    ['used', ['inputParameters: [{ name: id, in: path }]'], [], []],
  ];
  it.each(unused)('a path parameter not in the path, %s', (_, opExtra, resExtra, wantNotes) => {
    const path = wantNotes.length ? '/items' : '/items/{id}';
    const built = modelOf(oneOp(path, opExtra, resExtra));
    expect(built.notes).toEqual(wantNotes);
    if (wantNotes.length) expect(built.raw[0]!.message).toContain('`id`');
  });
  it('a declared path parameter in another case than its placeholder is used', () => {
    expect(notesOf(oneOp('/items/{ID}', ['inputParameters: [{ name: id, in: path }]']))).toEqual([]);
  });
});

describe('answers', () => {
  const formats: Array<[string, string, Partial<ConsumedOperation>, string[]]> = [
    ['', '', { outputFormat: 'json' }, []],
    ['XML', '', { outputFormat: 'xml' }, []],
    ['html', 'main > table', { outputFormat: 'html', outputSchema: 'main > table' }, []],
    ['markdown', '"## Items"', { outputFormat: 'markdown', outputSchema: '## Items' }, []],
    ['protobuf', 'x.proto', { outputFormat: 'protobuf', outputSchema: 'x.proto' }, ['warning construct-unsupported capability/consumes/0/resources/0/operations/0/outputRawFormat']],
    ['Avro', '', { outputFormat: 'avro' }, ['warning construct-unsupported capability/consumes/0/resources/0/operations/0/outputRawFormat']],
    ['json', 'x', { outputFormat: 'json', outputSchema: 'x' }, ['warning construct-unsupported capability/consumes/0/resources/0/operations/0/outputSchema']],
    ['', 'x', { outputFormat: 'json', outputSchema: 'x' }, ['warning construct-unsupported capability/consumes/0/resources/0/operations/0/outputSchema']],
  ];
  it.each(formats)('format %s, schema %s', (format, schema, want, wantNotes) => {
    const extra = [format ? `outputRawFormat: ${format}` : '', schema ? `outputSchema: ${schema}` : ''].filter(Boolean);
    const built = modelOf(oneOp('/x', extra));
    const o = built.model.consumes[0]!.operations[0]!;
    expect(o).toMatchObject(want);
    if (!schema) expect(o).not.toHaveProperty('outputSchema');
    expect(o).not.toHaveProperty('binary');
    expect(built.notes).toEqual(wantNotes);
    for (const n of built.raw) expect(n.hint).toBeTruthy();
    if (wantNotes.length) expect(built.raw[0]!.message).toContain(format ? format.toLowerCase() : 'json');
  });

  const binaries: Array<[string[], unknown]> = [
    [[], {}],
    [['outputMediaType: image/png'], { mediaType: 'image/png' }],
    [['maxBinarySize: 2KiB'], { maxBytes: 2048 }],
    [['outputMediaType: application/pdf', 'maxBinarySize: 1.5MiB'], { mediaType: 'application/pdf', maxBytes: 1572864 }],
  ];
  it.each(binaries)('binary answers: %s', (extra, want) => {
    const yaml = oneOp('/x', ['outputRawFormat: binary', ...extra]);
    const o = op(yaml);
    // Without a cap of its own and no adapter calling it, the operation keeps none.
    expect(o.binary).toEqual(want);
    expect(o.outputFormat).toBe('binary');
  });

  it('keeps the description of an operation', () => {
    expect(op(oneOp('/x', ['description: Reads x.'])).description).toBe('Reads x.');
    expect(op(oneOp('/x'))).not.toHaveProperty('description');
  });
});

describe('request bodies', () => {
  it('values a body uses and no parameter declares become untyped template parameters', () => {
    const o = op(oneOp('/x/{id}', ['method: POST', 'inputParameters: [{ name: name, in: query }]', `body: '{"id": "{{id}}", "name": "{{name}}", "tags": {{tags}}, "t": "{{env.TOKEN}}"}'`]));
    expect(params(o)).toEqual(['name:query:string:optional', 'id:path:string:required', 'tags:template:string:optional:untyped']);
    expect(o.body).toMatchObject({ kind: 'template', contentType: 'application/json' });
  });
  it('an unbound secret in a body is an error at the body', () => {
    const built = modelOf(oneOp('/x', [`body: '{"t": "{{env.TOKEN}}{{vault.NOPE}}"}'`]));
    expect(built.notes).toEqual(['error template-variable-unbound capability/consumes/0/resources/0/operations/0/body']);
    expect(built.raw[0]!.message).toContain('`NOPE`');
    expect(built.raw[0]!.hint).toContain('`NOPE`');
  });
  it('no body: none in the model', () => {
    expect(op(oneOp('/x'))).not.toHaveProperty('body');
  });
});

describe('consumes-level fixed headers (what a forward sends)', () => {
  it('keeps literal and secret header values, not call values or other locations', () => {
    const a = api(
      oneOp('/x', [], [], [
        'inputParameters:',
        '  - { name: X-Literal, in: header, value: fixed }',
        "  - { name: X-Secret, in: header, value: '{{env.TOKEN}}' }",
        "  - { name: X-Mixed, in: header, value: 'Key {{env.TOKEN}}' }",
        "  - { name: X-Call, in: header, value: '{{userId}}' }",
        '  - { name: X-Free, in: header }',
        '  - { name: q, in: query, value: fixed }',
      ]),
    );
    expect(a.fixedHeaders).toEqual([
      { name: 'X-Literal', value: [{ kind: 'text', text: 'fixed' }] },
      { name: 'X-Secret', value: [{ kind: 'secret', variable: 'TOKEN' }] },
      { name: 'X-Mixed', value: [{ kind: 'text', text: 'Key ' }, { kind: 'secret', variable: 'TOKEN' }] },
    ]);
    expect(params(a.operations[0]!)).toEqual(['X-Literal:header:string:optional', 'X-Secret:header:string:optional', 'X-Mixed:header:string:optional', 'X-Call:header:string:optional', 'X-Free:header:string:optional', 'q:query:string:optional']);
  });
  it('none: no list', () => {
    expect(api(oneOp('/x'))).not.toHaveProperty('fixedHeaders');
  });
});

describe('which consumes entries become APIs', () => {
  it('http entries at the root and in the capability, in order; others are skipped', () => {
    const yaml = `naftiko: 1.0.0-alpha2
consumes:
  - { type: http, namespace: root, baseUri: 'https://root.test/', resources: [] }
capability:
  consumes:
    - { type: grpc, namespace: other }
    - { type: http, namespace: inner, baseUri: 'https://inner.test/', resources: [] }
`;
    const built = modelOf(yaml);
    expect(built.model.consumes.map((a) => a.namespace)).toEqual(['root', 'inner']);
    expect(built.notes).toEqual(['warning baseuri-trailing-slash consumes/0/baseUri', 'warning baseuri-trailing-slash capability/consumes/1/baseUri']);
  });
  it('several resources and operations keep their order', () => {
    const a = api(
      consumes(`
        baseUri: https://api.test
        resources:
          - name: one
            path: /one
            operations: [{ name: a, method: GET }, { name: b, method: DELETE }]
          - name: two
            path: /two
            operations: [{ name: c, method: PUT }]`),
    );
    expect(a.operations.map((o) => `${o.resourceName}.${o.name} ${o.method} ${o.path}`)).toEqual(['one.a GET /one', 'one.b DELETE /one', 'two.c PUT /two']);
  });
});

describe('where findings inside a consumed API point', () => {
  const rows: Array<[string, string[]]> = [
    ["{ type: basic, username: '{{vault.U}}', password: '{{vault.P}}' }", ['error template-variable-unbound capability/consumes/0/authentication/username', 'error template-variable-unbound capability/consumes/0/authentication/password']],
    ["{ type: digest, username: '{{vault.U}}', password: '{{vault.P}}' }", ['error template-variable-unbound capability/consumes/0/authentication/username', 'error template-variable-unbound capability/consumes/0/authentication/password']],
    ["{ type: apikey, key: k, value: '{{vault.V}}' }", ['error template-variable-unbound capability/consumes/0/authentication/value']],
  ];
  it.each(rows)('authentication %s', (auth, want) => {
    expect(notesOf(consumes(`baseUri: https://api.test\nauthentication: ${auth}\nresources: []`))).toEqual(want);
  });

  it('parameters of the API and of a resource', () => {
    const yaml = oneOp('/x', [], ["inputParameters: [{ name: r, in: query, value: '{{vault.R}}' }]"], ["inputParameters: [{ name: 'a b', in: header }, { name: c, in: query, value: '{{vault.C}}' }]"]);
    expect(notesOf(yaml)).toEqual([
      'error header-name-invalid capability/consumes/0/inputParameters/0/name',
      'error template-variable-unbound capability/consumes/0/inputParameters/1/value',
      'error template-variable-unbound capability/consumes/0/resources/0/inputParameters/0/value',
    ]);
  });

  it('a path parameter declared first on the operation, next to another placeholder', () => {
    const built = modelOf(oneOp('/items/{other}', ['inputParameters: [{ name: id, in: path }]']));
    expect(built.notes).toEqual(['warning path-parameter-unused capability/consumes/0/resources/0/operations/0/inputParameters/0']);
    expect(params(built.model.consumes[0]!.operations[0]!)).toEqual(['id:path:string:required', 'other:path:string:required']);
  });
});

describe('placeholders and declared parameters', () => {
  it('a placeholder is matched only by path parameters', () => {
    const o = op(oneOp('/x/{id}', ['inputParameters: [{ name: ID, in: query }]']));
    expect(o.pathParts[1]).toEqual({ kind: 'param', name: 'id' });
    expect(params(o)).toEqual(['ID:query:string:optional', 'id:path:string:required']);
  });

  it('an undeclared placeholder next to a declared one keeps its own name', () => {
    const o = op(oneOp('/a/{x}/{y}', ['inputParameters: [{ name: y, in: path }]']));
    expect(o.pathParts.filter((p) => p.kind === 'param')).toEqual([
      { kind: 'param', name: 'x' },
      { kind: 'param', name: 'y' },
    ]);
    expect(params(o)).toEqual(['y:path:string:required', 'x:path:string:required']);
  });

  it('values a body uses that are declared parameters are not added again', () => {
    const o = op(oneOp('/x', ['method: POST', 'inputParameters: [{ name: a, in: query }, { name: b, in: header }]', `body: '{"a": "{{a}}", "b": "{{b}}", "c": "{{c}}"}'`]));
    expect(params(o)).toEqual(['a:query:string:optional', 'b:header:string:optional', 'c:template:string:optional:untyped']);
  });

  it('a schema for avro answers is its schema file: no second warning', () => {
    expect(notesOf(oneOp('/x', ['outputRawFormat: avro', 'outputSchema: x.avsc']))).toEqual(['warning construct-unsupported capability/consumes/0/resources/0/operations/0/outputRawFormat']);
  });

  it('a consumed header mixing text and a call value is not a fixed header', () => {
    const a = api(oneOp('/x', [], [], ["inputParameters: [{ name: X-Mixed, in: header, value: 'a{{userId}}' }, { name: X-Both, in: header, value: '{{env.TOKEN}}{{userId}}' }]"]));
    expect(a).not.toHaveProperty('fixedHeaders');
  });

  it('binary answers carry only what is written', () => {
    expect(op(oneOp('/x', ['outputRawFormat: binary'])).binary).toStrictEqual({});
    expect(op(oneOp('/x', ['outputRawFormat: binary', 'outputMediaType: image/png'])).binary).toStrictEqual({ mediaType: 'image/png' });
    expect(op(oneOp('/x', ['outputRawFormat: binary', 'maxBinarySize: 3B'])).binary).toStrictEqual({ maxBytes: 3 });
  });

  it('an entry without namespace, base URI or resources is an empty API', () => {
    const built = modelOf(cap('consumes:\n  - { type: http }'));
    expect(built.model.consumes).toStrictEqual([{ namespace: '', baseUri: '', baseUriParams: [], operations: [] }]);
  });
});
