/**
 * The fast way to load a plain capability: js-yaml reads the data (about eight times faster than the
 * `yaml` library's document model), and its parse events give the start of every key and value, so
 * that findings still point at a line and column.
 *
 * It only takes documents where both libraries agree by construction: one document, a mapping at the
 * top, no anchors, aliases, tags, directives, merge keys, explicit keys or empty list items, and
 * nothing js-yaml refuses.
 * Anything else (and every syntax error) goes to the `yaml` library (load-document.ts), whose messages
 * and positions are the reference.
 */
import { CORE_SCHEMA, load, type State } from 'js-yaml';
import type { PathSegment } from './json-pointer.js';
import type { SourcePosition } from './load-document.js';

/** A node's start offset and, inside a mapping, its key's; the children by key or index. */
interface PositionNode {
  /** Where js-yaml began reading the node or key: spaces, line breaks and comments may come first. */
  start?: number;
  keyStart?: number;
  /** The value read as null: unless written (`null`, `~`), its position is just after its key's colon. */
  empty?: boolean;
  children?: Map<string, PositionNode>;
  /** A list's items, by index. */
  items?: PositionNode[];
  /** Where the key's and the value's content start (-1: none), found on the first lookup through this node. */
  keyAt?: number;
  valueAt?: number;
}

interface Frame {
  start: number;
  closed: Array<{ start: number; result: unknown; node: PositionNode }>;
}

/**
 * Constructs where the two libraries may read the same text differently, or where positions need the full model.
 * Each pattern comes with a key string that every match contains, starting at the match or one character after
 * it: the pattern is tried (sticky) only there, instead of scanning the whole text once per pattern. That finds
 * exactly what scanning would (every match starts at such a place) for a fraction of the cost: the 94 Qovery
 * files took 16 ms of scans, most of the text being checked by every pattern.
 */
const UNSUPPORTED: ReadonlyArray<readonly [key: string, pattern: RegExp]> = (() => {
  const anchors = /(^|[\s[{,])[&*!][^\s,\]}]/my; // anchors, aliases, tags
  const markers = /^(---|\.\.\.)/my; // document markers
  return [
    ['&', anchors],
    ['*', anchors],
    ['!', anchors],
    ['%', /^%/my], // directives
    ['---', markers],
    ['...', markers],
    ['<<', /(^|[\s[{,])<<\s*:/my], // merge keys
    ['?', /(^|[\s[{,-])\?(\s|$)/my], // explicit keys
    ['\t', /\t/y], // tabs (indentation errors are the yaml library's to explain)
    ['_', /\d_\d/y], // digit separators, read as numbers by one library and strings by the other
    ['{', /(^|[\s[,:-])\{/my], // flow mappings (`- { name: x, in: body }`): their keys' positions are not paired reliably
  ] as const;
})();

/** Whether the text has any construct of UNSUPPORTED. */
export function hasUnsupported(text: string): boolean {
  for (const [key, pattern] of UNSUPPORTED) {
    for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
      for (let from = at > 0 ? at - 1 : at; from <= at; from++) {
        pattern.lastIndex = from;
        if (pattern.test(text)) return true;
      }
    }
  }
  return false;
}

export interface FastLoaded {
  data: Record<string, unknown>;
  positionOf(path: readonly PathSegment[], at?: 'key' | 'value'): SourcePosition;
}

export function fastLoad(text: string): FastLoaded | undefined {
  if (hasUnsupported(text)) return undefined;
  const stack: Frame[] = [];
  let root: PositionNode | undefined;
  // An empty list item (`-` alone) is read without a node: items and nodes no longer line up.
  let unaligned = false;
  const listener = (event: 'open' | 'close', state: State): void => {
    if (event === 'open') {
      stack.push({ start: state.position, closed: [] });
      return;
    }
    const frame = stack.pop()!;
    const node: PositionNode = { start: frame.start };
    const result: unknown = state.result;
    if (state.kind === 'mapping' && result !== null && typeof result === 'object') node.children = pairUp(frame.closed, result as Record<string, unknown>);
    else if (state.kind === 'sequence' && Array.isArray(result)) {
      unaligned ||= frame.closed.length !== result.length;
      node.items = frame.closed.map((c) => c.node);
    }
    const parent = stack.at(-1);
    if (parent) parent.closed.push({ start: frame.start, result, node });
    else root = node;
  };
  let data: unknown;
  try {
    data = load(text, { schema: CORE_SCHEMA, listener: listener as never });
  } catch {
    return undefined;
  }
  if (unaligned || data === null || typeof data !== 'object' || Array.isArray(data) || !root) return undefined;

  let lineStarts: number[] | undefined;
  const at = (offset: number): SourcePosition => {
    lineStarts ??= lineStartsOf(text);
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const top = root;
  // A finding's path shares most of its nodes with others' (the same tool, the same operation): each
  // node's key and value offsets are worked out once, on the first lookup that passes through it.
  const offsets = (child: PositionNode): void => {
    const key = child.keyStart === undefined ? undefined : contentStart(text, child.keyStart);
    let start = child.start === undefined ? undefined : contentStart(text, child.start);
    // An empty value sits after its key's colon.
    if (child.empty && (start === undefined || !NULL_LITERAL.test(text.slice(start, start + 5)))) start = key === undefined ? undefined : afterColon(text, key);
    child.keyAt = key ?? -1;
    child.valueAt = start ?? key ?? -1;
  };
  const positionOf = (path: readonly PathSegment[], where: 'key' | 'value' = 'value'): SourcePosition => {
    let node: PositionNode | undefined = top;
    let best = 0;
    for (let i = 0; i < path.length && node; i++) {
      const segment = path[i]!;
      const child: PositionNode | undefined = node.items ? node.items[listIndex(segment)] : node.children?.get(String(segment));
      if (!child) break;
      if (child.keyAt === undefined) offsets(child);
      if (i === path.length - 1 && where === 'key' && child.keyAt! >= 0) return at(child.keyAt!);
      if (child.valueAt! >= 0) best = child.valueAt!;
      node = child;
    }
    return at(best);
  };
  return { data: data as Record<string, unknown>, positionOf };
}

/** A path segment as an index into a list: a number, or its canonical decimal text (`1`, not `01`); -1 otherwise. */
function listIndex(segment: PathSegment): number {
  if (typeof segment === 'number') return segment;
  return /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : -1;
}

/**
 * A mapping's closed nodes are its keys, each followed by its value unless the value was empty (js-yaml
 * then reads no node for it). A node is the value of the key before it when it is what the key holds.
 */
function pairUp(closed: Frame['closed'], map: Record<string, unknown>): Map<string, PositionNode> {
  const children = new Map<string, PositionNode>();
  for (let i = 0; i < closed.length; i++) {
    const key = closed[i]!;
    const name = String(key.result);
    const value = closed[i + 1];
    const own = Object.hasOwn(map, name);
    if (value && own && Object.is(map[name], value.result)) {
      // The value's node is this pair's alone: completed in place rather than copied.
      const node = value.node;
      node.keyStart = key.start;
      if (value.result === null) node.empty = true;
      children.set(name, node);
      i++;
    } else children.set(name, { keyStart: key.start, empty: true });
  }
  return children;
}

const NULL_LITERAL = /^(null|Null|NULL|~)(?![^\s,\]}#])/;

/** The first character of content at or after `from`: spaces, line breaks and comments are skipped. */
function contentStart(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13) i++;
    else if (c === 35 /* # */ && (i === 0 || /\s/.test(text.charAt(i - 1)))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return text.length;
      i = nl + 1;
    } else return i;
  }
}

/** After the `:` that ends the key starting at `key` and the spaces that follow (where the yaml library places an empty value). */
function afterColon(text: string, key: number): number | undefined {
  let i = key;
  const quote = text.charAt(i);
  if (quote === '"' || quote === "'") {
    for (i++; i < text.length; i++) {
      const c = text.charAt(i);
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && text.charAt(i + 1) === "'") i++;
        else break;
      }
    }
  }
  for (; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\n') return undefined;
    if (c === ':' && (i + 1 >= text.length || /\s/.test(text.charAt(i + 1)))) {
      return pastSpaces(text, i + 1);
    }
  }
  return undefined;
}

/** Past the spaces on this line: at a comment, a line break, the end, or content. */
function pastSpaces(text: string, from: number): number {
  let i = from;
  while (text.charAt(i) === ' ') i++;
  return i;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
