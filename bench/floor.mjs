// Floors for the CLI aims of issue 10: what the unavoidable part of a run costs on this machine, with
// none of naftiko-gen's own work, so that a ratio the bench reports as not met can be read against it.
//
//   node bench/floor.mjs parse <file.yaml|dir>... Node's start, then js-yaml (the parser the validator
//                                                 uses) reading each file, in one thread: no positions, no checks.
//   node bench/floor.mjs pack <dir> <blob>        Packs every file under <dir> (a batch build's output)
//                                                 into one blob, outside the timed runs.
//   node bench/floor.mjs write <blob> <out>       Node's start, one read of the blob, then each file
//                                                 written to <out> as a build writes it: no generation.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const [mode, ...args] = process.argv.slice(2);

if (mode === 'parse') {
  // The generator's own copy of js-yaml, so that the floor reads with the same code.
  const { load, CORE_SCHEMA } = createRequire(new URL('../package.json', import.meta.url))('js-yaml');
  // A folder stands for its .yaml files, as `validate <folder>` reads them (the synthetic corpus).
  const files = args.flatMap((a) => (statSync(a).isDirectory() ? readdirSync(a).filter((f) => f.endsWith('.yaml')).map((f) => join(a, f)) : [a]));
  let keys = 0;
  for (const file of files) keys += Object.keys(load(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA }) ?? {}).length;
  console.log(`${files.length} files parsed (${keys} top-level keys)`);
} else if (mode === 'pack') {
  const [dir, blob] = args;
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push([relative(dir, p), readFileSync(p)]);
    }
  };
  walk(dir);
  // Header: one JSON line of [path, size] pairs; then the contents, end to end.
  const header = Buffer.from(`${JSON.stringify(files.map(([p, b]) => [p, b.length]))}\n`);
  writeFileSync(blob, Buffer.concat([header, ...files.map(([, b]) => b)]));
  console.log(`${files.length} files packed`);
} else if (mode === 'write') {
  const [blob, out] = args;
  const all = readFileSync(blob);
  const end = all.indexOf(10);
  const index = JSON.parse(all.subarray(0, end).toString('utf8'));
  let at = end + 1;
  const made = new Set();
  for (const [path, size] of index) {
    const target = join(out, path);
    const dir = dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(target, all.subarray(at, at + size));
    at += size;
  }
  console.log(`${index.length} files written`);
} else {
  console.error('usage: node bench/floor.mjs parse <files...> | pack <dir> <blob> | write <blob> <out>');
  process.exit(2);
}
