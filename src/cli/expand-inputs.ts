/**
 * Turns the command line's spec arguments into files: a file stays as given; a folder gives every
 * `.yaml`/`.yml` file directly in it; a glob (`capabilities/*.yaml`, `specs/**\/*.yml`), quoted so the
 * shell leaves it alone, gives every match. Matches are sorted so that output order never depends on
 * the file system. A glob or folder that matches nothing is a usage error.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST } from '../write/write-project.js';
import type { Output } from './output.js';

const GLOB_CHARS = /[*?[]/;
const CAPABILITY_FILE = /\.ya?ml$/i;

function segmentPattern(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charAt(i);
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        const body = segment.slice(i + 1, close).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

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

/** All paths matching the glob `pattern`; `**` matches any number of folders. */
export function expandGlob(pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let current = [absolute ? '/' : ''];
  for (const [index, segment] of segments.entries()) {
    if (segment === '' && index === 0) continue;
    const last = index === segments.length - 1;
    const next: string[] = [];
    for (const base of current) {
      const dir = base === '' ? '.' : base;
      if (segment === '**') {
        // Zero or more folders: this folder and every folder below it, but the projects naftiko-gen
        // generated (their compose.yaml and kubernetes.yaml are not capabilities), which an output
        // folder inside the searched one would otherwise feed back into the next build.
        const stack = [base];
        while (stack.length > 0) {
          const d = stack.pop()!;
          next.push(d);
          for (const e of listDir(d === '' ? '.' : d)) {
            const sub = d === '' ? e : join(d, e);
            if (!e.startsWith('.') && isDir(sub) && !existsSync(join(sub, MANIFEST))) stack.push(sub);
          }
        }
      } else if (!GLOB_CHARS.test(segment)) {
        const p = base === '' ? segment : join(base, segment);
        // A glob gives only files that exist: `*/capability.yaml` skips the folders without one.
        if (last ? existsSync(p) : isDir(p)) next.push(p);
      } else {
        const re = segmentPattern(segment);
        for (const e of listDir(dir)) {
          if (e.startsWith('.') && !segment.startsWith('.')) continue;
          if (!re.test(e)) continue;
          const p = base === '' ? e : join(base, e);
          if (last || isDir(p)) next.push(p);
        }
      }
    }
    current = [...new Set(next)];
  }
  return current.filter((p) => p !== '' && !isDir(p)).sort();
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
