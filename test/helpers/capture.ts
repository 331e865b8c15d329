/** An `Output` (src/cli/output.ts) that keeps what a command prints, for in-process command tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import type { Output } from '../../src/cli/output.js';

export interface Captured extends Required<Output> {
  stdout: string[];
  stderr: string[];
  progressed: string[];
  /** stdout as one text. */
  text(): string;
  /** stderr as one text. */
  errors(): string;
}

export function capture(): Captured {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const progressed: string[] = [];
  return {
    stdout,
    stderr,
    progressed,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    progress: (t) => progressed.push(t),
    text: () => stdout.join('\n'),
    errors: () => stderr.join('\n'),
  };
}

/** A temporary folder per test file (removed after its tests); `folder()` hands out a fresh sub-folder holding the given files. */
export function tempFolders(prefix: string): (files?: Record<string, string>) => string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  return (files = {}) => {
    const dir = join(root, String(n++));
    mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };
}

/**
 * Resolves with the first line `io` printed on stdout, after its first `skip` lines, that matches `pattern`
 * (polling: a watcher reacts in its own time); fails after 15 s, showing what was printed.
 */
export async function printed(io: Captured, pattern: RegExp, skip = 0): Promise<string> {
  const end = Date.now() + 15_000;
  for (;;) {
    const line = io.stdout.slice(skip).find((l) => pattern.test(l));
    if (line !== undefined) return line;
    if (Date.now() > end) throw new Error(`not printed: ${pattern}\nstdout:\n${io.text()}\nstderr:\n${io.errors()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
