/**
 * `naftiko-gen build` in process (src/cli/build-command.ts, parallel.ts's runJob): exit codes, what
 * is written, and every line it prints, for one project and for a batch, with --check, --strict,
 * --quiet and --format json. Small capabilities in temporary folders, so that StrykerJS can run the
 * file against each mutant of src/cli (MUTATION_TESTS=cli-commands).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuild } from '../src/cli/build-command.js';
import { relativeDir, runFileJob, runJob } from '../src/cli/parallel.js';
import { capture, tempFolders } from './helpers/capture.js';
import { WEATHER } from './helpers/fixtures.js';
import { REPO } from './helpers/shared.js';

const folder = tempFolders('mutation-cli-build-');
const CONVERTED = readFileSync(`${REPO}test/fixtures/relaxations/converted.yaml`, 'utf8');
const BROKEN = readFileSync(`${REPO}test/fixtures/broken/call-missing.yaml`, 'utf8');
/** A shared document: definitions to import, no server. */
const SHARED = 'ikanos: 1.0.0-beta5\nconsumes:\n  - type: http\n    namespace: api\n    baseUri: https://api.example.com\n    resources:\n      r:\n        path: /r\n        operations:\n          get-r:\n            method: GET\n';

/** Files of a project folder, without the manifest. */
function filesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), rel + e.name + '/');
      else out.push(rel + e.name);
    }
  };
  walk(dir, '');
  return out.filter((f) => f !== '.naftiko-gen.json').sort();
}

describe('build: one capability', () => {
  it('builds, then finds it unchanged, up to date, and out of date once a file is edited', async () => {
    const dir = folder({ 'weather.yaml': WEATHER });
    const spec = join(dir, 'weather.yaml');
    const out = join(dir, 'out');
    const first = capture();
    expect(await runBuild([spec], { out }, first)).toBe(0);
    const files = filesIn(out);
    expect(files).toContain('package.json');
    expect(first.stdout).toEqual([`${out}: built from ${spec}, ${files.length} files written.`]);
    expect(first.stderr).toEqual([]);
    // No progress counter for one project, even when asked.
    expect(first.progressed).toEqual([]);

    const again = capture();
    expect(await runBuild([spec], { out, progress: true }, again)).toBe(0);
    expect(again.stdout).toEqual([`${out}: unchanged.`]);
    expect(again.progressed).toEqual([]);

    const check = capture();
    expect(await runBuild([spec], { out, check: true }, check)).toBe(0);
    expect(check.stdout).toEqual([`${out}: up to date.`]);

    // Quiet: nothing for a project that is fine.
    const quiet = capture();
    expect(await runBuild([spec], { out, check: true, quiet: true }, quiet)).toBe(0);
    expect(await runBuild([spec], { out, quiet: true }, quiet)).toBe(0);
    expect(quiet.stdout).toEqual([]);

    // An edited file, a deleted one and a stray one the manifest names: out of date, each named, with a diff.
    writeFileSync(join(out, 'package.json'), '{}\n');
    rmSync(join(out, 'README.md'));
    const stale = capture();
    expect(await runBuild([spec], { out, check: true, strict: true }, stale)).toBe(1);
    const text = stale.text();
    expect(stale.stdout[0]).toBe(`${out}: out of date with ${spec}:`);
    expect(stale.stdout).toContain('  changed: package.json');
    expect(stale.stdout).toContain('  missing: README.md');
    expect(text).toContain(`    +++ b/${join(out, 'package.json')}`);
    expect(text).toContain(`    +++ b/${join(out, 'README.md')}`);
    expect(text).toMatch(/^ {4}-\{\}$/m);
    expect(stale.stdout.at(-1)).toBe(`fix: naftiko-gen build ${spec} --out ${out} --strict`);
    expect(text).not.toContain('diffs cut');
    // --check wrote nothing.
    expect(readFileSync(join(out, 'package.json'), 'utf8')).toBe('{}\n');
    expect(existsSync(join(out, 'README.md'))).toBe(false);

    // Building again rewrites the two files: "2 files written".
    const rebuilt = capture();
    expect(await runBuild([spec], { out }, rebuilt)).toBe(0);
    expect(rebuilt.stdout).toEqual([`${out}: built from ${spec}, 2 files written.`]);
    expect(filesIn(out)).toEqual(files);
  });

  it('says how many files it removed, and quotes arguments in the fix line', async () => {
    const dir = folder({ 'my weather.yaml': WEATHER });
    const spec = join(dir, 'my weather.yaml');
    const out = join(dir, "it's out");
    expect(await runBuild([spec], { out }, capture())).toBe(0);
    // A file the manifest lists but the build no longer makes is removed.
    const manifest = JSON.parse(readFileSync(join(out, '.naftiko-gen.json'), 'utf8')) as { files: string[]; stamp?: string };
    manifest.files.push('src/old.ts');
    delete manifest.stamp;
    writeFileSync(join(out, '.naftiko-gen.json'), JSON.stringify(manifest));
    writeFileSync(join(out, 'src/old.ts'), 'old\n');

    const check = capture();
    expect(await runBuild([spec], { out, check: true }, check)).toBe(1);
    expect(check.stdout).toContain('  no longer generated: src/old.ts');
    expect(check.stdout.at(-1)).toBe(`fix: naftiko-gen build '${spec}' --out '${dir}/it'\\''s out'`);

    const json = capture();
    expect(await runBuild([spec], { out, check: true, format: 'json' }, json)).toBe(1);
    const report = JSON.parse(json.text());
    expect(report.projects[0]).toMatchObject({ status: 'stale', changed: ['.naftiko-gen.json'], removed: ['src/old.ts'] });
    expect(report.fix).toBe(`naftiko-gen build '${spec}' --out '${dir}/it'\\''s out'`);

    writeFileSync(join(out, 'package.json'), '{}\n');
    const built = capture();
    expect(await runBuild([spec], { out }, built)).toBe(0);
    expect(built.stdout).toEqual([`${out}: built from ${spec}, 1 file written, 1 removed.`]);
    expect(existsSync(join(out, 'src/old.ts'))).toBe(false);
  });

  it('caps the diffs of --check at 200 lines in all, 40 per file', async () => {
    const dir = folder({ 'weather.yaml': WEATHER });
    const spec = join(dir, 'weather.yaml');
    const out = join(dir, 'out');
    expect(await runBuild([spec], { out }, capture())).toBe(0);
    const edited = filesIn(out).filter((f) => f.endsWith('.ts')).slice(0, 8);
    expect(edited).toHaveLength(8);
    for (const f of edited) writeFileSync(join(out, f), Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\n'));
    const check = capture();
    expect(await runBuild([spec], { out, check: true }, check)).toBe(1);
    const diffLines = check.stdout.filter((l) => l.startsWith('    '));
    // The budget counts every diff line: headers and "more lines" notes too.
    expect(diffLines.length).toBeLessThanOrEqual(200);
    expect(diffLines.length).toBeGreaterThan(160);
    // Each file's diff is cut at 40 lines: no file shows more.
    const heads = diffLines.map((l, i) => (l.startsWith('    --- ') ? i : -1)).filter((i) => i >= 0);
    expect(heads.length).toBeGreaterThanOrEqual(5);
    heads.forEach((h, k) => expect((heads[k + 1] ?? diffLines.length) - h).toBeLessThanOrEqual(40));
    expect(check.stdout).toContain('(diffs cut at 200 lines)');
    expect(check.stdout.at(-1)).toBe(`fix: naftiko-gen build ${spec} --out ${out}`);
  });

  it('notes the warnings and points at validate; --strict refuses the relaxations and writes nothing', async () => {
    const dir = folder({ 'converted.yaml': CONVERTED });
    const spec = join(dir, 'converted.yaml');
    const out = join(dir, 'out');
    const strict = capture();
    expect(await runBuild([spec], { out, strict: true }, strict)).toBe(1);
    expect(strict.stdout.filter((l) => / error relaxed-empty-base-uri: /.test(l))).toHaveLength(1);
    expect(strict.stdout.at(-1)).toBe(`${spec}: not built: 1 error (nothing was written).`);
    expect(existsSync(out)).toBe(false);

    const built = capture();
    expect(await runBuild([spec], { out }, built)).toBe(0);
    expect(built.stdout).toEqual([`${out}: built from ${spec}, ${filesIn(out).length} files written (3 warnings; naftiko-gen validate ${spec} lists them).`]);
    // Skipped by its stamp, the warnings it had are still noted.
    const again = capture();
    expect(await runBuild([spec], { out }, again)).toBe(0);
    expect(again.stdout).toEqual([`${out}: unchanged (3 warnings; naftiko-gen validate ${spec} lists them).`]);
    const check = capture();
    expect(await runBuild([spec], { out, check: true }, check)).toBe(0);
    expect(check.stdout).toEqual([`${out}: up to date (3 warnings; naftiko-gen validate ${spec} lists them).`]);
    // Not skipped under --strict: the stamp says it was built without it, and the file fails.
    const strictAgain = capture();
    expect(await runBuild([spec], { out, strict: true, quiet: true }, strictAgain)).toBe(1);
    expect(strictAgain.stdout.at(-1)).toBe(`${spec}: not built: 1 error (nothing was written).`);
  });

  it('an invalid capability: its errors at their place, exit 1, nothing written; one error in the singular', async () => {
    const dir = folder({ 'broken.yaml': BROKEN });
    const spec = join(dir, 'broken.yaml');
    const out = join(dir, 'out');
    const io = capture();
    expect(await runBuild([spec], { out, quiet: true }, io)).toBe(1);
    expect(io.stdout[0]).toMatch(new RegExp(`^${spec.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: error call-target-missing: `));
    expect(io.stdout.at(-1)).toBe(`${spec}: not built: 1 error (nothing was written).`);
    expect(existsSync(out)).toBe(false);
  });

  it('a shared document is not built', async () => {
    const dir = folder({ 'shared.yaml': SHARED });
    const spec = join(dir, 'shared.yaml');
    const io = capture();
    expect(await runBuild([spec], { out: join(dir, 'out'), format: 'json' }, io)).toBe(1);
    const report = JSON.parse(io.text());
    expect(report.projects[0].status).toBe('failed');
    expect(report.projects[0].findings).toEqual([
      expect.objectContaining({ file: spec, line: 1, column: 1, severity: 'error', rule: 'shared-document', pointer: '', message: expect.stringMatching(/^This is a shared document/), hint: expect.stringContaining('validate') }),
    ]);
    // Validation alone (no emit) does not add the finding.
    expect(runJob({ file: spec, text: SHARED, strict: false, emit: false }).findings).toEqual([]);
  });

  it('an unreadable file exits 2 with its reason; a folder it did not make is refused (exit 2), untouched', async () => {
    const dir = folder({ 'weather.yaml': WEATHER, 'taken/mine.txt': 'mine' });
    const missing = capture();
    expect(await runBuild([join(dir, 'nope.yaml')], { out: join(dir, 'o') }, missing)).toBe(2);
    expect(missing.stdout).toEqual([]);
    expect(missing.stderr).toHaveLength(1);
    expect(missing.stderr[0]).toMatch(/^naftiko-gen: .*nope\.yaml.*\.$/);

    const taken = capture();
    expect(await runBuild([join(dir, 'weather.yaml')], { out: join(dir, 'taken') }, taken)).toBe(2);
    expect(taken.stderr).toEqual([`naftiko-gen: ${join(dir, 'taken')} exists and was not generated by naftiko-gen (no .naftiko-gen.json); choose an empty or new --out folder.`]);
    expect(readdirSync(join(dir, 'taken'))).toEqual(['mine.txt']);
    // A file where the project folder would be: a file-system error, named with the folder.
    writeFileSync(join(dir, 'plain'), 'x');
    const io = capture();
    expect(await runBuild([join(dir, 'weather.yaml')], { out: join(dir, 'plain', 'sub') }, io)).toBe(2);
    expect(io.stderr[0]).toMatch(new RegExp(`^naftiko-gen: cannot write ${join(dir, 'plain', 'sub')}: .*\\.$`));
    const json = capture();
    expect(await runBuild([join(dir, 'weather.yaml')], { out: join(dir, 'plain', 'sub'), format: 'json' }, json)).toBe(2);
    expect(JSON.parse(json.text()).projects[0]).toMatchObject({ status: 'unwritable', message: expect.stringMatching(/^cannot write /) });
    expect(JSON.parse(json.text()).summary).toMatchObject({ built: 0, failed: 1 });
    // In a batch: each failure counted in the summary line.
    const batch = capture();
    expect(await runBuild([join(dir, 'weather.yaml'), join(dir, 'nope.yaml')], { out: join(dir, 'plain', 'sub') }, batch)).toBe(2);
    expect(batch.stdout.at(-1)).toBe('2 capabilities: 0 built, 0 unchanged, 2 failed; 0 warnings.');
  });

  it('a glob matching nothing is a usage error', async () => {
    const dir = folder();
    const io = capture();
    expect(await runBuild([join(dir, '*.yaml')], {}, io)).toBe(2);
    expect(io.stderr).toEqual([`naftiko-gen: no capability file matches ${join(dir, '*.yaml')}.`]);
  });
});

describe('build: details that only the output shows', () => {
  it('records a stamp and the warnings in the manifest of a self-contained project; a commented from: does not count as reading other files', async () => {
    const dir = folder({ 'c.yaml': CONVERTED });
    const out = join(dir, 'out');
    expect(await runBuild([join(dir, 'c.yaml')], { out }, capture())).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, '.naftiko-gen.json'), 'utf8')) as { stamp?: string; warnings?: number; outputHash?: string };
    expect(manifest.stamp).toMatch(/\S/);
    expect(manifest.warnings).toBe(3);
    expect(manifest.outputHash).toMatch(/\S/);
    // Only a `location:` or `from:` key makes a project read other files; a comment does not.
    const commented = runJob({ file: join(dir, 'c.yaml'), text: `${CONVERTED}# from: elsewhere\n#location: there\n`, strict: false, emit: true });
    expect(commented.project?.selfContained).toBe(true);
  });

  it('prints only the errors of a failed capability, not its warnings', async () => {
    const text = CONVERTED.replace('call: parcel-carrier.get-parcel', 'call: parcel-carrier.get-parcels');
    const dir = folder({ 'c.yaml': text });
    const io = capture();
    expect(await runBuild([join(dir, 'c.yaml')], { out: join(dir, 'out') }, io)).toBe(1);
    expect(io.stdout.filter((l) => / warning /.test(l))).toEqual([]);
    expect(io.stdout.at(-1)).toBe(`${join(dir, 'c.yaml')}: not built: 1 error (nothing was written).`);
  });

  it('--check of a project whose manifest names a file outside it: exit 2 with the reason', async () => {
    const dir = folder({ 'w.yaml': WEATHER });
    const out = join(dir, 'out');
    expect(await runBuild([join(dir, 'w.yaml')], { out }, capture())).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, '.naftiko-gen.json'), 'utf8')) as { files: string[] };
    manifest.files.push('../outside.txt');
    writeFileSync(join(out, '.naftiko-gen.json'), JSON.stringify(manifest));
    const io = capture();
    expect(await runBuild([join(dir, 'w.yaml')], { out, check: true }, io)).toBe(2);
    expect(io.stderr).toEqual([`naftiko-gen: the manifest in ${out} names a file outside the project: ../outside.txt.`]);
    expect(io.stdout).toEqual([]);
  });

  it('--check --format json lists the changed and the missing files apart from the removed ones', async () => {
    const dir = folder({ 'w.yaml': WEATHER });
    const out = join(dir, 'out');
    expect(await runBuild([join(dir, 'w.yaml')], { out }, capture())).toBe(0);
    writeFileSync(join(out, 'package.json'), '{}\n');
    rmSync(join(out, 'README.md'));
    const io = capture();
    expect(await runBuild([join(dir, 'w.yaml')], { out, check: true, format: 'json' }, io)).toBe(1);
    const report = JSON.parse(io.text());
    expect(report.projects[0]).toMatchObject({ status: 'stale', changed: ['README.md', 'package.json'], removed: [] });
    expect(report.summary).toEqual({ built: 0, unchanged: 0, current: 0, stale: 1, failed: 0, warnings: 0 });
    expect(report.fix).toBe(`naftiko-gen build ${join(dir, 'w.yaml')} --out ${out}`);
  });

  it('with no --out: generated/<spec name>, one folder each for a batch (seen in the JSON of capabilities that write nothing)', async () => {
    const dir = folder({ 'one.YML': BROKEN, 'two.json': BROKEN, 'three.yaml': BROKEN, 'four.json.yaml': BROKEN });
    const dotted = capture();
    expect(await runBuild([join(dir, 'four.json.yaml')], { format: 'json' }, dotted)).toBe(1);
    expect(JSON.parse(dotted.text()).projects[0].dir).toBe(join('generated', 'four.json'));
    const single = capture();
    expect(await runBuild([join(dir, 'one.YML')], { format: 'json' }, single)).toBe(1);
    expect(JSON.parse(single.text()).projects[0].dir).toBe(join('generated', 'one'));
    const batch = capture();
    expect(await runBuild([join(dir, 'one.YML'), join(dir, 'two.json'), join(dir, 'three.yaml')], { format: 'json' }, batch)).toBe(1);
    expect(JSON.parse(batch.text()).projects.map((p: { dir: string }) => p.dir)).toEqual(['one', 'two', 'three'].map((n) => join('generated', n)));
    expect(existsSync('generated')).toBe(false);
  });

  it('a folder or glob holding one capability is a batch: its project goes under --out, with a summary', async () => {
    const dir = folder({ 'specs/w.yaml': WEATHER });
    const out = join(dir, 'out');
    const io = capture();
    expect(await runBuild([join(dir, 'specs')], { out }, io)).toBe(0);
    expect(io.stdout[0]).toMatch(new RegExp(`^${join(out, 'w').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: built from `));
    expect(io.stdout.at(-1)).toBe('1 capability: 1 built, 0 unchanged, 0 failed; 0 warnings.');
    // Again, not quiet: nothing for the unchanged project in a batch, only the summary.
    const again = capture();
    expect(await runBuild([join(dir, 'specs/*.yaml')], { out }, again)).toBe(0);
    expect(again.stdout).toEqual(['1 capability: 0 built, 1 unchanged, 0 failed; 0 warnings.']);
  });

  it('a ** glob does not take the YAML files of the projects it generated for capabilities', async () => {
    const dir = folder({ 'specs/w.yaml': WEATHER });
    const out = join(dir, 'specs/generated');
    const first = capture();
    expect(await runBuild([join(dir, '**/*.yaml')], { out }, first)).toBe(0);
    expect(existsSync(join(out, 'w', 'compose.yaml'))).toBe(true);
    const again = capture();
    expect(await runBuild([join(dir, '**/*.yaml')], { out }, again)).toBe(0);
    expect(again.stdout).toEqual(['1 capability: 0 built, 1 unchanged, 0 failed; 0 warnings.']);
  });

  it('leaves unquoted the arguments the shell reads as they are', async () => {
    const dir = folder({ 'w.yaml': WEATHER });
    const out = join(dir, 'A-z_0.9/o=1@h:2');
    expect(await runBuild([join(dir, 'w.yaml')], { out }, capture())).toBe(0);
    writeFileSync(join(out, 'package.json'), '{}\n');
    const io = capture();
    expect(await runBuild([join(dir, 'w.yaml')], { out, check: true }, io)).toBe(1);
    expect(io.stdout.at(-1)).toBe(`fix: naftiko-gen build ${join(dir, 'w.yaml')} --out ${out}`);
    const odd = capture();
    expect(await runBuild([join(dir, 'w.yaml')], { out: join(dir, 'a$b'), check: true }, odd)).toBe(1);
    expect(odd.stdout.at(-1)).toBe(`fix: naftiko-gen build ${join(dir, 'w.yaml')} --out '${join(dir, 'a$b')}'`);
  });
});

describe('build: a batch', () => {
  it('one folder each under --out, a summary, a progress counter; a broken one fails alone', async () => {
    const dir = folder({ 'specs/a.yaml': WEATHER, 'specs/b.yml': CONVERTED, 'specs/c.yaml': BROKEN });
    const out = join(dir, 'out');
    const io = capture();
    expect(await runBuild([join(dir, 'specs')], { out, progress: true }, io)).toBe(1);
    expect(io.stdout[0]).toBe(`${join(out, 'a')}: built from ${join(dir, 'specs/a.yaml')}, ${filesIn(join(out, 'a')).length} files written.`);
    // In a batch, warnings are counted in the summary, not noted per project.
    expect(io.stdout[1]).toBe(`${join(out, 'b')}: built from ${join(dir, 'specs/b.yml')}, ${filesIn(join(out, 'b')).length} files written.`);
    expect(io.stdout.at(-2)).toBe(`${join(dir, 'specs/c.yaml')}: not built: 1 error (nothing was written).`);
    expect(io.stdout.at(-1)).toBe('3 capabilities: 2 built, 0 unchanged, 1 failed; 3 warnings.');
    expect(existsSync(join(out, 'c'))).toBe(false);
    expect(io.progressed.filter((p) => p !== '')).toEqual(['building 1/3', 'building 2/3', 'building 3/3']);
    expect(io.progressed.at(-1)).toBe('');

    // Again: nothing printed for the unchanged ones; no counter with --quiet or JSON.
    const again = capture();
    expect(await runBuild([join(dir, 'specs/a.yaml'), join(dir, 'specs/b.yml')], { out, progress: true, quiet: true }, again)).toBe(0);
    expect(again.stdout).toEqual(['2 capabilities: 0 built, 2 unchanged, 0 failed; 3 warnings.']);
    expect(again.progressed).toEqual([]);
    const check = capture();
    expect(await runBuild([join(dir, 'specs/*.y*ml')], { out, check: true }, check)).toBe(1);
    expect(check.stdout.at(-1)).toBe('3 capabilities: 2 up to date, 0 out of date, 1 failed; 3 warnings.');
    expect(check.stdout.filter((l) => l.includes('up to date'))).toHaveLength(1);
  });

  it('--format json: every project with its status, files and findings, and the totals', async () => {
    const dir = folder({ 'a.yaml': WEATHER, 'b.yaml': CONVERTED, 'c.yaml': BROKEN });
    const out = join(dir, 'out');
    const io = capture();
    expect(await runBuild([join(dir, '*.yaml')], { out, format: 'json', progress: true }, io)).toBe(1);
    expect(io.progressed).toEqual([]);
    expect(io.stdout).toHaveLength(1);
    const report = JSON.parse(io.stdout[0]!);
    expect(io.stdout[0]).toBe(JSON.stringify(report, null, 2));
    expect(report.projects.map((p: { spec: string; dir: string; status: string }) => [p.spec, p.dir, p.status])).toEqual([
      [join(dir, 'a.yaml'), join(out, 'a'), 'built'],
      [join(dir, 'b.yaml'), join(out, 'b'), 'built'],
      [join(dir, 'c.yaml'), join(out, 'c'), 'failed'],
    ]);
    expect([...report.projects[0].changed].sort()).toEqual(filesIn(join(out, 'a')));
    expect(report.projects[0]).not.toHaveProperty('message');
    expect(report.projects[0].removed).toEqual([]);
    expect(report.projects[1].findings.map((f: { rule: string }) => f.rule)).toEqual(['relaxed-empty-base-uri', 'relaxed-unbound-env', 'relaxed-unbound-env']);
    expect(report.projects[2].findings).toEqual([expect.objectContaining({ severity: 'error', rule: 'call-target-missing', hint: expect.any(String) })]);
    expect(report.summary).toEqual({ built: 2, unchanged: 0, current: 0, stale: 0, failed: 1, warnings: 3 });
    expect(report).not.toHaveProperty('fix');

    // JSON output parses every file (it lists findings), even the unchanged ones.
    const again = capture();
    expect(await runBuild([join(dir, 'a.yaml'), join(dir, 'b.yaml'), join(dir, 'nope.yaml')], { out, format: 'json' }, again)).toBe(2);
    const second = JSON.parse(again.text());
    expect(second.projects.map((p: { status: string }) => p.status)).toEqual(['unchanged', 'unchanged', 'unreadable']);
    expect(second.projects[1].findings).toHaveLength(3);
    expect(second.projects[2].message).toMatch(/nope\.yaml/);
    expect(second.projects[2]).toMatchObject({ status: 'unreadable', changed: [], removed: [], findings: [] });
    expect(second.summary).toEqual({ built: 0, unchanged: 2, current: 0, stale: 0, failed: 1, warnings: 3 });
    const check = capture();
    expect(await runBuild([join(dir, 'a.yaml'), join(dir, 'b.yaml')], { out, format: 'json', check: true }, check)).toBe(0);
    expect(JSON.parse(check.text()).summary).toEqual({ built: 0, unchanged: 0, current: 2, stale: 0, failed: 0, warnings: 3 });
  });

  it('refuses two specs that would be built into one folder', async () => {
    const dir = folder({ 'x/same.yaml': WEATHER, 'y/same.yml': WEATHER });
    const io = capture();
    expect(await runBuild([join(dir, 'x/same.yaml'), join(dir, 'y/same.yml')], { out: join(dir, 'out') }, io)).toBe(2);
    expect(io.stderr).toEqual([`naftiko-gen: ${join(dir, 'x/same.yaml')} and ${join(dir, 'y/same.yml')} would both be built into ${join(dir, 'out/same')}; rename one of them or build them separately.`]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a stale project of a batch is reported with the fix and counted', async () => {
    const dir = folder({ 's0.yaml': WEATHER, 's1.yaml': WEATHER });
    const out = join(dir, 'out');
    const io = capture();
    expect(await runBuild([dir], { out, quiet: true }, io)).toBe(0);
    expect(io.stdout).toEqual(['2 capabilities: 2 built, 0 unchanged, 0 failed; 0 warnings.']);
    expect(filesIn(join(out, 's1'))).toEqual(filesIn(join(out, 's0')));
    writeFileSync(join(out, 's1', 'package.json'), '{}\n');
    const check = capture();
    expect(await runBuild([dir], { out, check: true }, check)).toBe(1);
    expect(check.stdout[0]).toBe(`${join(out, 's1')}: out of date with ${join(dir, 's1.yaml')}:`);
    expect(check.stdout.at(-2)).toBe(`fix: naftiko-gen build ${dir} --out ${out}`);
    expect(check.stdout.at(-1)).toBe('2 capabilities: 1 up to date, 1 out of date, 0 failed; 0 warnings.');
    const specs = [join(dir, 's0.yaml'), join(dir, 's1.yaml')];
    const json = capture();
    expect(await runBuild(specs, { out, check: true, format: 'json' }, json)).toBe(1);
    expect(JSON.parse(json.text()).fix).toBe(`naftiko-gen build ${specs.join(' ')} --out ${out}`);
  });
});

describe('parallel: the jobs every thread runs', () => {
  it('runJob emits a project only when asked and valid; runFileJob reads the file itself', () => {
    const dir = folder({ 'weather.yaml': WEATHER, 'secrets.env': 'WEATHER_TOKEN=t\n' });
    const file = join(dir, 'weather.yaml');
    const built = runJob({ file, text: WEATHER, strict: false, emit: true, out: join(dir, 'out') });
    expect(built.findings).toEqual([]);
    expect(built.project?.sourceName).toBe('weather.yaml');
    expect(built.project?.files.has('package.json')).toBe(true);
    expect(built.project?.selfContained).toBe(true);
    expect(runJob({ file, text: WEATHER, strict: false, emit: false }).project).toBeUndefined();
    expect(runJob({ file, text: BROKEN, strict: false, emit: true }).project).toBeUndefined();
    // Anything that reads another file (a location or from key) is never skipped by its stamp.
    const located = runJob({ file, text: WEATHER.replace('  - namespace: env\n', '  - namespace: env\n    location: file:///./secrets.env\n'), strict: false, emit: true });
    expect(located.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(located.project?.selfContained).toBe(false);
    expect(runFileJob({ file, strict: false })).toEqual({ ok: true, findings: [] });
    const missing = runFileJob({ file: join(dir, 'nope.yaml'), strict: false });
    expect(missing.ok).toBe(false);
    expect(relativeDir(join(dir, 'a', 'b'), dir)).toBe('../..');
    expect(relativeDir(dir, dir)).toBe('.');
    mkdirSync(join(dir, 'a'));
  });
});
