import { describe, expect, it } from 'vitest';
import { camelCase, envVarName, IdentifierScope, pascalCase } from '../src/names/identifiers.js';
import { wireToolNames } from '../src/names/tool-names.js';
import { docCommentLines, lineComment, templateLiteralText, tsLiteral, tsPropertyKey, tsString } from '../src/names/escape.js';

describe('identifiers', () => {
  it('derives readable camelCase and PascalCase names', () => {
    expect(camelCase('list-organization-api-tokens')).toBe('listOrganizationApiTokens');
    expect(pascalCase('qovery-organization-api-token')).toBe('QoveryOrganizationApiToken');
    expect(camelCase('listorganizationapitokens')).toBe('listorganizationapitokens');
  });

  it('makes any name a valid identifier', () => {
    const hostile = ['$select', 'filter[status]', 'page[size]', '@id', 'X-Amz-Target', 'issue_type~neq', 'Key+', 'attr:qualifiedName', 'action.type', 'creative ID', '2fa', 'export', 'default', 'type', '', '中文', '!!!'];
    for (const name of hostile) {
      const id = camelCase(name);
      expect(id, name).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]*$/);
      expect(() => new Function(`let ${id} = 1; return ${id};`), name).not.toThrow();
    }
    expect(camelCase('2fa')).toBe('_2fa');
    expect(camelCase('export')).toBe('export_');
  });

  it('gives colliding names distinct identifiers, deterministically', () => {
    const scope = new IdentifierScope();
    expect(scope.claim('list-items')).toBe('listItems');
    expect(scope.claim('list_items')).toBe('listItems_2');
    expect(scope.claim('listItems')).toBe('listItems_3');
    expect(scope.claim('list-items')).toBe('listItems');
    const again = new IdentifierScope();
    expect(['list-items', 'list_items', 'listItems'].map((n) => again.claim(n))).toEqual(['listItems', 'listItems_2', 'listItems_3']);
  });

  it('names environment variables as the decisions doc says', () => {
    expect(envVarName('qovery-organization-api-token-rest')).toBe('QOVERY_ORGANIZATION_API_TOKEN_REST');
    expect(envVarName('a.b c')).toBe('A_B_C');
  });
});

describe('MCP tool names', () => {
  it('keeps valid names and shortens the others deterministically, without collisions', () => {
    const long = 'list-every-single-organization-api-token-of-the-whole-organization-and-more';
    const names = ['ok-name', `${long}-a`, `${long}-b`, 'creative ID', 'é'.repeat(70)];
    const wire = wireToolNames(names);
    expect(wire[0]).toBe('ok-name');
    for (const w of wire) expect(w).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(new Set(wire).size).toBe(names.length);
    expect(wire[1]!.startsWith('list-every-single-organization-api-token-of-the-whole')).toBe(true);
    expect(wire[3]).toMatch(/^creative-ID-[0-9a-f]{8}$/);
    expect(wireToolNames(names)).toEqual(wire);
  });
});

describe('escaping', () => {
  const samples = ['plain', "it's", 'say "hi"', 'back\\slash', "a\\'b", 'nl\nx\r\t', '\u2028\u2029', '${x} `tick` */ //', 'é中🚀', '\\"', '\0', '\ud800'];

  it('tsString gives a literal that evaluates to exactly the input', () => {
    for (const s of samples) {
      const literal = tsString(s);
      expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
      expect(new Function(`return ${literal};`)()).toBe(s);
      expect(literal).not.toMatch(/[\n\r\u2028\u2029]/);
    }
  });

  it('tsLiteral round-trips JSON values', () => {
    const value = { a: 1, 'b c': [true, null, "x'y", { '': 'z' }], d: {}, e: -2.5 };
    expect(new Function(`return ${tsLiteral(value)};`)()).toEqual(value);
  });

  it('templateLiteralText keeps backticks and ${ inert inside a template literal', () => {
    for (const s of samples) expect(new Function(`return \`${templateLiteralText(s)}\`;`)()).toBe(s);
  });

  it('quotes property keys only when needed', () => {
    expect(tsPropertyKey('organizationId')).toBe('organizationId');
    expect(tsPropertyKey('page[size]')).toBe("'page[size]'");
    expect(tsPropertyKey('2fa')).toBe("'2fa'");
  });

  it('keeps comments closed and on their lines', () => {
    const lines = docCommentLines('a */ b\r\nc\u2028d');
    expect(lines.join('\n')).not.toContain('*/');
    expect(lines).toHaveLength(3);
    expect(lineComment('one\ntwo\r\nthree')).toBe('one two three');
  });
});
