import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBin, runCli } from './helpers/cli.js';
import { REPO, SEED } from './helpers/shared.js';

const BROKEN = `${REPO}test/fixtures/broken/`;
const WEATHER = `${REPO}test/fixtures/valid/weather.yaml`;

/**
 * Ten kinds of broken file: each exits 1 with a finding of the right rule where the problem is. The
 * place is named by the text it points at (`at`, found in the file), never by a copied line number;
 * `null` is the end of the file (an unterminated string), `''` the first line.
 */
const BROKEN_FILES: Array<[file: string, rule: string, at: string | null]> = [
  ['yaml-syntax.yaml', 'yaml-syntax', null],
  ['wrong-version.yaml', 'version-unsupported', '0.9.0'],
  ['wrong-enum.yaml', 'schema-enum', 'websockets'],
  ['call-missing.yaml', 'call-target-missing', 'weather.get-stations'],
  ['missing-required.yaml', 'schema-required', 'type: rest'],
  ['wrong-type.yaml', 'schema-type', '"nine"'],
  ['duplicate-namespace.yaml', 'namespace-duplicate', 'weather-rest\n      port: 9091'],
  ['unknown-auth.yaml', 'schema-unknown-type', 'bearr'],
  ['non-mapping-root.yaml', 'root-not-mapping', ''],
  ['empty.yaml', 'empty-document', ''],
];

/** Line and column of `at` in `text` (see BROKEN_FILES); a `\n` in `at` is matched across lines. */
function placeOf(text: string, at: string | null): [line: number, column: number | undefined] {
  if (at === null) return [text.split('\n').length, undefined];
  if (at === '') return [1, 1];
  const offset = text.indexOf(at.replace(/\\n/g, '\n'));
  if (offset < 0) throw new Error(`not in the fixture: ${at}`);
  const before = text.slice(0, offset).split('\n');
  return [before.length, before.at(-1)!.length + 1];
}

/** Lines of the text output that are findings (`file:line:col: severity rule: ...`). */
const findingLines = (stdout: string, severity = 'error|warning'): string[] => stdout.split('\n').filter((l) => new RegExp(`:\\d+:\\d+: (${severity}) [a-z-]+: `).test(l));

describe('naftiko-gen validate', () => {
  it.each(BROKEN_FILES)('%s: exit 1, %s at its place, no stack trace', async (file, rule, at) => {
    const r = await runCli('validate', BROKEN + file);
    expect(r.code).toBe(1);
    const [line, column] = placeOf(readFileSync(BROKEN + file, 'utf8'), at);
    const first = r.stdout.split('\n')[0]!;
    expect(first).toMatch(new RegExp(`^${(BROKEN + file).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${line}:${column ?? '\\d+'}: error ${rule}: `));
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    const errors = findingLines(r.stdout, 'error').length;
    expect(r.stdout).toMatch(new RegExp(`1 file checked: 0 valid, 1 invalid; ${errors} errors?, \\d+ warnings?\\.$`));
  });

  it('exits 0 for a valid file, even with warnings, and prints a summary', async () => {
    const r = await runCli('validate', SEED);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(': warning relaxed-rest-description: ');
    expect(r.stdout).toMatch(/ {4}hint: /);
    // The summary counts what was printed: every finding of the seed is a warning, one line each.
    const warnings = findingLines(r.stdout, 'warning').length;
    expect(warnings).toBeGreaterThan(0);
    expect(findingLines(r.stdout, 'error')).toEqual([]);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`1 file checked: 1 valid, 0 invalid; 0 errors, ${warnings} warning${warnings === 1 ? '' : 's'}.`);
  });

  it('--strict turns the relaxations into errors: exit 1', async () => {
    const r = await runCli('validate', '--strict', SEED);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(': error relaxed-object-output-mapping: ');
  });

  it('--quiet prints errors only', async () => {
    const loud = await runCli('validate', SEED);
    const r = await runCli('validate', '-q', SEED);
    // No finding line, the same summary (warnings are still counted).
    expect(r.stdout.trim()).toBe(loud.stdout.trim().split('\n').at(-1));
  });

  it('--format json prints an array of findings with every field', async () => {
    const r = await runCli('validate', '--format', 'json', SEED, BROKEN + 'call-missing.yaml');
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    // One record per finding the text format prints for the same files, in the same order.
    const text = await runCli('validate', SEED, BROKEN + 'call-missing.yaml');
    expect(findings.map((f) => `${String(f.file)}:${String(f.line)}:${String(f.column)}: ${String(f.severity)} ${String(f.rule)}`)).toEqual(
      findingLines(text.stdout).map((l) => /^(.*?: (?:error|warning) [a-z-]+):/.exec(l)![1]),
    );
    for (const f of findings) expect(Object.keys(f).sort()).toEqual(['column', 'file', 'hint', 'line', 'message', 'pointer', 'rule', 'severity']);
    const callText = readFileSync(BROKEN + 'call-missing.yaml', 'utf8');
    const [line, column] = placeOf(callText, 'weather.get-stations');
    expect(findings.find((f) => f.rule === 'call-target-missing')).toMatchObject({
      file: BROKEN + 'call-missing.yaml',
      line,
      column,
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
