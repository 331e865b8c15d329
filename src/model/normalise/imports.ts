/**
 * ikanos imports: an entry `{from: shared.yaml, import: <namespace>, as: <local name>}` in `consumes`,
 * `exposes`, `aggregates` or `binds` stands for the definition of that namespace in the shared document
 * `from` (a file holding `ikanos:` and that kind of definitions at its root). The resolver reads the
 * shared document, validates it, reads it into the raw shape and puts the definition in place of the
 * entry, renamed by `as`; so the model never sees an import.
 *
 * `from` is resolved relative to the importing file and must stay inside that file's folder (or below):
 * a capability cannot read arbitrary files of the machine that builds it.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import type { PathSegment } from '../../load/json-pointer.js';
import type { Note } from '../../validate/finding.js';
import type { RawDocument } from '../raw.js';
import { validateAgainstSchema } from '../../validate/schema-validator.js';
import { findSpecVersion } from '../../validate/versions.js';
import { normaliseDocument } from './normalise.js';

type Obj = Record<string, unknown>;
const KINDS = ['consumes', 'exposes', 'aggregates', 'binds'] as const;
type Kind = (typeof KINDS)[number];

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ImportEntry {
  from: string;
  import: string;
  as?: string;
}

function isImportEntry(v: unknown): v is ImportEntry {
  return isObj(v) && typeof v.from === 'string' && typeof v.import === 'string';
}

/** The shared documents read for one capability, each once. */
class SharedDocuments {
  private readonly cache = new Map<string, { doc?: RawDocument; problem?: string }>();

  read(file: string): { doc?: RawDocument; problem?: string } {
    let hit = this.cache.get(file);
    if (!hit) {
      hit = load(file);
      this.cache.set(file, hit);
    }
    return hit;
  }
}

function load(file: string): { doc?: RawDocument; problem?: string } {
  if (!existsSync(file)) return { problem: 'the file does not exist' };
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { problem: `it is not valid YAML (${String((err as Error).message).split('\n')[0]})` };
  }
  if (!isObj(data)) return { problem: 'it is not a mapping of keys' };
  const version = findSpecVersion(data.ikanos, 'ikanos') ?? findSpecVersion(data.naftiko, 'naftiko');
  if (!version) return { problem: 'it has no supported `ikanos:` version' };
  const { errors } = validateAgainstSchema(version, 'relaxed', data);
  if (errors.length > 0) return { problem: `it does not pass the schema of ${version.key} ${version.version} (run \`naftiko-gen validate\` on it)` };
  return { doc: normaliseDocument(version, data).raw };
}

/**
 * Replaces every import entry of `doc` (root and capability lists) by the definition it names.
 * `file` is the importing file as given; `root` is the folder imports must stay in (its folder by default).
 */
export function resolveImports(doc: RawDocument, file: string, root = dirname(resolve(file))): Note[] {
  const notes: Note[] = [];
  const shared = new SharedDocuments();
  const holders: Array<{ owner: Obj; path: PathSegment[] }> = [{ owner: doc as unknown as Obj, path: [] }];
  if (isObj((doc as unknown as Obj).capability)) holders.push({ owner: (doc as unknown as Obj).capability as Obj, path: ['capability'] });

  for (const { owner, path } of holders) {
    for (const kind of KINDS) {
      const list = owner[kind];
      if (!Array.isArray(list)) continue;
      list.forEach((entry, i) => {
        if (!isImportEntry(entry)) return;
        const at = [...path, kind, i];
        const found = resolveOne(entry, kind, file, root, shared);
        if ('note' in found) notes.push({ ...found.note, path: [...at, found.at] });
        else list[i] = found.value;
      });
    }
  }
  return notes;
}

/** Outside `root`, by its path or, through a symbolic link, by where it really is. */
function outside(root: string, target: string): boolean {
  const leaves = (from: string, to: string): boolean => {
    const rel = relative(from, to);
    return rel.startsWith('..') || isAbsolute(rel);
  };
  if (leaves(root, target)) return true;
  try {
    return leaves(realpathSync(root), realpathSync(target));
  } catch {
    return false; // missing: reported as unreadable
  }
}

function resolveOne(
  entry: ImportEntry,
  kind: Kind,
  file: string,
  root: string,
  shared: SharedDocuments,
): { value: Obj } | { note: Omit<Note, 'path'>; at: string } {
  const target = isAbsolute(entry.from) ? entry.from : resolve(dirname(resolve(file)), entry.from.replace(/^file:\/\/\/?\.\//, './'));
  if (outside(root, target)) {
    return {
      at: 'from',
      note: {
        rule: 'import-outside-folder',
        severity: 'error',
        message: `\`from: ${entry.from}\` leaves the capability's folder; naftiko-gen reads shared documents only from that folder and below.`,
        hint: 'Move the shared document next to the capability (or into a subfolder) and import it by a relative path.',
      },
    };
  }
  const { doc, problem } = shared.read(target);
  if (!doc) {
    return { at: 'from', note: { rule: 'import-unreadable', severity: 'error', message: `\`from: ${entry.from}\` cannot be imported: ${problem}.` } };
  }
  const candidates = [
    ...(((doc as unknown as Obj)[kind] as Obj[] | undefined) ?? []),
    ...((((doc as unknown as Obj).capability as Obj | undefined)?.[kind] as Obj[] | undefined) ?? []),
  ].filter((c) => isObj(c) && !isImportEntry(c));
  const match = candidates.find((c) => c.namespace === entry.import);
  if (!match) {
    const names = candidates.map((c) => `\`${String(c.namespace)}\``).join(', ');
    return {
      at: 'import',
      note: {
        rule: 'import-not-found',
        severity: 'error',
        message: `\`${entry.from}\` has no ${kind} entry with the namespace \`${entry.import}\`.`,
        ...(names ? { hint: `It declares ${names}.` } : {}),
      },
    };
  }
  const copy = structuredClone(match);
  if (entry.as) copy.namespace = entry.as;
  return { value: copy };
}
