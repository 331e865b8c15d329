/**
 * Table-driven validation cases for the mutation tests of src/validate: a small capability as inline
 * YAML, and the findings it must give, each with its rule, severity, exact place and words. The place
 * is written as a needle in the text with a `|` where the finding points (`'call: |api.nope'`), so no
 * line or column is copied from a run.
 */
import { expect } from 'vitest';
import type { Finding } from '../../src/validate/finding.js';
import { validateText, type ValidationResult } from '../../src/validate/validate.js';

export interface Want {
  rule: string;
  /** `text before|text after`: the finding is at the `|` of the first occurrence (or the nth, 1-based). */
  at: string | [needle: string, nth: number];
  severity?: 'error' | 'warning';
  /** The whole message. */
  message?: string;
  /** Fragments the message contains. */
  says?: string[];
  /** The whole hint; null when there must be none. */
  hint?: string | null;
  pointer?: string;
}

export interface Case {
  name: string;
  yaml: string;
  strict?: boolean;
  want: Want[];
  /** Whether the model is built (no error); checked when given. */
  model?: boolean;
}

/** Strips the first newline and the indentation common to every line, so cases can be indented in code. */
export function y(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((s, part, i) => s + part + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** 1-based line and column of the `|` in `needle`, found (without the `|`) in `text`. */
export function place(text: string, at: Want['at']): { line: number; column: number } {
  const [needle, nth] = typeof at === 'string' ? [at, 1] : at;
  const bar = needle.indexOf('|');
  const plain = needle.replace('|', '');
  let index = -1;
  for (let k = 0; k < nth; k++) {
    index = text.indexOf(plain, index + 1);
    if (index < 0) throw new Error(`not found (${k + 1}): ${plain}`);
  }
  const offset = index + Math.max(bar, 0);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const key = (f: Pick<Finding, 'severity' | 'rule' | 'line' | 'column'>): string => `${f.severity} ${f.rule} ${f.line}:${f.column}`;

/** Validates the case and checks every finding: the exact set, then each one's words. */
export function check(c: Case, file = 'cap.yaml'): ValidationResult {
  const r = validateText(file, c.yaml, { strict: c.strict ?? false });
  // SHOW_CASE=1 prints each case's numbered text and its findings, to write the needles of a new case.
  if (process.env.SHOW_CASE) console.log(c.yaml.split('\n').map((l, i) => `${i + 1} ${l}`).join('\n'), r.findings.map((f) => `${key(f)} ${f.pointer} ${f.message}`).join('\n'));
  const wanted = c.want.map((w) => ({ w, k: key({ severity: w.severity ?? 'error', rule: w.rule, ...place(c.yaml, w.at) }) }));
  expect(r.findings.map(key).sort(), JSON.stringify(r.findings, null, 1)).toEqual(wanted.map((x) => x.k).sort());
  for (const { w, k } of wanted) {
    const f = r.findings.find((x) => key(x) === k)!;
    if (w.message !== undefined) expect(f.message).toBe(w.message);
    for (const s of w.says ?? []) expect(f.message).toContain(s);
    if (w.hint === null) expect(f).not.toHaveProperty('hint');
    else if (w.hint !== undefined) expect(f.hint).toBe(w.hint);
    if (w.pointer !== undefined) expect(f.pointer).toBe(w.pointer);
    expect(f.file).toBe(file);
  }
  if (c.model !== undefined) expect(r.model !== undefined).toBe(c.model);
  return r;
}
