/**
 * Promises of the README's command line, checked by what the commands do: `build --strict`,
 * `init --base-uri`, `validate --quiet`, the HEAD relaxation, byte-identical output across
 * processes, and a generated README that lists every variable, route and tool.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runBin, runCli } from './helpers/cli.js';
import { REPO, SEED } from './helpers/shared.js';

const scratch = mkdtempSync(join(tmpdir(), 'naftiko-gen-promises-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const WEATHER = join(REPO, 'test/fixtures/valid/weather.yaml');

/** A valid capability whose consumed operation is HEAD (a relaxation) and that also has a plain error when `broken`. */
function headCapability(broken: boolean): string {
  return `naftiko: 1.0.0-alpha2
info:
  label: Head
  description: Checks that a resource exists.
capability:
  consumes:
    - type: http
      namespace: files
      baseUri: https://files.example
      resources:
        - name: file
          path: /files/{{id}}
          operations:
            - name: head-file
              method: HEAD
  exposes:
    - type: mcp
      namespace: files-mcp
      port: ${broken ? 'not-a-port' : '9090'}
      tools:
        - name: head-file
          description: Does the file exist?
          call: files.head-file
`;
}

function write(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text, 'utf8');
  return file;
}

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('build --strict', () => {
  it('fails on a relaxation, exits 1 and writes nothing; without --strict the same file builds', async () => {
    const strictOut = join(scratch, 'strict-seed');
    const strict = await runCli('build', '--strict', SEED, '--out', strictOut);
    expect(strict.code).toBe(1);
    expect(strict.stdout + strict.stderr).toMatch(/error relaxed-/);
    expect(existsSync(strictOut)).toBe(false);

    const relaxedOut = join(scratch, 'relaxed-seed');
    const relaxed = await runCli('build', SEED, '--out', relaxedOut);
    expect(relaxed.code).toBe(0);
    expect(existsSync(join(relaxedOut, 'package.json'))).toBe(true);
  });
});

describe('init --base-uri', () => {
  it('writes the given base URI into the consumed API', async () => {
    const r = await runCli('init', 'billing', '--out', scratch, '--base-uri', 'https://billing.example.org/v3');
    expect(r.code).toBe(0);
    const doc = parse(readFileSync(join(scratch, 'billing.yaml'), 'utf8')) as { capability: { consumes: Array<{ baseUri: string }> } };
    expect(doc.capability.consumes[0]!.baseUri).toBe('https://billing.example.org/v3');
  });
});

describe('validate --quiet', () => {
  it('hides warnings but never errors', async () => {
    const file = write('head-broken.yaml', headCapability(true));
    const loud = await runCli('validate', file);
    expect(loud.code).toBe(1);
    expect(loud.stdout).toMatch(/warning relaxed-head-method/);
    expect(loud.stdout).toMatch(/error schema-/);

    const quiet = await runCli('validate', '--quiet', file);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).not.toMatch(/warning /);
    expect(quiet.stdout).toMatch(/error schema-/);
  });
});

describe('a consumed HEAD operation', () => {
  it('is a relaxation: a warning at the method, an error under --strict', async () => {
    const text = headCapability(false);
    const file = write('head.yaml', text);
    const line = text.split('\n').findIndex((l) => l.includes('method: HEAD')) + 1;

    const relaxed = await runCli('validate', '--format', 'json', file);
    expect(relaxed.code).toBe(0);
    const findings = JSON.parse(relaxed.stdout) as Array<{ rule: string; severity: string; line: number }>;
    expect(findings).toEqual([expect.objectContaining({ rule: 'relaxed-head-method', severity: 'warning', line })]);

    const strict = await runCli('validate', '--strict', '--format', 'json', file);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout)).toEqual([expect.objectContaining({ rule: 'relaxed-head-method', severity: 'error', line })]);
  });
});

describe('generated output', () => {
  it('is byte for byte the same when built by two separate processes', () => {
    const a = join(scratch, 'twice-a');
    const b = join(scratch, 'twice-b');
    expect(runBin(['build', WEATHER, '--out', a]).code).toBe(0);
    expect(runBin(['build', WEATHER, '--out', b]).code).toBe(0);
    const first = filesUnder(a);
    expect(first.size).toBeGreaterThan(5);
    expect(filesUnder(b)).toEqual(first);
  });

  it('has a README that lists every variable the server reads, every route and every tool', async () => {
    const out = join(scratch, 'readme-weather');
    expect((await runCli('build', WEATHER, '--out', out)).code).toBe(0);
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    // Every environment variable the generated configuration reads, recorded by running it: missing
    // secrets are filled with a dummy value one by one, as the server names them.
    const { loadConfig } = (await import(join(out, 'src/config.ts'))) as { loadConfig: (env: Record<string, string | undefined>) => unknown };
    const read = new Set<string>();
    const given: Record<string, string> = {};
    for (let attempt = 0; attempt < 20; attempt++) {
      const env = new Proxy(given, {
        get: (target, key) => {
          if (typeof key === 'string') read.add(key);
          return typeof key === 'string' ? target[key] : undefined;
        },
      });
      try {
        loadConfig(env);
        break;
      } catch (err) {
        const missing = /\b([A-Z][A-Z0-9_]+)\b/.exec((err as Error).message)?.[1];
        if (!missing || missing in given) throw err;
        given[missing] = 'dummy';
      }
    }
    expect([...read].sort()).toEqual(expect.arrayContaining(['WEATHER_TOKEN', 'WEATHER_BASE_URI', 'WEATHER_REST_PORT', 'WEATHER_MCP_PORT']));
    for (const v of read) expect(readme, `README lacks the variable ${v}`).toContain(`| \`${v}\``);
    // Every route and tool of the capability.
    for (const [method, path] of [
      ['GET', '/stations'],
      ['GET', '/stations/{stationId}'],
      ['PUT', '/stations/{stationId}'],
    ]) {
      expect(readme).toContain(`| ${method} | \`${path}\``);
    }
    for (const tool of ['list-stations', 'get-station']) expect(readme).toContain(`| \`${tool}\``);
  });
});
