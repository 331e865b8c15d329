/**
 * Stage 5: putting a generated project on disk without ever leaving it half-written, and
 * without touching files it does not own. A manifest in the project lists the files naftiko-gen
 * wrote; a rebuild replaces those, deletes the ones no longer produced, and leaves the rest alone.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export const MANIFEST = '.naftiko-gen.json';

export interface Manifest {
  generator: 'naftiko-gen';
  source: string;
  /** Files naftiko-gen owns: replaced on every build, deleted when no longer generated. */
  files: string[];
  /** Files created once and then yours: never overwritten, never deleted. */
  userFiles?: string[];
  /** What lets an unchanged project be skipped without parsing (build-stamp.ts). */
  stamp?: string;
  outputHash?: string;
  /** Warnings the capability had when built, repeated when the build is skipped. */
  warnings?: number;
}

/** The build-stamp fields of a manifest. */
export type ManifestStamp = Required<Pick<Manifest, 'stamp' | 'outputHash' | 'warnings'>>;

export class OutputError extends Error {}

export function manifestText(source: string, files: Iterable<string>, userFiles: Iterable<string>, stamp?: ManifestStamp): string {
  const manifest: Manifest = { generator: 'naftiko-gen', source, files: [...files].sort(), userFiles: [...userFiles].sort(), ...stamp };
  return JSON.stringify(manifest, null, 2) + '\n';
}

/** A manifest's text without its build stamp: `--check` compares the rest, so that only the files decide. */
function withoutStamp(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const { stamp: _s, outputHash: _o, warnings: _w, ...rest } = JSON.parse(text) as Manifest;
    return JSON.stringify(rest);
  } catch {
    return text;
  }
}

/** What a build writes: the owned files plus the manifest, and the user files that do not exist yet. */
async function planned(target: string, source: string, files: ReadonlyMap<string, string>, userFiles: ReadonlyMap<string, string>, stamp?: ManifestStamp): Promise<Map<string, string>> {
  const all = new Map(files);
  all.set(MANIFEST, manifestText(source, files.keys(), userFiles.keys(), stamp));
  for (const [rel, content] of userFiles) if ((await readIfExists(inside(target, rel))) === undefined) all.set(rel, content);
  return all;
}

/** The manifest of the project in `dir`; undefined when there is none; an error when it is not ours. */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const m = JSON.parse(text) as Manifest;
    if (m.generator === 'naftiko-gen' && Array.isArray(m.files)) return m;
  } catch {
    // fall through
  }
  throw new OutputError(`${join(dir, MANIFEST)} is not a naftiko-gen manifest; refusing to write over ${dir}`);
}

// Synchronous on purpose: comparing a batch reads thousands of small files, and a thread-pool
// round trip per file cost more than the read itself.
async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch {
    return true;
  }
}

/** Paths in the manifest must stay inside the project (a tampered manifest must not delete other files). */
function inside(dir: string, rel: string): string {
  const abs = resolve(dir, rel);
  if (!abs.startsWith(resolve(dir) + '/') || rel.includes('\0')) throw new OutputError(`the manifest in ${dir} names a file outside the project: ${rel}`);
  return abs;
}

export interface WriteResult {
  written: string[];
  deleted: string[];
}

/** Whether `dir` is missing or an empty folder: a project can be written there in one rename. */
function freshTarget(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return true;
  }
}

/**
 * Creates the folders that hold `rels` under `root` (which exists), each with one mkdir, parents first:
 * a recursive mkdir per file cost a system call per level for every file.
 */
function makeFolders(root: string, rels: Iterable<string>): void {
  const folders = new Set<string>();
  for (const rel of rels) {
    for (let d = dirname(inside(root, rel)); d !== root && !folders.has(d); d = dirname(d)) folders.add(d);
  }
  // A parent sorts before its children.
  for (const folder of [...folders].sort()) mkdirSync(folder);
}

/**
 * Writes `files` (path relative to `dir` → content) as the project in `dir`. Everything is first
 * written to a temporary sibling folder; only then are files moved into place.
 *
 * The file-system calls are synchronous on purpose: a batch build writes thousands of small files,
 * and a thread-pool round trip per call (open, write, close) cost more CPU than the calls themselves.
 * A new project (no folder yet, or an empty one) is written without reading anything first.
 */
export async function writeProject(dir: string, source: string, files: ReadonlyMap<string, string>, userFiles: ReadonlyMap<string, string> = new Map(), stamp?: ManifestStamp): Promise<WriteResult> {
  const target = resolve(dir);
  const previous = await readManifest(target);
  const fresh = !previous && freshTarget(target);
  if (!previous && !fresh) {
    throw new OutputError(`${dir} exists and was not generated by naftiko-gen (no ${MANIFEST}); choose an empty or new --out folder`);
  }

  const result: WriteResult = { written: [], deleted: [] };
  let changed: Map<string, string>;
  if (fresh) {
    changed = new Map(files);
    changed.set(MANIFEST, manifestText(source, files.keys(), userFiles.keys(), stamp));
    for (const [rel, content] of userFiles) changed.set(rel, content);
  } else {
    const all = await planned(target, source, files, userFiles, stamp);
    changed = new Map();
    for (const [rel, content] of all) if ((await readIfExists(inside(target, rel))) !== content) changed.set(rel, content);
  }
  const stale = (previous?.files ?? []).filter((rel) => !files.has(rel));
  if (changed.size === 0 && stale.length === 0) return result;

  mkdirSync(dirname(target), { recursive: true });
  const staging = `${target}.naftiko-gen-${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(staging);
    makeFolders(staging, changed.keys());
    for (const [rel, content] of changed) writeFileSync(inside(staging, rel), content);
    if (fresh) {
      // A new project: one rename puts the whole folder in place.
      if (existsSync(target)) await rmdir(target);
      renameSync(staging, target);
    } else {
      // An existing project: move each new file over its old version (renames within one file system),
      // the manifest last so that it always describes files that exist.
      const order = [...changed.keys()].filter((r) => r !== MANIFEST);
      if (changed.has(MANIFEST)) order.push(MANIFEST);
      for (const rel of order) {
        const to = inside(target, rel);
        mkdirSync(dirname(to), { recursive: true });
        renameSync(inside(staging, rel), to);
      }
      for (const rel of stale) {
        await rm(inside(target, rel), { force: true });
        await removeEmptyParents(target, dirname(inside(target, rel)));
      }
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  result.written = [...changed.keys()].filter((r) => r !== MANIFEST);
  result.deleted = stale;
  return result;
}

async function removeEmptyParents(root: string, dir: string): Promise<void> {
  let current = dir;
  while (current.startsWith(root + '/') && (await isEmptyDir(current))) {
    await rmdir(current);
    current = dirname(current);
  }
}

export interface FileChange {
  path: string;
  /** On disk now; undefined when missing. */
  before?: string;
  /** What would be generated; undefined when no longer generated. */
  after?: string;
}

export interface CheckResult {
  /** Files that differ, are missing, or would no longer be generated. */
  changes: FileChange[];
}

/** Compares the project on disk with what would be generated; writes nothing. */
export async function checkProject(dir: string, source: string, files: ReadonlyMap<string, string>, userFiles: ReadonlyMap<string, string> = new Map(), stamp?: ManifestStamp): Promise<CheckResult> {
  const target = resolve(dir);
  const previous = await readManifest(target).catch(() => undefined);
  const all = await planned(target, source, files, userFiles, stamp);
  const changes: FileChange[] = [];
  for (const [rel, content] of all) {
    const before = await readIfExists(inside(target, rel));
    const same = rel === MANIFEST ? withoutStamp(before) === withoutStamp(content) : before === content;
    if (!same) changes.push({ path: rel, ...(before !== undefined ? { before } : {}), after: content });
  }
  for (const rel of previous?.files ?? []) {
    if (files.has(rel)) continue;
    const before = await readIfExists(inside(target, rel));
    if (before !== undefined) changes.push({ path: rel, before });
  }
  return { changes: changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}
