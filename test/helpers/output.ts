/** Scratch folders for generated projects, inside the repository so their imports resolve against its node_modules. */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll } from 'vitest';
import { REPO } from './shared.js';

export function scratch(name: string): string {
  const dir = join(REPO, '.test-output', `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every file under `dir` (relative paths, sorted) with its content. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** A `scratch` for one test file: every folder it hands out is removed after the file's tests. */
export function useScratch(): (name: string) => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return (name) => {
    const d = scratch(name);
    dirs.push(d);
    return d;
  };
}

/** A generated project without the pointers to the capability's lines (`// weather.yaml:12`): versions of one capability sit on other lines. */
export function pointerless(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files].map(([path, text]) => [path, text.replace(/^ *\/\/ \S+\.ya?ml:\d+\n/gm, '')]));
}
