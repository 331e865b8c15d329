/** Files a capability points at with `file:///` locations, read at build time to be embedded. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const MAX_EMBEDDED_BYTES = 1024 * 1024;

/** `file:///./x` and `file:///../x` are relative to the capability's folder; `file:///srv/x` is `/srv/x`. */
export function locationPath(location: string, sourceDir: string | undefined): string {
  const path = location.replace(/^file:\/\/\//, '');
  return path.startsWith('./') || path.startsWith('../') ? resolve(sourceDir ?? '.', path) : `/${path}`;
}

/**
 * A file's text when it is UTF-8 of at most MAX_EMBEDDED_BYTES bytes; undefined otherwise (or when it
 * cannot be read). `embedded` collects every path tried, so that a change to one can trigger a rebuild.
 */
export function readText(path: string, embedded: Set<string>): string | undefined {
  embedded.add(path);
  try {
    const bytes = readFileSync(path);
    const text = bytes.toString('utf8');
    return bytes.length <= MAX_EMBEDDED_BYTES && Buffer.from(text, 'utf8').compare(bytes) === 0 ? text : undefined;
  } catch {
    return undefined;
  }
}
