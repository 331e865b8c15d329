/**
 * The no-op build (src/write/build-stamp.ts): an unchanged project is recognised from its manifest
 * without parsing the capability; a changed capability, flag or generator, or an edited generated
 * file, goes through the full build again.
 *
 * To see whether a build parsed and emitted or trusted the manifest, a generated file is altered and
 * the manifest's output hash updated to match, as if that were what the generator wrote: a skipped
 * build leaves the alteration in place, a real one puts the generated text back.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildStamp, generatorFingerprint, outputHash } from '../src/write/build-stamp.js';
import { runCli } from './helpers/cli.js';
import { readTree, useScratch } from './helpers/output.js';
import { REPO, SEED } from './helpers/shared.js';

const WEATHER = join(REPO, 'test/fixtures/valid/weather.yaml');
const tmp = useScratch();
const MARK = '// altered after the build\n';

interface Manifest {
  files: string[];
  stamp: string;
  outputHash: string;
  warnings: number;
}

const manifestOf = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, '.naftiko-gen.json'), 'utf8')) as Manifest;

/** Alters src/main.ts and records the altered tree's hash in the manifest. */
function alter(dir: string): void {
  const main = join(dir, 'src/main.ts');
  writeFileSync(main, MARK + readFileSync(main, 'utf8'));
  const m = manifestOf(dir);
  const tree = readTree(dir);
  m.outputHash = outputHash(new Map(m.files.map((f) => [f, tree.get(f)!])));
  writeFileSync(join(dir, '.naftiko-gen.json'), JSON.stringify(m, null, 2) + '\n');
}

const altered = (dir: string): boolean => readFileSync(join(dir, 'src/main.ts'), 'utf8').startsWith(MARK);

/** A fresh copy of the weather capability, built once into its own project folder. */
async function built(name: string): Promise<{ spec: string; out: string }> {
  const root = tmp(name);
  const spec = join(root, 'weather.yaml');
  copyFileSync(WEATHER, spec);
  const out = join(root, 'project');
  expect((await runCli('build', spec, '--out', out)).code).toBe(0);
  return { spec, out };
}

describe('the manifest records what a project was built from', () => {
  it('a stamp of the source text, its name, the flags and the generator; a hash of the owned files', async () => {
    const { spec, out } = await built('stamp');
    const m = manifestOf(out);
    const text = readFileSync(spec, 'utf8');
    expect(m.stamp).toBe(buildStamp({ sourceName: 'weather.yaml', place: '..', text, strict: false }));
    const tree = readTree(out);
    expect(m.outputHash).toBe(outputHash(new Map(m.files.map((f) => [f, tree.get(f)!]))));
    expect(generatorFingerprint()).toMatch(/^\d+\.\d+\.\d+.*\+[0-9a-f]{16}$/);
    // Each input changes the stamp.
    const stamps = new Set([
      m.stamp,
      buildStamp({ sourceName: 'weather.yaml', place: '..', text, strict: true }),
      buildStamp({ sourceName: 'other.yaml', place: '..', text, strict: false }),
      buildStamp({ sourceName: 'weather.yaml', place: '..', text: text + '\n', strict: false }),
    ]);
    expect(stamps.size).toBe(4);
  });
});

describe('build and build --check of an unchanged project', () => {
  it('are answered from the manifest: nothing is parsed, emitted or written', async () => {
    const { spec, out } = await built('noop');
    alter(out);
    const before = readTree(out);
    const again = await runCli('build', spec, '--out', out);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('unchanged');
    const check = await runCli('build', spec, '--out', out, '--check');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('up to date');
    expect(readTree(out)).toEqual(before);
    expect(altered(out)).toBe(true);
  });

  it('repeat the warnings count recorded at build time', async () => {
    const root = tmp('warnings');
    const out = join(root, 'projects');
    const first = await runCli('build', SEED, WEATHER, '--out', out);
    const second = await runCli('build', SEED, WEATHER, '--out', out);
    expect(first.stdout).toMatch(/2 capabilities: 2 built, 0 unchanged, 0 failed; (\d+) warnings/);
    const count = /; (\d+) warnings/.exec(first.stdout)![1];
    expect(Number(count)).toBeGreaterThan(0);
    expect(second.stdout).toContain(`2 capabilities: 0 built, 2 unchanged, 0 failed; ${count} warnings.`);
  });
});

describe('what rebuilds', () => {
  it('a changed capability', async () => {
    const { spec, out } = await built('changed-source');
    alter(out);
    writeFileSync(spec, readFileSync(spec, 'utf8') + '# a comment\n');
    const r = await runCli('build', spec, '--out', out);
    expect(r.code).toBe(0);
    expect(altered(out)).toBe(false);
    expect(manifestOf(out).stamp).toBe(buildStamp({ sourceName: 'weather.yaml', place: '..', text: readFileSync(spec, 'utf8'), strict: false }));
  });

  it('a changed flag (--strict), and back', async () => {
    const { spec, out } = await built('changed-flag');
    alter(out);
    expect((await runCli('build', spec, '--out', out, '--strict')).code).toBe(0);
    expect(altered(out)).toBe(false);
    alter(out);
    expect((await runCli('build', spec, '--out', out)).code).toBe(0);
    expect(altered(out)).toBe(false);
  });

  it('another generator (a different stamp in the manifest)', async () => {
    const { spec, out } = await built('changed-generator');
    alter(out);
    const m = manifestOf(out);
    m.stamp = buildStamp({ sourceName: 'weather.yaml', place: '..', text: 'as if built by naftiko-gen 0.0.1', strict: false });
    writeFileSync(join(out, '.naftiko-gen.json'), JSON.stringify(m, null, 2) + '\n');
    // --check reports the difference (the manifest is not compared on its stamp, the files are) ...
    const check = await runCli('build', spec, '--out', out, '--check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('changed: src/main.ts');
    // ... and build puts the generated text back and records the new stamp.
    expect((await runCli('build', spec, '--out', out)).code).toBe(0);
    expect(altered(out)).toBe(false);
    expect(manifestOf(out).stamp).toBe(buildStamp({ sourceName: 'weather.yaml', place: '..', text: readFileSync(spec, 'utf8'), strict: false }));
  });

  it('a generated file edited or deleted by hand (the output hash no longer matches)', async () => {
    const { spec, out } = await built('edited-output');
    writeFileSync(join(out, 'src/main.ts'), MARK + readFileSync(join(out, 'src/main.ts'), 'utf8'));
    const check = await runCli('build', spec, '--out', out, '--check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('changed: src/main.ts');
    expect((await runCli('build', spec, '--out', out)).code).toBe(0);
    expect(altered(out)).toBe(false);
  });

  it('the capability moved to another folder (the generated configuration reads files relative to it)', async () => {
    const { spec, out } = await built('moved');
    alter(out);
    const moved = join(tmp('moved-source'), 'weather.yaml');
    copyFileSync(spec, moved);
    expect((await runCli('build', moved, '--out', out)).code).toBe(0);
    expect(altered(out)).toBe(false);
  });

  it('never skips a capability that reads other files when it is built (an imported consumes file here)', async () => {
    const root = tmp('imports');
    mkdirSync(join(root, 'shared'), { recursive: true });
    const shared = 'naftiko: 1.0.0-alpha2\nconsumes:\n  - namespace: inv\n    type: http\n    baseUri: https://inv.example\n    resources:\n      - name: r\n        path: /r\n        operations:\n          - name: get\n            method: GET\n';
    writeFileSync(join(root, 'shared/api.yaml'), shared);
    const spec = join(root, 'cap.yaml');
    writeFileSync(spec, 'naftiko: 1.0.0-alpha2\ninfo:\n  label: I\n  description: Imports.\ncapability:\n  consumes:\n    - import: inv\n      location: ./shared/api.yaml\n  exposes:\n    - type: mcp\n      namespace: m\n      port: 3001\n      tools:\n        - name: t\n          description: T.\n          call: inv.get\n');
    const out = join(root, 'project');
    expect((await runCli('build', spec, '--out', out)).code).toBe(0);
    expect(manifestOf(out).stamp).toBeUndefined();
    // The imported file changes, the capability does not: the next build still sees it.
    writeFileSync(join(root, 'shared/api.yaml'), shared.replace('https://inv.example', 'https://other.example'));
    expect((await runCli('build', spec, '--out', out)).code).toBe(0);
    expect(readFileSync(join(out, 'src/config.ts'), 'utf8')).toContain('https://other.example');
  });

  it('--format json always validates, so that it can list the findings', async () => {
    const root = tmp('json');
    const out = join(root, 'project');
    await runCli('build', SEED, '--out', out);
    const r = await runCli('build', SEED, '--out', out, '--format', 'json');
    const report = JSON.parse(r.stdout) as { projects: Array<{ status: string; findings: unknown[] }> };
    expect(report.projects[0]!.status).toBe('unchanged');
    expect(report.projects[0]!.findings.length).toBeGreaterThan(0);
  });
});
