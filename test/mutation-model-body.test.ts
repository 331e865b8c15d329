/**
 * Request bodies of consumed operations (src/model/request-body.ts): every form the schema allows, as
 * the pieces the generated client sends, each value marked with how it is escaped where it lands.
 */
import { describe, expect, it } from 'vitest';
import { transformBody, type BodyPart } from '../src/model/request-body.js';

const SECRETS = { variables: new Set(['TOKEN']), namespaces: new Set(['env', 'vault']) };

/** A body as one line: text as written, values as `<name|escape>`, secrets as `<$name|escape>`. */
const line = (pieces: BodyPart[]): string => pieces.map((p) => (p.kind === 'text' ? p.text : `<${p.from.kind === 'secret' ? `$${p.from.variable}` : p.from.name}|${p.escape}>`)).join('');

describe('template bodies', () => {
  const rows: Array<[string, unknown, string, string, string[]]> = [
    ['a JSON object string', '{"id": "{{id}}", "n": {{n}}}', 'application/json', '{"id": "<id|json-string>", "n": <n|json>}', ['id', 'n']],
    ['a JSON array string', ' [{{a}}, "{{b}}"]', 'application/json', ' [<a|json>, "<b|json-string>"]', ['a', 'b']],
    ['a JSON string', '"{{a}}"', 'application/json', '"<a|json-string>"', ['a']],
    ['escaped quotes in JSON', '{"a": "x\\"{{v}}", "b": {{w}}}', 'application/json', '{"a": "x\\"<v|json-string>", "b": <w|json>}', ['v', 'w']],
    ['a backslash before the closing quote', '{"a": "x\\\\", "b": {{w}}}', 'application/json', '{"a": "x\\\\", "b": <w|json>}', ['w']],
    ['plain text', 'Hello {{name}}', 'text/plain; charset=utf-8', 'Hello <name|none>', ['name']],
    ['json data as a string', { type: 'json', data: '{"a": "{{a}}"}' }, 'application/json', '{"a": "<a|json-string>"}', ['a']],
    ['text', { type: 'text', data: 'Hi {{a}}' }, 'text/plain; charset=utf-8', 'Hi <a|none>', ['a']],
    ['xml', { type: 'xml', data: '<a>{{a}}</a>' }, 'application/xml', '<a><a|xml></a>', ['a']],
    ['sparql', { type: 'sparql', data: 'SELECT "{{q}}"' }, 'application/sparql-query', 'SELECT "<q|sparql>"', ['q']],
    ['an encoded form string', { type: 'formUrlEncoded', data: 'a={{a}}&b=1' }, 'application/x-www-form-urlencoded', 'a=<a|form>&b=1', ['a']],
    ['a secret', '{"t": "{{env.TOKEN}}", "u": "{{TOKEN}}"}', 'application/json', '{"t": "<$TOKEN|json-string>", "u": "<$TOKEN|json-string>"}', []],
    ['a value after text inside a JSON string', '{"q": "id:{{id}}", "n": {{n}}}', 'application/json', '{"q": "id:<id|json-string>", "n": <n|json>}', ['id', 'n']],
    ['a value used twice', 'Hi {{a}}-{{a}}', 'text/plain; charset=utf-8', 'Hi <a|none>-<a|none>', ['a']],
  ];
  it.each(rows)('%s', (_, raw, contentType, want, parameters) => {
    const r = transformBody(raw, SECRETS);
    if (r.body.kind !== 'template') throw new Error(r.body.kind);
    expect(r.body.contentType).toBe(contentType);
    expect(line(r.body.pieces)).toBe(want);
    expect(r.parameters).toEqual(parameters);
    expect(r.unbound).toEqual([]);
  });

  it('secrets no binds entry declares are listed', () => {
    expect(transformBody('{{vault.A}} {{env.TOKEN}} {{vault.B}}', SECRETS).unbound).toEqual(['A', 'B']);
  });
});

describe('JSON data given as YAML', () => {
  const rows: Array<[string, unknown, string, string[]]> = [
    ['an object', { a: 'x', n: 1, t: true, z: null }, '{"a":"x","n":1,"t":true,"z":null}', []],
    ['nested', { a: { b: ['c', 2] }, e: [] }, '{"a":{"b":["c",2]},"e":[]}', []],
    ['a value alone is the value itself', { ids: '{{ids}}', one: '{{ a.b }}' }, '{"ids":<ids|json>,"one":<a.b|json>}', ['ids', 'a.b']],
    ['values inside strings', { q: 'id:{{id}} "x"', k: 'a\nb' }, '{"q":"id:<id|json-string> \\"x\\"","k":"a\\nb"}', ['id']],
    ['two values in one string', { q: '{{a}}{{b}}' }, '{"q":"<a|json-string><b|json-string>"}', ['a', 'b']],
    ['an array', ['{{a}}', 'b', 3], '[<a|json>,"b",3]', ['a']],
    ['a key that needs quoting', { 'a"b': 1 }, '{"a\\"b":1}', []],
    ['a secret alone', { t: '{{env.TOKEN}}' }, '{"t":<$TOKEN|json>}', []],
    ['a string is a JSON template', '{{a}}', '<a|json>', ['a']],
    ['a number', 4, '4', []],
    ['empty braces are text', { a: '{{ }}' }, '{"a":"{{ }}"}', []],
    ['nothing', undefined, 'null', []],
  ];
  it.each(rows)('%s', (_, data, want, parameters) => {
    const r = transformBody({ type: 'json', data }, SECRETS);
    if (r.body.kind !== 'template') throw new Error(r.body.kind);
    expect(r.body.contentType).toBe('application/json');
    expect(line(r.body.pieces)).toBe(want);
    expect(r.parameters).toEqual(parameters);
  });

  it('text runs are merged into one piece', () => {
    const r = transformBody({ type: 'json', data: { a: 'x', b: ['y'] } }, SECRETS);
    expect(r.body).toEqual({ kind: 'template', contentType: 'application/json', pieces: [{ kind: 'text', text: '{"a":"x","b":["y"]}' }] });
  });
});

describe('forms', () => {
  it('fields, each a template sent as written', () => {
    const r = transformBody({ type: 'formUrlEncoded', data: { a: 'x{{a}}', n: 5 } }, SECRETS);
    expect(r.body).toEqual({
      kind: 'form-fields',
      fields: [
        { name: 'a', pieces: [{ kind: 'text', text: 'x' }, { kind: 'value', from: { kind: 'parameter', name: 'a' }, escape: 'none' }] },
        { name: 'n', pieces: [{ kind: 'text', text: '5' }] },
      ],
    });
    expect(r.parameters).toEqual(['a']);
  });

  it('multipart parts, with their file name and media type when given', () => {
    const r = transformBody(
      {
        type: 'multipartForm',
        data: [
          { name: 'file', value: '{{content}}', filename: 'a.txt', contentType: 'text/plain' },
          { name: 'note', value: 'n' },
        ],
      },
      SECRETS,
    );
    expect(r.body).toStrictEqual({
      kind: 'multipart',
      parts: [
        { name: 'file', pieces: [{ kind: 'value', from: { kind: 'parameter', name: 'content' }, escape: 'none' }], filename: 'a.txt', contentType: 'text/plain' },
        { name: 'note', pieces: [{ kind: 'text', text: 'n' }] },
      ],
    });
    expect(r.parameters).toEqual(['content']);
  });
});
