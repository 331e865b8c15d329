import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { useScratch } from './helpers/output.js';
import { typecheckProjects } from './helpers/typecheck.js';

const tmp = useScratch();

const AUTHS = ['none', 'bearer', 'basic', 'apikey'] as const;
const ADAPTERS = ['rest,mcp', 'rest', 'mcp'] as const;

describe('naftiko-gen init', () => {
  it('writes a capability that validates with zero findings under --strict, for every auth kind and adapter choice, and builds into projects that type-check', async () => {
    const dir = tmp('init');
    const projects: string[] = [];
    for (const auth of AUTHS) {
      for (const adapters of ADAPTERS) {
        const name = `cap-${auth}-${adapters.replace(',', '-')}`;
        const made = await runCli('init', name, '--out', dir, '--auth', auth, '--adapters', adapters, '--base-uri', 'https://api.example.org/v2');
        expect(made.code, made.stderr).toBe(0);
        const file = join(dir, `${name}.yaml`);
        const strict = await runCli('validate', '--strict', file);
        expect(strict.stdout.trim(), name).toBe('1 file checked: 1 valid, 0 invalid; 0 errors, 0 warnings.');
        const out = join(dir, 'projects', name);
        expect((await runCli('build', '--strict', file, '--out', out)).code, name).toBe(0);
        projects.push(out);
        const text = readFileSync(file, 'utf8');
        expect(text.includes('type: rest'), name).toBe(adapters.includes('rest'));
        expect(text.includes('type: mcp'), name).toBe(adapters.includes('mcp'));
        expect(text.includes('binds:'), name).toBe(auth !== 'none');
      }
    }
    expect(typecheckProjects(projects)).toEqual([]);
  }, 120_000);

  it('teaches the format in comments', async () => {
    const dir = tmp('init-comments');
    await runCli('init', 'weather', '--out', dir);
    const text = readFileSync(join(dir, 'weather.yaml'), 'utf8');
    expect(text.split('\n').filter((l) => l.trim().startsWith('#')).length).toBeGreaterThan(10);
    expect(text).toContain('{{env.WEATHER_TOKEN}}');
    expect(text).toContain('baseUri: https://api.example.com');
  });

  it('refuses a bad name, a bad base URI, an unknown adapter, and an existing file unless --force', async () => {
    const dir = tmp('init-refusals');
    expect((await runCli('init', 'Bad_Name', '--out', dir)).code).toBe(2);
    const uri = await runCli('init', 'ok', '--out', dir, '--base-uri', 'ftp://x/');
    expect(uri.code).toBe(2);
    expect(uri.stderr).toContain('--base-uri');
    expect((await runCli('init', 'ok', '--out', dir, '--adapters', 'grpc')).code).toBe(2);
    expect((await runCli('init', 'ok', '--out', dir, '--auth', 'oauth3')).code).toBe(2);
    expect((await runCli('init', 'ok', '--out', dir)).code).toBe(0);
    const again = await runCli('init', 'ok', '--out', dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect((await runCli('init', 'ok', '--out', dir, '--force', '--auth', 'none')).code).toBe(0);
    expect(readFileSync(join(dir, 'ok.yaml'), 'utf8')).not.toContain('binds:');
  });
});
