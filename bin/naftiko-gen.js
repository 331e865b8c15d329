#!/usr/bin/env node
// Launcher. `npm run build` (run by `npm ci` in a clone through the `prepare` script, and before packing)
// compiles src/ into dist/ and bundles the CLI into dist/bundle/naftiko-gen.js with a V8 code cache beside
// it (scripts/bundle.mjs): compiled from its cache, the CLI starts in about half the time that loading its
// ES modules one by one takes. Without a current bundle, the modules of dist/ are loaded as they are.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';

const { bundle, loadBundle } = createRequire(import.meta.url)('./load-bundle.cjs');
const modules = new URL('../dist/cli/main.js', import.meta.url);

/** The bundle, unless it is missing or older than the compiled modules (tsc run alone after a change). */
function bundleIsCurrent() {
  try {
    return statSync(bundle).mtimeMs >= statSync(modules).mtimeMs;
  } catch {
    return false;
  }
}

const main = bundleIsCurrent() ? loadBundle({ writeCache: process.env.NAFTIKO_GEN_WRITE_CODE_CACHE === '1' }).main : (await import('../dist/cli/main.js')).main;
process.exitCode = await main(process.argv);
