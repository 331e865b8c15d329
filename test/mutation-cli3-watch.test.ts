/**
 * `build --watch` in process, third pass (src/cli/watch-command.ts): the project it writes inside a
 * watched folder never starts a rebuild of its own, even when the rebuild rewrites the project's own
 * YAML files (compose.yaml and kubernetes.yaml change with a port). Survivors of a Stryker run of part
 * `cli-commands` (MUTATION_TESTS=cli-commands): the output folder's test in the watcher's `ignored`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWatch } from '../src/cli/watch-command.js';
import { capture, printed, tempFolders } from './helpers/capture.js';
import { WEATHER } from './helpers/fixtures.js';

const folder = tempFolders('mutation-cli3-watch-');

describe('build --watch: its own output', () => {
  it('a rebuild that rewrites compose.yaml and kubernetes.yaml inside the watched folder starts no other rebuild', async () => {
    const dir = folder({ 'a.yaml': WEATHER });
    const out = join(dir, 'out');
    const io = capture();
    const handle = startWatch([join(dir, '**/*.yaml')], { out }, io);
    await handle.ready;
    try {
      const compose = readFileSync(join(out, 'a/compose.yaml'), 'utf8');
      writeFileSync(join(dir, 'a.yaml'), WEATHER.replace('port: 8081', 'port: 8082'));
      const line = await printed(io, /^rebuilt after a change to /);
      expect(line).toMatch(/a\.yaml: 1 built, 0 unchanged, 0 failed; /);
      // The project's YAML files did change: they would be capabilities by their name.
      expect(readFileSync(join(out, 'a/compose.yaml'), 'utf8')).not.toBe(compose);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(io.stdout.filter((l) => l.startsWith('rebuilt'))).toEqual([line]);
    } finally {
      await handle.close();
    }
  });
});
