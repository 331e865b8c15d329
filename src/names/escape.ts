/**
 * Escaping for every context in which a string from a capability can land in generated code.
 * Templates never print a capability string raw: view models pass it through one of these first.
 */

/** Nothing the escapes below would touch: quotes, backslashes, control characters, U+2028/2029, surrogates (lone ones are escaped by JSON.stringify). */
const PLAIN = /^[^'"\\\u0000-\u001f\u2028\u2029\ud800-\udfff]*$/;

/** A single-quoted TypeScript string literal holding exactly `value`. */
export function tsString(value: string): string {
  // Most strings need no escape at all: printed as they are, without the three passes below.
  if (PLAIN.test(value)) return `'${value}'`;
  // JSON.stringify escapes backslashes, double quotes and control characters. Its escape pairs are
  // kept (a double quote needs none between single quotes), single quotes are escaped, and U+2028/2029
  // too, so the literal is valid in any JS parser and readable in any editor.
  const body = JSON.stringify(value)
    .slice(1, -1)
    .replace(/(\\.)|'/g, (_match, pair: string | undefined) => (pair ? (pair === '\\"' ? '"' : pair) : "\\'"))
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `'${body}'`;
}

/**
 * A piece of code inside a value printed by tsLiteral (a function reference, `secrets.TOKEN`): printed
 * as is. Only the emitter makes one, from identifiers it chose; capability strings never become Code.
 */
export class Code {
  constructor(readonly text: string) {}
}

/** Marks generated code for the literal printer. */
export function code(text: string): Code {
  return new Code(text);
}

/** A TypeScript literal for any JSON-compatible value, written the way the rest of the code is. */
export function tsLiteral(value: unknown): string {
  if (value instanceof Code) return value.text;
  if (value === null) return 'null';
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${tsPropertyKey(k)}: ${tsLiteral(v)}`).join(', ')} }`;
  }
  return 'undefined';
}

/** A property key: bare when it is a plain identifier, quoted otherwise. */
export function tsPropertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : tsString(name);
}

/** Text safe inside a `/** ... *\/` block: no comment terminator, one ` * ` line per input line. */
export function docCommentLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\*\//g, '*\\/')
    .replace(/[\u2028\u2029]/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
}

/** Text safe in a `//` comment: a single line, no line terminators. */
export function lineComment(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}

/** Text safe inside a template literal (backticks), should a template ever need one. */
export function templateLiteralText(text: string): string {
  // Template literals turn a raw CR (or CRLF) into LF, so CR is written as an escape.
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\r/g, '\\r');
}

/** Text safe in Markdown prose of a generated README (no HTML, no unbalanced code spans). */
export function markdownText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')).replace(/`/g, "'");
}
