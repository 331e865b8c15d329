#!/usr/bin/env node
// Launcher. `npm run build` (run by `npm ci` in a clone through the `prepare` script, and before packing)
// compiles src/ into dist/ and bundles the CLI into dist/bundle/naftiko-gen.js with a V8 code cache beside
// it (scripts/bundle.mjs): compiled from its cache, the CLI starts in about half the time that loading its
// ES modules one by one takes. Without a current bundle, the modules of dist/ are loaded as they are.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const bundle = fileURLToPath(new URL('../dist/bundle/naftiko-gen.js', import.meta.url));
const cacheFile = bundle.replace(/\.js$/, '.code-cache');
const modules = new URL('../dist/cli/main.js', import.meta.url);

/** The bundle, unless it is missing or older than the compiled modules (tsc run alone after a change). */
function bundleIsCurrent() {
  try {
    return statSync(bundle).mtimeMs >= statSync(modules).mtimeMs;
  } catch {
    return false;
  }
}

/** The bundle's `main`, compiled from the code cache when V8 accepts it (same Node version and flags). */
function loadBundle() {
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache: compiled from source.
  }
  const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  // The training run of scripts/bundle.mjs: after the run, the cache holds every function it compiled.
  if (process.env.NAFTIKO_GEN_WRITE_CODE_CACHE === '1') process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  return module.exports.main;
}

const main = bundleIsCurrent() ? loadBundle() : (await import('../dist/cli/main.js')).main;
process.exitCode = await main(process.argv);
