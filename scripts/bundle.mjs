// Bundles the compiled CLI into one file per thread (run by `npm run build`, after tsc), and trains a V8
// code cache for the main one. Loading some 120 ES modules cost about 100 ms of CPU at every start of
// the CLI, and compiling the functions a run uses cost as much again; one CommonJS file, compiled from
// its code cache, costs a fraction of that (bin/naftiko-gen.js loads it).
//
// dist/bundle/ sits two levels below the package root, like dist/cli/, so that the paths the code finds
// from its own location (package.json, templates/, schema/, dist/schemas/) stay the same in the bundle.
// Packages loaded with createRequire at run time (yaml on its slow path, the Handlebars runtime, Ajv's
// runtime for the precompiled schemas) stay in node_modules: they are dependencies.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = join(root, 'dist/bundle');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// The files are CommonJS (a vm.Script can take a code cache; an ES module cannot on Node 20).
writeFileSync(join(out, 'package.json'), '{ "type": "commonjs" }\n');

await build({
  entryPoints: {
    'naftiko-gen': join(root, 'dist/cli/main.js'),
    // The writer thread starts from this one, found next to the bundle (src/write/project-writer.ts); the
    // workers of src/cli/parallel.ts load the main bundle itself, from its code cache (bin/thread.cjs).
    'write-thread': join(root, 'dist/write/write-thread.js'),
  },
  outdir: out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // import.meta.url, which CommonJS lacks: the file's own URL.
  define: { 'import.meta.url': '__naftikoGenFileUrl' },
  banner: { js: "var __naftikoGenFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

// Training run: build the two examples once, and save the code of every function that run compiled.
const scratch = mkdtempSync(join(tmpdir(), 'naftiko-gen-bundle-'));
try {
  const run = spawnSync(
    process.execPath,
    [join(root, 'bin/naftiko-gen.js'), 'build', '-q', join(root, 'examples/qovery/qovery-organization-api-token.yaml'), join(root, 'examples/harbour-crew/harbour-crew.yaml'), '--out', scratch],
    { encoding: 'utf8', env: { ...process.env, NAFTIKO_GEN_WRITE_CODE_CACHE: '1' } },
  );
  if (run.status !== 0) {
    console.error(`bundle: the training run failed (exit ${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);
    process.exit(1);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
