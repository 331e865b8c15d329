/**
 * Imported consumes (`{import: registry, location: ./shared/registry.yaml, as?: reg}`): the consumed
 * API declared in the shared file takes the place of the import entry, under its local name. The shared
 * file is checked against the schema on its own; findings about the imported API point into it.
 */
import type { LoadedDocument } from '../load/load-document.js';
import { resolveImport } from '../load/imports.js';
import type { PathSegment } from '../load/json-pointer.js';
import type { Note } from './finding.js';
import { allConsumes, type RawConsumes, type RawDocument } from '../model/raw.js';
import type { Finding } from './finding.js';

export interface ExpandedImports {
  /** The document with every resolved import replaced by the consumed API it names. */
  raw: RawDocument;
  /** Problems with the import entries themselves, located in the importing file. */
  notes: Note[];
  /** Findings inside the imported files (YAML, schema). */
  findings: Finding[];
  /** For a path into the expanded document that falls inside an imported API: its file and path there. */
  locate(path: readonly PathSegment[]): { file: string; document: LoadedDocument; path: PathSegment[] } | undefined;
}

interface Placed {
  at: PathSegment[];
  file: string;
  document: LoadedDocument;
  inFile: PathSegment[];
}

export function expandImports(
  file: string,
  raw: RawDocument,
  checkSchema: (doc: LoadedDocument) => { ok: boolean; findings: Finding[] },
): ExpandedImports {
  const notes: Note[] = [];
  const findings: Finding[] = [];
  const placed: Placed[] = [];
  const entries = allConsumes(raw);
  if (!entries.some(({ entry }) => entry.location !== undefined)) return { raw, notes, findings, locate: () => undefined };

  const replaced = new Map<RawConsumes, RawConsumes>();
  const checked = new Map<string, boolean>();
  for (const { entry, path } of entries) {
    if (entry.location === undefined) continue;
    const resolved = resolveImport(file, entry.location);
    if (!resolved.ok) {
      notes.push({ rule: resolved.rule, severity: 'error', path: [...path, 'location'], message: resolved.message, hint: resolved.hint });
      continue;
    }
    if (!checked.has(resolved.file)) {
      const result = checkSchema(resolved.document);
      findings.push(...resolved.findings, ...result.findings);
      checked.set(resolved.file, result.ok);
    }
    if (!checked.get(resolved.file)) {
      notes.push({ rule: 'import-invalid', severity: 'error', path: [...path, 'location'], message: `\`${entry.location}\` is not a valid capability document (see the findings in ${resolved.file}).` });
      continue;
    }
    const wanted = entry.import ?? '';
    const candidates = allConsumes(resolved.document.data as RawDocument);
    const found = candidates.find((c) => c.entry.namespace === wanted && c.entry.location === undefined);
    if (!found && candidates.some((c) => c.entry.location !== undefined && (c.entry.as ?? c.entry.import) === wanted)) {
      notes.push({
        rule: 'import-namespace-missing',
        severity: 'error',
        path: [...path, 'import'],
        message: `\`${entry.location}\` imports \`${wanted}\` from another file in turn; naftiko-gen follows one level of imports.`,
        hint: 'Import the consumed API from the file that declares it.',
      });
      continue;
    }
    if (!found) {
      const names = candidates.map((c) => c.entry.namespace).filter((n): n is string => !!n);
      notes.push({
        rule: 'import-namespace-missing',
        severity: 'error',
        path: [...path, 'import'],
        message: `\`${entry.location}\` declares no consumed API \`${wanted}\`${names.length ? `; it declares ${names.map((n) => `\`${n}\``).join(', ')}` : ''}.`,
        hint: names.length === 1 ? `Write \`import: ${names[0]}\`.` : 'Import a namespace the shared file declares under `consumes`.',
      });
      continue;
    }
    replaced.set(entry, {
      ...found.entry,
      namespace: entry.as ?? wanted,
      ...(entry.description !== undefined ? { description: entry.description } : {}),
    });
    placed.push({ at: path, file: resolved.file, document: resolved.document, inFile: found.path });
  }
  const swap = (list: RawConsumes[] | undefined): RawConsumes[] | undefined => list?.map((e) => replaced.get(e) ?? e);
  const expanded: RawDocument = {
    ...raw,
    ...(raw.consumes ? { consumes: swap(raw.consumes)! } : {}),
    ...(raw.capability ? { capability: { ...raw.capability, ...(raw.capability.consumes ? { consumes: swap(raw.capability.consumes)! } : {}) } } : {}),
  };
  const locate: ExpandedImports['locate'] = (path) => {
    for (const p of placed) {
      if (p.at.every((seg, i) => String(path[i]) === String(seg)) && path.length > p.at.length) {
        // The local name (`namespace`, from `import` or `as`) is written in the importing file.
        if (path[p.at.length] === 'namespace') return undefined;
        return { file: p.file, document: p.document, path: [...p.inFile, ...path.slice(p.at.length)] };
      }
    }
    return undefined;
  };
  return { raw: expanded, notes, findings, locate };
}
