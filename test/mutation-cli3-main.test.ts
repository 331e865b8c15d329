/**
 * The command line's wiring (src/cli/main.ts), third pass: the configuration file's part, in process.
 * `loadProjectConfig` reads `naftiko-gen.config.*` from the current folder, which these tests must not
 * write (it is the repository) and cannot change (Stryker's worker threads refuse process.chdir), so it
 * is replaced here by what each test sets: the file's specs, out and strict are used when no argument
 * or flag gives them; flags and arguments win over it; a broken file is one message and exit 2.
 * Also: help printed to stderr (no command) keeps its blank lines, and no progress line off a terminal.
 * Survivors of a Stryker run of part `cli-commands` (MUTATION_TESTS=cli-commands).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProjectConfig } from '../src/cli/config-file.js';

let configured: () => ProjectConfig | undefined = () => undefined;
vi.mock('../src/cli/config-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/cli/config-file.js')>();
  return { ...real, loadProjectConfig: () => configured() };
});

const { ConfigFileError } = await import('../src/cli/config-file.js');
const { main } = await import('../src/cli/main.js');
const { capture, tempFolders } = await import('./helpers/capture.js');
const { WEATHER, weatherWith } = await import('./helpers/fixtures.js');

const folder = tempFolders('mutation-cli3-main-');
/** The weather capability with one warning (relaxed-rest-description), an error under --strict. */
const DESCRIBED = weatherWith(['      namespace: weather-rest\n', '      namespace: weather-rest\n      description: Stations over REST.\n']);
const MANIFEST = '.naftiko-gen.json';

async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const io = capture();
  const code = await main(['node', 'naftiko-gen', ...args], io);
  return { code, out: io.stdout, err: io.stderr };
}

afterEach(() => {
  configured = () => undefined;
});

describe('the configuration file, through main', () => {
  it('no spec and no configuration: one message, exit 2, for build and validate', async () => {
    for (const command of ['build', 'validate']) {
      const r = await cli(command);
      expect(r.code).toBe(2);
      expect(r.err).toEqual(['naftiko-gen: no capability given: name spec files, folders or globs, or list them in naftiko-gen.config.json (or .yaml) in the current folder.']);
      expect(r.out).toEqual([]);
    }
  });

  it("build and validate take the file's specs, out and strict when no argument or flag gives them", async () => {
    const dir = folder({ 'warned.yaml': DESCRIBED });
    const out = join(dir, 'from-config');
    configured = () => ({ file: 'naftiko-gen.config.json', specs: [join(dir, 'warned.yaml')], out });
    const built = await cli('build');
    expect(built.code).toBe(0);
    expect(existsSync(join(out, MANIFEST))).toBe(true);
    expect(built.out[0]).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: built from `));

    const validated = await cli('validate');
    expect(validated.code).toBe(0);
    expect(validated.out.at(-1)).toBe('1 file checked: 1 valid, 0 invalid; 0 errors, 1 warning.');

    configured = () => ({ file: 'naftiko-gen.config.json', specs: [join(dir, 'warned.yaml')], strict: true });
    const strict = await cli('validate');
    expect(strict.code).toBe(1);
    expect(strict.out.at(-1)).toBe('1 file checked: 0 valid, 1 invalid; 1 error, 0 warnings.');
  });

  it('flags and arguments win over the file', async () => {
    const dir = folder({ 'warned.yaml': DESCRIBED, 'clean.yaml': WEATHER });
    const fromFile = join(dir, 'from-config');
    const fromFlag = join(dir, 'from-flag');
    configured = () => ({ file: 'naftiko-gen.config.json', specs: [join(dir, 'warned.yaml')], out: fromFile, strict: false });
    expect((await cli('build', '--out', fromFlag)).code).toBe(0);
    expect(existsSync(join(fromFlag, MANIFEST))).toBe(true);
    expect(existsSync(fromFile)).toBe(false);
    expect((await cli('validate', '--strict')).code).toBe(1);
    // Spec arguments replace the file's specs.
    const args = await cli('validate', join(dir, 'clean.yaml'));
    expect(args.code).toBe(0);
    expect(args.out).toEqual(['1 file checked: 1 valid, 0 invalid; 0 errors, 0 warnings.']);
  });

  it('a broken file is one message and exit 2; anything else it throws is reported as a bug', async () => {
    configured = () => {
      throw new ConfigFileError('naftiko-gen.config.json: strict must be true or false');
    };
    for (const command of ['build', 'validate']) {
      expect(await cli(command, 'a.yaml')).toEqual({ code: 2, out: [], err: ['naftiko-gen: naftiko-gen.config.json: strict must be true or false.'] });
    }
    configured = () => {
      throw new Error('disk on fire');
    };
    const bug = await cli('validate', 'a.yaml');
    expect(bug.code).toBe(2);
    expect(bug.err).toEqual(['naftiko-gen: internal error: disk on fire', 'This is a bug in naftiko-gen; please report it with the capability that caused it.']);
  });
});

describe('the console', () => {
  it('help printed as an error (no command) keeps its blank lines and loses only its last line break', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^Usage: naftiko-gen \[options\] \[command\]\n\nValidate /);
    expect(r.err[0]).toMatch(/\n\nCommands:\n/);
    expect(r.err[0]!.endsWith('\n')).toBe(false);
  });

  it('no progress line when stderr is not a terminal, even without --quiet', async () => {
    const dir = folder({ 'a.yaml': WEATHER, 'b.yaml': WEATHER });
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    try {
      expect(await main(['node', 'naftiko-gen', 'build', dir, '--out', join(dir, 'out')])).toBe(0);
      expect(err.mock.calls).toEqual([]);
      expect(out.mock.calls.map((c) => c[0]).at(-1)).toBe('2 capabilities: 2 built, 0 unchanged, 0 failed; 0 warnings.\n');
    } finally {
      delete (process.stderr as { isTTY?: boolean }).isTTY;
      out.mockRestore();
      err.mockRestore();
    }
  });
});
