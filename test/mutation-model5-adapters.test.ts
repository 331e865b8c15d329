/**
 * The model builder's own decisions (src/model/build-model.ts: where bound values are read from, which
 * namespaces name secrets, OAuth 2 credentials), MCP resources (mcp-extras.ts), skill catalogs
 * (transform-skill.ts) and the walks that say who reads secrets (walk.ts), given and wanted. Test names
 * are one line, readable in Stryker's report.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_HEAD, cap, modelOf, skillAdapterLines } from './helpers/model-build.js';
import { adapterUsesSecrets, handlerUsesSecrets, mcpResources } from '../src/model/walk.js';

const HEAD = `
binds:
  - namespace: env
    keys: { TOKEN: TOKEN }`;

const API = [
  ...API_HEAD,
  '      - name: files',
  '        path: /files/{id}',
  '        operations:',
  '          - { name: get-file, method: GET }',
  "    inputParameters: [{ name: X-Key, in: header, value: '{{env.TOKEN}}' }]",
  '  - type: http',
  '    namespace: plain',
  '    baseUri: https://plain.test',
  '    resources:',
  '      - name: items',
  '        path: /items',
  '        operations:',
  '          - { name: list, method: GET, inputParameters: [{ name: q, in: query }, { name: r, in: query }] }',
];

const withExposes = (exposes: string[], head = HEAD): string => cap([...API, 'exposes:', ...exposes.map((l) => `  ${l}`)].join('\n'), head);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'model5-adapters-'));
  const file = (path: string, text: string | Buffer) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  file('secret.txt', 'not to be published');
  // A static resource folder: a file and a folder of the same stem, and a link out of the folder.
  file('pub/b.md', 'B');
  file('pub/b/x.md', 'X');
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'pub', 'leak.md'));
  // Skill folders.
  file('skills/linked/SKILL.md', '# Linked');
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'skills', 'linked', 'leak.md'));
  file('skills/sizes/at-cap.md', 'a'.repeat(1024 * 1024));
  file('skills/sizes/over-cap.md', 'a'.repeat(1024 * 1024 + 1));
  for (let i = 0; i < 200; i++) file(`skills/two-hundred/f${String(i).padStart(3, '0')}.md`, String(i));
  // 199 plain names and two above U+FFFF and U+E000: the catalog's own order decides which one passes the cap.
  for (let i = 0; i < 199; i++) file(`skills/wide/a${String(i).padStart(3, '0')}.md`, String(i));
  file('skills/wide/\u{1F600}.md', 'grin');
  file('skills/wide/\uFF01.md', 'bang');
  file('skills/odd/..\\x.md', 'a file whose name climbs');
  file('skills/odd/v1./x.md', 'in a folder whose name ends with a dot');
  file('scripts/main.js', 'result = context.a;');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('where bound values are read from', () => {
  // [what, binds, wanted secrets, wanted findings]
  const rows: Array<[string, string, unknown[], string[]]> = [
    ['a file next to the capability', 'binds:\n  - namespace: s\n    location: ./secrets.yaml\n    keys: { A: a }', [{ namespace: 's', variable: 'A', source: 'a', location: './secrets.yaml' }], []],
    ['a relative file URL', 'binds:\n  - namespace: s\n    location: file:///./dir/.env\n    keys: { A: a }', [{ namespace: 's', variable: 'A', source: 'a', location: './dir/.env' }], []],
    ['a Windows path', 'binds:\n  - namespace: s\n    location: .\\win\\s.json\n    keys: { A: a }', [{ namespace: 's', variable: 'A', source: 'a', location: './win/s.json' }], []],
    ['a vault URL', 'binds:\n  - namespace: s\n    location: vault://kv/app\n    keys: { A: a }', [{ namespace: 's', variable: 'A', source: 'a' }], ['error binds-location-unsupported binds/0/location']],
  ];
  it.each(rows)('%s', (_, head, want, wantNotes) => {
    const built = modelOf(cap('exposes: []', head));
    expect(built.model.secrets).toEqual(want);
    expect(built.notes).toEqual(wantNotes);
  });

  it('a location that is no file is an error at that location, saying what to write instead', () => {
    const built = modelOf('naftiko: 1.0.0-alpha2\ncapability:\n  exposes: []\n  binds:\n    - { namespace: v, location: "vault://kv/app", keys: { A: a } }\n');
    expect(built.notes).toEqual(['error binds-location-unsupported capability/binds/0/location']);
    expect(built.raw[0]!.message).toBe('`vault://kv/app` is not a file location; the generated server reads bound values from files or, without `location`, from the environment.');
    expect(built.raw[0]!.hint).toContain('(`./secrets.yaml`)');
  });

  it('{{env.X}} names a secret bound under another namespace', () => {
    const built = modelOf(
      cap("consumes:\n  - { type: http, namespace: api, baseUri: 'https://a.test', authentication: { type: bearer, token: '{{env.X}}' }, resources: [] }", 'binds:\n  - namespace: vault\n    keys: { X: X }'),
    );
    expect(built.notes).toEqual([]);
    expect(built.model.consumes[0]!.authentication).toEqual({ kind: 'bearer', token: [{ kind: 'secret', variable: 'X' }] });
  });

  it('OAuth 2 client credentials are required secrets even when nothing else is bound', () => {
    const built = modelOf(cap('consumes:\n  - { type: http, namespace: api, baseUri: "https://a.test", authentication: { type: oauth2, authorizationServerUri: "https://id.test" }, resources: [] }'));
    expect(built.model.secrets).toEqual([
      { namespace: 'api', variable: 'API_CLIENT_ID', source: 'API_CLIENT_ID' },
      { namespace: 'api', variable: 'API_CLIENT_SECRET', source: 'API_CLIENT_SECRET' },
    ]);
  });
});

describe('MCP resources', () => {
  const mcp = (resources: string[]) => modelOf(withExposes(['- type: mcp', '  namespace: m', '  tools: []', '  resources:', ...resources.map((l) => `    ${l}`)]), dir);

  it('a URI placeholder is a required string input of the call', () => {
    const r = mcp(["- { name: f, description: F, uri: 'data://files/{id}', call: api.get-file }"]).model.mcp[0]!.resources![0]!;
    expect(r.inputs.map((i) => [i.name, i.type, i.required])).toEqual([['id', 'string', true]]);
  });

  it('a finding in its outputs points into them', () => {
    const built = mcp(["- { name: o, description: O, uri: 'data://o', call: plain.list, outputParameters: [{ type: string, mapping: '$..deep' }] }"]);
    expect(built.notes).toEqual(['warning jsonpath-unsupported capability/exposes/0/resources/0/outputParameters/0/mapping']);
  });

  it('steps read the URI placeholders as tools.<name>', () => {
    const built = mcp(["- { name: s, description: S, uri: 'data://s/{id}', steps: [{ type: call, name: one, call: plain.list, with: { q: tools.id } }] }"]);
    const handler = built.model.mcp[0]!.resources![0]!.handler;
    expect(handler.kind === 'steps' && handler.steps[0]!.kind === 'call' && handler.steps[0]!.with).toEqual([{ key: 'q', value: { kind: 'variable', name: 'id' } }]);
  });

  it('a static folder publishes its regular files in path order, never what a link points at', () => {
    const built = mcp(["- { name: pub, description: P, uri: 'docs://p', location: 'file:///./pub' }"]);
    expect(built.model.mcp[0]!.staticResources![0]!.files.map((f) => [f.uri, f.text])).toEqual([
      ['docs://p/b.md', 'B'],
      ['docs://p/b/x.md', 'X'],
    ]);
    expect(built.notes).toEqual([]);
  });
});

describe('skill catalogs', () => {
  const skills = (lines: string[], adapter: string[] = []) =>
    modelOf(
      withExposes([
        '- { type: mcp, namespace: m, tools: [{ name: t, description: T, call: api.get-file }] }',
        ...skillAdapterLines(lines, adapter),
      ]),
      dir,
    );
  const S = 'capability/exposes/1/skills/0';
  const paths = (built: ReturnType<typeof skills>) => built.model.skills[0]!.skills[0]!.files.map((f) => f.path);

  it('a link in the folder is not followed', () => {
    const built = skills(["- { name: k, description: D, location: 'file:///./skills/linked' }"]);
    expect(paths(built)).toEqual(['SKILL.md']);
    expect(built.notes).toEqual([]);
  });

  it('a file of exactly 1 MiB is in the catalog; one byte more is left out, with a warning and a hint', () => {
    const built = skills(["- { name: k, description: D, location: 'file:///./skills/sizes' }"]);
    expect(paths(built)).toEqual(['SKILL.md', 'at-cap.md']);
    expect(built.notes).toEqual([`warning construct-unsupported ${S}/location`]);
    expect(built.raw[0]!.message).toBe('The skill file over-cap.md is binary or larger than 1048576 bytes: it is left out of the catalog.');
    expect(built.raw[0]!.hint).toBe('Keep skill files as text.');
  });

  it('a folder of exactly 200 files is whole, without a warning', () => {
    const built = skills(["- { name: k, description: D, location: 'file:///./skills/two-hundred' }"]);
    expect(paths(built)).toHaveLength(201);
    expect(built.notes).toEqual([]);
  });

  it('the 200 files kept are the first 200 in the order of the catalog', () => {
    const built = skills(["- { name: k, description: D, location: 'file:///./skills/wide' }"]);
    const kept = paths(built);
    expect(kept).toContain('\u{1F600}.md');
    expect(kept).not.toContain('\uFF01.md');
    expect(kept).toEqual([...kept].sort());
  });

  it('a tool cannot take its action from the skill adapter itself', () => {
    const built = skills(['- { name: k, description: D, tools: [{ name: a, description: A, from: { sourceNamespace: s, action: x } }] }']);
    expect(built.notes).toEqual([`error skill-tool-source-missing ${S}/tools/0/from/sourceNamespace`]);
    expect(built.raw[0]!.message).toBe('No REST or MCP adapter of this capability is named `s`.');
  });

  it('instruction paths: a name with .. in it is refused even when such a file exists; a folder ending with a dot is fine', () => {
    const built = skills(["- { name: k, description: D, location: 'file:///./skills/odd', tools: [{ name: a, description: A, instruction: '..\\x.md' }, { name: b, description: B, instruction: v1./x.md }, { name: c, description: C, instruction: ./v1./x.md }] }"]);
    expect(built.notes).toEqual([`error skill-file-missing ${S}/tools/0/instruction`]);
    expect(paths(built)).toEqual(['..\\x.md', 'SKILL.md', 'v1./x.md']);
  });

  it('frontmatter holds only the keys the skill gives', () => {
    const built = skills(['- { name: k, description: D, license: MIT }']);
    expect(Object.keys(built.model.skills[0]!.skills[0]!.frontmatter)).toEqual(['license']);
  });

  it('an inbound authentication without its token names the skill adapter', () => {
    const built = skills(['- { name: k, description: D }'], ['authentication: { type: bearer }']);
    expect(built.notes).toEqual(['error inbound-auth-incomplete capability/exposes/1/authentication']);
    expect(built.raw[0]!.message).toContain("The skill adapter's `bearer` authentication has no `token`");
  });
});

describe('who reads secrets', () => {
  // [what, the steps of a tool, whether they read a secret]
  const rows: Array<[string, string, boolean]> = [
    ['a script step given a secret', "{ type: script, name: s, location: 'file:///./scripts', file: main.js, with: { a: '{{env.TOKEN}}' } }", true],
    ['a script step given plain values', "{ type: script, name: s, location: 'file:///./scripts', file: main.js, with: { a: x } }", false],
    ['a script step given a secret second', "{ type: script, name: s, location: 'file:///./scripts', file: main.js, with: { a: x, b: '{{env.TOKEN}}' } }", true],
    ['a plain call step, then one to an API that sends a secret', '{ type: call, name: p, call: plain.list }, { type: call, name: q, call: api.get-file }', true],
    ['a call step given a secret second', "{ type: call, name: p, call: plain.list, with: { q: x, r: '{{env.TOKEN}}' } }", true],
  ];
  it.each(rows)('%s', (_, steps, want) => {
    const { model } = modelOf(withExposes([`- { type: mcp, namespace: m, tools: [{ name: t, description: T, steps: [${steps}] }] }`]), dir);
    expect(handlerUsesSecrets(model.mcp[0]!.tools[0]!.handler)).toBe(want);
    expect(adapterUsesSecrets(model.mcp[0]!)).toBe(want);
  });

  it('an MCP adapter without resources has none to walk', () => {
    const { model } = modelOf(withExposes(['- { type: mcp, namespace: m, tools: [{ name: t, description: T, call: plain.list }] }']));
    expect(mcpResources(model)).toEqual([]);
    expect(adapterUsesSecrets(model.mcp[0]!)).toBe(false);
  });
});
