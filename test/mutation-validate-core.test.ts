/**
 * The validator around the rules (src/validate/*.ts): the version a file declares, OpenAPI documents,
 * imported consumes, the relaxations and their grouping, the sort order of findings and the rule
 * registry. Given/want tables, in process; the mutation set of src/validate runs these
 * (vitest.mutation.config.ts, part validate).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasErrors, sortFindings, type Finding } from '../src/validate/finding.js';
import { describeRelaxation, groupRelaxationUses, relaxationNote } from '../src/validate/relaxations.js';
import { RULES, ruleInfo, rulesMarkdownTable, severityText } from '../src/validate/rule-registry.js';
import { precompiledFile, URI_PATTERN } from '../src/validate/schema-validator.js';
import { validateText } from '../src/validate/validate.js';
import { describeSupportedVersions, findSpecVersion, NEWEST_VERSION, parseVersionArgument, SPEC_VERSIONS } from '../src/validate/versions.js';
import { REPO } from './helpers/shared.js';
import { check, place, y, type Case } from './helpers/validate-cases.js';

const SUPPORTED =
  '`naftiko:` 1.0.0-alpha1, 1.0.0-alpha2, 1.0.0-alpha3; `ikanos:` 1.0.0-alpha3, 1.0.0-alpha4, 1.0.0-beta1, 1.0.0-beta2, 1.0.0-beta3, 1.0.0-beta4, 1.0.0-beta5';

function table(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) it(c.name, () => void check(c));
  });
}

table('the version a file declares', [
  {
    name: 'an unknown ikanos version: the newest of that key is suggested',
    yaml: 'ikanos: 9.9.9\ninfo: {}\n',
    want: [{ rule: 'version-unsupported', at: 'ikanos: |9.9.9', message: `\`ikanos: 9.9.9\` is not a version naftiko-gen supports; supported: ${SUPPORTED}.`, hint: 'Write `ikanos: 1.0.0-beta5` if the file follows that version.', pointer: '/ikanos' }],
  },
  {
    name: 'an unknown naftiko version: the newest naftiko one is suggested',
    yaml: 'naftiko: 9.9.9\n',
    want: [{ rule: 'version-unsupported', at: 'naftiko: |9.9.9', hint: 'Write `naftiko: 1.0.0-alpha3` if the file follows that version.' }],
  },
  {
    name: 'a naftiko version under ikanos:',
    yaml: 'ikanos: 1.0.0-alpha1\n',
    want: [{ rule: 'version-unsupported', at: 'ikanos: |1.0.0', hint: '1.0.0-alpha1 is a version of `naftiko:`; write `naftiko: 1.0.0-alpha1` if the file follows it.' }],
  },
  {
    name: 'an ikanos version under naftiko:',
    yaml: 'naftiko: 1.0.0-beta5\n',
    want: [{ rule: 'version-unsupported', at: 'naftiko: |1.0.0', hint: '1.0.0-beta5 is a version of `ikanos:`; write `ikanos: 1.0.0-beta5` if the file follows it.' }],
  },
  {
    name: 'a version that is not text is shown as JSON; ikanos: is read before naftiko:',
    yaml: 'naftiko: 1.0.0-alpha2\nikanos: [1, 2]\n',
    want: [{ rule: 'version-unsupported', at: 'ikanos: |[1', says: ['`ikanos: [1,2]` is not a version'], pointer: '/ikanos' }],
  },
  {
    name: 'no version, list-shaped: the alpha2 version is suggested',
    yaml: 'info:\n  label: x\ncapability:\n  consumes:\n    - resources: []\n',
    want: [
      {
        rule: 'version-missing',
        at: '|info',
        message: 'The document has no version (`ikanos:` or `naftiko:`), so it cannot be read as a capability.',
        hint: `Add \`naftiko: 1.0.0-alpha2\` (its resources, operations and tools are lists with \`name\`) as the first line (supported: ${SUPPORTED}).`,
        pointer: '',
      },
    ],
  },
  {
    name: 'no version, list-shaped at the root (tools of an exposed adapter)',
    yaml: 'exposes:\n  - tools: []\n',
    want: [{ rule: 'version-missing', at: '|exposes', says: ['(`ikanos:` or `naftiko:`)'], hint: `Add \`naftiko: 1.0.0-alpha2\` (its resources, operations and tools are lists with \`name\`) as the first line (supported: ${SUPPORTED}).` }],
  },
  {
    name: 'no version, map-shaped: the newest ikanos version is suggested',
    yaml: 'capability:\n  consumes:\n    - resources: {a: 1}\n    - 3\n  exposes: {}\n',
    want: [{ rule: 'version-missing', at: '|capability', hint: `Add \`ikanos: 1.0.0-beta5\` as the first line (supported: ${SUPPORTED}).` }],
  },
  {
    name: 'no version and a nested value: not a file of values',
    yaml: 'KEY: value\nnested:\n  a: 1\n',
    want: [{ rule: 'version-missing', at: '|KEY', hint: `Add \`ikanos: 1.0.0-beta5\` as the first line (supported: ${SUPPORTED}).` }],
  },
  ...['info', 'capability', 'consumes', 'exposes', 'aggregates', 'binds'].map((key) => ({
    name: `no version, a plain \`${key}\`: still a capability without its version`,
    yaml: `${key}: x\nOTHER: 1\n`,
    want: [{ rule: 'version-missing', at: `|${key}` }],
  })),
  {
    name: 'only plain values: a file of values, a warning',
    yaml: 'KEY: value\nOTHER: 2\nNONE: null\n',
    want: [
      {
        rule: 'values-file',
        severity: 'warning',
        at: '|KEY',
        message: 'This file has no version and holds only plain values: it looks like a file of values that a `binds` entry reads (`location:`), not a capability.',
        hint: 'Such files are read by the capability that binds them; there is nothing to validate on their own. A capability or shared document starts with `ikanos: 1.0.0-beta5`.',
      },
    ],
  },
]);

describe('a file of values is shared, a version problem is not', () => {
  it('values-file gives shared: true; version-missing does not', () => {
    expect(validateText('v.yaml', 'KEY: value\n').shared).toBe(true);
    expect(validateText('v.yaml', 'info: {}\n').shared).toBeUndefined();
    expect(validateText('v.yaml', 'openapi: 3.0.0\n').shared).toBeUndefined();
  });
});

table('OpenAPI documents given to validate', [
  {
    name: 'openapi: the import command is named, at the key',
    yaml: 'openapi: 3.0.3\ninfo: {}\n',
    want: [
      {
        rule: 'openapi-document',
        at: '|openapi',
        message: 'This is an OpenAPI 3.0.3 document, not a Naftiko capability.',
        hint: 'This is an OpenAPI document: run `naftiko-gen import openapi cap.yaml` to write capabilities from it (into capabilities/), then validate or build those.',
        pointer: '/openapi',
      },
    ],
  },
  { name: 'openapi as a number', yaml: 'info: {}\nopenapi: 3.1\n', want: [{ rule: 'openapi-document', at: '|openapi', message: 'This is an OpenAPI 3.1 document, not a Naftiko capability.' }] },
  { name: 'openapi as a mapping: no version shown', yaml: 'openapi:\n  a: 1\n', want: [{ rule: 'openapi-document', at: '|openapi', message: 'This is an OpenAPI document, not a Naftiko capability.' }] },
  {
    name: 'swagger: convert first',
    yaml: "swagger: '2.0'\n",
    want: [
      {
        rule: 'openapi-document',
        at: '|swagger',
        message: 'This is a Swagger 2.0 (OpenAPI 2) document, not a Naftiko capability.',
        hint: 'Convert it to OpenAPI 3 first (for example with swagger2openapi), then run `naftiko-gen import openapi cap.yaml` to write capabilities from it (into capabilities/), then validate or build those.',
        pointer: '/swagger',
      },
    ],
  },
  { name: 'openapi: wins over swagger:', yaml: "swagger: '2.0'\nopenapi: 3.0.0\n", want: [{ rule: 'openapi-document', at: '|openapi', says: ['OpenAPI 3.0.0'] }] },
  { name: 'a version key makes it a capability', yaml: 'ikanos: 9\nopenapi: 3.0.0\n', want: [{ rule: 'version-unsupported', at: 'ikanos: |9' }] },
  { name: 'naftiko: too', yaml: 'naftiko: 9\nswagger: 2\n', want: [{ rule: 'version-unsupported', at: 'naftiko: |9' }] },
]);

describe('versions', () => {
  it('parseVersionArgument: a bare version (ikanos first), or key and version', () => {
    const cases: Array<[string, string | undefined]> = [
      ['1.0.0-beta5', 'ikanos 1.0.0-beta5'],
      [' 1.0.0-alpha3 ', 'ikanos 1.0.0-alpha3'],
      [' 1.0.0-alpha2 ', 'naftiko 1.0.0-alpha2'],
      ['1.0.0-alpha2', 'naftiko 1.0.0-alpha2'],
      ['naftiko:1.0.0-alpha3', 'naftiko 1.0.0-alpha3'],
      ['naftiko@1.0.0-alpha3', 'naftiko 1.0.0-alpha3'],
      ['ikanos 1.0.0-alpha3', 'ikanos 1.0.0-alpha3'],
      ['  naftiko:1.0.0-alpha1  ', 'naftiko 1.0.0-alpha1'],
      ['ikanos:1.0.0-alpha1', undefined],
      ['xikanos:1.0.0-beta5', undefined],
      ['ikanos:', undefined],
      ['ikanos-1.0.0-beta5', undefined],
      ['2.0', undefined],
    ];
    for (const [text, want] of cases) {
      const v = parseVersionArgument(text);
      expect(v ? `${v.key} ${v.version}` : undefined, text).toBe(want);
    }
  });
  it('findSpecVersion reads naftiko: by default; the schema files and families', () => {
    expect(findSpecVersion('1.0.0-alpha2')?.key).toBe('naftiko');
    expect(findSpecVersion('1.0.0-beta5')).toBeUndefined();
    expect(findSpecVersion('1.0.0-beta5', 'ikanos')).toEqual({ version: '1.0.0-beta5', key: 'ikanos', schemaFile: 'ikanos-1.0.0-beta5.schema.json', keyed: true });
    expect(findSpecVersion('1.0.0-alpha3', 'naftiko')).toEqual({ version: '1.0.0-alpha3', key: 'naftiko', schemaFile: 'naftiko-1.0.0-alpha3.schema.json', keyed: false });
    expect(NEWEST_VERSION).toBe(SPEC_VERSIONS[SPEC_VERSIONS.length - 1]);
    expect(describeSupportedVersions()).toBe(SUPPORTED);
    expect(precompiledFile(NEWEST_VERSION, 'strict')).toBe('ikanos-1.0.0-beta5.strict.cjs');
    expect(precompiledFile(SPEC_VERSIONS[0]!, 'relaxed')).toBe('naftiko-1.0.0-alpha1.relaxed.cjs');
  });
  it('URI_PATTERN: a scheme, then no spaces', () => {
    for (const ok of ['https://a', 'file:///x', 'a+b.c-d:x', 'urn:isbn:1', 'x:']) expect(URI_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['//a', '1a:x', 'a b:x', 'file:///a b', ' https://a', 'https://a ', '', ':x']) expect(URI_PATTERN.test(bad), bad).toBe(false);
  });
});

describe('findings', () => {
  const f = (file: string, line: number, column: number, rule: string, message = 'm', severity: Finding['severity'] = 'warning'): Finding => ({ file, line, column, rule, message, severity, pointer: '' });
  it('sortFindings: by file, line, column, rule, then message, in code-unit order', () => {
    const given = [f('b', 1, 1, 'a'), f('a', 2, 1, 'a'), f('a', 1, 2, 'a'), f('a', 1, 1, 'b'), f('a', 1, 1, 'a', 'z'), f('a', 1, 1, 'a', 'y'), f('B', 9, 9, 'z'), f('a', 10, 1, 'a'), f('a', 1, 1, 'a', 'y')];
    const sorted = sortFindings([...given]).map((x) => `${x.file} ${x.line}:${x.column} ${x.rule} ${x.message}`);
    expect(sorted).toEqual(['B 9:9 z m', 'a 1:1 a y', 'a 1:1 a y', 'a 1:1 a z', 'a 1:1 b m', 'a 1:2 a m', 'a 2:1 a m', 'a 10:1 a m', 'b 1:1 a m']);
    expect(sortFindings([f('a', 1, 1, 'b'), f('a', 1, 1, 'a')]).map((x) => x.rule)).toEqual(['a', 'b']);
    expect(sortFindings([f('a', 1, 1, 'a', 'b'), f('a', 1, 1, 'a', 'a')]).map((x) => x.message)).toEqual(['a', 'b']);
  });
  it('hasErrors: only errors count', () => {
    expect(hasErrors([])).toBe(false);
    expect(hasErrors([f('a', 1, 1, 'x')])).toBe(false);
    expect(hasErrors([f('a', 1, 1, 'x'), f('a', 1, 1, 'x', 'm', 'error')])).toBe(true);
  });
});

describe('rule registry', () => {
  it('the README rule table is the registry printed', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme).toContain(rulesMarkdownTable());
  });
  it('severity text, lookups and cell escaping', () => {
    expect(severityText(ruleInfo('relaxed-head-method')!)).toBe('warning, error (error with --strict)');
    expect(severityText(ruleInfo('port-conflict')!)).toBe('error');
    expect(ruleInfo('port-conflict')).toEqual({ id: 'port-conflict', severities: ['error'], summary: 'Two adapters on one port.' });
    expect(ruleInfo('tunnel-unsupported')!.severityNote).toBe('warning with `fallback: direct`');
    expect(ruleInfo('nope')).toBeUndefined();
    expect(rulesMarkdownTable([{ id: 'a', severities: ['warning', 'error'], severityNote: 'x|y', summary: 'p|q' }])).toBe(
      '| rule | severity | what it catches |\n| --- | --- | --- |\n| `a` | warning, error (x\\|y) | p\\|q |',
    );
    expect(RULES[0]!.id).toBe('yaml-syntax');
    expect(RULES.every((r) => r.severities.length > 0 && !('severityNote' in r && r.severityNote === undefined))).toBe(true);
  });
});

describe('relaxations', () => {
  const RELAXATIONS = RULES.filter((r) => r.id.startsWith('relaxed-')).map((r) => r.id);
  it('each relaxation has its own words and two hints; the strict one never says --strict turns it into an error', () => {
    const messages = new Set<string>();
    for (const rule of RELAXATIONS) {
      const r = describeRelaxation(rule, '/a/b');
      expect(r.rule).toBe(rule);
      expect(r.message.length, rule).toBeGreaterThan(40);
      expect(r.message, rule).not.toContain('needs the relaxation');
      expect(r.relaxedHint, rule).toMatch(/--strict turns this warning into an error\.$/);
      expect(r.strictHint, rule).toMatch(/or validate without --strict\.$/);
      expect(r.strictHint.length, rule).toBeGreaterThan(30);
      expect(r.relaxedHint.length, rule).toBeGreaterThan(40);
      messages.add(r.message);
    }
    expect(messages.size).toBe(RELAXATIONS.length);
  });
  it('what each says, where it points and whether at the key', () => {
    const cases: Array<[rule: string, pointer: string, keys: string[] | undefined, atKey: boolean, at: string, says: string[]]> = [
      ['relaxed-rest-description', '/x/description', undefined, true, '/x/description', ['`description` is not a property of a REST adapter', 'generated README']],
      ['relaxed-consumed-input-annotations', '/p/type', undefined, true, '/p/type', ['`type` is not a property of a consumed input parameter', 'uses it to type']],
      ['relaxed-consumed-input-annotations', '/p', ['type', 'required'], true, '/p', ['`type`, `required` are not properties of a consumed input parameter', 'uses them to type']],
      ['relaxed-consumed-input-annotations', '/p/name', ['type'], true, '/p/name', ['`type` is not a property']],
      ['relaxed-object-output-mapping', '/o', undefined, false, '/o', ['has a `mapping` and no `properties`', 'would return `{}`']],
      ['relaxed-name-pattern', '/n', undefined, false, '/n', ['characters the official schema does not allow in names']],
      ['relaxed-head-method', '/m', undefined, false, '/m', ['`HEAD` is not a method', 'as a HEAD request']],
      ['relaxed-form-data', '/f', undefined, false, '/f', ['`in: formData`', 'multipart/form-data']],
      ['relaxed-input-constraints', '/i', undefined, true, '/i', ['This input carries JSON Schema keywords', 'at the door']],
      ['relaxed-input-constraints', '/i', ['a', 'b', 'c'], true, '/i', ['3 inputs carry JSON Schema keywords']],
      ['relaxed-input-constraints', '/i', ['a'], true, '/i', ['This input carries']],
      ['relaxed-empty-base-uri', '/b', undefined, false, '/b', ['The base URI is empty', '`<NAMESPACE>_BASE_URI`']],
      ['relaxed-unbound-env', '/e', ['TOKEN'], false, '/e', ['`{{env.TOKEN}}` refers to an environment variable that no `binds` entry declares']],
      ['relaxed-unbound-env', '/e', undefined, false, '/e', ['This template refers to an environment variable']],
      ['relaxed-file-input', '/t', undefined, false, '/t', ['`type: file`', 'base64 argument']],
    ];
    for (const [rule, pointer, keys, atKey, at, says] of cases) {
      const r = describeRelaxation(rule, pointer, keys);
      expect([r.rule, r.pointer, r.atKey], `${rule} ${pointer}`).toEqual([rule, at, atKey]);
      for (const s of says) expect(r.message, rule).toContain(s);
    }
    expect(describeRelaxation('relaxed-other', '/z')).toEqual({ rule: 'relaxed-other', pointer: '/z', atKey: false, message: 'This construct needs the relaxation `relaxed-other`.', relaxedHint: '', strictHint: '' });
  });
  it('relaxationNote: a warning with the relaxed hint, an error with the strict one, no empty hint', () => {
    const relaxed = relaxationNote('relaxed-head-method', '/a/0/method', false);
    expect(relaxed).toEqual({ rule: 'relaxed-head-method', severity: 'warning', path: ['a', '0', 'method'], atKey: false, message: describeRelaxation('relaxed-head-method', '').message, hint: '--strict turns this warning into an error.' });
    expect(relaxationNote('relaxed-head-method', '/m', true)).toMatchObject({ severity: 'error', hint: 'Use GET, or validate without --strict.' });
    expect(relaxationNote('relaxed-other', '', true)).not.toHaveProperty('hint');
    expect(relaxationNote('relaxed-other', '', false)).not.toHaveProperty('hint');
  });
  it('groupRelaxationUses: one note per construct, the annotations of a parameter together, input constraints once per file', () => {
    const notes = groupRelaxationUses(
      [
        { rule: 'relaxed-consumed-input-annotations', instancePath: '/c/0/inputParameters/0/type' },
        { rule: 'relaxed-consumed-input-annotations', instancePath: '/c/0/inputParameters/0/required' },
        { rule: 'relaxed-consumed-input-annotations', instancePath: '/c/0/inputParameters/0/type' },
        { rule: 'relaxed-consumed-input-annotations', instancePath: '/c/0/inputParameters/1/description' },
        { rule: 'relaxed-input-constraints', instancePath: '/t/inputParameters/0/enum' },
        { rule: 'relaxed-input-constraints', instancePath: '/t/inputParameters/0/default' },
        { rule: 'relaxed-input-constraints', instancePath: '/u/inputParameters/q/pattern' },
        { rule: 'relaxed-input-constraints', instancePath: '/v/minimum' },
        { rule: 'relaxed-head-method', instancePath: '/m' },
        { rule: 'relaxed-head-method', instancePath: '/m' },
        { rule: 'relaxed-head-method', instancePath: '/n' },
        { rule: 'relaxed-name-pattern', instancePath: '/r', key: 'a b' },
      ],
      false,
    );
    expect(notes.map((n) => [n.rule, n.path.join('/'), n.atKey])).toEqual([
      ['relaxed-consumed-input-annotations', 'c/0/inputParameters/0/type', true],
      ['relaxed-consumed-input-annotations', 'c/0/inputParameters/1/description', true],
      ['relaxed-input-constraints', 't/inputParameters/0/enum', true],
      ['relaxed-head-method', 'm', false],
      ['relaxed-head-method', 'n', false],
      ['relaxed-name-pattern', 'r/a b', true],
    ]);
    expect(notes[0]!.message).toContain('`type`, `required` are not properties');
    expect(notes[1]!.message).toContain('`description` is not a property');
    expect(notes[2]!.message).toContain('3 inputs carry');
    expect(notes.every((n) => n.severity === 'warning')).toBe(true);
    expect(groupRelaxationUses([{ rule: 'relaxed-head-method', instancePath: '/m' }], true)[0]!.severity).toBe('error');
    expect(groupRelaxationUses([], false)).toEqual([]);
    // An input list at the root of the path: the constraints of one input are one input.
    const root = groupRelaxationUses(
      [
        { rule: 'relaxed-input-constraints', instancePath: '/inputParameters/0/enum' },
        { rule: 'relaxed-input-constraints', instancePath: '/inputParameters/0/default' },
      ],
      false,
    );
    expect(root.map((n) => n.message.slice(0, 18))).toEqual(['This input carries']);
  });
});

/** A consumed API in a file of its own, for `import:`/`location:` entries. */
const SHARED_API = y`
  naftiko: 1.0.0-alpha2
  consumes:
    - type: http
      namespace: reg
      baseUri: https://reg.example
      resources:
        - name: items
          path: /items
          operations:
            - name: list-items
              method: GET
            - name: list-items
              method: POST
`;

const importer = (consumes: string, call = 'shop.list-items'): string =>
  [
    'naftiko: 1.0.0-alpha2',
    'info:',
    '  label: I',
    '  description: D',
    'capability:',
    '  consumes:',
    ...consumes.split('\n').map((l) => `    ${l}`),
    '  exposes:',
    '    - type: mcp',
    '      namespace: tools',
    '      port: 9000',
    '      tools:',
    '        - name: t',
    '          description: d',
    `          call: ${call}`,
    '',
  ].join('\n');

describe('imported consumes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'naftiko-gen-imports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'shared'));
  const sharedFile = join(dir, 'shared/api.yaml');
  writeFileSync(sharedFile, SHARED_API);
  const TWO = [
    'naftiko: 1.0.0-alpha2',
    'consumes:',
    ...['reg', 'reg2'].flatMap((ns) => [`  - type: http`, `    namespace: ${ns}`, `    description: The ${ns} API.`, `    baseUri: https://${ns}.example`, '    resources:', '      - name: x', '        path: /x', '        operations:', '          - name: get', '            method: GET']),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'shared/two.yaml'), TWO);
  writeFileSync(join(dir, 'shared/bad.yaml'), 'naftiko: 1.0.0-alpha2\nconsumes:\n  - type: http\n    namespace: reg\n    baseUri: 42\n    resources: []\n');
  writeFileSync(join(dir, 'shared/nested.yaml'), 'naftiko: 1.0.0-alpha2\nconsumes:\n  - import: reg\n    location: ./api.yaml\n    as: again\n');
  writeFileSync(join(dir, 'shared/empty.yaml'), 'naftiko: 1.0.0-alpha2\nconsumes:\n  - import: zz\n    location: ./api.yaml\n');
  const capFile = join(dir, 'cap.yaml');
  const run = (text: string) => validateText(capFile, text, {});
  const at = (text: string, needle: string) => place(text, needle);

  it('a consumed API from a shared file, renamed with as: its findings point into the shared file, each once', () => {
    const text = importer('- import: reg\n  location: ./shared/api.yaml\n  as: shop\n- import: reg\n  location: ./shared/api.yaml\n  as: shop2');
    const r = run(text);
    const dups = r.findings.filter((f) => f.rule === 'operation-duplicate');
    const first = [sharedFile, ...Object.values(place(SHARED_API, '- name: |list-items')), '/consumes/0/resources/0/operations/0/name'];
    const second = [sharedFile, ...Object.values(place(SHARED_API, ['- name: |list-items', 2])), '/consumes/0/resources/0/operations/1/name'];
    expect(dups.map((f) => [f.file, f.line, f.column, f.pointer])).toEqual([first, first, second, second]);
    expect(dups[0]!.message).toContain('The consumed API `shop2` has 2 operations');
    expect(dups.map((f) => f.hint)).toEqual(Array(4).fill('Give each consumed operation a distinct name.'));
    expect(dups[1]!.message).toContain('The consumed API `shop` has 2 operations');
    expect(r.findings.filter((f) => f.rule !== 'operation-duplicate')).toEqual([]);
  });

  it('the local name is written in the importing file: a clash on it points there', () => {
    const text = importer('- import: reg2\n  location: ./shared/two.yaml\n  as: tools\n  description: Renamed.', 'tools.get');
    const r = run(text);
    expect(r.findings.map((f) => [f.file, f.rule, f.line, f.column])).toEqual([[capFile, 'namespace-duplicate', ...Object.values(at(text, 'namespace: |tools'))]]);
  });

  it("a shared file imported without a description keeps the shared file's", () => {
    const r = run(importer('- import: reg2\n  location: ./shared/two.yaml', 'reg2.get'));
    expect(r.findings).toEqual([]);
    expect(r.model?.consumes.map((c) => [c.namespace, c.description])).toEqual([['reg2', 'The reg2 API.']]);
  });

  it('a shared file imported under its own name, with a description of its own', () => {
    const text = importer('- import: reg2\n  location: ./shared/two.yaml\n  description: Renamed.', 'reg2.get');
    const r = run(text);
    expect(r.findings).toEqual([]);
    expect(r.model?.consumes.map((c) => [c.namespace, c.description])).toEqual([['reg2', 'Renamed.']]);
  });

  const cases: Array<[name: string, consumes: string, rule: string, where: string, message: string | RegExp, hint?: string]> = [
    ['a file that is not there', '- import: reg\n  location: ./shared/none.yaml', 'import-unreadable', 'location: |./shared/none.yaml', /none\.yaml/],
    ['a file outside the folder', '- import: reg\n  location: ../api.yaml', 'import-outside-folder', 'location: |../api.yaml', /\.\.\/api\.yaml/],
    ['a file that breaks the schema', '- import: reg\n  location: ./shared/bad.yaml', 'import-invalid', 'location: |./shared/bad.yaml', `\`./shared/bad.yaml\` is not a valid capability document (see the findings in ${join(dir, 'shared/bad.yaml')}).`],
    [
      'a namespace the file does not declare (one declared)',
      '- import: nope\n  location: ./shared/api.yaml',
      'import-namespace-missing',
      'import: |nope',
      '`./shared/api.yaml` declares no consumed API `nope`; it declares `reg`.',
      'Write `import: reg`.',
    ],
    [
      'a namespace the file does not declare (two declared)',
      '- import: nope\n  location: ./shared/two.yaml',
      'import-namespace-missing',
      'import: |nope',
      '`./shared/two.yaml` declares no consumed API `nope`; it declares `reg`, `reg2`.',
      'Import a namespace the shared file declares under `consumes`.',
    ],
    ['a namespace the file imports in turn', '- import: again\n  location: ./shared/nested.yaml', 'import-namespace-missing', 'import: |again', '`./shared/nested.yaml` imports `again` from another file in turn; naftiko-gen follows one level of imports.', 'Import the consumed API from the file that declares it.'],
    ['a file that declares nothing of its own', '- import: reg\n  location: ./shared/empty.yaml', 'import-namespace-missing', 'import: |reg', '`./shared/empty.yaml` declares no consumed API `reg`.', 'Import a namespace the shared file declares under `consumes`.'],
    ['the import named by its as in the other file', '- import: zz\n  location: ./shared/empty.yaml', 'import-namespace-missing', 'import: |zz', /imports `zz` from another file in turn/],
  ];
  it.each(cases)('%s', (_name, consumes, rule, where, message, hint) => {
    const text = importer(consumes);
    const r = run(text);
    const mine = r.findings.filter((f) => f.file === capFile);
    // The call to the API the import would have declared fails too.
    expect(mine.map((f) => [f.rule, f.severity, f.line, f.column])).toEqual([
      [rule, 'error', ...Object.values(at(text, where))],
      ['call-target-missing', 'error', ...Object.values(at(text, 'call: |shop.list-items'))],
    ]);
    if (typeof message === 'string') expect(mine[0]!.message).toBe(message);
    else expect(mine[0]!.message).toMatch(message);
    if (hint) expect(mine[0]!.hint).toBe(hint);
    expect(r.model).toBeUndefined();
  });

  it("a broken shared file's own findings point into it, once for two imports", () => {
    const text = importer('- import: reg\n  location: ./shared/bad.yaml\n- import: reg\n  location: ./shared/bad.yaml\n  as: other');
    const r = run(text);
    const inShared = r.findings.filter((f) => f.file === join(dir, 'shared/bad.yaml'));
    expect(inShared.map((f) => [f.rule, f.line])).toEqual([
      ['schema-type', 5],
      ['schema-min-items', 6],
    ]);
    expect(r.findings.filter((f) => f.rule === 'import-invalid')).toHaveLength(2);
  });
});

const BETA5 = (consumes: string, exposes: string): string =>
  ['ikanos: 1.0.0-beta5', 'info:', '  display: T', '  description: D', 'capability:', '  consumes:', ...consumes.split('\n').map((l) => `    ${l}`), '  exposes:', ...exposes.split('\n').map((l) => `    ${l}`), ''].join('\n');
const B5_API = y`
  - type: http
    namespace: api
    baseUri: https://api.example
    authentication:
      type: bearer
      token: '{{env.API_TOKEN}}'
    resources:
      items:
        path: /items
        operations:
          get_items:
            method: GET
`;
const B5_TOOLS = y`
  - type: mcp
    namespace: tools
    port: 9000
    tools:
      list:
        description: d
        call: api.get_items
`;

table('the validator: YAML, shared documents, ikanos imports, unbound variables, names at keys', [
  {
    name: 'YAML that does not parse: only the reader speaks',
    yaml: 'naftiko: 1.0.0-alpha2\ninfo: [\n',
    want: [{ rule: 'yaml-syntax', at: 'info: [\n|' }],
  },
  {
    name: 'a name outside the pattern, as a map key: the relaxation points at the key; an unbound variable at its value',
    yaml: BETA5(B5_API, B5_TOOLS),
    want: [
      { rule: 'relaxed-name-pattern', severity: 'warning', at: '|get_items:', pointer: '/capability/consumes/0/resources/items/operations/get_items' },
      { rule: 'relaxed-name-pattern', severity: 'warning', at: 'call: |api.get_items' },
      {
        rule: 'relaxed-unbound-env',
        severity: 'warning',
        at: "token: |'",
        message: '`{{env.API_TOKEN}}` refers to an environment variable that no `binds` entry declares; naftiko-gen reads it from the environment variable of that name, and the server does not start without it.',
        hint: 'Declare it under `binds` (namespace `env`, `keys`) to say so explicitly; --strict turns this warning into an error.',
      },
    ],
    model: true,
  },
  {
    name: 'the names under --strict: errors at the same places (and nothing after the schema fails)',
    yaml: BETA5(B5_API, B5_TOOLS),
    strict: true,
    want: [
      { rule: 'relaxed-name-pattern', at: '|get_items:', hint: 'Use letters, digits and `-` (and `_`, `*` in parameter names), or validate without --strict.' },
      { rule: 'relaxed-name-pattern', at: 'call: |api.get_items' },
    ],
    model: false,
  },
  {
    name: 'a YAML warning (an unknown tag) is kept next to the findings that follow',
    yaml: BETA5(B5_API.replace('get_items', 'get-items').replace("token: '{{env.API_TOKEN}}'", 'token: !secret fixed'), B5_TOOLS.replace('get_items', 'get-items')),
    want: [{ rule: 'yaml-warning', severity: 'warning', at: 'token: |!secret' }],
    model: true,
  },
  {
    name: 'a name relaxed at its key under --strict, next to a real error: both at their places',
    // get_items is the second key of its mapping, so the key and the mapping's first key differ.
    yaml: BETA5(B5_API.replace('        get_items:\n          method: GET', '        ok:\n          method: POST\n        get_items:\n          method: GET\n          bogus: 1'), B5_TOOLS.replace('api.get_items', 'api.ok')),
    strict: true,
    want: [
      { rule: 'relaxed-name-pattern', at: '|get_items:' },
      { rule: 'schema-unknown-property', at: '|bogus' },
    ],
    model: false,
  },
  {
    name: 'an unbound variable under --strict: an error',
    yaml: BETA5(B5_API.replace('get_items', 'get-items'), B5_TOOLS.replace('get_items', 'get-items')),
    strict: true,
    want: [{ rule: 'relaxed-unbound-env', at: "token: |'", hint: 'Declare the variable under `binds`, or validate without --strict.' }],
    model: false,
  },
  {
    name: 'an ikanos import that cannot be read: no cross-check repeats it',
    yaml: BETA5('- from: ./none/api.yaml\n  import: api', B5_TOOLS),
    want: [
      { rule: 'import-unreadable', at: 'from: |./none' },
      { rule: 'relaxed-name-pattern', severity: 'warning', at: 'call: |api.get_items' },
    ],
    model: false,
  },
]);

describe('the validator: what it returns', () => {
  it('a shared ikanos document is valid on its own, shared, without a model', () => {
    const r = validateText('api.yaml', readFileSync(join(REPO, 'test/fixtures/ikanos/shared/weather-api.yaml'), 'utf8'));
    expect(r).toEqual({ file: 'api.yaml', findings: [], shared: true });
  });
  it('each route and tool remembers its line; a finding-free file has a model and no shared flag', () => {
    const yaml = BETA5(B5_API.replace('get_items', 'get-items').replace("token: '{{env.API_TOKEN}}'", 'token: fixed'), `${B5_TOOLS.replace('api.get_items', 'api.get-items')}\n- type: rest\n  namespace: web\n  port: 9001\n  resources:\n    items:\n      path: /items\n      operations:\n        list:\n          method: GET\n          call: api.get-items`);
    const r = validateText('cap.yaml', yaml);
    expect(r.findings).toEqual([]);
    expect(r.shared).toBeUndefined();
    expect(r.model!.mcp[0]!.tools.map((t) => t.line)).toEqual([place(yaml, 'description: d').line]);
    expect(r.model!.rest[0]!.operations.map((o) => o.line)).toEqual([place(yaml, ['call: api.get-items', 2]).line - 1]);
  });
});
