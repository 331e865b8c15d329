// Loads dist/bundle/naftiko-gen.js, compiled from its V8 code cache when V8 accepts it (same Node version
// and flags), for the CLI (bin/naftiko-gen.js) and for its worker threads (bin/thread.cjs). Returns the
// bundle's exports.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const bundle = join(__dirname, '../dist/bundle/naftiko-gen.js');
const cacheFile = bundle.replace(/\.js$/, '.code-cache');

function loadBundle({ writeCache = false } = {}) {
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache: compiled from source.
  }
  const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, dirname(bundle));
  // The training run of scripts/bundle.mjs: after the run, the cache holds every function it compiled.
  if (writeCache) process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  return module.exports;
}

module.exports = { bundle, loadBundle };
