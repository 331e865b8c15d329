/**
 * README claims that no other test checked by behaviour: the rules nothing else provoked, an unknown
 * flag on every command, `build --format`/`--quiet`/the default `--out`, and worker threads.
 * Positions are computed from the text the test wrote, never copied from a run.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { explainSchemaErrors } from '../src/validate/explain-schema-errors.js';
import { compileSchema } from '../src/validate/schema-validator.js';
import { validateText } from '../src/validate/validate.js';
import { findSpecVersion } from '../src/validate/versions.js';
import { runBin, runCli } from './helpers/cli.js';
import { lineOf, validate, weatherWith } from './helpers/fixtures.js';
import { REPO } from './helpers/shared.js';

const scratch = mkdtempSync(join(tmpdir(), 'naftiko-gen-claims-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const WEATHER_FILE = join(REPO, 'test/fixtures/valid/weather.yaml');
/** The ikanos weather API as a shared document, and the same API inline in an ikanos capability. */
const SHARED_WEATHER = readFileSync(join(REPO, 'test/fixtures/ikanos/shared/weather-api.yaml'), 'utf8');
const BASE_LINE = '    baseUri: https://api.weather.example\n';
const IKANOS_INLINE = readFileSync(join(REPO, 'test/fixtures/ikanos/weather.yaml'), 'utf8').replace(
  '    - from: ./shared/weather-api.yaml\n      import: weather-api\n      as: weather\n',
  SHARED_WEATHER.slice(SHARED_WEATHER.indexOf('consumes:\n') + 'consumes:\n'.length)
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n')
    .replace('namespace: weather-api', 'namespace: weather'),
);

/** Column (1-based) of `needle` on the line `line` of `text`. */
function columnOf(text: string, line: number, needle: string): number {
  const at = text.split('\n')[line - 1]!.indexOf(needle);
  if (at < 0) throw new Error(`not on line ${line}: ${needle}`);
  return at + 1;
}

/** The findings of one rule, as [severity, line, column]. */
function positions(text: string, rule: string, file = 'cap.yaml'): Array<[string, number, number]> {
  return validateText(file, text, { strict: false })
    .findings.filter((f) => f.rule === rule)
    .map((f) => [f.severity, f.line, f.column]);
}

/**
 * Given an edit of the weather fixture, want one finding of the rule, at the text `at` points to
 * (line and column computed from the edited text); `builds`: whether the file still gives a model.
 */
const WEATHER_EDITS: Array<{ title: string; edit: [string, string]; rule: string; severity: string; at: [line: string, column: string]; builds: boolean }> = [
  {
    title: 'yaml-warning: a YAML tag nothing resolves is a warning at the tag, and the file stays valid',
    edit: ['description: Reads stations', 'description: !shout Reads stations'],
    rule: 'yaml-warning', severity: 'warning', at: ['!shout', '!shout'], builds: true,
  },
  {
    title: 'schema-key: a binds key outside the variable pattern is pointed at by its key, once',
    edit: ['      WEATHER_TOKEN: WEATHER_TOKEN', '      weather_token: WEATHER_TOKEN'],
    rule: 'schema-key', severity: 'error', at: ['weather_token:', 'weather_token'], builds: false,
  },
  {
    title: 'header-name-invalid: a header parameter whose name HTTP cannot carry, at its name',
    edit: ['                - name: country\n                  in: query', '                - name: country\n                  in: query\n                - name: "x trace"\n                  in: header'],
    rule: 'header-name-invalid', severity: 'error', at: ['x trace', '"x trace"'], builds: false,
  },
];

describe('rules of the README that no other test provokes', () => {
  it.each(WEATHER_EDITS)('$title', ({ edit, rule, severity, at, builds }) => {
    const text = weatherWith(edit);
    const line = lineOf(text, at[0]);
    expect(positions(text, rule)).toEqual([[severity, line, columnOf(text, line, at[1])]]);
    expect(validate(text).model !== undefined).toBe(builds);
  });

  it('schema-const: a value a form fixes to one constant (a tunnel type), at the value', () => {
    const text = SHARED_WEATHER.replace(BASE_LINE, `${BASE_LINE}    tunnel:\n      type: zitti\n      service: weather\n      identity: id.json\n`);
    const line = lineOf(text, 'type: zitti');
    expect(positions(text, 'schema-const')).toEqual([['error', line, columnOf(text, line, 'zitti')]]);
  });

  it('schema-format: a value that is not of its format (a resource location that is not a URI), at the value', () => {
    const text = weatherWith(['      tools:\n', '      resources:\n        - name: docs\n          label: Docs\n          uri: docs://all\n          description: D.\n          location: "file:///a b%zz"\n      tools:\n']);
    const line = lineOf(text, 'location: "file:');
    expect(validate(text).findings.map((f) => [f.rule, f.severity, f.line, f.column])).toEqual([['schema-format', 'error', line, columnOf(text, line, '"file:')]]);
  });

  it('schema-no-match: a value none of the allowed forms fits, when no form is the likely one', () => {
    // The published schemas always let the explainer pick the form meant; this is its last resort,
    // given an anyOf of untyped forms that it cannot relate to its schema.
    const version = findSpecVersion('1.0.0-alpha2')!;
    const error = { keyword: 'anyOf', instancePath: '/capability/exposes/0', schemaPath: '#/x/anyOf', params: {}, schema: [{ required: ['a'] }, { required: ['b'] }] } as unknown as ErrorObject;
    const issues = explainSchemaErrors(compileSchema(version, 'relaxed'), [error], { capability: { exposes: [{}] } });
    expect(issues).toEqual([expect.objectContaining({ rule: 'schema-no-match', pointer: '/capability/exposes/0' })]);
    expect(issues[0]!.message).toContain('does not match any of its allowed forms');
  });

  it('schema-other: a schema keyword the explainer has no sentence for is still one finding, naming the keyword', () => {
    const version = findSpecVersion('1.0.0-alpha2')!;
    const error = { keyword: 'multipleOf', instancePath: '/capability/exposes/0/port', schemaPath: '#/x/multipleOf', params: { multipleOf: 2 }, message: 'must be multiple of 2' } as unknown as ErrorObject;
    const issues = explainSchemaErrors(compileSchema(version, 'relaxed'), [error], { capability: { exposes: [{ port: 3 }] } });
    expect(issues).toEqual([expect.objectContaining({ rule: 'schema-other', pointer: '/capability/exposes/0/port' })]);
    expect(issues[0]!.message).toContain('multipleOf');
  });

  it('auth-unsupported: digest credentials taken from the call are a warning at their authentication', () => {
    const text = `naftiko: 1.0.0-alpha2
info:
  label: Digest
  description: Digest credentials from the call.
binds:
  - namespace: env
    keys:
      DIGEST_PASSWORD: DIGEST_PASSWORD
capability:
  consumes:
    - type: http
      namespace: vault
      baseUri: https://vault.example
      authentication:
        type: digest
        username: '{{user}}'
        password: '{{env.DIGEST_PASSWORD}}'
      resources:
        - name: secrets
          path: /secrets
          operations:
            - name: list-secrets
              method: GET
              inputParameters:
                - name: user
                  in: header
  exposes:
    - type: mcp
      namespace: vault-mcp
      port: 3001
      tools:
        - name: list-secrets
          description: List the secrets.
          call: vault.list-secrets
`;
    const found = validateText('digest.yaml', text).findings.filter((f) => f.rule === 'auth-unsupported');
    expect(found.map((f) => [f.severity, f.line])).toEqual([['warning', lineOf(text, 'type: digest')]]);
  });

  it('tunnel-unsupported: an error, and a warning with fallback: direct', () => {
    const tunnel = (fallback: string): string =>
      IKANOS_INLINE.replace(BASE_LINE, `${BASE_LINE}      tunnel:\n        type: ziti\n        service: weather\n        identity: id.json\n${fallback}`);
    const fail = tunnel('');
    const direct = tunnel('        fallback: direct\n');
    expect(positions(fail, 'tunnel-unsupported')).toEqual([['error', lineOf(fail, 'tunnel:'), columnOf(fail, lineOf(fail, 'tunnel:'), 'tunnel')]]);
    expect(validate(fail).model).toBeUndefined();
    expect(positions(direct, 'tunnel-unsupported')).toEqual([['warning', lineOf(direct, 'tunnel:'), columnOf(direct, lineOf(direct, 'tunnel:'), 'tunnel')]]);
    expect(validate(direct).model?.consumes[0]?.baseUri).toBe('https://api.weather.example');
  });

  it('import-invalid: an imported consumes file that breaks the schema, its own finding in it', () => {
    const dir = join(scratch, 'import-invalid');
    mkdirSync(join(dir, 'shared'), { recursive: true });
    const shared = 'naftiko: "1.0.0-alpha2"\nconsumes:\n  - namespace: inv\n    type: http\n    baseUri: 42\n    resources:\n      - name: r\n        path: /r\n        operations:\n          - name: get\n            method: GET\n';
    writeFileSync(join(dir, 'shared/api.yaml'), shared);
    const text = 'naftiko: "1.0.0-alpha2"\ninfo:\n  label: I\n  description: Imports.\ncapability:\n  consumes:\n    - import: inv\n      location: "./shared/api.yaml"\n  exposes:\n    - type: mcp\n      namespace: m\n      port: 3001\n      tools:\n        - name: t\n          description: T.\n          call: inv.get\n';
    const r = validateText(join(dir, 'cap.yaml'), text, { strict: false });
    const invalid = r.findings.filter((f) => f.rule === 'import-invalid');
    expect(invalid.map((f) => [f.file, f.severity, f.line])).toEqual([[join(dir, 'cap.yaml'), 'error', lineOf(text, 'location:')]]);
    expect(r.findings.filter((f) => f.file === join(dir, 'shared/api.yaml')).map((f) => [f.rule, f.line])).toEqual([['schema-type', lineOf(shared, 'baseUri: 42')]]);
    expect(r.model).toBeUndefined();
  });
});

describe('imported consumes (location)', () => {
  it('import-unreadable: an imported consumes file that is missing, at its location', () => {
    const dir = join(scratch, 'import-unreadable');
    mkdirSync(dir, { recursive: true });
    const text = 'naftiko: "1.0.0-alpha2"\ninfo:\n  label: I\n  description: Imports.\ncapability:\n  consumes:\n    - import: inv\n      location: "./shared/none.yaml"\n  exposes:\n    - type: mcp\n      namespace: m\n      port: 3001\n      tools:\n        - name: t\n          description: T.\n          call: inv.get\n';
    const r = validateText(join(dir, 'cap.yaml'), text, { strict: false });
    expect(r.findings.filter((f) => f.rule === 'import-unreadable').map((f) => [f.severity, f.line])).toEqual([['error', lineOf(text, 'location:')]]);
    expect(r.model).toBeUndefined();
  });
});

describe('the command line', () => {
  it.each([
    ['validate', ['validate', WEATHER_FILE]],
    ['build', ['build', WEATHER_FILE]],
    ['schema', ['schema']],
    ['init', ['init', 'thing']],
    ['import openapi', ['import', 'openapi', 'doc.yaml']],
    ['migrate', ['migrate', WEATHER_FILE]],
  ])('an unknown flag on %s exits 2, names the flag, and does nothing', async (_command, args) => {
    const out = join(scratch, `unknown-${args[0]}`);
    const r = await runCli(...args, '--frobnicate', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--frobnicate');
    expect(existsSync(out)).toBe(false);
  });

  it('build --format json prints each project with its findings as records; --quiet drops warnings, never errors', async () => {
    const out = join(scratch, 'build-json');
    const seedText = weatherWith(['              call: weather.get-station\n', '              call: weather.get-station\n              with:\n                nothing: rest.nothing\n']);
    const spec = join(scratch, 'warned.yaml');
    writeFileSync(spec, seedText);
    const expected = validateText(spec, seedText, { strict: false }).findings;
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.every((f) => f.severity === 'warning')).toBe(true);

    const json = await runCli('build', '--format', 'json', spec, '--out', out);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { projects: Array<{ spec: string; status: string; findings: Array<Record<string, unknown>> }> };
    expect(report.projects.map((p) => [p.spec, p.status])).toEqual([[spec, 'built']]);
    expect(report.projects[0]!.findings.map((f) => [f.rule, f.line, f.column, f.severity])).toEqual(expected.map((f) => [f.rule, f.line, f.column, f.severity]));
    expect(existsSync(join(out, 'package.json'))).toBe(true);

    const quiet = await runCli('build', '--quiet', spec, '--out', join(scratch, 'build-quiet'));
    expect(quiet.code).toBe(0);
    expect(quiet.stdout + quiet.stderr).not.toMatch(/: warning /);

    const broken = join(scratch, 'broken.yaml');
    writeFileSync(broken, seedText.replace('port: 9091', 'port: nine'));
    const quietBroken = await runCli('build', '-q', broken, '--out', join(scratch, 'build-quiet-broken'));
    expect(quietBroken.code).toBe(1);
    expect(quietBroken.stdout + quietBroken.stderr).toMatch(/: error schema-type: /);
    expect(quietBroken.stdout + quietBroken.stderr).not.toMatch(/: warning /);
  });

  it('build without --out writes generated/<spec name> under the current folder', () => {
    const dir = join(scratch, 'default-out');
    mkdirSync(dir);
    copyFileSync(WEATHER_FILE, join(dir, 'stations.yaml'));
    expect(runBin(['build', '-q', 'stations.yaml'], dir).code).toBe(0);
    expect(existsSync(join(dir, 'generated/stations/package.json'))).toBe(true);
  });

  it('spreads many files over worker threads when NAFTIKO_GEN_WORKERS asks, with the same output as without', () => {
    const dir = join(scratch, 'workers');
    mkdirSync(dir);
    for (let i = 0; i < 16; i++) copyFileSync(WEATHER_FILE, join(dir, `w${String(i).padStart(2, '0')}.yaml`));
    // A preload that says on stderr whenever the process starts a worker thread.
    const spy = join(scratch, 'spy-workers.mjs');
    writeFileSync(
      spy,
      "import wt from 'node:worker_threads';\nimport { syncBuiltinESMExports } from 'node:module';\nconst Base = wt.Worker;\nwt.Worker = class extends Base { constructor(...a) { super(...a); process.stderr.write('[worker started]\\n'); } };\nsyncBuiltinESMExports();\n",
    );
    const env = (n: string): Record<string, string> => ({ NAFTIKO_GEN_WORKERS: n, NODE_OPTIONS: `--import=${spy}` });
    const spread = runBin(['validate', '--format', 'json', dir], REPO, env('2'));
    const alone = runBin(['validate', '--format', 'json', dir], REPO, env('0'));
    expect(spread.code).toBe(0);
    expect(spread.stderr.match(/\[worker started\]/g)).toHaveLength(2);
    expect(alone.stderr).not.toContain('[worker started]');
    expect(spread.stdout).toBe(alone.stdout);
  });
});
