/**
 * The details of src/names that mutation testing found unchecked: derived ports (FNV-1a, checked
 * against its published test vectors), input patterns compiled in Unicode mode, shortened tool names
 * that meet a kept one, and the exact text of the escapes.
 */
import { describe, expect, it } from 'vitest';
import { compilesAsPattern } from '../src/names/input-pattern.js';
import { adapterPorts, DERIVED_PORT_BASE, DERIVED_PORT_RANGE, derivedPort } from '../src/names/ports.js';
import { wireToolNames } from '../src/names/tool-names.js';
import { docCommentLines, lineComment, markdownText, templateLiteralText, tsLiteral, tsPropertyKey, tsString } from '../src/names/escape.js';
import { camelCase, envVarName, IdentifierScope, pascalCase } from '../src/names/identifiers.js';

/** FNV-1a (32 bits) of known strings, from the algorithm's published test vectors. */
const FNV1A: Array<[string, number]> = [
  ['', 0x811c9dc5],
  ['a', 0xe40c292c],
  ['foobar', 0xbf9cf968],
];

describe('derived ports', () => {
  it('are 20000 + FNV-1a(namespace) mod 10000', () => {
    for (const [text, hash] of FNV1A) expect(derivedPort(text), JSON.stringify(text)).toBe(20_000 + (hash % 10_000));
    // UTF-8 bytes, not UTF-16 code units: 'é' is two bytes.
    expect(derivedPort('é')).not.toBe(derivedPort('\u00e9'.normalize('NFD')));
    expect([DERIVED_PORT_BASE, DERIVED_PORT_RANGE]).toEqual([20_000, 10_000]);
  });

  it('keep declared ports, and step past ports already taken, wrapping inside the range', () => {
    const a = derivedPort('alpha');
    expect(adapterPorts([{ namespace: 'x', port: 8080 }, { namespace: 'alpha' }])).toEqual([8080, a]);
    // A declared port equal to the derived one pushes the derived one to the next port.
    expect(adapterPorts([{ namespace: 'x', port: a }, { namespace: 'alpha' }])).toEqual([a, a + 1]);
    // Two adapters deriving the same port: the second takes the next one.
    expect(adapterPorts([{ namespace: 'alpha' }, { namespace: 'alpha' }])).toEqual([a, a + 1]);
    // The last port of the range wraps to the first.
    let last = '';
    for (let i = 0; last === ''; i++) if (derivedPort(`n${i}`) === 29_999) last = `n${i}`;
    expect(adapterPorts([{ namespace: 'x', port: 29_999 }, { namespace: last }])).toEqual([29_999, 20_000]);
  });
});

describe('input patterns', () => {
  it('compile as the generated servers compile them: JavaScript, Unicode mode', () => {
    expect(compilesAsPattern('^[a-z]+$')).toBe(true);
    expect(compilesAsPattern('\\p{Lu}')).toBe(true);
    expect(compilesAsPattern('[')).toBe(false);
    // Valid without the u flag, refused with it.
    expect(compilesAsPattern('\\a')).toBe(false);
  });
});

describe('tool names', () => {
  it('give a shortened name a longer hash when it would meet a name kept as written', () => {
    const [short] = wireToolNames(['creative ID']);
    expect(short).toMatch(/^creative-ID-[0-9a-f]{8}$/);
    const wire = wireToolNames(['creative ID', short!]);
    expect(wire[1]).toBe(short);
    expect(wire[0]).toMatch(/^creative-ID-[0-9a-f]{12}$/);
    expect(wire[0]!.startsWith(short!)).toBe(true);
  });

  it('trim separators at both ends of the readable prefix, and keep at most 64 characters', () => {
    expect(wireToolNames(['  spaced out  '])[0]).toMatch(/^spaced-out-[0-9a-f]{8}$/);
    expect(wireToolNames(['!!!'])[0]).toMatch(/^[0-9a-f]{8}$/);
    expect(wireToolNames(['a  b'])[0]).toMatch(/^a-b-[0-9a-f]{8}$/);
    const long = `${'a'.repeat(54)}-${'b'.repeat(20)}`;
    const [w] = wireToolNames([long]);
    // 55 characters of prefix at most; the `-` it ends with is dropped before the hash.
    expect(w).toBe(`${'a'.repeat(54)}-${w!.slice(-8)}`);
    expect(wireToolNames(['a'.repeat(64)])[0]).toBe('a'.repeat(64));
    expect(wireToolNames(['a'.repeat(65)])[0]).toHaveLength(64);
  });
});

describe('identifiers, exactly', () => {
  it('split words at case changes and separators, drop accents, keep inner casing', () => {
    expect(camelCase('getHTTPResponse-code')).toBe('getHTTPResponseCode');
    expect(camelCase('Crème brûlée')).toBe('cremeBrulee');
    expect(pascalCase('a-b_c d')).toBe('ABCD');
    expect(camelCase('')).toBe('unnamed');
    expect(pascalCase('class')).toBe('Class');
    expect(camelCase('class')).toBe('class_');
    expect(envVarName('2fa-x')).toBe('_2FA_X');
    // Only a leading digit needs the underscore; a leading separator makes no empty first word.
    expect(camelCase('v2-api')).toBe('v2Api');
    expect(envVarName('v2-api')).toBe('V2_API');
    expect(camelCase('-list-items')).toBe('listItems');
  });

  it('keep reserved names out of a scope', () => {
    const scope = new IdentifierScope(['config']);
    expect(scope.claim('config')).toBe('config_2');
    expect(scope.claim('x', pascalCase)).toBe('X');
    // A reserved identifier belongs to no name, not even the empty one.
    expect(new IdentifierScope(['unnamed']).claim('')).toBe('unnamed_2');
  });
});

describe('escapes, exactly', () => {
  it('write the shortest readable literal', () => {
    expect(tsString(`a'b"c\\d\ne\u2028f\u2029`)).toBe(`'a\\'b"c\\\\d\\ne\\u2028f\\u2029'`);
    expect(tsLiteral([1, -2.5, Infinity, NaN, true, false, null, undefined])).toBe('[1, -2.5, null, null, true, false, null, undefined]');
    expect(tsLiteral({ a: 1, 'b-c': 'x', skip: undefined })).toBe("{ a: 1, 'b-c': 'x' }");
    expect(tsLiteral({})).toBe('{}');
    expect(tsLiteral({ only: undefined })).toBe('{}');
    expect(tsPropertyKey('$ok_1')).toBe('$ok_1');
    expect(tsPropertyKey('a b')).toBe("'a b'");
  });

  it('comments, template literals and Markdown', () => {
    expect(docCommentLines('one  \r\ntwo */\rthree\u2029four')).toEqual(['one', 'two *\\/', 'three', 'four']);
    expect(lineComment('  a\n\nb\u2028c  ')).toBe('a b c');
    expect(templateLiteralText('a\\b`c${d}\re')).toBe('a\\\\b\\`c\\${d}\\re');
    expect(markdownText('<b>x</b> `y`\r\nz\rw')).toBe("&lt;b&gt;x&lt;/b&gt; 'y'\nz\nw");
  });
});
