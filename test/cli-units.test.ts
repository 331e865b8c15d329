/**
 * The CLI's small pieces, in process: how findings and totals are printed (src/cli/report.ts), the
 * project configuration file (config-file.ts), unreadable inputs (sources.ts) and how exit codes
 * combine (exit-codes.ts). The commands themselves are run through `main` in cli*.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigFileError, loadProjectConfig } from '../src/cli/config-file.js';
import { expandGlob, expandSpecs, NoMatchError, specsOrUsageError } from '../src/cli/expand-inputs.js';
import { runRules } from '../src/cli/rules-command.js';
import { latestSpecVersion, runSchema, schemaText } from '../src/cli/schema-command.js';
import { runValidate } from '../src/cli/validate-command.js';
import { RULES } from '../src/validate/rule-registry.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, worst } from '../src/cli/exit-codes.js';
import { findingToJson, formatFindingText, plural, summaryLine } from '../src/cli/report.js';
import { readSources } from '../src/cli/sources.js';
import type { Finding } from '../src/validate/finding.js';

const root = mkdtempSync(join(tmpdir(), 'cli-units-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A folder holding the given files. */
function folder(files: Record<string, string>): string {
  const dir = join(root, String(n++));
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function configError(dir: string): string {
  try {
    loadProjectConfig(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigFileError);
    return (err as Error).message;
  }
  throw new Error('no ConfigFileError');
}

describe('report', () => {
  const finding: Finding = { file: 'a.yaml', line: 3, column: 5, severity: 'error', rule: 'call-target', pointer: '/x', message: 'No such call.', hint: 'Declare it.' };

  it('prints a finding as file:line:column, severity, rule, message and hint', () => {
    expect(formatFindingText(finding)).toBe('a.yaml:3:5: error call-target: No such call.\n    hint: Declare it.');
    expect(formatFindingText({ ...finding, hint: undefined })).toBe('a.yaml:3:5: error call-target: No such call.');
    expect(findingToJson(finding)).toEqual({ file: 'a.yaml', line: 3, column: 5, severity: 'error', rule: 'call-target', pointer: '/x', message: 'No such call.', hint: 'Declare it.' });
    expect(findingToJson({ ...finding, hint: undefined }).hint).toBeNull();
  });

  it('counts in words, and totals every kind of file', () => {
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(0, 'file')).toBe('0 files');
    expect(plural(2, 'capability', 'capabilities')).toBe('2 capabilities');
    expect(summaryLine({ files: 5, invalid: 2, unreadable: 1, errors: 4, warnings: 1 })).toBe('5 files checked: 2 valid, 2 invalid, 1 unreadable; 4 errors, 1 warning.');
    expect(summaryLine({ files: 1, invalid: 0, unreadable: 0, errors: 1, warnings: 0 })).toBe('1 file checked: 1 valid, 0 invalid; 1 error, 0 warnings.');
  });

  it('the worst exit code wins', () => {
    expect([EXIT_OK, EXIT_INVALID, EXIT_USAGE]).toEqual([0, 1, 2]);
    expect(worst(EXIT_INVALID, EXIT_OK)).toBe(1);
    expect(worst(EXIT_INVALID, EXIT_USAGE)).toBe(2);
  });
});

describe('naftiko-gen.config', () => {
  it('none, JSON or YAML: specs (one or a list), out and strict', () => {
    expect(loadProjectConfig(folder({}))).toBeUndefined();
    expect(loadProjectConfig(folder({ 'naftiko-gen.config.json': JSON.stringify({ $schema: 'x', specs: 'a.yaml', out: 'o', strict: true }) }))).toStrictEqual({
      file: 'naftiko-gen.config.json',
      specs: ['a.yaml'],
      out: 'o',
      strict: true,
    });
    expect(loadProjectConfig(folder({ 'naftiko-gen.config.yml': 'specs: [a.yaml, b/]\nstrict: false\n' }))).toStrictEqual({ file: 'naftiko-gen.config.yml', specs: ['a.yaml', 'b/'], strict: false });
    expect(loadProjectConfig(folder({ 'naftiko-gen.config.yaml': 'specs: a.yaml\n' }))).toStrictEqual({ file: 'naftiko-gen.config.yaml', specs: ['a.yaml'] });
  });

  it('says what is wrong with a malformed one', () => {
    const json = (value: unknown) => folder({ 'naftiko-gen.config.json': JSON.stringify(value) });
    expect(configError(folder({ 'naftiko-gen.config.json': '{}', 'naftiko-gen.config.yaml': '' }))).toBe('naftiko-gen.config.json and naftiko-gen.config.yaml both exist; keep one of them');
    expect(configError(folder({ 'naftiko-gen.config.json': '{\n' }))).toMatch(/^naftiko-gen\.config\.json cannot be read: [^\n]+$/);
    expect(configError(folder({ 'naftiko-gen.config.yaml': 'a: [\n' }))).toMatch(/^naftiko-gen\.config\.yaml cannot be read: /);
    for (const bad of [null, [], 'x']) expect(configError(json(bad))).toBe('naftiko-gen.config.json must hold an object with specs, out and strict');
    expect(configError(json({ specs: 'a', outDir: 'x', extra: 1 }))).toBe('naftiko-gen.config.json: unknown key "outDir", "extra"; the keys are specs, out and strict');
    for (const specs of [undefined, [], [''], ['a', 1], '', 3]) {
      expect(configError(json({ specs })), JSON.stringify(specs)).toBe('naftiko-gen.config.json: specs must be a file, folder or glob, or a non-empty list of them');
    }
    for (const out of ['', 3]) expect(configError(json({ specs: 'a', out }))).toBe('naftiko-gen.config.json: out must be a folder name');
    expect(configError(json({ specs: 'a', strict: 'yes' }))).toBe('naftiko-gen.config.json: strict must be true or false');
  });
});

describe('readSources', () => {
  it('reads every file; one that cannot be read is a message, not an exception', async () => {
    const dir = folder({ 'a.yaml': 'a: 1\n' });
    const [ok, missing] = await readSources([join(dir, 'a.yaml'), join(dir, 'none.yaml')]);
    expect(ok).toEqual({ ok: true, text: 'a: 1\n' });
    expect(missing!.ok).toBe(false);
    expect(missing).toMatchObject({ ok: false, reason: expect.stringMatching(/not found|no such|does not exist/i) });
    expect((missing as { message: string }).message).toContain('none.yaml');
  });
});

/** Captures what a command prints. */
function capture(): { io: { out(t: string): void; err(t: string): void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t) }, out, err };
}

describe('spec arguments: files, folders and globs', () => {
  const dir = join(root, 'globs');
  mkdirSync(join(dir, 'sub/deep'), { recursive: true });
  mkdirSync(join(dir, '.hidden'), { recursive: true });
  mkdirSync(join(dir, 'folder.yaml'), { recursive: true });
  for (const f of ['a.yaml', 'b.yaml', 'c.yml', 'ab.YAML', 'a+b.yaml', 'x[.yaml', '.dot.yaml', 'notes.txt', 'sub/s.yaml', 'sub/deep/d.yml', '.hidden/h.yaml']) writeFileSync(join(dir, f), 'x: 1\n');
  const rel = (files: string[]) => files.map((f) => f.slice(dir.length + 1));

  it('`*`, `?`, `[...]`, `[!...]` within one folder; hidden files only when the pattern says so', () => {
    expect(rel(expandGlob(`${dir}/*.yaml`))).toEqual(['a+b.yaml', 'a.yaml', 'b.yaml', 'x[.yaml']);
    expect(rel(expandGlob(`${dir}/?.yaml`))).toEqual(['a.yaml', 'b.yaml']);
    expect(rel(expandGlob(`${dir}/[ab].yaml`))).toEqual(['a.yaml', 'b.yaml']);
    expect(rel(expandGlob(`${dir}/[!a].yaml`))).toEqual(['b.yaml']);
    expect(rel(expandGlob(`${dir}/x[.yaml`))).toEqual(['x[.yaml']);
    expect(rel(expandGlob(`${dir}/a+b.y?ml`))).toEqual(['a+b.yaml']);
    expect(rel(expandGlob(`${dir}/a.y*`))).toEqual(['a.yaml']);
    expect(rel(expandGlob(`${dir}/.*.yaml`))).toEqual(['.dot.yaml']);
    expect(rel(expandGlob(`${dir}/*/s.yaml`))).toEqual(['sub/s.yaml']);
    expect(rel(expandGlob(`${dir}/s*/d*/*`))).toEqual(['sub/deep/d.yml']);
    expect(expandGlob(`${dir}/none/*.yaml`)).toEqual([]);
  });

  it('`**` is any number of folders, hidden ones left out; a literal segment must exist', () => {
    expect(rel(expandGlob(`${dir}/**/*.y*ml`))).toEqual(['a+b.yaml', 'a.yaml', 'b.yaml', 'c.yml', 'sub/deep/d.yml', 'sub/s.yaml', 'x[.yaml']);
    expect(rel(expandGlob(`${dir}//sub/**/d.yml`))).toEqual(['sub/deep/d.yml']);
    expect(rel(expandGlob(`${dir}/sub/deep/*`))).toEqual(['deep/d.yml'.replace(/^/, 'sub/')]);
    expect(expandGlob(`${dir}/nothing/deep/*`)).toEqual([]);
    expect(expandGlob(`${dir}/a.yaml/*`)).toEqual([]);
  });

  it('relative patterns stay relative', () => {
    const broken = expandGlob('test/fixtures/broken/[ce]*.yaml');
    expect(broken).toEqual(['test/fixtures/broken/call-missing.yaml', 'test/fixtures/broken/empty.yaml']);
    expect(expandGlob('test/fixtures/broken/empty.yaml')).toEqual(['test/fixtures/broken/empty.yaml']);
    expect(expandGlob('*.json')).toContain('package.json');
    expect(expandGlob('test/**/broken/empty.yaml')).toEqual(['test/fixtures/broken/empty.yaml']);
  });

  it('expands folders and globs to capability files, keeps files as given, drops repeats', () => {
    expect(rel(expandSpecs([dir]))).toEqual(['.dot.yaml', 'a+b.yaml', 'a.yaml', 'ab.YAML', 'b.yaml', 'c.yml', 'x[.yaml']);
    expect(rel(expandSpecs([`${dir}/*`]))).toEqual(['a+b.yaml', 'a.yaml', 'ab.YAML', 'b.yaml', 'c.yml', 'x[.yaml']);
    expect(expandSpecs(['missing.yaml', 'missing.yaml', `${dir}/a.yaml`])).toEqual(['missing.yaml', `${dir}/a.yaml`]);
    expect(() => expandSpecs([`${dir}/*.json`])).toThrow(new NoMatchError(`no capability file matches ${dir}/*.json`));
    expect(() => expandSpecs([join(dir, 'sub/deep/..', '..', '.hidden', '..', 'folder.yaml')])).toThrow(/^the folder .*folder\.yaml holds no \.yaml or \.yml file$/);
    const c = capture();
    expect(specsOrUsageError([`${dir}/*.none`], c.io)).toBeUndefined();
    expect(c.err).toEqual([`naftiko-gen: no capability file matches ${dir}/*.none.`]);
    expect(specsOrUsageError([`${dir}/a.yaml`], c.io)).toEqual([`${dir}/a.yaml`]);
  });
});

describe('rules and schema commands', () => {
  it('rules: one aligned line per rule, or JSON; another format is a usage error', () => {
    const text = capture();
    expect(runRules({}, text.io)).toBe(0);
    expect(text.out).toHaveLength(RULES.length);
    const width = Math.max(...RULES.map((r) => r.id.length));
    expect(text.out[0]).toBe(`${RULES[0]!.id.padEnd(width)}  ${RULES[0]!.severities.join(', ')}${RULES[0]!.severityNote ? ` (${RULES[0]!.severityNote})` : ''}: ${RULES[0]!.summary}`);
    const json = capture();
    expect(runRules({ format: 'json' }, json.io)).toBe(0);
    const parsed = JSON.parse(json.out.join('\n'));
    expect(parsed).toHaveLength(RULES.length);
    expect(Object.keys(parsed[0])).toEqual(['id', 'severities', 'severityNote', 'summary']);
    expect(parsed.some((r: { severityNote: unknown }) => r.severityNote === null)).toBe(true);
    const bad = capture();
    expect(runRules({ format: 'xml' }, bad.io)).toBe(2);
    expect(bad.err).toEqual(['naftiko-gen: unknown format "xml"; use text or json.']);
    expect(bad.out).toEqual([]);
  });

  it('schema: the newest version by default, any version by name, a usage error otherwise', () => {
    const latest = capture();
    expect(runSchema({}, latest.io)).toBe(0);
    expect(latest.out).toEqual([schemaText(latestSpecVersion()).replace(/\n$/, '')]);
    expect(latest.out[0]!.endsWith('\n')).toBe(false);
    expect(JSON.parse(latest.out[0]!)).toBeTypeOf('object');
    expect(latestSpecVersion().schemaFile).toMatch(/beta5/);
    const alpha = capture();
    expect(runSchema({ version: '1.0.0-alpha2' }, alpha.io)).toBe(0);
    expect(alpha.out[0]).not.toBe(latest.out[0]);
    const bad = capture();
    expect(runSchema({ version: '9.9' }, bad.io)).toBe(2);
    expect(bad.err[0]).toMatch(/^naftiko-gen: no schema for version 9\.9; the versions are .*1\.0\.0-alpha2/);
  });
});

describe('validate, in process', () => {
  it('json: an unreadable file is a finding; no findings is an empty array', async () => {
    const json = capture();
    expect(await runValidate([join(root, 'none.yaml')], { format: 'json' }, json.io)).toBe(2);
    const findings = JSON.parse(json.out.join('\n'));
    expect(findings).toEqual([{ file: join(root, 'none.yaml'), line: 0, column: 0, severity: 'error', rule: 'file-unreadable', pointer: '', message: expect.stringMatching(/\.$/), hint: null }]);
    expect(json.err).toEqual([]);
    const empty = capture();
    expect(await runValidate(['test/fixtures/broken/call-missing.yaml'], { format: 'json', quiet: true }, empty.io)).toBe(1);
    const text = capture();
    expect(await runValidate([join(root, 'none.yaml')], { format: 'text' }, text.io)).toBe(2);
    expect(text.err).toEqual([expect.stringMatching(/none\.yaml: error file-unreadable: .+\.$/)]);
    expect(text.out).toEqual(['1 file checked: 0 valid, 0 invalid, 1 unreadable; 1 error, 0 warnings.']);
    const two = capture();
    expect(await runValidate(['test/fixtures/broken/call-missing.yaml', 'test/fixtures/broken/empty.yaml', 'test/fixtures/broken/wrong-type.yaml'], { format: 'json' }, two.io)).toBe(1);
    const streamed = two.out.join('\n');
    // Streamed file by file, yet the same bytes as the whole array printed at once.
    expect(streamed).toBe(JSON.stringify(JSON.parse(streamed), null, 2));
    expect(new Set(JSON.parse(streamed).map((f: { file: string }) => f.file)).size).toBe(3);
    const usage = capture();
    expect(await runValidate([join(root, '*.nothing')], { format: 'text' }, usage.io)).toBe(2);
    expect(usage.out).toEqual([]);
  });
});
