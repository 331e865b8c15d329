/**
 * The bundled CLI compiles its run-time CommonJS files (the precompiled schemas and templates)
 * from the code caches the build trained (bin/load-bundle.cjs), and gives the same output as the modules
 * of dist/ loaded one by one. A preload reports every script compiled through node:vm and whether V8 took
 * its cache.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/cli.js';
import { REPO } from './helpers/shared.js';

const scratch = mkdtempSync(join(tmpdir(), 'naftiko-code-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SPY = join(scratch, 'spy.cjs');
writeFileSync(
  SPY,
  `const vm = require('node:vm');
const Base = vm.Script;
vm.Script = class extends Base {
  constructor(source, options) {
    super(source, options);
    const how = options && options.cachedData ? (this.cachedDataRejected ? 'rejected' : 'cached') : 'compiled';
    process.stderr.write('[script ' + how + '] ' + (options && options.filename) + '\\n');
  }
};
`,
);

describe('code caches of the bundled CLI', () => {
  const seed = 'examples/qovery/qovery-organization-api-token.yaml';
  const project = join(scratch, 'seed');

  it('compile the bundle, the schema and the templates from caches V8 accepts (no template runtime is loaded)', () => {
    const r = runBin(['build', seed, '--out', project], REPO, { NODE_OPTIONS: `--require=${SPY}` });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const scripts = r.stderr.split('\n').filter((l) => l.startsWith('[script '));
    expect(scripts).toContainEqual(expect.stringMatching(/^\[script cached\] .*dist\/bundle\/naftiko-gen\.js$/));
    expect(scripts).toContainEqual(expect.stringMatching(/^\[script cached\] .*dist\/schemas\/naftiko-1\.0\.0-alpha2\.relaxed\.cjs$/));
    expect(scripts).toContainEqual(expect.stringMatching(/^\[script cached\] .*dist\/templates\.precompiled\.cjs$/));
    // The templates are plain functions (src/emit/compile-template.ts): Handlebars is not loaded at all.
    expect(scripts.filter((l) => /handlebars/.test(l))).toEqual([]);
    expect(scripts.filter((l) => !l.startsWith('[script cached]'))).toEqual([]);
  });

  it('give the same findings as the modules of dist/ loaded without the bundle', () => {
    const file = 'test/fixtures/relaxations';
    const bundled = runBin(['validate', '--format', 'json', file]);
    const runner = join(scratch, 'modules.mjs');
    writeFileSync(runner, `const { main } = await import(${JSON.stringify(`${REPO}dist/cli/main.js`)});\nprocess.exitCode = await main(process.argv);\n`);
    const modules = spawnSync(process.execPath, [runner, 'validate', '--format', 'json', file], { cwd: REPO, encoding: 'utf8' });
    expect(bundled.code).toBe(modules.status);
    expect(JSON.parse(bundled.stdout).length).toBeGreaterThan(0);
    expect(bundled.stdout).toBe(modules.stdout);
  });
});
