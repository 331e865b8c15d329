/**
 * Every file the engine publishes for Naftiko 1.0.0-alpha2 (../shared/conformance/framework-1.0.0-alpha2: the
 * tutorial's eleven steps with their shared files, and the schema examples) validates, builds with no
 * construct or authentication left out, and its project type-checks. capability-example.yml is alpha1
 * (the versions tests cover it).
 *
 * All capabilities are built in one `build` call and type-checked in one program, to keep the cost down.
 *
 * The one exception is written out below, finding by finding: script-step.yml's scripts live under
 * file:///app/capabilities/scripts, a folder of the engine's container that is not published, and one of
 * them is Python, which a TypeScript server cannot run.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { useScratch } from './helpers/output.js';
import { SHARED, yamlFiles } from './helpers/shared.js';
import { typecheckProjects } from './helpers/typecheck.js';

const ALPHA2 = join(SHARED, 'conformance/framework-1.0.0-alpha2');
const available = existsSync(join(ALPHA2, 'tutorial'));
if (!available) process.stderr.write(`[conformance] skipped: ../shared is absent (${ALPHA2})\n`);

/** Capabilities: the tutorial's steps and the schema examples (the shared files are documents they import or bind). */
const capabilities = available ? [...yamlFiles(join(ALPHA2, 'tutorial')).filter((f) => /\/step-[^/]+\.yml$/.test(f)), ...yamlFiles(join(ALPHA2, 'schemas/examples'))] : [];
const sharedFiles = available ? yamlFiles(join(ALPHA2, 'tutorial/shared')) : [];

/** Findings that cannot reach zero here, each with the reason (the pointer names the construct). */
const CANNOT_BE_GENERATED: Array<{ file: string; pointer: string; why: string }> = [
  { file: 'script-step.yml', pointer: '/capability/exposes/1/tools/0/steps/1/file', why: 'the script lives in /app/capabilities/scripts, which is not published' },
  { file: 'script-step.yml', pointer: '/capability/exposes/1/tools/1/steps/1/language', why: 'a Python script cannot run in a TypeScript server' },
];

interface Finding {
  file: string;
  severity: string;
  rule: string;
  pointer: string;
  message: string;
}

const scratch = useScratch();

describe.skipIf(!available)('the published alpha2 capabilities, generated', () => {
  it('every file validates without an error (the shared files as documents of values or consumes)', async () => {
    const r = await runCli('validate', '--format', 'json', ...capabilities, ...sharedFiles);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const findings = JSON.parse(r.stdout) as Finding[];
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('builds all in one call with nothing left out but what cannot be generated, and every project type-checks', async () => {
    expect(capabilities.length).toBe(13);
    const out = scratch('conformance-alpha2');
    const r = await runCli('build', '--format', 'json', '--out', out, ...capabilities);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const projects = (JSON.parse(r.stdout) as { projects: Array<{ spec: string; status: string; findings: Finding[] }> }).projects;
    expect(projects.map((p) => p.status)).toEqual(capabilities.map(() => 'built'));
    const leftOut = projects
      .flatMap((p) => p.findings)
      .filter((f) => f.rule === 'construct-unsupported' || f.rule === 'auth-unsupported')
      .map((f) => ({ file: f.file.split('/').pop(), pointer: f.pointer }));
    expect(leftOut).toEqual(CANNOT_BE_GENERATED.map(({ file, pointer }) => ({ file, pointer })));
    expect(typecheckProjects(readdirSync(out).map((d) => join(out, d)))).toEqual([]);
  }, 120_000);
});
