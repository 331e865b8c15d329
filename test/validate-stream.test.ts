/**
 * validate streams its files (src/cli/parallel.ts, streamFileJobs): each file's findings are printed
 * in input order as soon as its turn comes, whichever thread validated it. The real bin runs with
 * worker threads forced on and off; both outputs must be the same bytes, in the order given.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from './helpers/cli.js';
import { useScratch } from './helpers/output.js';
import { REPO, SEED } from './helpers/shared.js';

const tmp = useScratch();
const BROKEN = join(REPO, 'test/fixtures/broken');

/** Valid and broken capabilities, several copies each, interleaved, plus a file that does not exist. */
function mixedInputs(): string[] {
  const dir = tmp('stream');
  const sources = [SEED, join(REPO, 'test/fixtures/valid/weather.yaml'), ...readdirSync(BROKEN).sort().map((f) => join(BROKEN, f))];
  const files: string[] = [];
  for (let copy = 0; copy < 2; copy++) {
    sources.forEach((src, k) => {
      // Names that do not sort like the input order, so that order cannot come from sorting.
      const file = join(dir, `${String.fromCharCode(122 - k)}-${copy}.yaml`);
      copyFileSync(src, file);
      files.push(file);
    });
  }
  files.splice(7, 0, join(dir, 'missing.yaml'));
  return files;
}

describe('validate over many files', () => {
  const files = mixedInputs();
  const run = (workers: string, ...args: string[]) => runBin(['validate', ...args, ...files], REPO, { NAFTIKO_GEN_WORKERS: workers });

  it('prints the same bytes with and without worker threads, file by file in the order given', () => {
    const alone = run('0');
    const threaded = run('2');
    expect(threaded.stdout).toBe(alone.stdout);
    expect(threaded.stderr).toBe(alone.stderr);
    expect(threaded.code).toBe(alone.code);
    expect(alone.code).toBe(2); // the missing file
    // Findings come in input order: the first line naming each file follows the order of `files`.
    const order = [...new Set(alone.stdout.split('\n').map((l) => /^(\S+\.yaml):\d+:\d+:/.exec(l)?.[1]).filter((f): f is string => !!f))];
    expect(order).toEqual(files.filter((f) => order.includes(f)));
    expect(order.length).toBeGreaterThan(10);
    expect(alone.stdout).toMatch(new RegExp(`${files.length} files checked: 4 valid, ${files.length - 5} invalid, 1 unreadable`));
    expect(alone.stderr).toContain('missing.yaml: error file-unreadable: cannot read the capability (no such file).');
  });

  it('streams JSON as one array, the same with and without worker threads', () => {
    const alone = run('0', '--format', 'json');
    const threaded = run('2', '--format', 'json');
    expect(threaded.stdout).toBe(alone.stdout);
    const findings = JSON.parse(alone.stdout) as Array<{ file: string; rule: string }>;
    expect(findings.length).toBeGreaterThan(30);
    expect(findings.some((f) => f.rule === 'file-unreadable' && f.file.endsWith('missing.yaml'))).toBe(true);
    // The bytes JSON.stringify would give for the whole array.
    expect(alone.stdout.trimEnd()).toBe(JSON.stringify(findings, null, 2));
  });

  it('prints an empty JSON array when nothing is found', () => {
    const r = runBin(['validate', '--format', 'json', join(REPO, 'test/fixtures/valid/weather.yaml')]);
    expect(r.stdout.trim()).toBe('[]');
  });
});
