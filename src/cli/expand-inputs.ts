/**
 * Turns the command line's spec arguments into files: a file stays as given; a folder gives every
 * `.yaml`/`.yml` file directly in it; a glob (`capabilities/*.yaml`, `specs/**\/*.yml`), quoted so the
 * shell leaves it alone, gives every match. Matches are sorted so that output order never depends on
 * the file system. A glob or folder that matches nothing is a usage error.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { MANIFEST } from '../write/write-project.js';
import type { Output } from './output.js';

const GLOB_CHARS = /[*?[]/;
const CAPABILITY_FILE = /\.ya?ml$/i;

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * All files matching the glob `pattern` (tinyglobby: `*`, `?`, `[...]`, `**` for any number of folders),
 * sorted. Hidden files and folders only where the pattern names them. Below a `**`, the projects naftiko-gen
 * generated are left out (their compose.yaml and kubernetes.yaml are not capabilities): an output folder
 * inside the searched one would otherwise feed back into the next build.
 */
export function expandGlob(pattern: string): string[] {
  const absolute = isAbsolute(pattern);
  const found = globSync(pattern, { absolute, onlyFiles: true, expandDirectories: false, followSymbolicLinks: true });
  const segments = pattern.split('/');
  const deep = segments.indexOf('**');
  const kept = deep < 0 ? found : outsideGeneratedProjects(found, resolve(segments.slice(0, deep).join('/') || '.'));
  // The pattern's own spelling of its folder (`./`, `//`) does not change which file a path names.
  return [...new Set(kept.map((f) => (absolute ? f : normalize(f))))].sort();
}

/** The files with no naftiko-gen manifest in a folder between `base` (not included) and them; each folder looked at once. */
function outsideGeneratedProjects(files: readonly string[], base: string): string[] {
  const generated = new Map<string, boolean>();
  const inGenerated = (dir: string): boolean => {
    if (dir.length <= base.length || !dir.startsWith(base)) return false;
    let known = generated.get(dir);
    if (known === undefined) {
      known = existsSync(join(dir, MANIFEST)) || inGenerated(dirname(dir));
      generated.set(dir, known);
    }
    return known;
  };
  return files.filter((f) => !inGenerated(dirname(resolve(f))));
}

export class NoMatchError extends Error {}

export function expandSpecs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (GLOB_CHARS.test(arg)) {
      const matches = expandGlob(arg).filter((f) => CAPABILITY_FILE.test(f));
      if (matches.length === 0) throw new NoMatchError(`no capability file matches ${arg}`);
      out.push(...matches);
    } else if (isDir(arg)) {
      const files = listDir(arg)
        .filter((f) => CAPABILITY_FILE.test(f) && !isDir(join(arg, f)))
        .map((f) => join(arg, f));
      if (files.length === 0) throw new NoMatchError(`the folder ${arg} holds no .yaml or .yml file`);
      out.push(...files);
    } else out.push(arg);
  }
  return [...new Set(out)];
}

/** The spec files of a command's arguments, or undefined once a usage error is printed (the caller exits 2). */
export function specsOrUsageError(args: readonly string[], io: Output): string[] | undefined {
  try {
    return expandSpecs(args);
  } catch (err) {
    if (!(err instanceof NoMatchError)) throw err;
    io.err(`naftiko-gen: ${err.message}.`);
    return undefined;
  }
}
