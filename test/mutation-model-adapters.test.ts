/**
 * The adapters around the calls (src/model/build-model.ts, transform-inbound-auth.ts,
 * transform-control.ts, transform-forward.ts, binary-caps.ts, mcp-extras.ts, transform-skill.ts,
 * walk.ts): bound secrets and where they are read from, inbound protection, the control port,
 * forwards, binary size caps, MCP resources and prompts, skill catalogs. Given and wanted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cap, modelOf, skillAdapterLines } from './helpers/model-build.js';
import { adapterUsesSecrets, consumedOperations, handledItems, handlerUsesSecrets, mcpResources, mcpTools, restOperations } from '../src/model/walk.js';
import { forwardsUseSecrets } from '../src/model/transform-forward.js';
import { allBinds, allConsumes, allExposes, exposedItems, mcpAdapters, restAdapters, type RawDocument } from '../src/model/raw.js';
import { parse } from 'yaml';

const HEAD = `
binds:
  - namespace: env
    keys: { TOKEN: TOKEN, USER: USER }`;

const API = [
  'consumes:',
  '  - type: http',
  '    namespace: api',
  '    baseUri: https://api.test',
  "    inputParameters: [{ name: X-Key, in: header, value: '{{env.TOKEN}}' }]",
  '    resources:',
  '      - name: files',
  '        path: /files/{id}',
  '        operations:',
  '          - { name: get-file, method: GET, outputRawFormat: binary }',
  '          - { name: get-capped, method: GET, outputRawFormat: binary, maxBinarySize: 1KiB }',
  '          - { name: get-json, method: GET }',
  '  - type: http',
  '    namespace: plain',
  '    baseUri: https://plain.test',
  "    inputParameters: [{ name: X-Fixed, in: header, value: abc }]",
  '    resources: []',
];

const withExposes = (exposes: string[], head = HEAD): string => cap([...API, 'exposes:', ...exposes.map((l) => `  ${l}`)].join('\n'), head);

describe('binds', () => {
  const rows: Array<[string, unknown[], string[]]> = [
    ['binds:\n  - namespace: env\n    keys: { A: A_SRC, B: B }', [{ namespace: 'env', variable: 'A', source: 'A_SRC' }, { namespace: 'env', variable: 'B', source: 'B' }], []],
    ['binds:\n  - namespace: s\n    location: ./secrets.yaml\n    keys: { A: a }', [{ namespace: 's', variable: 'A', source: 'a', location: './secrets.yaml' }], []],
    ['binds:\n  - namespace: s\n    location: file:///./dir/.env\n    keys: { A: a }', [{ namespace: 's', variable: 'A', source: 'a', location: './dir/.env' }], []],
    ['binds:\n  - namespace: s\n    location: .\\win\\s.json\n    keys: { A: a }', [{ namespace: 's', variable: 'A', source: 'a', location: './win/s.json' }], []],
    ['binds:\n  - namespace: s\n    location: vault://kv/app\n    keys: { A: a }', [{ namespace: 's', variable: 'A', source: 'a' }], ['error binds-location-unsupported binds/0/location']],
    ['binds:\n  - namespace: s', [], []],
  ];
  it.each(rows)('%s', (head, want, wantNotes) => {
    const built = modelOf(cap('exposes: []', head));
    expect(built.model.secrets).toEqual(want);
    expect(built.notes).toEqual(wantNotes);
    if (wantNotes.length) {
      expect(built.raw[0]!.message).toContain('`vault://kv/app` is not a file location');
      expect(built.raw[0]!.hint).toBeTruthy();
    }
  });

  it('binds in the capability too; their namespaces name secrets in templates', () => {
    const yaml = `naftiko: 1.0.0-alpha2
info: { label: L, description: D, tags: [a] }
capability:
  binds:
    - namespace: vault
      keys: { S: S }
  consumes:
    - { type: http, namespace: api, baseUri: 'https://a.test', authentication: { type: bearer, token: '{{vault.S}}' }, resources: [] }
`;
    const built = modelOf(yaml);
    expect(built.model.secrets).toEqual([{ namespace: 'vault', variable: 'S', source: 'S' }]);
    expect(built.model.consumes[0]!.authentication).toEqual({ kind: 'bearer', token: [{ kind: 'secret', variable: 'S' }] });
    expect(built.model.info).toEqual({ label: 'L', description: 'D', tags: ['a'] });
    expect(built.model).toMatchObject({ specVersion: '1.0.0-alpha2', sourceName: 'cap.yaml', rest: [], mcp: [], skills: [], unsupportedAdapters: [] });
    expect(built.model).not.toHaveProperty('control');
    expect(built.model).not.toHaveProperty('embeddedFiles');
  });

  it('an unbound env variable is read from the environment (bound on the way in)', () => {
    const built = modelOf(cap("consumes:\n  - { type: http, namespace: api, baseUri: 'https://a.test', authentication: { type: bearer, token: '{{env.NEW}}' }, resources: [] }"));
    expect(built.model.secrets).toEqual([{ namespace: 'env', variable: 'NEW', source: 'NEW' }]);
    expect(built.model.info).toEqual({ label: '', description: '', tags: [] });
  });
});

describe('adapters not generated', () => {
  it('are kept by kind and namespace, with a warning at their type', () => {
    const built = modelOf(withExposes(['- { type: grpc, namespace: g, port: 1 }', '- { type: graphql, port: 2 }']));
    expect(built.model.unsupportedAdapters).toEqual([{ type: 'grpc', namespace: 'g' }, { type: 'graphql' }]);
    expect(built.notes).toEqual(['warning construct-unsupported capability/exposes/0/type', 'warning construct-unsupported capability/exposes/1/type']);
    expect(built.raw[0]!.message).toContain('The `grpc` adapter is valid but not generated yet');
  });
});

describe('inbound authentication', () => {
  const rows: Array<[string, unknown, string[]]> = [
    ["{ type: bearer, token: '{{env.TOKEN}}' }", { kind: 'bearer', token: [{ kind: 'secret', variable: 'TOKEN' }] }, []],
    ["{ type: bearer, token: 'Bearer {{TOKEN}}' }", { kind: 'bearer', token: [{ kind: 'text', text: 'Bearer ' }, { kind: 'secret', variable: 'TOKEN' }] }, []],
    ['{ type: bearer }', undefined, ['error inbound-auth-incomplete capability/exposes/0/authentication']],
    ["{ type: bearer, token: '' }", undefined, ['error inbound-auth-incomplete capability/exposes/0/authentication/token']],
    ["{ type: bearer, token: '{{input}}' }", { kind: 'bearer', token: [{ kind: 'secret', variable: 'input' }] }, ['error template-variable-unbound capability/exposes/0/authentication/token']],
    ["{ type: basic, username: '{{env.USER}}', password: '{{env.TOKEN}}' }", { kind: 'basic', username: [{ kind: 'secret', variable: 'USER' }], password: [{ kind: 'secret', variable: 'TOKEN' }] }, []],
    ["{ type: basic, password: '{{env.TOKEN}}' }", undefined, ['error inbound-auth-incomplete capability/exposes/0/authentication']],
    ["{ type: basic, username: u }", undefined, ['error inbound-auth-incomplete capability/exposes/0/authentication']],
    ["{ type: apikey, key: X-Key, value: '{{env.TOKEN}}' }", { kind: 'apikey', key: 'X-Key', value: [{ kind: 'secret', variable: 'TOKEN' }], placement: 'header' }, []],
    ["{ type: apikey, key: 'api key', value: v, placement: query }", { kind: 'apikey', key: 'api key', value: [{ kind: 'text', text: 'v' }], placement: 'query' }, []],
    ["{ type: apikey, key: 'X Key', value: v }", undefined, ['error header-name-invalid capability/exposes/0/authentication/key']],
    ["{ type: apikey, key: 'X Key', value: v, placement: header }", undefined, ['error header-name-invalid capability/exposes/0/authentication/key']],
    ['{ type: apikey, value: v }', undefined, ['error inbound-auth-incomplete capability/exposes/0/authentication']],
    ["{ type: apikey, key: '', value: v }", undefined, ['error inbound-auth-incomplete capability/exposes/0/authentication/key']],
    ['{ type: apikey, key: k }', undefined, ['error inbound-auth-incomplete capability/exposes/0/authentication']],
    ['{ type: digest, username: u, password: p }', undefined, ['error inbound-auth-unsupported capability/exposes/0/authentication/type']],
    ["{ type: basic, username: '', password: p }", undefined, ['error inbound-auth-incomplete capability/exposes/0/authentication/username']],
    ["{ type: apikey, key: k, value: '' }", undefined, ['error inbound-auth-incomplete capability/exposes/0/authentication/value']],
  ];
  it.each(rows)('REST %s', (auth, want, wantNotes) => {
    const built = modelOf(withExposes(['- type: rest', '  namespace: r', '  port: 1', `  authentication: ${auth}`, '  resources: []']));
    expect(built.model.rest[0]!.auth).toEqual(want);
    if (want === undefined) expect(built.model.rest[0]).not.toHaveProperty('auth');
    expect(built.notes).toEqual(wantNotes);
  });

  it('messages name the adapter, the kind and the key', () => {
    const noUser = modelOf(withExposes(['- { type: rest, namespace: r, port: 1, authentication: { type: basic, password: p }, resources: [] }'])).raw[0]!;
    expect(noUser.message).toContain('has no `username`');
    const control = modelOf(withExposes(['- { type: control, port: 9, authentication: { type: digest } }'])).raw[0]!;
    expect(control.message).toContain('for the control adapter');
    const missing = modelOf(withExposes(['- { type: rest, namespace: r, port: 1, authentication: { type: basic, username: u }, resources: [] }'])).raw[0]!;
    expect(missing.message).toBe("The REST adapter's `basic` authentication has no `password`, so no caller could be checked against it; the server is not generated without it.");
    expect(missing.hint).toBe('Give `password`, best as a bound secret: `password: "{{MY_SECRET}}"` with `MY_SECRET` declared under `binds`.');
    const digest = modelOf(withExposes(['- { type: mcp, namespace: m, authentication: { type: digest }, tools: [] }'])).raw[0]!;
    expect(digest.message).toContain('`digest` authentication of callers is not generated for the MCP adapter');
    const unbound = modelOf(withExposes(['- { type: rest, namespace: r, port: 1, authentication: { type: bearer, token: "{{env.NOPE}}" }, resources: [] }'], 'binds:\n  - namespace: other\n    keys: { X: X }'));
    expect(unbound.notes).toEqual([]);
    const input = modelOf(withExposes(['- { type: rest, namespace: r, port: 1, authentication: { type: bearer, token: "{{other.NOPE}}" }, resources: [] }'], 'binds:\n  - namespace: other\n    keys: { X: X }')).raw[0]!;
    expect(input.message).toBe("`{{other.NOPE}}` refers to the variable `NOPE`, which no `binds` entry declares, so the adapter could not check callers' credentials.");
    expect(input.hint).toContain('`keys: { NOPE: NOPE }`');
    const key = modelOf(withExposes(['- { type: rest, namespace: r, port: 1, authentication: { type: apikey, key: "a b", value: v }, resources: [] }'])).raw[0]!;
    expect(key.message).toContain('`a b` cannot be a header name');
  });
});

describe('the control adapter', () => {
  const rows: Array<[string[], Record<string, unknown>, string[]]> = [
    [[], { port: 9000, health: true, status: false, metrics: true }, []],
    [['address: 127.0.0.1', 'management: { health: false, info: true }'], { port: 9000, address: '127.0.0.1', health: false, status: true, metrics: true }, []],
    [['management: { info: false, health: true }'], { health: true, status: false }, []],
    [['observability: { enabled: false, traces: {}, exporters: {} }'], { metrics: false }, []],
    [['observability: { metrics: { local: { enabled: false } } }'], { metrics: false }, []],
    [['observability: { metrics: { local: { enabled: true } } }'], { metrics: true }, []],
    [['observability: { metrics: {} }'], { metrics: true }, []],
    [
      ['management: { reload: true, validate: true, logs: { level: info } }', 'observability: { traces: { x: 1 }, exporters: { otlp: {} } }'],
      { metrics: true },
      [
        'warning construct-unsupported capability/exposes/0/management/reload (key)',
        'warning construct-unsupported capability/exposes/0/management/validate (key)',
        'warning construct-unsupported capability/exposes/0/management/logs (key)',
        'warning construct-unsupported capability/exposes/0/observability/traces (key)',
        'warning construct-unsupported capability/exposes/0/observability/exporters (key)',
      ],
    ],
    [['management: { reload: false, validate: false, logs: false }'], {}, []],
    [['management: { logs: true }'], {}, ['warning construct-unsupported capability/exposes/0/management/logs (key)']],
    [["authentication: { type: bearer, token: '{{env.TOKEN}}' }"], { auth: { kind: 'bearer', token: [{ kind: 'secret', variable: 'TOKEN' }] } }, []],
  ];
  it.each(rows)('%j', (lines, want, wantNotes) => {
    const built = modelOf(withExposes(['- type: control', '  port: 9000', ...lines.map((l) => `  ${l}`)]));
    expect(built.model.control).toMatchObject(want);
    if (!('address' in want)) expect(built.model.control).not.toHaveProperty('address');
    if (!('auth' in want)) expect(built.model.control).not.toHaveProperty('auth');
    expect(built.notes).toEqual(wantNotes);
    for (const n of built.raw) expect(n.hint).toBeTruthy();
  });
  it('messages say what is not generated', () => {
    const raw = modelOf(withExposes(['- { type: control, port: 9000, management: { reload: true, validate: true, logs: true }, observability: { traces: {}, exporters: {} } }'])).raw;
    expect(raw.map((n) => n.message.split(' of the control adapter')[0])).toEqual(['`management.reload`', '`management.validate`', '`management.logs`', '`observability.traces` (tracing and the recent-traces endpoint)', '`observability.exporters` (OTLP export)']);
    expect(raw[0]!.message).toContain('/health/live, /health/ready, /status and /metrics only');
  });
  it('a second one is an error; the first is kept', () => {
    const built = modelOf(withExposes(['- { type: control, port: 9000 }', '- { type: control, port: 9001, management: { reload: true } }']));
    expect(built.model.control).toMatchObject({ port: 9000 });
    expect(built.notes).toEqual(['error control-adapter-duplicate capability/exposes/1/type']);
    expect(built.raw[0]!.message).toBe('A capability has at most one control adapter; this is a second one.');
  });
});

describe('forwards', () => {
  const rest = (resources: string[]) => modelOf(withExposes(['- type: rest', '  namespace: r', '  port: 1', '  resources:', ...resources.map((l) => `    ${l}`)]));
  const rows: Array<[string, unknown, string[]]> = [
    ["{ path: '/proxy/{path}', forward: { targetNamespace: api, trustedHeaders: [X-A] } }", { path: '/proxy/{path}', prefix: ['proxy'], targetNamespace: 'api', trustedHeaders: ['X-A'], except: [] }, []],
    ["{ path: '/a/b/{{rest}}', forward: { targetNamespace: api } }", { path: '/a/b/{{rest}}', prefix: ['a', 'b'], targetNamespace: 'api', trustedHeaders: [], except: [] }, []],
    ["{ path: '/all', forward: { targetNamespace: api } }", { path: '/all', prefix: ['all'], targetNamespace: 'api', trustedHeaders: [], except: [] }, []],
    ["{ path: '/{p}', forward: { targetNamespace: api } }", { path: '/{p}', prefix: [], targetNamespace: 'api', trustedHeaders: [], except: [] }, []],
    ["{ path: '/a/{x}/b/{p}', forward: { targetNamespace: api } }", undefined, ['warning construct-unsupported capability/exposes/0/resources/0/forward']],
    ["{ path: '/a/{p}/', forward: { targetNamespace: api } }", undefined, ['warning construct-unsupported capability/exposes/0/resources/0/forward']],
    ["{ path: '/a/{p}.json', forward: { targetNamespace: api } }", undefined, ['warning construct-unsupported capability/exposes/0/resources/0/forward']],
    ["{ path: '/a-{p}', forward: { targetNamespace: api } }", undefined, ['warning construct-unsupported capability/exposes/0/resources/0/forward']],
    ["{ path: '/a/{p}', forward: { targetNamespace: nope } }", undefined, ['error call-target-missing capability/exposes/0/resources/0/forward/targetNamespace']],
    ["{ path: '{p}', forward: { targetNamespace: api } }", undefined, ['warning construct-unsupported capability/exposes/0/resources/0/forward']],
  ];
  it.each(rows)('%s', (resource, want, wantNotes) => {
    const built = rest([`- ${resource}`]);
    expect(built.model.rest[0]!.forwards?.[0]).toEqual(want);
    if (want === undefined) expect(built.model.rest[0]).not.toHaveProperty('forwards');
    expect(built.notes).toEqual(wantNotes);
    for (const n of built.raw) expect(n.hint).toBeTruthy();
  });
  it("the resource's own methods are the exceptions", () => {
    const built = rest(["- { path: '/p/{x}', forward: { targetNamespace: api }, operations: [{ method: GET, call: api.get-json }, { method: DELETE, call: api.get-json }] }"]);
    expect(built.model.rest[0]!.forwards![0]!.except).toEqual(['GET', 'DELETE']);
    expect(built.model.rest[0]!.operations.map((o) => o.method)).toEqual(['GET', 'DELETE']);
  });
  it('messages name the target and the known APIs', () => {
    expect(rest(["- { path: '/a/{p}', forward: { targetNamespace: nope } }"]).raw[0]!.hint).toBe('Declare it under `consumes`, or use one of: `api`, `plain`.');
    const none = modelOf(cap("exposes:\n  - { type: rest, namespace: r, port: 1, resources: [{ path: '/a/{p}', forward: { targetNamespace: nope } }] }"));
    expect(none.raw[0]!.hint).toBe('Declare it under `consumes`, or use one of: (none).');
    expect(none.raw[0]!.message).toContain('`nope`');
    expect(rest(["- { path: '/a/{x}/b/{p}', forward: { targetNamespace: api } }"]).raw[0]!.message).toContain('`/a/{x}/b/{p}`');
  });
  it('whether a forward sends a bound secret', () => {
    const built = rest(["- { path: '/a/{p}', forward: { targetNamespace: api } }"]);
    const plain = rest(["- { path: '/a/{p}', forward: { targetNamespace: plain } }"]);
    expect(forwardsUseSecrets(built.model.rest[0]!, built.model.consumes)).toBe(true);
    expect(forwardsUseSecrets(plain.model.rest[0]!, plain.model.consumes)).toBe(false);
    const unknown = { ...plain.model.rest[0]!, forwards: [{ ...plain.model.rest[0]!.forwards![0]!, targetNamespace: 'zzz' }] };
    expect(forwardsUseSecrets(unknown, plain.model.consumes)).toBe(false);
    expect(forwardsUseSecrets({ ...plain.model.rest[0]!, forwards: undefined }, plain.model.consumes)).toBe(false);
    const mixed = modelOf(
      cap(
        "consumes:\n  - { type: http, namespace: m, baseUri: 'https://m.test', inputParameters: [{ name: A, in: header, value: 'Bearer {{env.TOKEN}}' }], resources: [] }\nexposes:\n  - { type: rest, namespace: r, port: 1, resources: [{ path: '/a/{p}', forward: { targetNamespace: m } }] }",
        HEAD,
      ),
    ).model;
    expect(forwardsUseSecrets(mixed.rest[0]!, mixed.consumes)).toBe(true);
  });
});

describe('binary size caps', () => {
  const rest = (ns: string, cap_: string, call: string) => [`- type: rest`, `  namespace: ${ns}`, '  port: 1', ...(cap_ ? [`  maxBinarySize: ${cap_}`] : []), `  resources: [{ path: /f, operations: [{ method: GET, call: ${call} }] }]`];
  const mcp = (ns: string, cap_: string, call: string) => [`- type: mcp`, `  namespace: ${ns}`, ...(cap_ ? [`  maxBinarySize: ${cap_}`] : []), `  tools: [{ name: t, description: T, call: ${call} }]`];
  const capOf = (yaml: string, name = 'get-file') => modelOf(yaml).model.consumes[0]!.operations.find((o) => o.name === name)!.binary;

  it('the default cap when the adapter declares none; the operation keeps its own', () => {
    expect(capOf(withExposes(rest('r', '', 'api.get-file')))).toEqual({ maxBytes: 10 * 1024 * 1024 });
    expect(capOf(withExposes(rest('r', '2MiB', 'api.get-capped')), 'get-capped')).toEqual({ maxBytes: 1024 });
    expect(capOf(withExposes(rest('r', '2MiB', 'api.get-json')), 'get-json')).toBeUndefined();
  });
  it("the adapter's cap", () => {
    expect(capOf(withExposes(rest('r', '2MiB', 'api.get-file')))).toEqual({ maxBytes: 2 * 1024 * 1024 });
    expect(capOf(withExposes(rest('r', '512B', 'api.get-file')))).toEqual({ maxBytes: 512 });
    expect(capOf(withExposes(rest('r', '1GiB', 'api.get-file')))).toEqual({ maxBytes: 1024 ** 3 });
    expect(capOf(withExposes(rest('r', '2 MiB', 'api.get-file')))).toEqual({ maxBytes: 10 * 1024 * 1024 });
    expect(capOf(withExposes(rest('r', '2MB', 'api.get-file')))).toEqual({ maxBytes: 10 * 1024 * 1024 });
    expect(capOf(withExposes(rest('r', 'x2MiB', 'api.get-file')))).toEqual({ maxBytes: 10 * 1024 * 1024 });
    expect(capOf(withExposes(rest('r', '2MiBs', 'api.get-file')))).toEqual({ maxBytes: 10 * 1024 * 1024 });
    expect(capOf(withExposes(rest('r', '2.5B', 'api.get-file')))).toEqual({ maxBytes: 2 });
    expect(capOf(withExposes(rest('r', '0.5KiB', 'api.get-file')))).toEqual({ maxBytes: 512 });
    expect(capOf(withExposes(rest('r', '1.25KiB', 'api.get-file')))).toEqual({ maxBytes: 1280 });
  });
  it('adapters with different caps share the smallest, and a warning says so at a larger declared cap', () => {
    const built = modelOf(withExposes([...rest('r', '1MiB', 'api.get-file'), ...mcp('m', '3MiB', 'api.get-file'), ...rest('r2', '', 'api.get-file')]));
    expect(built.model.consumes[0]!.operations[0]!.binary).toEqual({ maxBytes: 1024 * 1024 });
    expect(built.notes).toEqual(['warning binary-size-shared capability/exposes/1/maxBinarySize (key)']);
    expect(built.raw[0]!.message).toBe('The binary answers of `api.get-file` are capped at 1MiB for every adapter: `r` (1MiB) and `r2` (10MiB by default) and `m` (3MiB) call it through one client, so the smallest cap applies.');
    expect(built.raw[0]!.hint).toBe('Give `get-file` its own `maxBinarySize`, which wins over the adapters\' caps.');
  });
  it('a larger default only: the warning points at the smaller declared cap', () => {
    const built = modelOf(withExposes([...rest('r', '', 'api.get-file'), ...mcp('m', '1KiB', 'api.get-file')]));
    expect(built.model.consumes[0]!.operations[0]!.binary).toEqual({ maxBytes: 1024 });
    expect(built.notes).toEqual(['warning binary-size-shared capability/exposes/1/maxBinarySize (key)']);
    expect(built.raw[0]!.message).toContain('capped at 1KiB for every adapter: `m` (1KiB) and `r` (10MiB by default)');
  });
  it('the first of equal smallest caps names the cap; an adapter calling twice is named once', () => {
    const built = modelOf(withExposes([...rest('r', '1KiB', 'api.get-file'), ...rest('r1', '1024B', 'api.get-file'), '- type: mcp', '  namespace: m', '  maxBinarySize: 3KiB', '  tools: [{ name: a, description: A, call: api.get-file }, { name: b, description: B, call: api.get-file }]']));
    expect(built.raw[0]!.message).toBe('The binary answers of `api.get-file` are capped at 1KiB for every adapter: `r` (1KiB) and `m` (3KiB) call it through one client, so the smallest cap applies.');
  });

  it('equal caps, or one adapter calling twice: no warning', () => {
    expect(modelOf(withExposes([...rest('r', '1MiB', 'api.get-file'), ...mcp('m', '1MiB', 'api.get-file')])).notes).toEqual([]);
    const twice = modelOf(withExposes(['- type: rest', '  namespace: r', '  port: 1', '  maxBinarySize: 1KiB', '  resources: [{ path: /f, operations: [{ method: GET, call: api.get-file }, { method: POST, call: api.get-file }] }]', ...mcp('m', '', 'api.get-json')]));
    expect(twice.notes).toEqual([]);
    expect(twice.model.consumes[0]!.operations[0]!.binary).toEqual({ maxBytes: 1024 });
  });
  it('steps and resources that call a binary operation count too; mocks do not', () => {
    const steps = modelOf(withExposes(['- type: mcp', '  namespace: m', '  maxBinarySize: 4KiB', '  tools: [{ name: t, description: T, steps: [{ type: call, name: s, call: api.get-file }, { type: lookup, name: l }] }, { name: k, description: K, outputParameters: [{ name: x, type: string, value: v }] }]']));
    expect(steps.model.consumes[0]!.operations[0]!.binary).toEqual({ maxBytes: 4096 });
    const resource = modelOf(withExposes(['- type: mcp', '  namespace: m', '  maxBinarySize: 8KiB', '  tools: []', "  resources: [{ name: f, uri: 'data://f/{id}', description: F, call: api.get-file }]"]));
    expect(resource.model.consumes[0]!.operations[0]!.binary).toEqual({ maxBytes: 8192 });
  });
});

describe('MCP resources and prompts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'model-extras-'));
    mkdirSync(join(dir, 'docs', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'docs', 'a.md'), '# A');
    writeFileSync(join(dir, 'docs', 'sub', 'b.JSON'), '{}');
    writeFileSync(join(dir, 'docs', 'c.bin'), Buffer.from([0xff, 0x00]));
    writeFileSync(join(dir, 'docs', 'd.unknown'), 'd');
    writeFileSync(join(dir, 'prompt.txt'), 'Summarise {{topic}} now');
    writeFileSync(join(dir, 'notdir'), 'x');
    mkdirSync(join(dir, 'big'));
    writeFileSync(join(dir, 'big', 'at-cap.txt'), 'a'.repeat(1024 * 1024));
    writeFileSync(join(dir, 'big', 'over-cap.txt'), 'a'.repeat(1024 * 1024 + 1));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const mcp = (lines: string[]) => modelOf(withExposes(['- type: mcp', '  namespace: m', '  tools: []', ...lines.map((l) => `  ${l}`)]), dir);

  it('a dynamic resource calls like a tool; only its URI placeholders are required', () => {
    const built = mcp(["resources: [{ name: file, label: File, description: A file., uri: 'data://files/{id}', mimeType: image/png, binary: true, call: api.get-file, outputParameters: [{ type: string, mapping: $.x }] }]"]);
    const r = built.model.mcp[0]!.resources![0]!;
    expect(r).toMatchObject({ name: 'file', title: 'File', description: 'A file.', uri: 'data://files/{id}', mimeType: 'image/png', binary: true, params: ['id'] });
    expect(r.inputs.map((i) => `${i.name}:${i.required}:${i.origin}:${i.description}`)).toEqual(['id:true:declared:The {id} part of data://files/{id}.', 'X-Key:false:consumed-parameter:undefined'.replace(':undefined', ':undefined')].slice(0, 1));
    expect(r.handler).toEqual({ kind: 'call', call: r.call });
    expect(r.output.parameters).toEqual([{ type: 'string', mapping: { source: '$.x', steps: ['x'] } }]);
    expect(built.notes).toEqual([]);
    expect(mcpResources(built.model)).toEqual([r]);
  });

  it('inputs beyond the URI stay optional', () => {
    const yaml = cap(
      [
        'consumes:',
        '  - { type: http, namespace: q, baseUri: "https://q.test", resources: [{ name: r, path: /r, operations: [{ name: get, method: GET, inputParameters: [{ name: need, in: query, required: true }] }] }] }',
        'exposes:',
        '  - { type: mcp, namespace: m, tools: [], resources: [{ name: r, description: R, uri: "data://r/{id}", call: q.get }, { name: s, description: S, uri: "data://s", call: q.get, with: { need: x } }] }',
      ].join('\n'),
    );
    const [r, s] = modelOf(yaml).model.mcp[0]!.resources!;
    expect(r!.inputs.map((i) => `${i.name}:${i.required}`)).toEqual(['id:true', 'need:false']);
    expect(r).toMatchObject({ mimeType: 'application/json', params: ['id'] });
    expect(r).not.toHaveProperty('title');
    expect(r).not.toHaveProperty('binary');
    expect(s!.inputs).toEqual([]);
    expect(s!.params).toEqual([]);
  });

  it('a resource with a missing call target is an error at its call', () => {
    const built = mcp(["resources: [{ name: f, description: F, uri: 'data://f', call: api.nope }]"]);
    expect(built.model.mcp[0]).not.toHaveProperty('resources');
    expect(built.notes).toEqual(['error call-target-missing capability/exposes/0/resources/0/call']);
    expect(built.raw[0]!.message).toBe('`call: api.nope` names no operation of a consumed API.');
  });

  it('a mock resource, and one with nothing to answer', () => {
    const built = mcp(["resources: [{ name: f, description: F, uri: 'data://f/{a}/{b}', outputParameters: [{ name: x, type: string, value: '{{a}}' }] }, { name: g, description: G, uri: 'data://g' }]"]);
    const [f] = built.model.mcp[0]!.resources!;
    expect(built.model.mcp[0]!.resources).toHaveLength(1);
    expect(f!.handler).toEqual({ kind: 'mock', fields: [{ name: 'x', node: { kind: 'template', parts: [{ kind: 'variable', path: ['a'] }] } }] });
    expect(f!.inputs).toEqual([
      { name: 'a', type: 'string', description: 'The {a} part of data://f/{a}/{b}.', required: true, location: 'path', origin: 'declared' },
      { name: 'b', type: 'string', description: 'The {b} part of data://f/{a}/{b}.', required: true, location: 'path', origin: 'declared' },
    ]);
    expect(built.notes).toEqual(['warning construct-unsupported capability/exposes/0/resources/1']);
  });

  it('a static resource publishes every readable file of its folder, sorted, with media types', () => {
    const built = mcp(["resources: [{ name: docs, label: Docs, description: The docs., uri: 'docs://all//', location: 'file:///./docs' }]"]);
    const a = built.model.mcp[0]!;
    expect(a).not.toHaveProperty('resources');
    expect(a.staticResources).toEqual([
      {
        name: 'docs',
        title: 'Docs',
        description: 'The docs.',
        files: [
          { uri: 'docs://all/a.md', name: 'docs/a.md', mimeType: 'text/markdown', text: '# A' },
          { uri: 'docs://all/d.unknown', name: 'docs/d.unknown', mimeType: 'text/plain', text: 'd' },
          { uri: 'docs://all/sub/b.JSON', name: 'docs/sub/b.JSON', mimeType: 'application/json', text: '{}' },
        ],
      },
    ]);
    expect(built.notes).toEqual(['warning construct-unsupported capability/exposes/0/resources/0/location']);
    expect(built.raw[0]!.message).toContain('The file `c.bin` of the static resource folder');
    expect(built.model.embeddedFiles).toContain(join(dir, 'docs'));
    expect(built.model.embeddedFiles).toContain(join(dir, 'docs', 'a.md'));
  });

  it('a static resource with its own media type, and unreadable folders', () => {
    const typed = mcp(["resources: [{ name: d, description: D, uri: 'docs://x', mimeType: text/x-own, location: 'file:///./docs/sub' }]"]);
    expect(typed.model.mcp[0]!.staticResources![0]!.files).toEqual([{ uri: 'docs://x/b.JSON', name: 'd/b.JSON', mimeType: 'text/x-own', text: '{}' }]);
    expect(typed.model.mcp[0]!.staticResources![0]).not.toHaveProperty('title');
    for (const location of ['file:///./nope', 'file:///./notdir']) {
      const built = mcp([`resources: [{ name: d, description: D, uri: 'docs://x', location: '${location}' }]`]);
      expect(built.model.mcp[0]).not.toHaveProperty('staticResources');
      expect(built.notes).toEqual(['warning construct-unsupported capability/exposes/0/resources/0/location']);
      expect(built.raw[0]!.message).toContain(`The static resource folder \`${location}\``);
    }
  });

  it('files up to 1 MiB are embedded, larger ones are left out with a warning', () => {
    const built = mcp(["resources: [{ name: big, description: B, uri: 'big://x', location: 'file:///./big' }]"]);
    expect(built.model.mcp[0]!.staticResources![0]!.files.map((f) => [f.name, f.text.length])).toEqual([['big/at-cap.txt', 1024 * 1024]]);
    expect(built.notes).toEqual(['warning construct-unsupported capability/exposes/0/resources/0/location']);
    expect(built.raw[0]!.message).toContain('`over-cap.txt`');
    expect(built.raw[0]!.message).toContain('over 1048576 bytes');
  });

  it('an absolute location is read from the root', () => {
    const built = mcp([`resources: [{ name: d, description: D, uri: 'docs://x', location: 'file://${join(dir, 'docs', 'sub')}' }]`]);
    expect(built.model.mcp[0]!.staticResources![0]!.files.map((f) => f.name)).toEqual(['d/b.JSON']);
    const up = mcp([`resources: [{ name: d, description: D, uri: 'docs://x', location: 'file:///../${basename(dir)}/docs/sub' }]`]);
    expect(up.model.mcp[0]!.staticResources![0]!.files.map((f) => f.name)).toEqual(['d/b.JSON']);
  });

  it('prompts: arguments required unless said, messages with placeholders, or a file as one user message', () => {
    const built = mcp([
      'prompts:',
      "  - { name: p, label: P, description: Ask., arguments: [{ name: topic, description: T }, { name: tone, description: U, required: false }], template: [{ role: user, content: 'Tell me about {{topic}}' }, { role: assistant, content: ok }] }",
      "  - { name: f, description: From a file., location: 'file:///./prompt.txt' }",
      "  - { name: gone, description: Missing., location: 'file:///./nope.txt' }",
    ]);
    const prompts = built.model.mcp[0]!.prompts!;
    expect(prompts).toEqual([
      {
        name: 'p',
        title: 'P',
        description: 'Ask.',
        arguments: [
          { name: 'topic', description: 'T', required: true },
          { name: 'tone', description: 'U', required: false },
        ],
        messages: [
          { role: 'user', parts: [{ kind: 'text', text: 'Tell me about ' }, { kind: 'variable', path: ['topic'] }] },
          { role: 'assistant', parts: [{ kind: 'text', text: 'ok' }] },
        ],
      },
      { name: 'f', description: 'From a file.', arguments: [], messages: [{ role: 'user', parts: [{ kind: 'text', text: 'Summarise ' }, { kind: 'variable', path: ['topic'] }, { kind: 'text', text: ' now' }] }] },
    ]);
    expect(built.notes).toEqual(['warning construct-unsupported capability/exposes/0/prompts/2/location']);
    expect(built.raw[0]!.message).toContain('The prompt file `file:///./nope.txt`');
    expect(built.raw[0]!.message).toContain('is valid but not generated yet: it is left out of the generated server.');
    expect(built.model.embeddedFiles).toEqual([join(dir, 'nope.txt'), join(dir, 'prompt.txt')]);
  });
});

describe('skill catalogs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'model-skills-'));
    mkdirSync(join(dir, 'skills', 'own', 'docs'), { recursive: true });
    writeFileSync(join(dir, 'skills', 'own', 'SKILL.md'), '# Own');
    writeFileSync(join(dir, 'skills', 'own', 'docs', 'how.md'), 'How');
    writeFileSync(join(dir, 'skills', 'own', 'blob.bin'), Buffer.from([1, 0, 2]));
    mkdirSync(join(dir, 'skills', 'bare'), { recursive: true });
    writeFileSync(join(dir, 'skills', 'bare', 'z.md'), 'Z');
    writeFileSync(join(dir, 'skills', 'bare', 'A.md'), 'A');
    mkdirSync(join(dir, 'skills', 'many'));
    for (let i = 0; i < 201; i++) writeFileSync(join(dir, 'skills', 'many', `f${String(i).padStart(3, '0')}.md`), String(i));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const skills = (lines: string[], adapter: string[] = []) =>
    modelOf(
      withExposes([
        "- { type: rest, namespace: r, port: 1, resources: [{ path: /f, operations: [{ method: GET, name: read, call: api.get-json }, { method: POST, call: api.get-json }] }] }",
        "- { type: mcp, namespace: m, tools: [{ name: t, description: T, call: api.get-json }] }",
        ...skillAdapterLines(lines, adapter),
      ]),
      dir,
    );
  const S = 'capability/exposes/2/skills';

  it('a skill without a folder gets a SKILL.md made from its frontmatter and tools', () => {
    const built = skills(["- { name: sk, description: Does things., license: MIT, allowed-tools: [t], user-invocable: true, tools: [{ name: a, description: A., from: { sourceNamespace: m, action: t } }, { name: b, description: B., from: { sourceNamespace: r, action: read } }] }"]);
    const adapter = built.model.skills[0]!;
    expect(adapter).toMatchObject({ namespace: 's', port: 7000 });
    expect(adapter).not.toHaveProperty('address');
    expect(adapter).not.toHaveProperty('auth');
    const skill = adapter.skills[0]!;
    expect(skill.frontmatter).toEqual({ license: 'MIT', 'allowed-tools': ['t'], 'user-invocable': true });
    expect(skill.tools).toEqual([
      { name: 'a', description: 'A.', from: { sourceNamespace: 'm', action: 't' } },
      { name: 'b', description: 'B.', from: { sourceNamespace: 'r', action: 'read' } },
    ]);
    expect(skill.files).toEqual([
      {
        path: 'SKILL.md',
        text: '---\nname: sk\ndescription: Does things.\nlicense: MIT\nallowed-tools:\n  - t\nuser-invocable: true\n---\n\n# sk\n\nDoes things.\n\n## Tools\n\n- `a`: A. (m / t)\n- `b`: B. (r / read)\n',
      },
    ]);
    expect(built.notes).toEqual([]);
  });

  it('a SKILL.md of its own wins; files are sorted; binary files are left out with a warning', () => {
    const built = skills(["- { name: own, description: D, location: 'file:///./skills/own', tools: [{ name: i, description: I, instruction: ./docs/how.md }] }"], ['address: 0.0.0.0', 'description: Skills.', "authentication: { type: bearer, token: '{{env.TOKEN}}' }"]);
    const adapter = built.model.skills[0]!;
    expect(adapter).toMatchObject({ address: '0.0.0.0', description: 'Skills.', auth: { kind: 'bearer' } });
    expect(adapter.skills[0]!.files).toEqual([
      { path: 'SKILL.md', text: '# Own' },
      { path: 'docs/how.md', text: 'How' },
    ]);
    expect(adapter.skills[0]!.tools).toEqual([{ name: 'i', description: 'I', instruction: './docs/how.md' }]);
    expect(built.notes).toEqual([`warning construct-unsupported ${S}/0/location`]);
    expect(built.raw[0]!.message).toContain('The skill file blob.bin is binary');
  });

  it('a made SKILL.md sorts before the folder files; instruction tools are listed with their file', () => {
    const built = skills(["- { name: bare, description: D, location: 'file:///./skills/bare', tools: [{ name: i, description: I, instruction: z.md }] }"]);
    expect(built.model.skills[0]!.skills[0]!.files.map((f) => f.path)).toEqual(['A.md', 'SKILL.md', 'z.md']);
    expect(built.model.skills[0]!.skills[0]!.files[1]!.text).toContain('- `i`: I (see z.md)');
    expect(built.notes).toEqual([]);
  });

  const wrong: Array<[string, string, string]> = [
    ['{ sourceNamespace: mm, action: t }', `error skill-tool-source-missing ${S}/0/tools/0/from/sourceNamespace`, 'Did you mean `m`?'],
    ['{ sourceNamespace: zzzzzz, action: t }', `error skill-tool-source-missing ${S}/0/tools/0/from/sourceNamespace`, 'Name an adapter namespace and one of its tool or operation names.'],
    ['{ sourceNamespace: r, action: reed }', `error skill-tool-source-missing ${S}/0/tools/0/from/action`, 'Did you mean `read`?'],
    ['{ sourceNamespace: m, action: tt }', `error skill-tool-source-missing ${S}/0/tools/0/from/action`, 'Did you mean `t`?'],
  ];
  it.each(wrong)('a tool from %s', (from, want, hint) => {
    const built = skills([`- { name: k, description: D, tools: [{ name: a, description: A, from: ${from} }] }`]);
    expect(built.notes).toEqual([want]);
    expect(built.raw[0]!.hint).toBe(hint);
    expect(built.raw[0]!.message).toMatch(want.endsWith('sourceNamespace') ? /^No REST or MCP adapter of this capability is named `\w+`\.$/ : /^The adapter `\w+` has no operation or tool named `\w+`\.$/);
  });

  const missing: Array<[string, string, string]> = [
    ['no folder', '{ name: k, description: D, tools: [{ name: i, description: I, instruction: how.md }] }', "needs the skill's `location` folder"],
    ['not in the folder', "{ name: k, description: D, location: 'file:///./skills/own', tools: [{ name: i, description: I, instruction: nope.md }] }", 'is not in the skill folder'],
    ['outside the folder', "{ name: k, description: D, location: 'file:///./skills/own', tools: [{ name: i, description: I, instruction: ../bare/z.md }] }", 'is not in the skill folder'],
    ['absolute', "{ name: k, description: D, location: 'file:///./skills/own', tools: [{ name: i, description: I, instruction: /etc/passwd }] }", 'is not in the skill folder'],
  ];
  it.each(missing)('an instruction file %s', (_, skill, says) => {
    const built = skills([`- ${skill}`]);
    expect(built.notes.filter((n) => n.includes('skill-file-missing'))).toEqual([`error skill-file-missing ${S}/0/tools/0/instruction`]);
    expect(built.raw.find((n) => n.rule === 'skill-file-missing')!.message).toContain(says);
  });

  it('an unreadable folder is an error, and its instructions are not checked again', () => {
    const built = skills(["- { name: k, description: D, location: 'file:///./skills/none', tools: [{ name: i, description: I, instruction: x.md }] }"]);
    expect(built.notes).toEqual([`error skill-location-unreadable ${S}/0/location`]);
    expect(built.model.skills[0]!.skills[0]!.files.map((f) => f.path)).toEqual(['SKILL.md']);
    expect(built.raw[0]!.message).toContain('(from `file:///./skills/none`) cannot be read');
  });

  it('every frontmatter key is kept; a skill without tools has no tools section', () => {
    const built = skills(["- { name: all, description: D, license: MIT, compatibility: node, metadata: { a: b }, allowed-tools: x, argument-hint: '[file]', user-invocable: false, disable-model-invocation: true, other: dropped }"]);
    const skill = built.model.skills[0]!.skills[0]!;
    expect(skill.frontmatter).toEqual({ license: 'MIT', compatibility: 'node', metadata: { a: 'b' }, 'allowed-tools': 'x', 'argument-hint': '[file]', 'user-invocable': false, 'disable-model-invocation': true });
    expect(skill.tools).toEqual([]);
    expect(skill.files[0]!.text).toBe(
      "---\nname: all\ndescription: D\nlicense: MIT\ncompatibility: node\nmetadata:\n  a: b\nallowed-tools: x\nargument-hint: \"[file]\"\nuser-invocable: false\ndisable-model-invocation: true\n---\n\n# all\n\nD\n",
    );
  });

  it('a folder above the capability, written relative to it', () => {
    const built = skills([`- { name: k, description: D, location: 'file:///../${basename(dir)}/skills/bare' }`]);
    expect(built.model.skills[0]!.skills[0]!.files.map((f) => f.path)).toEqual(['A.md', 'SKILL.md', 'z.md']);
    expect(built.notes).toEqual([]);
  });

  it('an unnamed REST operation offers no action to skills', () => {
    const built = skills(['- { name: k, description: D, tools: [{ name: a, description: A, from: { sourceNamespace: r, action: post-/f } }] }']);
    expect(built.notes).toEqual([`error skill-tool-source-missing ${S}/0/tools/0/from/action`]);
  });

  it('a folder of more than 200 files: the first 200 are in the catalog, with a warning', () => {
    const built = skills(["- { name: k, description: D, location: 'file:///./skills/many' }"]);
    const files = built.model.skills[0]!.skills[0]!.files;
    expect(files).toHaveLength(201);
    expect(files.map((f) => f.path).slice(0, 2)).toEqual(['SKILL.md', 'f000.md']);
    expect(files[200]!.path).toBe('f199.md');
    expect(built.notes).toEqual([`warning construct-unsupported ${S}/0/location`]);
    expect(built.raw[0]!.message).toBe('The skill folder holds 201 files; only the first 200 are in the catalog.');
  });

  it('an absolute file URL is a folder too', () => {
    const built = skills([`- { name: k, description: D, location: 'file://${join(dir, 'skills', 'bare')}' }`]);
    expect(built.model.skills[0]!.skills[0]!.files.map((f) => f.path)).toEqual(['A.md', 'SKILL.md', 'z.md']);
    expect(built.notes).toEqual([]);
  });
});

describe('walks over the model', () => {
  it('lists operations, tools, resources and consumed operations, and who reads secrets', () => {
    const yaml = withExposes([
      '- { type: rest, namespace: r, port: 1, resources: [{ path: /a, operations: [{ method: GET, call: api.get-json }] }] }',
      "- { type: rest, namespace: r2, port: 2, resources: [{ path: /b, operations: [{ method: GET, call: api.get-json, with: { X-Key: plain } }] }] }",
      "- { type: mcp, namespace: m, tools: [{ name: t, description: T, outputParameters: [{ name: x, type: string, value: '{{env.TOKEN}}' }] }], resources: [{ name: f, description: F, uri: 'data://f', steps: [{ type: call, name: s, call: api.get-json }] }] }",
    ]);
    const { model } = modelOf(yaml);
    expect(restOperations(model).map((o) => o.path)).toEqual(['/a', '/b']);
    expect(mcpTools(model).map((t) => t.name)).toEqual(['t']);
    expect(mcpResources(model).map((r) => r.name)).toEqual(['f']);
    expect(handledItems(model).map((i) => i.name)).toEqual(['get-/a', 'get-/b', 't', 'f']);
    expect(consumedOperations(model).map((o) => o.name)).toEqual(['get-file', 'get-capped', 'get-json']);
    expect(model.rest.map(adapterUsesSecrets)).toEqual([true, false]);
    expect(adapterUsesSecrets(model.mcp[0]!)).toBe(true);
    expect(handlerUsesSecrets(model.mcp[0]!.tools[0]!.handler)).toBe(false);
  });

  const handlers: Array<[string, boolean]> = [
    ['{ type: call, name: s, call: plain.none }', false],
    ['{ type: call, name: s, call: api.get-json }', true],
    ['{ type: call, name: s, call: api.get-json, with: { a: b } }', true],
    ["{ type: lookup, name: l, lookupValue: '{{env.TOKEN}}' }", true],
    ["{ type: lookup, name: l, lookupValue: '{{x}}' }", false],
    ["{ type: lookup, name: l, lookupValue: '$.x' }", false],
  ];
  it.each(handlers)('steps %s read a secret: %s', (step, want) => {
    const { model } = modelOf(withExposes([`- { type: mcp, namespace: m, tools: [{ name: t, description: T, steps: [${step}] }] }`]));
    expect(handlerUsesSecrets(model.mcp[0]!.tools[0]!.handler)).toBe(want);
  });

  it('a step that only sends a secret through with, and a plain API', () => {
    const yaml = cap(
      [
        'consumes:',
        "  - { type: http, namespace: p, baseUri: 'https://p.test', resources: [{ name: r, path: /r, operations: [{ name: get, method: GET, inputParameters: [{ name: q, in: query }] }] }] }",
        'exposes:',
        "  - { type: mcp, namespace: m, tools: [{ name: a, description: A, steps: [{ type: call, name: s, call: p.get, with: { q: '{{env.TOKEN}}' } }] }, { name: b, description: B, steps: [{ type: call, name: s, call: p.get, with: { q: x } }] }, { name: c, description: C, call: p.get, with: { q: '{{env.TOKEN}}' } }, { name: d, description: D, call: p.get, with: { q: 'a{{env.TOKEN}}' } }, { name: e, description: E, call: p.get } ] }",
      ].join('\n'),
      HEAD,
    );
    const tools = modelOf(yaml).model.mcp[0]!.tools;
    expect(tools.map((t) => handlerUsesSecrets(t.handler))).toEqual([true, false, true, true, false]);
  });
});

describe('walks over the raw document', () => {
  it('lists binds, consumes, exposes, adapters and exposed items with their places', () => {
    const doc = parse(
      cap(
        [
          'binds: [{ namespace: b2, keys: {} }]',
          'consumes: [{ type: http, namespace: c2 }]',
          'exposes:',
          '  - { type: rest, namespace: r, port: 1, resources: [{ path: /a, operations: [{ method: GET }, { method: PUT }] }, { path: /b }] }',
          '  - { type: control, port: 2 }',
          '  - { type: mcp, namespace: m, tools: [{ name: t, description: T }] }',
          '  - { type: rest, namespace: r2, port: 3 }',
          '  - { type: mcp, namespace: m2 }',
        ].join('\n'),
        'binds: [{ namespace: b1, keys: {} }]\nconsumes: [{ type: http, namespace: c1 }]',
      ),
    ) as RawDocument;
    expect(allBinds(doc).map((b) => [b.entry.namespace, b.path.join('/')])).toEqual([
      ['b1', 'binds/0'],
      ['b2', 'capability/binds/0'],
    ]);
    expect(allConsumes(doc).map((b) => [b.entry.namespace, b.path.join('/')])).toEqual([
      ['c1', 'consumes/0'],
      ['c2', 'capability/consumes/0'],
    ]);
    expect(allExposes(doc).map((e) => e.path.join('/'))).toEqual([0, 1, 2, 3, 4].map((i) => `capability/exposes/${i}`));
    expect(restAdapters(doc).map((a) => `${a.entry.namespace}@${a.path.join('/')}`)).toEqual(['r@capability/exposes/0', 'r2@capability/exposes/3']);
    expect(mcpAdapters(doc).map((a) => `${a.entry.namespace}@${a.path.join('/')}`)).toEqual(['m@capability/exposes/2', 'm2@capability/exposes/4']);
    expect(exposedItems(doc).map((i) => `${i.kind} ${i.path.join('/')}${i.kind === 'rest' ? ` ${i.resourcePath.join('/')} ${i.resource.path} ${i.item.method}` : ` ${i.item.name}`} ${i.adapter.namespace}`)).toEqual([
      'rest capability/exposes/0/resources/0/operations/0 capability/exposes/0/resources/0 /a GET r',
      'rest capability/exposes/0/resources/0/operations/1 capability/exposes/0/resources/0 /a PUT r',
      'mcp capability/exposes/2/tools/0 t m',
    ]);
    const empty = { naftiko: 'x' } as RawDocument;
    expect([allBinds(empty), allConsumes(empty), allExposes(empty), exposedItems(empty)]).toEqual([[], [], [], []]);
  });
});
