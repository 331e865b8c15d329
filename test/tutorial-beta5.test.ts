/**
 * The engine's tutorial as published for ikanos 1.0.0-beta5 (../shared/conformance/ikanos-1.0.0-beta5/tutorial):
 * every step builds, in one call, with no construct left out, and the projects type-check together. Each step
 * generates exactly the project of its alpha2 counterpart; test/e2e-tutorial-prism.test.ts runs both versions'
 * servers against Prism.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { emitProject } from '../src/emit/emit-project.js';
import { validateText } from '../src/validate/validate.js';
import { runCli } from './helpers/cli.js';
import { pointerless } from './helpers/output.js';
import { TEST_OUTPUT } from './helpers/generated-project.js';
import { describeWithShared, REPO, SHARED } from './helpers/shared.js';

/**
 * One `tsc` over every project, each read as the ES module its package.json says it is (the in-memory
 * checker of helpers/typecheck.ts reads every file as CommonJS, which refuses their `import.meta`).
 */
function typecheckTogether(dir: string, projects: readonly string[]): string {
  const options = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: ['node'], strict: true, noUncheckedIndexedAccess: true, skipLibCheck: true, noEmit: true };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, include: projects.map((p) => `${p}/src`) }));
  const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
  return `${tsc.stdout}${tsc.stderr}`.trim() + (tsc.status === 0 ? '' : `\n(exit ${tsc.status})`);
}

const BETA5 = join(SHARED, 'conformance/ikanos-1.0.0-beta5/tutorial');
const ALPHA2 = join(SHARED, 'conformance/framework-1.0.0-alpha2/tutorial');
const OUT = join(TEST_OUTPUT, `tutorial-beta5-${process.pid}`);
/** The published example of the binary constructs, built and type-checked with the tutorial. */
const BINARY_EXAMPLE = join(SHARED, 'conformance/ikanos-1.0.0-beta5/schemas/examples/capability-binary-content.yml');

describeWithShared('the beta5 tutorial (../shared)', () => {
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));
  const steps = (): string[] => readdirSync(BETA5).filter((f) => f.startsWith('step-')).sort();

  it('every step (and the binary example) builds in one call, nothing left out, and the projects type-check together', async () => {
    expect(steps()).toHaveLength(11);
    mkdirSync(OUT, { recursive: true });
    const built = await runCli('build', ...steps().map((f) => join(BETA5, f)), BINARY_EXAMPLE, '--out', OUT);
    expect(built.code, built.stdout + built.stderr).toBe(0);
    for (const f of steps()) {
      const r = validateText(join(BETA5, f), readFileSync(join(BETA5, f), 'utf8'));
      expect(r.findings.filter((x) => x.severity === 'error' || x.rule === 'construct-unsupported'), f).toEqual([]);
    }
    // The binary example is generated whole, the adapters' own maxBinarySize included.
    const example = validateText(BINARY_EXAMPLE, readFileSync(BINARY_EXAMPLE, 'utf8')).findings;
    expect(example.map((f) => `${f.rule} ${f.pointer}`)).toEqual([]);
    const projects = readdirSync(OUT);
    expect(projects).toHaveLength(12);
    expect(typecheckTogether(OUT, projects)).toBe('');
  }, 120_000);

  it('each step generates the very project of its alpha2 counterpart', () => {
    for (const f of steps()) {
      const beta5 = validateText(join(BETA5, f), readFileSync(join(BETA5, f), 'utf8'));
      const alpha2 = validateText(join(ALPHA2, f), readFileSync(join(ALPHA2, f), 'utf8'));
      expect(beta5.model, f).toBeDefined();
      expect(alpha2.model, f).toBeDefined();
      // Only the pointers to the capability's lines differ: the two files lay the same things out differently.
      expect(pointerless(emitProject(beta5.model!)), f).toEqual(pointerless(emitProject(alpha2.model!)));
    }
  });
});
