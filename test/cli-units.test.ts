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
    expect(loadProjectConfig(folder({ 'naftiko-gen.config.json': JSON.stringify({ $schema: 'x', specs: 'a.yaml', out: 'o', strict: true }) }))).toEqual({
      file: 'naftiko-gen.config.json',
      specs: ['a.yaml'],
      out: 'o',
      strict: true,
    });
    expect(loadProjectConfig(folder({ 'naftiko-gen.config.yml': 'specs: [a.yaml, b/]\nstrict: false\n' }))).toEqual({ file: 'naftiko-gen.config.yml', specs: ['a.yaml', 'b/'], strict: false });
    expect(loadProjectConfig(folder({ 'naftiko-gen.config.yaml': 'specs: a.yaml\n' }))).toEqual({ file: 'naftiko-gen.config.yaml', specs: ['a.yaml'] });
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
