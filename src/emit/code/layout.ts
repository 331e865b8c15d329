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
