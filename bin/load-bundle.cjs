// Loads dist/bundle/naftiko-gen.js, compiled from its V8 code cache when V8 accepts it (same Node version
// and flags), for the CLI (bin/naftiko-gen.js) and for its worker threads (bin/thread.cjs). Returns the
// bundle's exports.
//
// The CommonJS files the bundle requires at run time (the precompiled schemas and templates of dist/, and
// the Handlebars, Ajv and yaml runtimes) are compiled from code caches too: without one, V8 compiles each
// function of a 600 KB schema validator on its first call (about 15 ms of the 94 Qovery files' validation).
// Each cache is named after a hash of its file's path in the package and its text, so that a changed file
// never gets a stale cache, wherever the package is installed.
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join, relative, sep } = require('node:path');
const vm = require('node:vm');

const root = join(__dirname, '..');
const bundle = join(root, 'dist/bundle/naftiko-gen.js');
const cacheFile = bundle.replace(/\.js$/, '.code-cache');
const cacheDir = join(root, 'dist/bundle/code-cache');

/** The run-time CommonJS files compiled from a code cache: dist's own, and the runtimes loaded from node_modules. */
const CACHED = [join(root, 'dist/schemas') + sep, join(root, 'dist/templates.precompiled.cjs'), ...['handlebars', 'ajv', 'yaml'].map((p) => join(root, 'node_modules', p, 'dist') + sep)];

/** In the training run: every script compiled, to save its cache at exit. */
const trained = [];
let training = false;

function compiled(source, filename, cache) {
  let cachedData;
  try {
    cachedData = readFileSync(cache);
  } catch {
    // No cache: compiled from source.
  }
  const script = new vm.Script(Module.wrap(source), { filename, cachedData });
  if (training) trained.push([cache, script]);
  return script;
}

function cachedRequire(original) {
  return function (module, filename) {
    if (!CACHED.some((c) => (c.endsWith(sep) ? filename.startsWith(c) : filename === c))) return original.call(this, module, filename);
    const source = readFileSync(filename, 'utf8');
    const cache = join(cacheDir, `${createHash('sha1').update(relative(root, filename)).update('\0').update(source).digest('hex').slice(0, 24)}.code-cache`);
    compiled(source, filename, cache).runInThisContext().call(module.exports, module.exports, Module.createRequire(filename), module, filename, dirname(filename));
  };
}

function loadBundle({ writeCache = false } = {}) {
  training = writeCache;
  // Node 20 loads .cjs files with the .js loader too.
  Module._extensions['.js'] = cachedRequire(Module._extensions['.js']);
  const script = compiled(readFileSync(bundle, 'utf8'), bundle, cacheFile);
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, dirname(bundle));
  // The training run of scripts/bundle.mjs: after the run, the caches hold every function it compiled.
  if (writeCache) {
    process.once('exit', () => {
      mkdirSync(cacheDir, { recursive: true });
      for (const [file, s] of trained) writeFileSync(file, s.createCachedData());
    });
  }
  return module.exports;
}

module.exports = { bundle, loadBundle };
