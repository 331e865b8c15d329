import { describe, expect, it } from 'vitest';
import { runBin, runCli } from './helpers/cli.js';
import { REPO, SEED } from './helpers/shared.js';

const BROKEN = `${REPO}test/fixtures/broken/`;
const WEATHER = `${REPO}test/fixtures/valid/weather.yaml`;

/** Ten kinds of broken file: each exits 1 with a finding of the right rule at the right line. */
const BROKEN_FILES: Array<[file: string, rule: string, line: number]> = [
  ['yaml-syntax.yaml', 'yaml-syntax', 6],
  ['wrong-version.yaml', 'version-unsupported', 1],
  ['wrong-enum.yaml', 'schema-enum', 61],
  ['call-missing.yaml', 'call-target-missing', 55],
  ['missing-required.yaml', 'schema-required', 38],
  ['wrong-type.yaml', 'schema-type', 61],
  ['duplicate-namespace.yaml', 'namespace-duplicate', 60],
  ['unknown-auth.yaml', 'schema-unknown-type', 16],
  ['non-mapping-root.yaml', 'root-not-mapping', 1],
  ['empty.yaml', 'empty-document', 1],
];

describe('naftiko-gen validate', () => {
  it.each(BROKEN_FILES)('%s: exit 1, %s at line %i, no stack trace', async (file, rule, line) => {
    const r = await runCli('validate', BROKEN + file);
    expect(r.code).toBe(1);
    const first = r.stdout.split('\n')[0]!;
    expect(first).toMatch(new RegExp(`^${(BROKEN + file).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${line}:\\d+: error ${rule}: `));
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(r.stdout).toMatch(/1 file checked: 0 valid, 1 invalid; \d+ errors?, \d+ warnings?\.$/);
  });

  it('exits 0 for a valid file, even with warnings, and prints a summary', async () => {
    const r = await runCli('validate', SEED);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(': warning relaxed-rest-description: ');
    expect(r.stdout).toMatch(/ {4}hint: /);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('1 file checked: 1 valid, 0 invalid; 0 errors, 15 warnings.');
  });

  it('--strict turns the relaxations into errors: exit 1', async () => {
    const r = await runCli('validate', '--strict', SEED);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(': error relaxed-object-output-mapping: ');
  });

  it('--quiet prints errors only', async () => {
    const r = await runCli('validate', '-q', SEED);
    expect(r.stdout.trim()).toBe('1 file checked: 1 valid, 0 invalid; 0 errors, 15 warnings.');
  });

  it('--format json prints an array of findings with every field', async () => {
    const r = await runCli('validate', '--format', 'json', SEED, BROKEN + 'call-missing.yaml');
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(findings.length).toBe(16);
    for (const f of findings) expect(Object.keys(f).sort()).toEqual(['column', 'file', 'hint', 'line', 'message', 'pointer', 'rule', 'severity']);
    expect(findings.find((f) => f.rule === 'call-target-missing')).toMatchObject({
      file: BROKEN + 'call-missing.yaml',
      line: 55,
      column: 21,
      severity: 'error',
      pointer: '/capability/exposes/0/resources/1/operations/0/call',
      hint: 'Did you mean `weather.get-station`?',
    });
  });

  it('reports every file and exits with the worst code: 2 for a missing file', async () => {
    const r = await runCli('validate', WEATHER, BROKEN + 'empty.yaml', `${REPO}no/such/file.yaml`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no/such/file.yaml: error file-unreadable: cannot read the capability (no such file).');
    expect(r.stdout).toContain('empty.yaml:1:1: error empty-document');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('3 files checked: 1 valid, 1 invalid, 1 unreadable; 2 errors, 0 warnings.');
  });

  it('exits 2 for a folder given as a file and for usage errors', async () => {
    expect((await runCli('validate', `${REPO}test`)).code).toBe(2);
    expect((await runCli('validate')).code).toBe(2);
    expect((await runCli('validate', '--format', 'xml', WEATHER)).code).toBe(2);
    expect((await runCli('frobnicate')).code).toBe(2);
  });

  it('works as an installed bin: --version, --help, exit codes', () => {
    const version = runBin(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = runBin(['validate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0');
    expect(runBin(['validate', WEATHER]).code).toBe(0);
    const broken = runBin(['validate', BROKEN + 'unknown-auth.yaml']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe('');
  });
});
