import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Finding } from '../../src/validate/finding.js';
import { validateText, type ValidationResult } from '../../src/validate/validate.js';
import { REPO } from './shared.js';

export const WEATHER = readFileSync(`${REPO}test/fixtures/valid/weather.yaml`, 'utf8');

/** The weather fixture with exact text replacements applied; each `from` must occur. */
export function weatherWith(...edits: Array<[from: string | RegExp, to: string]>): string {
  let text = WEATHER;
  for (const [from, to] of edits) {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`fixture edit did not apply: ${String(from)}`);
    text = next;
  }
  return text;
}

export function validate(text: string, strict = false): ValidationResult {
  return validateText('cap.yaml', text, { strict });
}

/** Line (1-based) of the first line of `text` that contains `needle`, after `after` lines. */
export function lineOf(text: string, needle: string, after = 0): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`not found: ${needle}`);
}

export function only(result: ValidationResult, severity: Finding['severity'] = 'error'): Finding {
  const found = result.findings.filter((f) => f.severity === severity);
  expect(found, JSON.stringify(result.findings, null, 2)).toHaveLength(1);
  return found[0]!;
}
