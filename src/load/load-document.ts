/**
 * Stage 1: read a capability file and parse it as YAML, keeping source positions so that every
 * later finding can point at a line and column.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Document, Node } from 'yaml';
import type { Finding } from '../validate/finding.js';
import { fastLoad } from './fast-load.js';
import type { PathSegment } from './json-pointer.js';

export interface SourcePosition {
  line: number;
  column: number;
}

export interface LoadedDocument {
  /** The path as the user gave it (used in findings and in generated headers, never made absolute). */
  file: string;
  text: string;
  /** The plain JavaScript value of the YAML document. */
  data: unknown;
  /** Position of the value at `path`, or of its key when `at` is 'key'. Falls back to the nearest existing ancestor. */
  positionOf(path: readonly PathSegment[], at?: 'key' | 'value'): SourcePosition;
}

export type LoadResult =
  | { ok: true; document: LoadedDocument; findings: Finding[] }
  | { ok: false; findings: Finding[] };

/** Thrown for problems that are not about the content of a file (missing, unreadable): exit code 2. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    /** What went wrong, without the file name: `cannot read the capability (no such file)`. */
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export async function readSource(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw unreadable(file, err);
  }
}

/** The same, synchronous: for worker threads that read and validate one file after another. */
export function readSourceSync(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw unreadable(file, err);
  }
}

function unreadable(file: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
  return new InputError(file, `cannot read the capability (${why})`);
}

/** YAML aliases can expand exponentially ("billion laughs"); capabilities never need many. */
const MAX_ALIAS_COUNT = 1000;

export function parseCapabilityText(file: string, text: string): LoadResult {
  const fast = fastLoad(text);
  if (fast) return { ok: true, document: { file, text, data: fast.data, positionOf: fast.positionOf }, findings: [] };
  return parseWithYaml(file, text);
}

type YamlLibrary = typeof import('yaml');
let yamlLibrary: YamlLibrary | undefined;
/** Loaded on first use: when every file takes the fast path, its start-up cost is not paid. */
function yaml(): YamlLibrary {
  return (yamlLibrary ??= createRequire(import.meta.url)('yaml') as YamlLibrary);
}

/** The reference reader: the `yaml` library's document model, for every document fastLoad does not take. */
export function parseWithYaml(file: string, text: string): LoadResult {
  const { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, strict: true });
  const at = (offset: number): SourcePosition => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const finding = (
    pos: SourcePosition,
    rule: string,
    message: string,
    hint?: string,
    severity: Finding['severity'] = 'error',
  ): Finding => ({ file, line: pos.line, column: pos.column, severity, rule, pointer: '', message, ...(hint ? { hint } : {}) });

  const findings: Finding[] = [];
  for (const err of doc.errors) {
    const lp = err.linePos?.[0];
    const pos = lp ? { line: lp.line, column: lp.col } : at(err.pos[0]);
    findings.push(
      finding(pos, 'yaml-syntax', `YAML syntax error: ${firstLine(err.message)}.`, yamlHint(err.code)),
    );
  }
  if (findings.length > 0) return { ok: false, findings };
  for (const warn of doc.warnings) {
    const lp = warn.linePos?.[0];
    const pos = lp ? { line: lp.line, column: lp.col } : at(warn.pos[0]);
    findings.push(finding(pos, 'yaml-warning', `YAML: ${firstLine(warn.message)}.`, undefined, 'warning'));
  }

  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    findings.push(
      finding({ line: 1, column: 1 }, 'empty-document', 'The file is empty: a capability needs at least `naftiko`, `info` and `capability`.', 'Start from a working capability such as examples/qovery/qovery-organization-api-token.yaml.'),
    );
    return { ok: false, findings };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    findings.push(finding(at(0), 'yaml-syntax', `YAML could not be read: ${firstLine((err as Error).message)}.`, 'Reduce the use of aliases (*name) or remove them.'));
    return { ok: false, findings };
  }

  if (!isMap(doc.contents)) {
    const kind = isSeq(doc.contents) ? 'a list' : `a single value (${JSON.stringify(data)?.slice(0, 40)})`;
    const range = doc.contents.range;
    findings.push(
      finding(at(range?.[0] ?? 0), 'root-not-mapping', `The document is ${kind}, but a capability must be a mapping of keys such as \`naftiko:\`, \`info:\` and \`capability:\`.`, 'Write the capability as `key: value` pairs at the top level, starting with `naftiko: 1.0.0-alpha2`.'),
    );
    return { ok: false, findings };
  }

  const positionOf = (path: readonly PathSegment[], where: 'key' | 'value' = 'value'): SourcePosition => {
    let node: unknown = doc.contents;
    let best = 0;
    for (let i = 0; i < path.length; i++) {
      node = resolveAlias(doc, node);
      const seg = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
        if (!pair) break;
        const keyNode = pair.key as Node | null;
        if (last && where === 'key' && keyNode?.range) return at(keyNode.range[0]);
        const valueNode = pair.value as Node | null;
        // A key with no value (`port:`) has no range of its own: point at the key.
        const range = valueNode?.range ?? keyNode?.range;
        if (range) best = range[0];
        node = valueNode;
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)] as Node | undefined;
        if (!item) break;
        if (item.range) best = item.range[0];
        node = item;
      } else break;
    }
    return at(best);
  };

  return { ok: true, document: { file, text, data, positionOf }, findings };
}

function resolveAlias(doc: Document, node: unknown): unknown {
  return yaml().isAlias(node) ? (node as { resolve(doc: Document): unknown }).resolve(doc) : node;
}

function keyText(key: unknown): string {
  if (yaml().isScalar(key)) return String((key as { value: unknown }).value);
  return String(key);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/[.:]$/, '');
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'Each key may appear once per mapping: remove or rename the repeated one.';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'Check the indentation and punctuation on this line and the one before it.';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'A key must fit on one line; quote values that contain `: `.';
    case 'TAB_AS_INDENT':
      return 'YAML indentation must use spaces, not tabs.';
    default:
      return 'Quote values that contain `: `, `#`, `{` or `[`, and keep the indentation consistent.';
  }
}
