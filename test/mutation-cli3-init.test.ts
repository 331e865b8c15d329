/**
 * `init` in process, third pass (src/cli/init-command.ts): without --out it writes into the current
 * folder (`.`), which these tests must not write (it is the repository): node:fs/promises is replaced by
 * a recorder for that test. And its guard: a scaffold that would not validate under --strict is never
 * written, and the error lists every finding, each on its own line, with its strict severity; reached by
 * making initCapability return a capability with relaxations (only a bug in naftiko-gen could). Survivors
 * of a Stryker run of part `cli-commands` (MUTATION_TESTS=cli-commands).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

const calls: Array<[string, string]> = [];
let record = false;
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const mkdir = ((path: string, ...rest: unknown[]) => {
    if (record) {
      calls.push(['mkdir', path]);
      return Promise.resolve(undefined);
    }
    return (real.mkdir as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
  }) as typeof real.mkdir;
  const writeFile = ((path: string, ...rest: unknown[]) => {
    if (record) {
      calls.push(['writeFile', path]);
      return Promise.resolve();
    }
    return (real.writeFile as (...a: unknown[]) => Promise<void>)(path, ...rest);
  }) as typeof real.writeFile;
  return { ...real, default: { ...real, mkdir, writeFile }, mkdir, writeFile };
});

let scaffold: string | undefined;
vi.mock('../src/init/init-capability.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/init/init-capability.js')>();
  return { ...real, initCapability: (o: Parameters<typeof real.initCapability>[0]) => scaffold ?? real.initCapability(o) };
});

const { runInit } = await import('../src/cli/init-command.js');
const { capture, tempFolders } = await import('./helpers/capture.js');
const { REPO } = await import('./helpers/shared.js');

const folder = tempFolders('mutation-cli3-init-');
const OPTIONS = { baseUri: 'https://api.example.com', auth: 'bearer' as const, adapters: 'rest,mcp', specVersion: 'naftiko:1.0.0-alpha2' };

describe('init with no --out', () => {
  it('makes and writes in the current folder: the capability, and the schema beside it', async () => {
    const io = capture();
    record = true;
    try {
      expect(await runInit('c16-nowhere', OPTIONS, io)).toBe(0);
    } finally {
      record = false;
    }
    expect(calls).toEqual([
      ['mkdir', '.'],
      ['writeFile', 'c16-nowhere.yaml'],
      ['writeFile', 'naftiko-1.0.0-alpha2.schema.json'],
    ]);
    expect(io.stdout[0]).toBe('c16-nowhere.yaml: a new capability (and naftiko-1.0.0-alpha2.schema.json, the JSON Schema editors check it with). Next: edit it, then');
  });
});

describe("init's guard", () => {
  it('a scaffold that would not validate under --strict is not written; every finding is named, one a line, as an error', async () => {
    const dir = folder();
    // Relaxations: warnings in a plain validate, errors under --strict.
    scaffold = readFileSync(`${REPO}test/fixtures/relaxations/upload.yaml`, 'utf8');
    try {
      const io = capture();
      const failed = runInit('bad', { ...OPTIONS, out: dir }, io);
      await expect(failed).rejects.toThrow(/^the new capability does not validate:\n/);
      const message = await failed.then(
        () => '',
        (e: Error) => e.message,
      );
      const lines = message.split('\n').slice(1).filter((l) => !l.startsWith('    hint: '));
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) expect(line).toMatch(/^.*bad\.yaml:\d+:\d+: error [a-z-]+: /);
      expect(io.stdout).toEqual([]);
    } finally {
      scaffold = undefined;
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
