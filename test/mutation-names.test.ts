/**
 * src/names, through its exported functions: the cases its mutation run showed untested (see
 * mutation-survivors-names.md). Given a name or a literal, want what the generated code gets.
 */
import { describe, expect, it } from 'vitest';
import { code, tsLiteral } from '../src/names/escape.js';
import { IdentifierScope } from '../src/names/identifiers.js';
import { hashHex, shortenWithHash } from '../src/names/shorten.js';
import { wireToolNames } from '../src/names/tool-names.js';

describe('src/names: what the mutation run found untested', () => {
  it('prints a piece of generated code as it is, alone or inside a value', () => {
    expect(tsLiteral(code('secrets.TOKEN'))).toBe('secrets.TOKEN');
    const printed = tsLiteral({ token: code('secrets.TOKEN'), name: 'x' });
    expect(printed).toContain('secrets.TOKEN');
    expect(printed).not.toContain("'secrets.TOKEN'");
  });

  it('claims a name as wanted, then with -2, -3 when it or its identifier is taken', () => {
    const scope = new IdentifierScope();
    expect(scope.claimName('pets')).toBe('pets');
    expect(scope.claimName('pets')).toBe('pets-2');
    expect(scope.claimName('pets')).toBe('pets-3');
    // Another spelling of the same identifier (getA1) is taken too.
    expect(scope.claimName('get-a1')).toBe('get-a1');
    expect(scope.claimName('get-a-1')).toBe('get-a-1-2');
  });

  it('keeps a name of exactly the length allowed, shortens a longer one, and keeps the suffix within it', () => {
    const scope = new IdentifierScope();
    expect(scope.claimName('abcdefghij', 10)).toBe('abcdefghij');
    const longer = scope.claimName('abcdefghijk', 10);
    expect(longer).toHaveLength(10);
    expect(longer).toMatch(/^ab-[0-9a-f]{7}$/);
    const again = scope.claimName('abcdefghij', 10);
    expect(again.length).toBeLessThanOrEqual(10);
    expect(again.endsWith('-2')).toBe(true);
  });

  it('drops every trailing dash of the readable part before the hash', () => {
    expect(shortenWithHash('a--bcdef', 'whole', 11, 7)).toBe(`a-${hashHex('whole', 7)}`);
  });

  it('gives a tool name with leading dashes a wire name that starts with a letter', () => {
    const [wire] = wireToolNames(['---x y']);
    expect(wire).toMatch(/^x-y-[0-9a-f]{8}$/);
  });
});
