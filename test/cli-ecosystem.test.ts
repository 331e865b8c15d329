/**
 * The command line around build and validate, through the real bin where it matters: a closed pipe,
 * the schema command and the line `init` writes for editors, the config file CI builds from with no
 * arguments, and watch mode rebuilding after an edit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateText } from '../src/validate/validate.js';
import { runBin, runCli } from './helpers/cli.js';
import { useScratch } from './helpers/output.js';
import { REPO, SEED } from './helpers/shared.js';
import { NEWEST_VERSION } from '../src/validate/versions.js';

const tmp = useScratch();
const BIN = join(REPO, 'bin/naftiko-gen.js');
const SCHEMA_ALPHA2 = readFileSync(join(REPO, 'schema/naftiko-1.0.0-alpha2.schema.json'), 'utf8');
/** What `schema` prints and `init` writes by default: the newest version's schema. */
const SCHEMA_NEWEST = readFileSync(join(REPO, `schema/${NEWEST_VERSION.schemaFile}`), 'utf8');

function pipeToHead(args: string, cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" ${args} | head -1`], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a closed pipe', () => {
  it('ends quietly with the exit code of the command: validate ... | head -1', () => {
    const dir = tmp('epipe');
    // 25 copies of the seed give some 125 KB of warnings, more than a pipe holds, so head closes it early.
    for (let i = 0; i < 25; i++) copyFileSync(SEED, join(dir, `seed-${String(i).padStart(2, '0')}.yaml`));
    const ok = pipeToHead('validate .', dir);
    expect(ok.stderr).toBe('');
    expect(ok.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(ok.stdout).toMatch(/^seed-00\.yaml:\d+:\d+: warning /);
    expect(ok.code).toBe(0);
    writeFileSync(join(dir, 'zz-broken.yaml'), 'naftiko: 1.0.0-alpha2\ninfo: [\n');
    const failed = pipeToHead('validate .', dir);
    expect(failed.stderr).toBe('');
    expect(failed.code).toBe(1);
  });
});

describe('editor support', () => {
  it('naftiko-gen schema prints the JSON Schema of the newest version, or of --version', async () => {
    const latest = await runCli('schema');
    expect(JSON.parse(latest.stdout)).toEqual(JSON.parse(SCHEMA_NEWEST));
    const alpha2 = await runCli('schema', '--version', '1.0.0-alpha2');
    expect(alpha2.code).toBe(0);
    expect(alpha2.stdout).toBe(SCHEMA_ALPHA2.replace(/\n$/, ''));
    // One version string, two schemas: ikanos's by default, naftiko's when named.
    expect(JSON.parse((await runCli('schema', '--version', '1.0.0-alpha3')).stdout).$id).toContain('ikanos-1.0.0-alpha3');
    expect(JSON.parse((await runCli('schema', '--version', 'naftiko:1.0.0-alpha3')).stdout).$id).toContain('naftiko-1.0.0-alpha3');
    const unknown = await runCli('schema', '--version', '9.9.9');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('`naftiko:` 1.0.0-alpha1, 1.0.0-alpha2, 1.0.0-alpha3; `ikanos:` 1.0.0-alpha3');
  });

  it('init points yaml-language-server to a schema file it writes beside the capability, and keeps one that is there', async () => {
    const dir = tmp('init-schema');
    expect((await runCli('init', 'weather', '--out', dir)).code).toBe(0);
    const first = readFileSync(join(dir, 'weather.yaml'), 'utf8').split('\n')[0]!;
    const m = /^# yaml-language-server: \$schema=(\.\/[\w.-]+)$/.exec(first);
    expect(m, first).not.toBeNull();
    // The reference is relative to the capability, so it resolves in any editor, offline.
    expect(m![1]).toBe(`./${NEWEST_VERSION.schemaFile}`);
    expect(readFileSync(join(dir, m![1]!), 'utf8')).toBe(SCHEMA_NEWEST);
    writeFileSync(join(dir, m![1]!), '{"mine": true}');
    expect((await runCli('init', 'other', '--out', dir)).code).toBe(0);
    expect(readFileSync(join(dir, m![1]!), 'utf8')).toBe('{"mine": true}');
  });
});

/** The CLI in-process, run from `dir` (test files run in forks, where changing folder is allowed). */
async function cliIn(dir: string, ...args: string[]) {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await runCli(...args);
  } finally {
    process.chdir(before);
  }
}

describe('naftiko-gen.config.json / .yaml', () => {
  it('lets CI run build --check with no arguments; flags win over it', async () => {
    const dir = tmp('config');
    copyFileSync(SEED, join(dir, 'seed.yaml'));
    writeFileSync(join(dir, 'naftiko-gen.config.json'), JSON.stringify({ specs: ['*.yaml'], out: 'servers', strict: false }));
    const built = await cliIn(dir, 'build', '-q');
    expect(built.code, built.stderr).toBe(0);
    expect(existsSync(join(dir, 'servers/seed/package.json'))).toBe(true);
    writeFileSync(join(dir, 'servers/seed/README.md'), 'changed by hand\n');
    // The real command CI runs.
    const stale = runBin(['build', '--check'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('changed: README.md');
    expect((await cliIn(dir, 'build', '--check', '--out', 'elsewhere')).stdout).toContain('elsewhere/seed: out of date');
    // strict: true in the file makes the seed's relaxations errors.
    writeFileSync(join(dir, 'naftiko-gen.config.json'), JSON.stringify({ specs: 'seed.yaml', strict: true }));
    expect((await cliIn(dir, 'validate', '-q')).code).toBe(1);
    writeFileSync(join(dir, 'naftiko-gen.config.json'), JSON.stringify({ specs: 'seed.yaml', outDir: 'x' }));
    const unknownKey = await cliIn(dir, 'build');
    expect(unknownKey.code).toBe(2);
    expect(unknownKey.stderr).toContain('unknown key "outDir"');
    writeFileSync(join(dir, 'naftiko-gen.config.json'), '{');
    expect((await cliIn(dir, 'build')).code).toBe(2);
  });

  it('reads the YAML form, and without a file or arguments says what to do', async () => {
    const dir = tmp('config-yaml');
    copyFileSync(SEED, join(dir, 'seed.yaml'));
    const none = await cliIn(dir, 'build');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('naftiko-gen.config.json');
    writeFileSync(join(dir, 'naftiko-gen.config.yaml'), 'specs:\n  - seed.yaml\nout: out/seed\n');
    expect((await cliIn(dir, 'build', '-q')).code).toBe(0);
    expect(existsSync(join(dir, 'out/seed/openapi.json'))).toBe(true);
  });
});

describe('build --watch', () => {
  it('builds, rebuilds once per saved change with one line, and stops cleanly on SIGINT', async () => {
    const dir = tmp('watch');
    const spec = join(dir, 'seed.yaml');
    copyFileSync(SEED, spec);
    const child = spawn(process.execPath, [BIN, 'build', 'seed.yaml', '--out', 'out', '--watch'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waitFor = async (re: RegExp): Promise<void> => {
      for (let i = 0; i < 200 && !re.test(stdout); i++) await new Promise((r) => setTimeout(r, 50));
      expect(stdout, stderr).toMatch(re);
    };
    try {
      await waitFor(/^watching seed\.yaml for changes/m);
      const seedWarnings = validateText(spec, readFileSync(spec, 'utf8'), { strict: false }).findings.filter((f) => f.severity === 'warning').length;
      expect(stdout).toMatch(new RegExp(`^built: 1 built, 0 unchanged, 0 failed; \\d+ files written, ${seedWarnings} warnings`, 'm'));
      const text = readFileSync(spec, 'utf8');
      writeFileSync(spec, text.replace('label: Qovery API — Organization Api Token', 'label: Qovery tokens, renamed'));
      await waitFor(/^rebuilt after a change to seed\.yaml: 1 built, 0 unchanged, 0 failed; [1-9]\d* files? written/m);
      expect(readFileSync(join(dir, 'out/README.md'), 'utf8')).toMatch(/^# Qovery tokens, renamed$/m);
      // A broken save prints its errors and a failed line; the project on disk is left as it was.
      writeFileSync(spec, text.replace('naftiko: 1.0.0-alpha2', 'naftiko: 0.0.1'));
      await waitFor(/^rebuilt after a change to seed\.yaml: 0 built, 0 unchanged, 1 failed/m);
      expect(stdout).toMatch(/seed\.yaml:1:10: error version-unsupported/);
      expect(stdout.match(/^rebuilt /gm)).toHaveLength(2);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/stopped watching\.\n$/);
    expect((await runCli('build', spec, '--watch', '--check')).code).toBe(2);
  }, 30_000);
});
