/**
 * Escaping for every context in which a string from a capability can land in generated code.
 * Templates never print a capability string raw: view models pass it through one of these first.
 */

/** A TypeScript/JavaScript string literal (double-quoted) holding exactly `value`. */
export function tsString(value: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters; U+2028/2029 are escaped too
  // so that the output stays valid in any JS parser and readable in any editor.
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A literal for any JSON-compatible value (objects keep their key order). */
export function tsLiteral(value: unknown): string {
  return JSON.stringify(value, null, 0).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
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
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/** Text safe in Markdown prose of a generated README (no HTML, no unbalanced code spans). */
export function markdownText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')).replace(/`/g, "'");
}
