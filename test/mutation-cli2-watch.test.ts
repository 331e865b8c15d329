/**
 * `build --watch` in process, second pass (src/cli/watch-command.ts): which file events start a rebuild
 * (capability files by their extension in any case, not other files, not sub-folders without `**`,
 * never node_modules or .git), what the rebuild line says in the singular, the duration it reports,
 * a change pending when the watcher closes, the folder a glob is watched in, and SIGTERM.
 * StrykerJS runs this file for watch-command.ts (MUTATION_TESTS=cli-commands).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWatch, startWatch } from '../src/cli/watch-command.js';
import { capture, printed, tempFolders } from './helpers/capture.js';
import { WEATHER, weatherWith } from './helpers/fixtures.js';
import { REPO } from './helpers/shared.js';

const folder = tempFolders('mutation-cli2-watch-');
const BROKEN = readFileSync(`${REPO}test/fixtures/broken/call-missing.yaml`, 'utf8');
const REST_DESCRIPTION: [string, string] = ['      namespace: weather-rest\n', '      namespace: weather-rest\n      description: Stations over REST.\n'];
/** The weather capability with one warning (a REST adapter's description, relaxed-rest-description). */
const DESCRIBED = weatherWith(REST_DESCRIPTION);
const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Every file of the project in `dir` (relative path → text), but naftiko-gen's own record of it (its manifest). */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name !== '.naftiko-gen.json') files.set(relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name), 'utf8'));
  }
  return files;
}

describe('build --watch: what starts a rebuild, and what its line says', () => {
  it('capability files only (.yaml, .yml, any case), directly in the folder; one file and one warning in the singular', async () => {
    const dir = folder({ 'specs/a.yaml': DESCRIBED });
    const specs = join(dir, 'specs');
    const a = join(specs, 'a.yaml');
    const io = capture();
    const started = Date.now();
    const handle = startWatch([specs], { out: join(dir, 'out') }, io);
    await handle.ready;
    const took = Date.now() - started;
    try {
      const first = io.stdout[0]!.match(/^built: 1 built, 0 unchanged, 0 failed; \d+ files written, 1 warning \((\d+) ms\)\.$/);
      expect(first, io.stdout[0]).not.toBeNull();
      // The duration is the build's own: never more than the test waited.
      expect(Number(first![1])).toBeLessThanOrEqual(took);

      // Not capabilities, or not directly in the watched folder: written first, so that if they counted
      // they would be named in the same (debounced) rebuild as the change to a.yaml.
      mkdirSync(join(specs, 'sub'));
      writeFileSync(join(specs, 'sub', 'deep.yaml'), WEATHER);
      writeFileSync(join(specs, 'a.yaml.bak'), DESCRIBED);
      writeFileSync(join(specs, 'notes.txt'), 'x');
      // Changes one generated file only (the MCP server's description).
      writeFileSync(a, DESCRIBED.replace('Weather station tools.', 'Weather tools.'));
      let seen = io.stdout.length;
      const one = await printed(io, /^rebuilt /, seen);
      expect(one).toMatch(new RegExp(`^rebuilt after a change to ${literal(relative('.', a))}: 1 built, 0 unchanged, 0 failed; 1 file written, 1 warning \\(\\d+ ms\\)\\.$`));

      // Upper-case and .yml extensions are capabilities too.
      seen = io.stdout.length;
      writeFileSync(join(specs, 'b.YML'), WEATHER);
      const upper = await printed(io, /^rebuilt /, seen);
      expect(upper).toMatch(new RegExp(`^rebuilt after a change to ${literal(relative('.', join(specs, 'b.YML')))}: 1 built, 1 unchanged, 0 failed; \\d+ files written, 1 warning `));

      // Three changed files are all named, in order, with no "and 0 more".
      seen = io.stdout.length;
      writeFileSync(join(specs, 'c.yml'), WEATHER);
      writeFileSync(join(specs, 'b.YML'), WEATHER);
      writeFileSync(a, DESCRIBED.replace('Weather station tools.', 'Weather tools.'));
      const three = await printed(io, /^rebuilt /, seen);
      const names = ['a.yaml', 'b.YML', 'c.yml'].map((f) => literal(relative('.', join(specs, f)))).join(', ');
      expect(three).toMatch(new RegExp(`^rebuilt after a change to ${names}: 1 built, 2 unchanged, 0 failed; \\d+ files written, 1 warning `));

      // Files written are the files changed plus the files removed (here the MCP server's, its adapter gone).
      const before = snapshot(join(dir, 'out', 'a'));
      seen = io.stdout.length;
      writeFileSync(a, DESCRIBED.replace(/ {4}- type: mcp[\s\S]*$/, ''));
      const dropped = await printed(io, /^rebuilt /, seen);
      const after = snapshot(join(dir, 'out', 'a'));
      const removed = [...before.keys()].filter((f) => !after.has(f));
      const written = [...after].filter(([f, text]) => before.get(f) !== text);
      expect(removed.length).toBeGreaterThan(0);
      expect(dropped).toMatch(new RegExp(`: 1 built, 2 unchanged, 0 failed; ${removed.length + written.length} files written, 1 warning `));

      // A failed capability: its errors are printed, not its warnings.
      seen = io.stdout.length;
      writeFileSync(a, BROKEN.replace(...REST_DESCRIPTION));
      const failed = await printed(io, /^rebuilt /, seen);
      expect(failed).toMatch(/: 0 built, 2 unchanged, 1 failed; 0 files written, /);
      const between = io.stdout.slice(seen, io.stdout.indexOf(failed));
      expect(between).toHaveLength(1);
      expect(between[0]).toMatch(/ error call-target-missing: /);
      // Every project here was read and written: no message on stderr.
      expect(io.stderr).toEqual([]);
    } finally {
      await handle.close();
    }
  });

  it('with ** never node_modules or .git; a change still pending when the watcher closes is not built', async () => {
    const dir = folder({ 'deep/a.yaml': WEATHER });
    const a = join(dir, 'deep', 'a.yaml');
    const io = capture();
    // A ** glob and a file: every depth is watched (the file alone would be watched at its own level).
    const handle = startWatch([join(dir, '**/*.yaml'), a], { out: join(dir, 'out') }, io);
    await handle.ready;
    let closed = false;
    try {
      expect(io.stdout.slice(0, 2)).toEqual([expect.stringMatching(/^built: 1 built, /), `watching ${dir}, ${a} for changes (Ctrl-C stops).`]);
      for (const skipped of ['node_modules', '.git', 'deep/node_modules']) {
        mkdirSync(join(dir, skipped), { recursive: true });
        writeFileSync(join(dir, skipped, 'x.yaml'), 'x: 1\n');
      }
      // outline.yaml starts like the output folder's path (out) but is not in it; deep/er/b.yaml is two levels down.
      const outline = join(dir, 'outline.yaml');
      const deeper = join(dir, 'deep', 'er', 'b.yaml');
      mkdirSync(join(dir, 'deep', 'er'));
      writeFileSync(outline, WEATHER);
      writeFileSync(deeper, WEATHER);
      const line = await printed(io, /^rebuilt /);
      expect(line).toMatch(new RegExp(`^rebuilt after a change to ${literal(relative('.', deeper))}, ${literal(relative('.', outline))}: `));

      // Closed while the change waits out its debounce: nothing is built after close() resolves (a
      // rebuild already under way finishes before it does).
      writeFileSync(a, WEATHER);
      await new Promise((r) => setTimeout(r, 60));
      await handle.close();
      closed = true;
      const before = io.stdout.length;
      await new Promise((r) => setTimeout(r, 400));
      expect(io.stdout.slice(before)).toEqual([]);
    } finally {
      if (!closed) await handle.close();
    }
  });
});

describe('build --watch: where it watches, and how it stops', () => {
  it('a glob from the root is watched at /, one with a folder in that folder', async () => {
    const out = join(folder(), 'out');
    const root = capture();
    const atRoot = startWatch(['/naftiko-gen-no-such-folder-*.yaml'], { out }, root);
    await atRoot.ready;
    await atRoot.close();
    expect(root.stdout).toEqual(['built: not built (exit 2).', 'watching / for changes (Ctrl-C stops).']);
    const nested = capture();
    const inFolder = startWatch(['test/fixtures/valid/no-such-capability-*.yaml'], { out }, nested);
    await inFolder.ready;
    await inFolder.close();
    expect(nested.stdout).toEqual(['built: not built (exit 2).', 'watching test/fixtures/valid for changes (Ctrl-C stops).']);
    const leading = capture();
    const here = startWatch(['*-no-such-capability.yaml'], { out }, leading);
    await here.ready;
    await here.close();
    expect(leading.stdout).toEqual(['built: not built (exit 2).', 'watching ./ for changes (Ctrl-C stops).']);
  });

  it('runWatch stops on SIGTERM too', async () => {
    const dir = folder({ 'a.yaml': WEATHER });
    const io = capture();
    const others = process.listeners('SIGTERM');
    for (const l of others) process.off('SIGTERM', l);
    try {
      const code = runWatch([join(dir, 'a.yaml')], { out: join(dir, 'out') }, io);
      await printed(io, /^watching /);
      process.emit('SIGTERM');
      expect(await code).toBe(0);
      expect(io.stdout.at(-1)).toBe('stopped watching.');
    } finally {
      for (const l of others) process.on('SIGTERM', l);
    }
  });
});

describe('build --watch: a project that fails without findings says why', () => {
  it('an output folder that cannot be made, and a capability that went away', async () => {
    const dir = folder({ 'a.yaml': WEATHER, plain: 'a file, not a folder' });
    const a = join(dir, 'a.yaml');
    const io = capture();
    const handle = startWatch([a], { out: join(dir, 'plain', 'out') }, io);
    await handle.ready;
    try {
      expect(io.stdout[0]).toMatch(/^built: 0 built, 0 unchanged, 1 failed; 0 files written, /);
      expect(io.stderr).toEqual([expect.stringMatching(new RegExp(`^naftiko-gen: cannot write ${literal(join(dir, 'plain', 'out'))}.*\\.$`))]);
      rmSync(a);
      await printed(io, /^rebuilt /);
      expect(io.stderr.slice(1)).toEqual([expect.stringMatching(new RegExp(`^naftiko-gen: .*${literal(a)}.*\\.$`))]);
    } finally {
      await handle.close();
    }
  });
});
