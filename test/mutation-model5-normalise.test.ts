/**
 * Reading an ikanos document into the raw shape (src/model/normalise/normalise.ts), resolving its
 * imports (imports.ts) and binding unbound `{{env.X}}` (unbound-env.ts), given and wanted. Every
 * document is read INSIDE its test: Stryker switches a mutant on only for the tests themselves, so a
 * document read in a describe block or a beforeAll would be read by the unmutated code.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { resolveImports } from '../src/model/normalise/imports.js';
import { normaliseDocument } from '../src/model/normalise/normalise.js';
import { bindUnboundEnv } from '../src/model/normalise/unbound-env.js';
import type { RawDocument } from '../src/model/raw.js';
import { findSpecVersion } from '../src/validate/versions.js';

// The imports resolver reads each shared document once per capability: count the reads (the real
// readFileSync does the reading).
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return { ...fs, readFileSync: vi.fn(fs.readFileSync) };
});

const BETA5 = findSpecVersion('1.0.0-beta5', 'ikanos')!;

/** A capability and a shared part at its root, in the keyed (ikanos) shape. */
const DOC = `
ikanos: 1.0.0-beta5
info: { display: Ships, description: D }
binds:
  - { namespace: env, keys: { TOKEN: TOKEN } }
exposes:
  - type: mcp
    namespace: shared-mcp
    tools:
      look: { description: L, call: api.get }
aggregates:
  - namespace: root-agg
    flows:
      rf: { description: RF, call: api.get }
capability:
  consumes:
    - type: http
      namespace: api
      baseUri: https://api.test
      authentication: { type: bearer, token: '{{env.TOKEN}}' }
      inputParameters: { X-Key: { in: header } }
      resources:
        ships:
          path: /ships
          operations:
            get:
              method: GET
              inputParameters: { q: { in: query } }
              outputParameters: { name: { type: string, value: $.name } }
              mappings: [{ target: a, value: $.b }]
  exposes:
    - type: rest
      namespace: r
      port: 1
      resources:
        ships:
          path: /ships
          inputParameters: { q: { in: query, type: string, description: Q } }
          operations:
            list: { method: GET, call: api.get, outputParameters: { n: { type: string, value: $.n } } }
    - type: mcp
      namespace: m
      tools:
        find: { description: F, call: api.get }
        free: { description: R, ref: agg.g, outputParameters: { x: ~ } }
        orch:
          description: O
          steps: { s1: { type: call, call: api.get, mappings: [{ target: t, value: $.v }] } }
          mappings: [{ target: out, value: $.s1 }]
          outputParameters:
            - { type: array, mapping: $.x, items: { id: { type: string, value: $.id } } }
            - { type: object, properties: { p: { type: string, mapping: $.p } } }
        scalar: { description: S, ref: agg.g, outputParameters: 3 }
      resources:
        res: { description: R, uri: 'data://r', call: api.get, outputParameters: { x: { type: string, value: $.x } } }
      prompts:
        ask: { description: A, arguments: { topic: { description: T } }, template: [{ role: user, content: hi }] }
    - type: skill
      namespace: s
      port: 2
      skills:
        sk: { description: S, tools: { t: { description: T, instruction: x.md } } }
  aggregates:
    - namespace: agg
      flows:
        g: { description: G, call: api.get }
    - { namespace: bare }
`;

type Any = Record<string, any>;
const read = (): { raw: Any; sourcePath: ReturnType<typeof normaliseDocument>['sourcePath'] } => {
  const n = normaliseDocument(BETA5, parse(DOC));
  return { raw: n.raw as unknown as Any, sourcePath: n.sourcePath };
};

describe('an ikanos document read into the raw shape (read in each test)', () => {
  // [what, where in the raw shape, wanted value]
  const shapes: Array<[string, (raw: Any) => unknown, unknown]> = [
    ['display is read as label', (r) => r.info, { label: 'Ships', description: 'D' }],
    ['consumed inputs become a named list', (r) => r.capability.consumes[0].inputParameters, [{ name: 'X-Key', in: 'header' }]],
    [
      'a consumed operation: inputs, outputs and mappings',
      (r) => r.capability.consumes[0].resources[0].operations[0],
      { name: 'get', method: 'GET', inputParameters: [{ name: 'q', in: 'query' }], outputParameters: [{ name: 'name', type: 'string', value: '$.name' }], mappings: [{ targetName: 'a', value: '$.b' }] },
    ],
    [
      'REST resources and their operations become named lists',
      (r) => r.capability.exposes[0].resources,
      [{ name: 'ships', path: '/ships', inputParameters: [{ name: 'q', in: 'query', type: 'string', description: 'Q' }], operations: [{ name: 'list', method: 'GET', call: 'api.get', outputParameters: [{ name: 'n', type: 'string', value: '$.n' }] }] }],
    ],
    [
      'an orchestrated tool: steps and their mappings, mappings, item and property outputs',
      (r) => r.capability.exposes[1].tools[2],
      {
        name: 'orch',
        description: 'O',
        steps: [{ name: 's1', type: 'call', call: 'api.get', mappings: [{ targetName: 't', value: '$.v' }] }],
        mappings: [{ targetName: 'out', value: '$.s1' }],
        outputParameters: [
          { type: 'array', mapping: '$.x', items: [{ name: 'id', type: 'string', value: '$.id' }] },
          { type: 'object', properties: { p: { type: 'string', mapping: '$.p' } } },
        ],
      },
    ],
    ['a scalar output under ref declares none', (r) => r.capability.exposes[1].tools[3].outputParameters, []],
    ['an aggregate without flows gets no functions', (r) => Object.keys(r.capability.aggregates[1]), ['namespace']],
    ['MCP tools become a named list', (r) => r.capability.exposes[1].tools[0], { name: 'find', description: 'F', call: 'api.get' }],
    ['an output declared empty under ref is a named output', (r) => r.capability.exposes[1].tools[1].outputParameters, [{ name: 'x' }]],
    ['an MCP resource is read like a tool', (r) => r.capability.exposes[1].resources, [{ name: 'res', description: 'R', uri: 'data://r', call: 'api.get', outputParameters: [{ name: 'x', type: 'string', value: '$.x' }] }]],
    ['prompt arguments become a named list', (r) => r.capability.exposes[1].prompts[0].arguments, [{ name: 'topic', description: 'T' }]],
    ['skills and their tools become named lists', (r) => r.capability.exposes[2].skills, [{ name: 'sk', description: 'S', tools: [{ name: 't', description: 'T', instruction: 'x.md' }] }]],
    ['capability flows become functions', (r) => r.capability.aggregates[0].functions, [{ name: 'g', description: 'G', call: 'api.get' }]],
    ['root-level adapters (a shared document) are read too', (r) => r.exposes[0].tools, [{ name: 'look', description: 'L', call: 'api.get' }]],
    ['root-level aggregates too', (r) => r.aggregates[0].functions, [{ name: 'rf', description: 'RF', call: 'api.get' }]],
  ];
  it.each(shapes)('%s', (_, pick, want) => {
    expect(pick(read().raw)).toEqual(want);
  });

  // [raw path, where it is written in the source, whether at the key]
  const places: Array<[Array<string | number>, Array<string | number>, boolean]> = [
    [['capability', 'consumes', 0, 'baseUri'], ['capability', 'consumes', 0, 'baseUri'], false],
    [['capability', 'consumes', 0, 'authentication', 'token'], ['capability', 'consumes', 0, 'authentication', 'token'], false],
    [['capability', 'consumes', 0, 'resources', 0, 'path'], ['capability', 'consumes', 0, 'resources', 'ships', 'path'], false],
    [['capability', 'consumes', 0, 'resources', 0, 'name'], ['capability', 'consumes', 0, 'resources', 'ships'], true],
    [['capability', 'exposes', 1, 'tools', 0, 'call'], ['capability', 'exposes', 1, 'tools', 'find', 'call'], false],
    [['capability', 'aggregates', 0, 'functions', 0, 'call'], ['capability', 'aggregates', 0, 'flows', 'g', 'call'], false],
    [['info', 'label'], ['info', 'display'], false],
    [['capability', 'consumes', 0, 'resources', 0, 'operations', 0, 'mappings', 0, 'targetName'], ['capability', 'consumes', 0, 'resources', 'ships', 'operations', 'get', 'mappings', 0, 'target'], false],
    [['binds', 0, 'keys', 'TOKEN'], ['binds', 0, 'keys', 'TOKEN'], false],
  ];
  it.each(places)('raw %j is written at %j', (rawPath, want, atKey) => {
    expect(read().sourcePath(rawPath)).toEqual({ path: want, atKey });
  });
});

describe('resolving imports (files read in each test)', () => {
  let dir: string;
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  const HTTP = (ns: string) => `{ type: http, namespace: ${ns}, baseUri: "https://${ns}.test", resources: { r: { path: /r, operations: { get: { method: GET } } } } }`;
  beforeAll(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'model5-imports-')), 'cap');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    write('shared.yaml', `ikanos: 1.0.0-beta5\nconsumes:\n  - ${HTTP('weather')}\n`);
    write('two.yaml', `ikanos: 1.0.0-beta5\nconsumes:\n  - ${HTTP('alpha')}\n  - ${HTTP('beta')}\n`);
    write('chained.yaml', `ikanos: 1.0.0-beta5\nconsumes:\n  - { from: ./shared.yaml, import: weather }\n  - ${HTTP('own')}\n`);
    write(
      'old.yaml',
      'naftiko: 1.0.0-alpha2\ncapability:\n  consumes:\n    - { type: http, namespace: legacy, baseUri: "https://l.test", resources: [{ name: r, path: /r, operations: [{ name: get, method: GET }] }] }\n  exposes:\n    - { type: mcp, namespace: m, port: 3000, description: M, tools: [{ name: t, description: T, call: legacy.get }] }\n',
    );
    write('empty.yaml', '');
    write('scalar.yaml', 'just words\n');
    write('bad.yaml', 'ikanos: [unclosed\n');
    write('sub/more.yaml', `ikanos: 1.0.0-beta5\nconsumes:\n  - ${HTTP('other')}\n`);
    writeFileSync(join(dir, '..', 'outside.yaml'), 'ikanos: 1.0.0-beta5\nconsumes: []\n');
    symlinkSync(join(dir, '..', 'outside.yaml'), join(dir, 'link.yaml'));
  });
  afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  const resolveIn = (capability: Any, root: Any = {}) => {
    const doc = { naftiko: '1.0.0-beta5', ...root, capability } as unknown as RawDocument;
    const notes = resolveImports(doc, join(dir, 'cap.yaml'));
    return { doc: doc as unknown as Any, notes: notes.map((n) => `${n.severity} ${n.rule} ${n.path.join('/')}`), raw: notes };
  };

  // [what, from, import, want: the namespace imported, or the finding]
  const rows: Array<[string, string, string, string]> = [
    ['an empty shared file', './empty.yaml', 'x', 'error import-unreadable capability/consumes/0/from: it is not a mapping of keys.'],
    ['a shared file of one scalar', './scalar.yaml', 'x', 'error import-unreadable capability/consumes/0/from: it is not a mapping of keys.'],
    ['a naftiko document', './old.yaml', 'legacy', 'legacy'],
    ['file:// with two slashes', 'file://./shared.yaml', 'weather', 'weather'],
    ['file:/// in the middle is a folder name', 'sub/file:///./more.yaml', 'other', 'error import-unreadable capability/consumes/0/from: the file does not exist.'],
    ['a missing file above the folder', '../missing.yaml', 'x', "error import-outside-folder capability/consumes/0/from: leaves the capability's folder"],
    ['a link out of the folder', './link.yaml', 'x', "error import-outside-folder capability/consumes/0/from: leaves the capability's folder"],
  ];
  it.each(rows)('%s', (_, from, name, want) => {
    const { doc, notes, raw } = resolveIn({ consumes: [{ from, import: name }] });
    if (!want.includes(' ')) {
      expect(notes).toEqual([]);
      expect(doc.capability.consumes[0].namespace).toBe(want);
      return;
    }
    const [finding, says] = want.split(': ');
    expect(notes).toEqual([finding]);
    expect(raw[0]!.message).toContain(says);
  });

  it('a YAML error is told by its first line', () => {
    const message = resolveIn({ consumes: [{ from: './bad.yaml', import: 'x' }] }).raw[0]!.message;
    expect(message).toMatch(/^`from: \.\/bad\.yaml` cannot be imported: it is not valid YAML \([^\n)]{10,}/);
  });

  it('an import at the root is reported at the root', () => {
    expect(resolveIn({}, { consumes: [{ from: './nope.yaml', import: 'x' }] }).notes).toEqual(['error import-unreadable consumes/0/from']);
  });

  it('the hint lists what the shared document defines itself, not what it imports', () => {
    expect(resolveIn({ consumes: [{ from: './two.yaml', import: 'gamma' }] }).raw[0]!.hint).toBe('It declares `alpha`, `beta`.');
    expect(resolveIn({ consumes: [{ from: './chained.yaml', import: 'nope' }] }).raw[0]!.hint).toBe('It declares `own`.');
  });

  it('a shared document imported three times is read once', () => {
    const reads = vi.mocked(readFileSync);
    reads.mockClear();
    const { doc, notes } = resolveIn({ consumes: [{ from: './two.yaml', import: 'alpha' }, { from: './two.yaml', import: 'beta' }] }, { consumes: [{ from: './two.yaml', import: 'alpha', as: 'a2' }] });
    expect(notes).toEqual([]);
    expect([...doc.consumes, ...doc.capability.consumes].map((c: Any) => c.namespace)).toEqual(['a2', 'alpha', 'beta']);
    expect(reads.mock.calls.filter(([file]) => String(file).endsWith('two.yaml'))).toHaveLength(1);
  });
});

describe('unbound env variables', () => {
  it('go into the env entry, not into the first entry of another namespace', () => {
    const doc = parse("naftiko: x\nbinds: [{ namespace: vault, keys: { S: S } }, { namespace: env, keys: { K: K } }]\ncapability:\n  consumes: [{ namespace: a, baseUri: '{{env.NEW}}' }]") as RawDocument;
    expect(bindUnboundEnv(doc).map((u) => u.variable)).toEqual(['NEW']);
    expect(doc.binds).toEqual([
      { namespace: 'vault', keys: { S: 'S' } },
      { namespace: 'env', keys: { K: 'K', NEW: 'NEW' } },
    ]);
  });

  it('a null value in the document is passed over', () => {
    const doc = parse("naftiko: x\ncapability:\n  exposes: [{ type: mcp, tools: [{ name: t, with: { a: ~, b: '{{env.B}}' } }] }]") as RawDocument;
    expect(bindUnboundEnv(doc)).toEqual([{ variable: 'B', path: ['capability', 'exposes', 0, 'tools', 0, 'with', 'b'] }]);
  });
});
