/**
 * Files a capability refers to by `location:`: shared consumes files (`consumes[].location`) and,
 * through the same path rules, `binds` files. One resolver, (importing file, location) -> document, so
 * that other import forms (ikanos `from`/`import`/`as`) can map onto it.
 *
 * A location is a path relative to the importing file's folder (`./shared/x.yaml`, `shared/x.yaml`), or
 * a `file:` URL; `file:///./x` is read as `./x`, the way the published tutorials mean it. A document is
 * never read from outside the importing file's folder tree: capabilities come from strangers, and a
 * build must not read (and quote in its findings) files elsewhere on the machine.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { parseCapabilityText, type LoadedDocument } from './load-document.js';
import type { Finding } from '../validate/finding.js';

/** A `location` as a file path: relative (to the capability's folder) or absolute; undefined for other schemes. */
export function locationPath(location: string): string | undefined {
  let path = location.trim();
  const file = /^file:(\/\/)?/i.exec(path);
  if (file) {
    path = path.slice(file[0].length);
    // `file:///./x` and `file:///../x`: a relative path written as a URL.
    if (/^\/\.\.?\//.test(path)) path = path.slice(1);
    try {
      path = decodeURIComponent(path);
    } catch {
      return undefined;
    }
  } else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path) && !/^[A-Za-z]:[\\/]/.test(path)) return undefined;
  return path === '' ? undefined : path;
}

export type ResolvedImport =
  | { ok: true; file: string; document: LoadedDocument; findings: Finding[] }
  | { ok: false; rule: 'import-unreadable' | 'import-outside-folder'; message: string; hint: string };

/** Where `location` points, relative to `importingFile`'s folder; or why it cannot be read. */
export function importTarget(importingFile: string, location: string): { ok: true; file: string } | Extract<ResolvedImport, { ok: false }> {
  const path = locationPath(location);
  if (path === undefined) {
    return {
      ok: false,
      rule: 'import-unreadable',
      message: `\`${location}\` is not a file location naftiko-gen can read.`,
      hint: 'Write a path relative to this file, such as `./shared/consumes.yaml`.',
    };
  }
  const base = dirname(importingFile);
  const file = isAbsolute(path) ? normalize(path) : join(base, path);
  const rel = relative(base, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    return {
      ok: false,
      rule: 'import-outside-folder',
      message: `\`${location}\` points outside the folder of this file, so naftiko-gen does not read it.`,
      hint: 'Move the shared file into this folder or one below it, and refer to it with a relative path.',
    };
  }
  return { ok: true, file };
}

/** Reads and parses the document at `location`, relative to `importingFile`. Positions are the imported file's. */
export function resolveImport(importingFile: string, location: string): ResolvedImport {
  const target = importTarget(importingFile, location);
  if (!target.ok) return target;
  let text: string;
  try {
    text = readFileSync(target.file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      rule: 'import-unreadable',
      message: `\`${location}\` cannot be read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'error')}: ${target.file}).`,
      hint: 'Check the path: it is relative to the folder of this file.',
    };
  }
  const loaded = parseCapabilityText(target.file, text);
  if (!loaded.ok) return { ok: false, rule: 'import-unreadable', message: `\`${location}\` is not a readable YAML document (see the findings in ${target.file}).`, hint: loaded.findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message}`).join('\n') };
  return { ok: true, file: target.file, document: loaded.document, findings: loaded.findings };
}
