import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGlob, expandSpecs } from '../src/cli/expand-inputs.js';
import { validateText } from '../src/validate/validate.js';
import { unifiedDiff } from '../src/write/unified-diff.js';
import { runCli } from './helpers/cli.js';
import { readTree, useScratch } from './helpers/output.js';
import { corpusFiles, describeWithShared, REPO, SEED } from './helpers/shared.js';

const tmp = useScratch();

const WEATHER = join(REPO, 'test/fixtures/valid/weather.yaml');
const BROKEN = join(REPO, 'test/fixtures/broken/call-missing.yaml');

describe('spec arguments: files, folders and globs', () => {
  it('expands globs, with ** for any depth, in sorted order', () => {
    const root = tmp('glob');
    for (const f of ['b.yaml', 'a.yml', 'c.txt', 'sub/d.yaml', 'sub/deep/e.yaml', '.hidden/f.yaml']) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), 'x: 1\n');
    }
    expect(expandGlob(`${root}/*.yaml`)).toEqual([join(root, 'b.yaml')]);
    expect(expandGlob(`${root}/*.y*ml`)).toEqual([join(root, 'a.yml'), join(root, 'b.yaml')]);
    expect(expandGlob(`${root}/?.yaml`)).toEqual([join(root, 'b.yaml')]);
    expect(expandGlob(`${root}/**/*.yaml`)).toEqual([join(root, 'b.yaml'), join(root, 'sub/d.yaml'), join(root, 'sub/deep/e.yaml')]);
    expect(expandSpecs([root])).toEqual([join(root, 'a.yml'), join(root, 'b.yaml')]);
    expect(() => expandSpecs([`${root}/*.json`])).toThrow(/no capability file matches/);
  });

  it('a glob that matches nothing is a usage error (exit 2)', async () => {
    const r = await runCli('build', `${tmp('nomatch')}/*.yaml`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no capability file matches');
  });
});

describe('batch builds', () => {
  it('build every capability of a folder; a broken one does not stop the others and writes nothing', async () => {
    const specs = tmp('batch-specs');
    copyFileSync(SEED, join(specs, 'qovery.yaml'));
    copyFileSync(WEATHER, join(specs, 'weather.yaml'));
    copyFileSync(BROKEN, join(specs, 'broken.yaml'));
    const out = tmp('batch-out');
    const first = await runCli('build', specs, '--out', out);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('broken.yaml: not built: 1 error (nothing was written).');
    // The summary counts the warnings of the capabilities it read, as validation gives them.
    const warnings = [SEED, WEATHER, BROKEN].flatMap((f) => validateText(f, readFileSync(f, 'utf8'), { strict: false }).findings).filter((f) => f.severity === 'warning').length;
    expect(first.stdout.trim().split('\n').at(-1)).toBe(`3 capabilities: 2 built, 0 unchanged, 1 failed; ${warnings} warnings.`);
    expect(existsSync(join(out, 'qovery/src/main.ts'))).toBe(true);
    expect(existsSync(join(out, 'weather/src/main.ts'))).toBe(true);
    expect(existsSync(join(out, 'broken'))).toBe(false);

    rmSync(join(specs, 'broken.yaml'));
    const again = await runCli('build', '-q', `${specs}/*.yaml`, '--out', out);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe(`2 capabilities: 0 built, 2 unchanged, 0 failed; ${warnings} warnings.`);

    expect((await runCli('build', '--check', specs, '--out', out)).code).toBe(0);
    writeFileSync(join(specs, 'weather.yaml'), readFileSync(WEATHER, 'utf8').replace('Read one station.', 'Read a single station.'));
    const stale = await runCli('build', '--check', specs, '--out', out);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain(`${join(out, 'weather')}: out of date with ${join(specs, 'weather.yaml')}:`);
    expect(stale.stdout).toContain('  changed: src/mcp/weather-mcp.ts');
    expect(stale.stdout).not.toContain(`${join(out, 'qovery')}: out of date`);
    expect(stale.stdout).toContain("-      description: 'Read one station.',");
    expect(stale.stdout).toContain("+      description: 'Read a single station.',");
    expect(stale.stdout).toContain(`fix: naftiko-gen build ${specs} --out ${out}`);

    const json = await runCli('build', '--check', '--format', 'json', specs, '--out', out);
    const report = JSON.parse(json.stdout) as { projects: Array<{ dir: string; status: string; changed: string[] }>; summary: Record<string, number>; fix: string };
    expect(report.summary).toMatchObject({ current: 1, stale: 1, failed: 0, warnings: 15 });
    expect(report.projects.find((p) => p.status === 'stale')!.changed).toContain('src/mcp/weather-mcp.ts');
    expect(report.fix).toBe(`naftiko-gen build ${specs} --out ${out}`);
  });

  it('rejects two specs that would share one output folder before writing anything', async () => {
    const a = tmp('same-a');
    const b = tmp('same-b');
    copyFileSync(WEATHER, join(a, 'w.yaml'));
    copyFileSync(WEATHER, join(b, 'w.yaml'));
    const out = tmp('same-out');
    const r = await runCli('build', join(a, 'w.yaml'), join(b, 'w.yaml'), '--out', out);
    expect(r.code).toBe(2);
    expect(readTree(out).size).toBe(0);
  });
});

describe('unified diffs for --check', () => {
  it('shows changed lines with context and line numbers', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');
    const after = ['a', 'b', 'c', 'D', 'e', 'f', 'g', 'h'].join('\n');
    expect(unifiedDiff('x.ts', before, after)).toEqual(['--- a/x.ts', '+++ b/x.ts', '@@ -1,7 +1,7 @@', ' a', ' b', ' c', '-d', '+D', ' e', ' f', ' g']);
  });

  it('handles new and removed files, and caps long diffs', () => {
    expect(unifiedDiff('n.ts', undefined, 'x\n')[0]).toBe('--- /dev/null');
    expect(unifiedDiff('r.ts', 'x\n', undefined)[1]).toBe('+++ /dev/null');
    const lines = (k: string, n: number) => Array.from({ length: n }, (_, i) => `${k}${i}\n`).join('');
    const many = unifiedDiff('big.ts', lines('l', 500), lines('m', 500), { maxLines: 10 });
    // The cap counts every line: the two headers, the hunks and the note of what is left out.
    expect(many).toHaveLength(10);
    expect(many.slice(0, 3)).toEqual(['--- a/big.ts', '+++ b/big.ts', '@@ -1,500 +1,500 @@']);
    expect(many.at(-1)).toBe('... 994 more diff lines not shown');
    expect(unifiedDiff('tight.ts', 'a\n', 'b\n', { maxLines: 2 })).toEqual(['(diff of tight.ts not shown)']);
    // Past the edit limit the diff is not worked out; without one (migrate) it is, in full.
    const edits = (k: string) => lines(k, 1_500);
    expect(unifiedDiff('wide.ts', edits('l'), edits('m')).at(-1)).toBe('@@ the file changed in too many places to show (1500 → 1500 lines) @@');
    expect(unifiedDiff('wide.ts', edits('l'), edits('m'), { maxLines: 5_000, maxEditLength: Number.MAX_SAFE_INTEGER })).toHaveLength(2 + 1 + 3_000);
  });
});

describeWithShared('the 94 Qovery capabilities as one batch', () => {
  it('build once, rebuild with no change, check clean, then check names the one edited capability', async () => {
    const out = tmp('corpus-batch');
    const glob = `${corpusFiles()[0]!.replace(/[^/]*$/, '')}*.yaml`;
    // JSON output: the summary's warnings are the findings listed under the projects, one per problem.
    const first = await runCli('build', '--format', 'json', glob, '--out', out);
    const report = JSON.parse(first.stdout) as { projects: Array<{ status: string; findings: Array<{ severity: string }> }>; summary: { built: number; warnings: number } };
    const warnings = report.projects.flatMap((p) => p.findings).filter((f) => f.severity === 'warning').length;
    expect(report.projects.map((p) => p.status)).toEqual(corpusFiles().map(() => 'built'));
    expect(report.summary).toMatchObject({ built: corpusFiles().length, warnings });
    expect(warnings).toBeGreaterThanOrEqual(corpusFiles().length);
    const before = readTree(out);
    const second = await runCli('build', '-q', glob, '--out', out);
    expect(second.stdout.trim()).toBe(`${corpusFiles().length} capabilities: 0 built, ${corpusFiles().length} unchanged, 0 failed; ${warnings} warnings.`);
    expect(readTree(out)).toEqual(before);
    expect((await runCli('build', '--check', '-q', glob, '--out', out)).code).toBe(0);

    const specs = tmp('corpus-edited');
    for (const f of corpusFiles()) copyFileSync(f, join(specs, f.split('/').pop()!));
    const edited = join(specs, 'qovery-organization-api-token.yaml');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('port: 9090', 'port: 9191'));
    const stale = await runCli('build', '--check', '-q', specs, '--out', out);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain(`${join(out, 'qovery-organization-api-token')}: out of date with ${edited}:`);
    expect(stale.stdout.match(/: out of date with /g)).toHaveLength(1);
    expect(stale.stdout).toContain('  changed: src/config.ts');
  });
});
