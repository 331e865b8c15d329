import { Code, tsLiteral, tsPropertyKey } from '../../names/escape.js';

/**
 * Short lines by construction: a list or object literal is printed on one line when it fits, else
 * one item per line. Cheaper than running a formatter over the output, and the same on every machine.
 */

/** The width a generated line should stay within, indentation included. */
export const LINE_WIDTH = 100;

/**
 * `[a, b]` or `{ a, b }` when it fits in the width after `indent` plus `lead` characters already on
 * the line; otherwise the items one per line, indented two more spaces than `indent`, trailing commas.
 */
export function wrapped(open: '[' | '{', items: readonly string[], indent: string, lead = 0): string {
  const close = open === '[' ? ']' : '}';
  if (items.length === 0) return open === '[' ? '[]' : '{}';
  const pad = open === '{' ? ' ' : '';
  const flat = `${open}${pad}${items.join(', ')}${pad}${close}`;
  if (!flat.includes('\n') && indent.length + lead + flat.length <= LINE_WIDTH) return flat;
  return `${open}\n${items.map((i) => `${indent}  ${i},`).join('\n')}\n${indent}${close}`;
}

/**
 * A value as a TypeScript literal (tsLiteral's escaping), each array or object on one line when it fits
 * and one item per line when not, nested ones likewise. `lead`: characters already on the first line.
 */
export function printLiteral(value: unknown, indent = '', lead = 0): string {
  if (value instanceof Code || value === null || typeof value !== 'object') return tsLiteral(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) return wrapped('[', value.map((v) => printLiteral(v, inner)), indent, lead);
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return wrapped(
    '{',
    entries.map(([k, v]) => `${tsPropertyKey(k)}: ${printLiteral(v, inner, tsPropertyKey(k).length + 2)}`),
    indent,
    lead,
  );
}
