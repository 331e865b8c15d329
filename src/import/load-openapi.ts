/**
 * Reads an OpenAPI 3.0.x or 3.1.x document (JSON or YAML) and resolves its local `$ref`s (`#/...`) on
 * demand, with a guard against reference cycles. A remote reference (another file, a URL) is refused
 * only when an operation needs it: the importer reads exactly one file, and a reference nothing uses
 * (a vendor extension pointing elsewhere) must not stop the import.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';

/** A problem with the input or the options: the command exits with code 2 and prints the message. */
export class ImportError extends Error {}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface OpenApiDocument {
  /** The path as the user gave it. */
  file: string;
  /** `3.0.3`, `3.1.0`, ... */
  version: string;
  root: JsonObject;
  /**
   * The object a value stands for: itself, or the target of its `$ref` (followed through chains).
   * A Reference Object's own `description` and `summary` (OpenAPI 3.1) win over the target's.
   */
  resolve(value: Json | undefined, where: string): Json | undefined;
  /** `#/components/schemas/Pet` → `Pet` when `value` is a reference to a named component, else undefined. */
  refName(value: Json | undefined): string | undefined;
}

/** JSON pointer of a URI fragment: percent-decoded, then `~1` → `/` and `~0` → `~`. */
function pointerSegments(ref: string): string[] {
  let fragment = ref.slice(1);
  try {
    fragment = decodeURIComponent(fragment);
  } catch {
    /* a stray % stays as written */
  }
  if (fragment === '') return [];
  if (!fragment.startsWith('/')) throw new ImportError(`the reference \`${ref}\` is not a JSON pointer (expected \`#/...\`)`);
  return fragment
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parseText(file: string, text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || /\.json$/i.test(file)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      if (/\.json$/i.test(file)) throw new ImportError(`${file} is not valid JSON: ${(err as Error).message}`);
      // Flow-style YAML may also start with `{`: let the YAML parser have a go.
    }
  }
  const doc = parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    throw new ImportError(`${file}${where} is not valid YAML: ${first.message.split('\n')[0]!.replace(/\s*at line \d+, column \d+:?\s*$/, '')}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (err) {
    throw new ImportError(`${file} cannot be read as YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

export function parseOpenApi(file: string, text: string): OpenApiDocument {
  const data = parseText(file, text);
  if (!isObject(data)) throw new ImportError(`${file} is not an OpenAPI document: its top level is not a mapping`);
  if (typeof data.swagger === 'string' || typeof data.swagger === 'number') {
    throw new ImportError(
      `${file} is a Swagger ${String(data.swagger)} document; naftiko-gen imports OpenAPI 3.0 and 3.1 only. Convert it first (for example with swagger2openapi), then import the result`,
    );
  }
  const version = typeof data.openapi === 'string' ? data.openapi : typeof data.openapi === 'number' ? String(data.openapi) : undefined;
  if (version === undefined) throw new ImportError(`${file} is not an OpenAPI 3 document: it has no \`openapi:\` version field`);
  if (!/^3\.[01](\.\d+)?([-+].*)?$/.test(version)) {
    throw new ImportError(`${file} declares \`openapi: ${version}\`; naftiko-gen imports OpenAPI 3.0.x and 3.1.x only`);
  }
  if (!isObject(data.paths) && data.paths !== undefined) throw new ImportError(`${file}: \`paths\` must be a mapping`);
  const root = data;

  const target = (ref: string, where: string): Json => {
    // Resolved lazily: a reference outside this file stops only the operation that needs it.
    if (!ref.startsWith('#')) {
      throw new ImportError(`the reference \`${ref}\` (at ${where}) is outside this file; naftiko-gen resolves local references (#/...) only (bundle the document into one file first, for example with \`redocly bundle\`)`);
    }
    let node: Json = root;
    for (const segment of pointerSegments(ref)) {
      const next: Json | undefined = Array.isArray(node) ? node[Number(segment)] : isObject(node) ? node[segment] : undefined;
      if (next === undefined) throw new ImportError(`the reference \`${ref}\` (at ${where}) points at nothing`);
      node = next;
    }
    return node;
  };

  return {
    file,
    version,
    root,
    resolve(value, where) {
      let current = value;
      const seen: string[] = [];
      let own: JsonObject = {};
      while (isObject(current) && typeof current.$ref === 'string') {
        const ref = current.$ref;
        if (seen.includes(ref)) throw new ImportError(`the reference \`${ref}\` (at ${where}) is part of a cycle: ${[...seen, ref].join(' → ')}`);
        seen.push(ref);
        for (const key of ['description', 'summary'] as const) if (typeof current[key] === 'string' && own[key] === undefined) own = { ...own, [key]: current[key] };
        current = target(ref, where);
      }
      return seen.length > 0 && isObject(current) && Object.keys(own).length > 0 ? { ...current, ...own } : current;
    },
    refName(value) {
      if (!isObject(value) || typeof value.$ref !== 'string') return undefined;
      const m = /^#\/components\/[^/]+\/([^/]+)$/.exec(value.$ref);
      return m ? decodeURIComponent(m[1]!).replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
    },
  };
}

export async function loadOpenApi(file: string): Promise<OpenApiDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ImportError(`cannot read ${file} (${why})`);
  }
  return parseOpenApi(file, text);
}
