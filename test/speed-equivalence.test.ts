/**
 * Shortcuts taken for speed must give exactly what the plain way gives: the fast loader's pre-scan
 * (hasUnsupported in src/load/fast-load.ts) tries each pattern only where its key string occurs, the
 * build's test for other files does the same, and tsString prints plain strings without escaping passes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { namesOtherFiles } from '../src/cli/parallel.js';
import { hasUnsupported } from '../src/load/fast-load.js';
import { tsString } from '../src/names/escape.js';

/** The patterns as whole-text scans: the reference the keyed pre-scan must agree with. */
const SCANS = [
  /(^|[\s[{,])[&*!][^\s,\]}]/m,
  /^%/m,
  /^(---|\.\.\.)/m,
  /(^|[\s[{,])<<\s*:/m,
  /(^|[\s[{,-])\?(\s|$)/m,
  /\t/,
  /\d_\d/,
  /(^|[\s[,:-])\{/m,
];
const scanned = (text: string): boolean => SCANS.some((re) => re.test(text));

describe('hasUnsupported', () => {
  it.each([
    ['plain: value\nlist:\n  - a\n', false],
    ['a: &x 1\n', true],
    ['a: *x\n', true],
    ['a: !tag 1\n', true],
    ['a: "wow!" # ok\nb: x*y\n', false],
    ['%YAML 1.2\n---\na: 1\n', true],
    ['a: 1\n...\n', true],
    ['a: b---c\n', false],
    ['<<: {}\n', true],
    ['a: x<<y\n', false],
    ['? a\n: b\n', true],
    ['a: why?\nb: is it ? no\n', true],
    ['a: why?x\n', false],
    ['a:\tb\n', true],
    ['a: 1_000\n', true],
    ['a: snake_case\n', false],
    ['- { a: 1 }\n', true],
    ['path: /x/{id}\n', false],
    ['a: b\r%c\n', true],
    ['?', true],
    ['&', false],
    ['', false],
  ])('%j: %s', (text, want) => {
    expect(hasUnsupported(text)).toBe(want);
    expect(scanned(text)).toBe(want);
  });

  it('agrees with the whole-text scans on random texts of YAML punctuation', () => {
    const chars = fc.constantFrom(' ', '\n', '\r', '\t', '\u2028', '-', '.', '?', ':', ',', '[', ']', '{', '}', '&', '*', '!', '%', '<', '_', '1', 'a', '#');
    fc.assert(fc.property(fc.array(chars, { maxLength: 24 }).map((cs) => cs.join('')), (text) => hasUnsupported(text) === scanned(text)), { numRuns: 20000 });
  });
});

describe('namesOtherFiles', () => {
  const scan = (text: string): boolean => /^[ \t-]*(location|from)\s*:/m.test(text);
  it.each([
    ['consumes:\n  - location: ./x.yaml\n', true],
    ['from: here\n', true],
    ['description: taken from: nowhere\n', false],
    ['- \t- from :\n', true],
    ['a: 1\r  location:\n', true],
    ['locations: 1\n', false],
  ])('%j: %s', (text, want) => {
    expect(namesOtherFiles(text)).toBe(want);
    expect(scan(text)).toBe(want);
  });

  it('agrees with the whole-text scan on random texts', () => {
    const parts = fc.constantFrom(' ', '\t', '-', '\n', '\r', ':', 'from', 'location', 'x', '\u2028');
    fc.assert(fc.property(fc.array(parts, { maxLength: 12 }).map((ps) => ps.join('')), (text) => namesOtherFiles(text) === scan(text)), { numRuns: 20000 });
  });
});

describe('tsString', () => {
  /** The escaping passes alone, as tsString did them for every string. */
  const escaped = (value: string): string =>
    `'${JSON.stringify(value)
      .slice(1, -1)
      .replace(/(\\.)|'/g, (_m, pair: string | undefined) => (pair ? (pair === '\\"' ? '"' : pair) : "\\'"))
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029')}'`;
  it.each(['plain', "it's", 'say "hi"', 'a\\b', 'line\nbreak', '\u2028', '\ud800', '\ud83d\ude00', 'caf\u00e9 \u2014 \u007f', ''])('%j', (value) => {
    expect(tsString(value)).toBe(escaped(value));
  });
  it('agrees with the escaping passes on random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 16 }), (value) => tsString(value) === escaped(value)), { numRuns: 20000 });
  });
});
