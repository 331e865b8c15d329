/**
 * Reading ikanos documents into the one raw shape (src/model/normalise/normalise.ts), resolving their
 * imports (imports.ts) and binding `{{env.X}}` nobody bound (unbound-env.ts): the shape the model is
 * built from, and where each value was written in the source, given and wanted.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveImports } from '../src/model/normalise/imports.js';
import { normaliseDocument } from '../src/model/normalise/normalise.js';
import { bindUnboundEnv } from '../src/model/normalise/unbound-env.js';
import type { RawDocument } from '../src/model/raw.js';
import { findSpecVersion } from '../src/validate/versions.js';

const BETA5 = findSpecVersion('1.0.0-beta5', 'ikanos')!;
const ALPHA2 = findSpecVersion('1.0.0-alpha2', 'naftiko')!;

const DOC = `
ikanos: 1.0.0-beta5
info: { display: Ships, description: D }
consumes:
  - { from: ./shared.yaml, import: x }
capability:
  consumes:
    - type: http
      namespace: api
      baseUri: https://api.test
      inputParameters: { X-Key: { in: header } }
      resources:
        ships:
          display: Ships
          path: /ships/{imo}
          inputParameters: { imo: { in: path } }
          operations:
            get-ship:
              method: GET
              inputParameters: { q: { in: query } }
              outputParameters: { name: { type: string, value: $.name } }
              mappings: [{ target: a, value: $.b }, 7]
    - { from: ./shared.yaml, import: y }
  exposes:
    - type: rest
      namespace: r
      port: 1
      resources:
        ships:
          path: /ships
          inputParameters: { q: { in: query, type: string, description: Q } }
          operations:
            list:
              method: GET
              display: List
              steps: { s1: { type: call, call: api.get-ship, mappings: [{ target: t, value: $.v }] } }
              mappings: [{ target: out, value: $.s1 }]
              outputParameters:
                - { type: array, mapping: $.x, items: { id: { type: string, value: $.id } } }
                - { type: array, mapping: $.y, items: { type: object, properties: { z: { type: string, mapping: $.z } } } }
                - { type: object, properties: { p: { type: string, mapping: $.p }, s: 3 } }
    - type: mcp
      namespace: m
      tools:
        find: { description: F, call: api.get-ship, outputParameters: 3 }
      resources:
        res: { description: R, uri: 'data://r', call: api.get-ship }
      prompts:
        ask: { description: A, arguments: { topic: { description: T } }, template: [{ role: user, content: hi }] }
    - type: skill
      namespace: s
      port: 2
      skills:
        sk: { description: S, tools: { t: { description: T, instruction: x.md } } }
    - { from: ./shared.yaml, import: z }
  aggregates:
    - namespace: agg
      flows:
        f: { description: F, call: api.get-ship, steps: { one: { type: call, call: api.get-ship } } }
    - { namespace: empty }
    - { from: ./shared.yaml, import: a }
`;

describe('normaliseDocument', () => {
  const { raw, sourcePath } = normaliseDocument(BETA5, parse(DOC));
  const r = raw as unknown as Record<string, any>;
  const c = r.capability;

  it('reads the version and info, and leaves imports as they are', () => {
    expect(r.naftiko).toBe('1.0.0-beta5');
    expect(r).not.toHaveProperty('ikanos');
    expect(r.info).toEqual({ label: 'Ships', description: 'D' });
    expect(r.consumes).toEqual([{ from: './shared.yaml', import: 'x' }]);
    expect(c.consumes[1]).toEqual({ from: './shared.yaml', import: 'y' });
    expect(c.exposes[3]).toEqual({ from: './shared.yaml', import: 'z' });
    expect(c.aggregates[2]).toEqual({ from: './shared.yaml', import: 'a' });
  });

  it('turns keyed maps of consumed resources, operations and parameters into named lists', () => {
    const api = c.consumes[0];
    expect(api.inputParameters).toEqual([{ name: 'X-Key', in: 'header' }]);
    expect(api.resources).toEqual([
      {
        name: 'ships',
        label: 'Ships',
        path: '/ships/{imo}',
        inputParameters: [{ name: 'imo', in: 'path' }],
        operations: [
          {
            name: 'get-ship',
            method: 'GET',
            inputParameters: [{ name: 'q', in: 'query' }],
            outputParameters: [{ name: 'name', type: 'string', value: '$.name' }],
            mappings: [{ targetName: 'a', value: '$.b' }, 7],
          },
        ],
      },
    ]);
  });

  it('exposed operations: steps, mappings and every kind of output', () => {
    const res = c.exposes[0].resources[0];
    expect(res.name).toBe('ships');
    expect(res.inputParameters).toEqual([{ name: 'q', in: 'query', type: 'string', description: 'Q' }]);
    const op = res.operations[0];
    expect(op).toMatchObject({ name: 'list', method: 'GET', label: 'List' });
    expect(op.steps).toEqual([{ name: 's1', type: 'call', call: 'api.get-ship', mappings: [{ targetName: 't', value: '$.v' }] }]);
    expect(op.mappings).toEqual([{ targetName: 'out', value: '$.s1' }]);
    expect(op.outputParameters).toEqual([
      { type: 'array', mapping: '$.x', items: [{ name: 'id', type: 'string', value: '$.id' }] },
      { type: 'array', mapping: '$.y', items: { type: 'object', properties: { z: { type: 'string', mapping: '$.z' } } } },
      { type: 'object', properties: { p: { type: 'string', mapping: '$.p' }, s: 3 } },
    ]);
  });

  it('MCP tools, resources, prompts and skills', () => {
    const mcp = c.exposes[1];
    expect(mcp.tools).toEqual([{ name: 'find', description: 'F', call: 'api.get-ship', outputParameters: [] }]);
    expect(mcp.resources).toEqual([{ name: 'res', description: 'R', uri: 'data://r', call: 'api.get-ship' }]);
    expect(mcp.prompts).toEqual([{ name: 'ask', description: 'A', arguments: [{ name: 'topic', description: 'T' }], template: [{ role: 'user', content: 'hi' }] }]);
    expect(c.exposes[2].skills).toEqual([{ name: 'sk', description: 'S', tools: [{ name: 't', description: 'T', instruction: 'x.md' }] }]);
  });

  it('aggregate flows become functions', () => {
    expect(c.aggregates[0]).toEqual({ namespace: 'agg', functions: [{ name: 'f', description: 'F', call: 'api.get-ship', steps: [{ name: 'one', type: 'call', call: 'api.get-ship' }] }] });
    expect(c.aggregates[1]).toEqual({ namespace: 'empty' });
  });

  const places: Array<[Array<string | number>, Array<string | number>, boolean]> = [
    [['capability', 'consumes', 0, 'resources', 0, 'name'], ['capability', 'consumes', 0, 'resources', 'ships'], true],
    [['capability', 'consumes', 0, 'resources', 0, 'label'], ['capability', 'consumes', 0, 'resources', 'ships', 'display'], false],
    [['capability', 'consumes', 0, 'resources', 0, 'operations', 0, 'inputParameters', 0, 'in'], ['capability', 'consumes', 0, 'resources', 'ships', 'operations', 'get-ship', 'inputParameters', 'q', 'in'], false],
    [['capability', 'consumes', 0, 'resources', 0, 'operations', 0, 'mappings', 0, 'targetName'], ['capability', 'consumes', 0, 'resources', 'ships', 'operations', 'get-ship', 'mappings', 0, 'target'], false],
    [['capability', 'aggregates', 0, 'functions', 0, 'call'], ['capability', 'aggregates', 0, 'flows', 'f', 'call'], false],
    [['capability', 'aggregates', 0, 'functions', 0], ['capability', 'aggregates', 0, 'flows', 'f'], false],
    [['capability', 'aggregates', 0, 'functions'], ['capability', 'aggregates', 0, 'flows'], false],
    [['capability', 'aggregates', 0, 'functions', 0, 'steps', 0, 'call'], ['capability', 'aggregates', 0, 'flows', 'f', 'steps', 'one', 'call'], false],
    [['capability', 'exposes', 1, 'tools', 0, 'description'], ['capability', 'exposes', 1, 'tools', 'find', 'description'], false],
    [['capability', 'exposes', 1, 'tools', 0, 'name'], ['capability', 'exposes', 1, 'tools', 'find'], true],
    [['capability', 'exposes', 0, 'resources', 0, 'path'], ['capability', 'exposes', 0, 'resources', 'ships', 'path'], false],
    [['capability', 'exposes', 0, 'resources', 0, 'operations', 0, 'outputParameters', 0, 'items', 0, 'value'], ['capability', 'exposes', 0, 'resources', 'ships', 'operations', 'list', 'outputParameters', 0, 'items', 'id', 'value'], false],
    [['capability', 'exposes', 0, 'resources', 0, 'operations', 0, 'outputParameters', 2, 'properties', 'p', 'mapping'], ['capability', 'exposes', 0, 'resources', 'ships', 'operations', 'list', 'outputParameters', 2, 'properties', 'p', 'mapping'], false],
    [['capability', 'exposes', 0, 'port'], ['capability', 'exposes', 0, 'port'], false],
    [['info', 'label'], ['info', 'display'], false],
    [['capability', 'exposes', 1, 'nothing', 'deeper', 3], ['capability', 'exposes', 1, 'nothing', 'deeper', 3], false],
    [[], [], false],
    [['capability'], ['capability'], false],
  ];
  it.each(places)('%j is written at %j', (rawPath, want, atKey) => {
    expect(sourcePath(rawPath)).toEqual({ path: want, atKey });
  });

  it('a document of a version without maps is read as it is', () => {
    const data = { naftiko: '1.0.0-alpha2', capability: { exposes: [] } };
    const n = normaliseDocument(ALPHA2, data);
    expect(n.raw).toBe(data);
    expect(n.sourcePath(['capability', 'exposes', 0, 'label'])).toEqual({ path: ['capability', 'exposes', 0, 'label'], atKey: false });
  });

  it('scalars where maps are expected are left for the schema to report', () => {
    const odd = normaliseDocument(BETA5, { ikanos: '1.0.0-beta5', info: 'x', capability: { consumes: 'nope', exposes: [{ type: 'rest', resources: { r: 5 } }] } }).raw as any;
    expect(odd.info).toBe('x');
    expect(odd.capability.consumes).toBe('nope');
    expect(odd.capability.exposes[0].resources).toEqual([{ name: 'r' }]);
    expect(normaliseDocument(BETA5, { ikanos: '1', capability: 'x' }).raw).toEqual({ naftiko: '1', capability: 'x' });
  });
});

describe('bindUnboundEnv', () => {
  const doc = (y: string): RawDocument => parse(y) as RawDocument;

  it('binds each unbound variable once, where first used, into the env entry without location', () => {
    const d = doc(`
naftiko: 1.0.0-alpha2
binds:
  - { namespace: env, location: ./s.env, keys: { FILE: FILE } }
  - { namespace: env, keys: { KNOWN: KNOWN } }
consumes:
  - { namespace: a, authentication: { type: bearer, token: '{{ env.NEW }} {{env.KNOWN}} {{env.FILE}}' } }
capability:
  consumes:
    - namespace: b
      description: '{{env.PROSE}}'
      resources: [{ label: '{{env.PROSE}}', path: '/x/{{env.NEW}}/{{env.OTHER}}' }]
  exposes:
    - { type: mcp, display: '{{env.PROSE}}', tools: [{ with: { a: '{{env.THIRD}}' } }] }
  binds:
    - { namespace: env, keys: { INNER: '{{env.NOT_A_USE}}' } }
`);
    expect(bindUnboundEnv(d)).toEqual([
      { variable: 'NEW', path: ['consumes', 0, 'authentication', 'token'] },
      { variable: 'OTHER', path: ['capability', 'consumes', 0, 'resources', 0, 'path'] },
      { variable: 'THIRD', path: ['capability', 'exposes', 0, 'tools', 0, 'with', 'a'] },
    ]);
    expect(d.binds![1]!.keys).toEqual({ KNOWN: 'KNOWN', NEW: 'NEW', OTHER: 'OTHER', THIRD: 'THIRD' });
    expect(d.binds![0]!.keys).toEqual({ FILE: 'FILE' });
  });

  it('adds an env entry when there is none; changes nothing when all are bound', () => {
    const d = doc("naftiko: x\ncapability:\n  consumes: [{ namespace: a, baseUri: '{{env.A}}' }]");
    expect(bindUnboundEnv(d).map((u) => u.variable)).toEqual(['A']);
    expect(d.binds).toEqual([{ namespace: 'env', keys: { A: 'A' } }]);
    const withFileOnly = doc("naftiko: x\nbinds: [{ namespace: env, location: ./f, keys: {} }]\ncapability:\n  consumes: [{ namespace: a, baseUri: '{{env.A}}' }]");
    bindUnboundEnv(withFileOnly);
    expect(withFileOnly.binds).toEqual([{ namespace: 'env', location: './f', keys: {} }, { namespace: 'env', keys: { A: 'A' } }]);
    const bound = doc("naftiko: x\nbinds: [{ namespace: other, keys: { A: A } }]\ncapability:\n  consumes: [{ namespace: a, baseUri: '{{env.A}} {{env.1X}}' }]");
    expect(bindUnboundEnv(bound)).toEqual([]);
    expect(bound.binds).toEqual([{ namespace: 'other', keys: { A: 'A' } }]);
    const none = doc('naftiko: x');
    expect(bindUnboundEnv(none)).toEqual([]);
    expect(none).not.toHaveProperty('binds');
  });
});

describe('resolveImports', () => {
  let dir: string;
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'model-imports-'));
    mkdirSync(join(dir, 'cap'));
    mkdirSync(join(dir, 'cap', 'sub'));
    dir = join(dir, 'cap');
    write(
      'shared.yaml',
      `ikanos: 1.0.0-beta5
consumes:
  - type: http
    namespace: weather
    baseUri: https://w.test
    resources:
      r: { path: /r, operations: { get: { method: GET } } }
`,
    );
    write('keys.yaml', 'ikanos: 1.0.0-beta5\nbinds:\n  - { namespace: keys, keys: { K: K } }\n');
    write('sub/more.yaml', 'ikanos: 1.0.0-beta5\nconsumes:\n  - { type: http, namespace: other, baseUri: "https://o.test", resources: { r: { path: /r, operations: { get: { method: GET } } } } }\n');
    write('bad.yaml', 'ikanos: [unclosed\n');
    write('list.yaml', '- a\n- b\n');
    write('noversion.yaml', 'consumes: []\n');
    write('invalid.yaml', 'ikanos: 1.0.0-beta5\nconsumes: 5\n');
    writeFileSync(join(dir, '..', 'outside.yaml'), 'ikanos: 1.0.0-beta5\nconsumes: []\n');
    symlinkSync(join(dir, '..', 'outside.yaml'), join(dir, 'link.yaml'));
  });
  afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  const resolveIn = (capability: Record<string, unknown>, root?: Record<string, unknown>) => {
    const doc = { naftiko: '1.0.0-beta5', ...root, capability } as unknown as RawDocument;
    const notes = resolveImports(doc, join(dir, 'cap.yaml'));
    return { doc: doc as unknown as Record<string, any>, notes: notes.map((n) => `${n.severity} ${n.rule} ${n.path.join('/')}`), raw: notes };
  };

  it('puts the named definition in place of the entry, renamed by as', () => {
    const { doc, notes } = resolveIn(
      { consumes: [{ from: './shared.yaml', import: 'weather', as: 'w' }, { from: 'file:///./sub/more.yaml', import: 'other' }, { type: 'http', namespace: 'own' }], binds: [{ from: 'keys.yaml', import: 'keys' }] },
      { consumes: [{ from: join(dir, 'shared.yaml'), import: 'weather' }] },
    );
    expect(notes).toEqual([]);
    expect(doc.consumes[0]).toMatchObject({ namespace: 'weather', baseUri: 'https://w.test', resources: [{ name: 'r', path: '/r', operations: [{ name: 'get', method: 'GET' }] }] });
    expect(doc.capability.consumes.map((c: any) => c.namespace)).toEqual(['w', 'other', 'own']);
    expect(doc.capability.binds).toEqual([{ namespace: 'keys', keys: { K: 'K' } }]);
    // Each import is a copy: renaming one leaves the shared definition alone.
    expect(doc.consumes[0].namespace).toBe('weather');
  });

  const problems: Array<[string, string, string, string]> = [
    ['../outside.yaml', 'weather', 'error import-outside-folder capability/consumes/0/from', "leaves the capability's folder"],
    ['./link.yaml', 'weather', 'error import-outside-folder capability/consumes/0/from', "leaves the capability's folder"],
    ['/etc/hosts', 'weather', 'error import-outside-folder capability/consumes/0/from', "leaves the capability's folder"],
    ['./missing.yaml', 'weather', 'error import-unreadable capability/consumes/0/from', 'cannot be imported: the file does not exist.'],
    ['./bad.yaml', 'weather', 'error import-unreadable capability/consumes/0/from', 'cannot be imported: it is not valid YAML ('],
    ['./list.yaml', 'weather', 'error import-unreadable capability/consumes/0/from', 'cannot be imported: it is not a mapping of keys.'],
    ['./noversion.yaml', 'weather', 'error import-unreadable capability/consumes/0/from', 'cannot be imported: it has no supported `ikanos:` version.'],
    ['./invalid.yaml', 'weather', 'error import-unreadable capability/consumes/0/from', 'cannot be imported: it does not pass the schema of ikanos 1.0.0-beta5'],
    ['./shared.yaml', 'nope', 'error import-not-found capability/consumes/0/import', '`./shared.yaml` has no consumes entry with the namespace `nope`.'],
  ];
  it.each(problems)('from %s import %s', (from, name, want, says) => {
    const { doc, notes, raw } = resolveIn({ consumes: [{ from, import: name }] });
    expect(notes).toEqual([want]);
    expect(raw[0]!.message).toContain(says);
    expect(doc.capability.consumes[0]).toEqual({ from, import: name });
  });

  it('hints name what the shared document declares, and a document read twice is read once', () => {
    const { raw } = resolveIn({ consumes: [{ from: './shared.yaml', import: 'nope' }], exposes: [{ from: './shared.yaml', import: 'x' }] });
    expect(raw[0]!.hint).toBe('It declares `weather`.');
    expect(raw[1]!.message).toBe('`./shared.yaml` has no exposes entry with the namespace `x`.');
    expect(raw[1]).not.toHaveProperty('hint');
    expect(raw.map((n) => n.path.join('/'))).toEqual(['capability/consumes/0/import', 'capability/exposes/0/import']);
    const outside = resolveIn({ consumes: [{ from: '../outside.yaml', import: 'x' }] }).raw[0]!;
    expect(outside.hint).toBeTruthy();
    expect(outside.message).toBe("`from: ../outside.yaml` leaves the capability's folder; naftiko-gen reads shared documents only from that folder and below.");
  });

  it('entries that are not imports, and documents without a capability, are left alone', () => {
    const doc = { naftiko: '1.0.0-beta5', consumes: [{ from: 5, import: 'x' }, { import: 'x' }, 'text'], capability: 'x' } as unknown as RawDocument;
    expect(resolveImports(doc, join(dir, 'cap.yaml'))).toEqual([]);
    expect((doc as any).consumes).toEqual([{ from: 5, import: 'x' }, { import: 'x' }, 'text']);
    const noList = { naftiko: '1.0.0-beta5', consumes: 'x', capability: { exposes: {} } } as unknown as RawDocument;
    expect(resolveImports(noList, join(dir, 'cap.yaml'))).toEqual([]);
  });
});
