/** Printing findings for people (text) and machines (json). */
import type { Finding } from '../validate/finding.js';

export type OutputFormat = 'text' | 'json';

export function formatFindingText(f: Finding): string {
  const head = `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}`;
  return f.hint ? `${head}\n    hint: ${f.hint}` : head;
}

export function findingToJson(f: Finding): Record<string, unknown> {
  return { file: f.file, line: f.line, column: f.column, severity: f.severity, rule: f.rule, pointer: f.pointer, message: f.message, hint: f.hint ?? null };
}

/** `1 file`, `3 files`; `plural(2, 'capability', 'capabilities')` for irregular words. */
export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

export interface Totals {
  files: number;
  invalid: number;
  unreadable: number;
  errors: number;
  warnings: number;
}

export function summaryLine(t: Totals): string {
  const valid = t.files - t.invalid - t.unreadable;
  const parts = [`${plural(t.files, 'file')} checked: ${valid} valid`, `${t.invalid} invalid`];
  if (t.unreadable) parts.push(`${t.unreadable} unreadable`);
  return `${parts.join(', ')}; ${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}.`;
}
