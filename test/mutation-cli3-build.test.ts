/**
 * `build` in process, third pass (src/cli/build-command.ts): an up-to-date project is known from its
 * manifest and its capability is not generated again (the jobs handed to the generator are counted
 * through a wrapper of parallel.ts's streamJobs); `--check`'s progress says "checking"; the diff budget
 * of `--check` spent exactly (five diffs of 40 lines: the sixth is not shown, and the cut is said).
 * Survivors of a Stryker run of part `cli-commands` (MUTATION_TESTS=cli-commands).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const handed: number[] = [];
vi.mock('../src/cli/parallel.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/cli/parallel.js')>();
  return {
    ...real,
    streamJobs: (jobs: Parameters<typeof real.streamJobs>[0], onResult: Parameters<typeof real.streamJobs>[1]) => {
      handed.push(jobs.length);
      return real.streamJobs(jobs, onResult);
    },
  };
});

const { runBuild } = await import('../src/cli/build-command.js');
const { unifiedDiff } = await import('../src/write/unified-diff.js');
const { capture, tempFolders } = await import('./helpers/capture.js');
const { WEATHER } = await import('./helpers/fixtures.js');

const folder = tempFolders('mutation-cli3-build-');

describe('build: an up-to-date project', () => {
  it('is known from its manifest: its capability is not generated again, and it says unchanged', async () => {
    const dir = folder({ 'w.yaml': WEATHER });
    const out = join(dir, 'out');
    handed.length = 0;
    expect(await runBuild([join(dir, 'w.yaml')], { out }, capture())).toBe(0);
    const again = capture();
    expect(await runBuild([join(dir, 'w.yaml')], { out }, again)).toBe(0);
    expect(again.stdout).toEqual([`${out}: unchanged.`]);
    // Built once; the second run hands the generator nothing.
    expect(handed).toEqual([1, 0]);
    // A capability that cannot be read is not "up to date", even with a project there.
    const gone = capture();
    handed.length = 0;
    expect(await runBuild([join(dir, 'none.yaml')], { out }, gone)).toBe(2);
    expect(gone.stderr[0]).toMatch(/^naftiko-gen: .*none\.yaml/);
  });
});

describe('build --check', () => {
  it('counts "checking", not "building", on its progress line', async () => {
    const dir = folder({ 'a.yaml': WEATHER, 'b.yaml': WEATHER });
    const io = capture();
    expect(await runBuild([join(dir, 'a.yaml'), join(dir, 'b.yaml')], { out: join(dir, 'out'), check: true, progress: true }, io)).toBe(1);
    expect(io.progressed.filter((t) => t !== '')).toEqual(['checking 1/2', 'checking 2/2']);
  });

  it('with no --out checks generated/<spec name>, writes nothing there, and its fix line names no --out', async () => {
    const dir = folder({ 'w.yaml': WEATHER });
    const spec = join(dir, 'w.yaml');
    const io = capture();
    expect(await runBuild([spec], { check: true, format: 'json' }, io)).toBe(1);
    const report = JSON.parse(io.text()) as { projects: Array<{ dir: string; status: string }>; fix: string };
    expect(report.projects.map((p) => [p.dir, p.status])).toEqual([[join('generated', 'w'), 'stale']]);
    expect(report.fix).toBe(`naftiko-gen build ${spec}`);
    expect(existsSync(join('generated', 'w'))).toBe(false);
  });

  it('spends its 200 diff lines exactly on five files of 40: the sixth is listed, not shown, and the cut is said', async () => {
    const dir = folder({ 'w.yaml': WEATHER });
    const spec = join(dir, 'w.yaml');
    const out = join(dir, 'out');
    expect(await runBuild([spec], { out }, capture())).toBe(0);
    const edited = readdirSync(join(out, 'src/runtime')).filter((f) => f.endsWith('.ts')).sort().slice(0, 6).map((f) => `src/runtime/${f}`);
    expect(edited).toHaveLength(6);
    for (const f of edited) {
      const path = join(out, f);
      const generated = readFileSync(path, 'utf8');
      // Extra lines at the end, as many as make a diff of exactly 40 lines with its two header lines.
      const extra = (k: number): string => `${generated}${Array.from({ length: k }, (_, i) => `// extra ${i}\n`).join('')}`;
      const k = Array.from({ length: 40 }, (_, i) => i + 1).find((n) => unifiedDiff(path, extra(n), generated, { maxLines: 40 }).length === 40);
      expect(k, f).toBeDefined();
      writeFileSync(path, extra(k!));
    }
    const check = capture();
    expect(await runBuild([spec], { out, check: true }, check)).toBe(1);
    for (const f of edited) expect(check.stdout).toContain(`  changed: ${f}`);
    const shown = check.stdout.filter((l) => l.startsWith('    --- '));
    expect(shown).toHaveLength(5);
    expect(check.stdout.filter((l) => l.startsWith('    ')).length).toBe(200);
    expect(check.stdout).toContain('(diffs cut at 200 lines)');
  });
});
