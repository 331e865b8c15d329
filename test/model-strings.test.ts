/**
 * The small languages inside capability strings, given and wanted: JSONPath output mappings
 * (src/model/jsonpath.ts), Mustache templates and path templates (template.ts), and what a consumed
 * resource path really says (consumed-path.ts: fixed query, fragment headers, repeated base path).
 */
import { describe, expect, it } from 'vitest';
import { splitConsumedPath } from '../src/model/consumed-path.js';
import { compileJsonPath } from '../src/model/jsonpath.js';
import { normalizeName, parseMustache, parsePath, routeShape } from '../src/model/template.js';

const ALL = { all: true };

describe('compileJsonPath', () => {
  const rows: Array<[string, unknown]> = [
    ['$', []],
    ['$.', []],
    ['  $.name  ', ['name']],
    ['$.owner.login', ['owner', 'login']],
    ['$.tags[0]', ['tags', 0]],
    ['$.tags[ -1 ]', ['tags', -1]],
    ['$.items[*].sku', ['items', ALL, 'sku']],
    ['$.owner.*', ['owner', ALL]],
    ['$[ * ]', [ALL]],
    ["$['weird key']", ['weird key']],
    ['$["a.b"][\'c\']', ['a.b', 'c']],
    ["$['it\\'s']", ["it's"]],
    ['$["q\\"x"]', ['q"x']],
    ['$.a-b_c', ['a-b_c']],
    ['name', undefined],
    ['$..name', undefined],
    ['$.a.', undefined],
    ['$.a[', undefined],
    ['$.a[x]', undefined],
    ["$.a['x\"]", undefined],
    ['$.a[1.5]', undefined],
    ['$a', undefined],
    ['$.a]', undefined],
    ['x.name', undefined],
    ['$.[0]', undefined],
    ['$.tags[10]', ['tags', 10]],
    ["$[x]['a']", undefined],
    ["$[0]['bc']", [0, 'bc']],
    ['$[x][0]', undefined],
    ['$[x][*]', undefined],
  ];
  it.each(rows)('%s', (path, want) => {
    expect(compileJsonPath(path)).toEqual(want);
  });
});

describe('parseMustache', () => {
  const rows: Array<[string, unknown]> = [
    ['', []],
    ['plain', [{ kind: 'text', text: 'plain' }]],
    ['Bearer {{env.TOKEN}}', [{ kind: 'text', text: 'Bearer ' }, { kind: 'var', name: 'env.TOKEN' }]],
    ['{{ a }}{{b}}!', [{ kind: 'var', name: 'a' }, { kind: 'var', name: 'b' }, { kind: 'text', text: '!' }]],
    ['{{{raw}}} x', [{ kind: 'var', name: 'raw' }, { kind: 'text', text: ' x' }]],
    ['{{{raw}} x', [{ kind: 'var', name: '{raw' }, { kind: 'text', text: ' x' }]],
    ['a {{}} b {{ }}', [{ kind: 'text', text: 'a {{}} b {{ }}' }]],
    ['x {{open', [{ kind: 'text', text: 'x {{open' }]],
    ['}} {{a}} {{', [{ kind: 'text', text: '}} ' }, { kind: 'var', name: 'a' }, { kind: 'text', text: ' {{' }]],
    ['ab}}c', [{ kind: 'text', text: 'ab}}c' }]],
    ['}}{{a}}', [{ kind: 'text', text: '}}' }, { kind: 'var', name: 'a' }]],
    ['{{a}}}', [{ kind: 'var', name: 'a' }, { kind: 'text', text: '}' }]],
  ];
  it.each(rows)('%s', (source, want) => {
    expect(parseMustache(source)).toEqual(want);
  });
});

describe('parsePath', () => {
  it('single and double braces are both placeholders; repeats are listed once', () => {
    expect(parsePath('/org/{orgId}/token/{{ id }}/{orgId}x')).toEqual({
      parts: [
        { kind: 'text', text: '/org/' },
        { kind: 'param', name: 'orgId' },
        { kind: 'text', text: '/token/' },
        { kind: 'param', name: 'id' },
        { kind: 'text', text: '/' },
        { kind: 'param', name: 'orgId' },
        { kind: 'text', text: 'x' },
      ],
      params: ['orgId', 'id'],
      problems: [],
    });
    expect(parsePath('')).toEqual({ parts: [], params: [], problems: [] });
    expect(parsePath('{a}{{b}}').parts).toEqual([
      { kind: 'param', name: 'a' },
      { kind: 'param', name: 'b' },
    ]);
    expect(parsePath('}{a}')).toEqual({ parts: [{ kind: 'text', text: '}' }, { kind: 'param', name: 'a' }], params: ['a'], problems: ['unmatched `}` at character 1'] });
  });

  it('names each problem at its character and keeps the text', () => {
    expect(parsePath('/a/{b')).toEqual({ parts: [{ kind: 'text', text: '/a/{b' }], params: [], problems: ['unclosed `{` at character 4'] });
    expect(parsePath('/{{b}')).toEqual({ parts: [{ kind: 'text', text: '/{' }, { kind: 'param', name: 'b' }], params: ['b'], problems: ['unclosed `{{` at character 2'] });
    expect(parsePath('/{}/{ }').problems).toEqual(['empty or nested placeholder at character 2', 'unmatched `}` at character 3', 'empty or nested placeholder at character 5', 'unmatched `}` at character 7']);
    expect(parsePath('/{}').parts).toEqual([{ kind: 'text', text: '/{}' }]);
    expect(parsePath('/{a{b}').problems[0]).toBe('empty or nested placeholder at character 2');
    expect(parsePath('/a}b')).toEqual({ parts: [{ kind: 'text', text: '/a}b' }], params: [], problems: ['unmatched `}` at character 3'] });
  });

  it('route shapes erase placeholder names; names compare without case and separators', () => {
    expect(routeShape('/a/{x}/b/{{y}}')).toBe('/a/{}/b/{}');
    expect(routeShape('/a/{x}')).toBe(routeShape('/a/{{other}}'));
    expect(normalizeName('Get_Ship-ID 2')).toBe('getshipid2');
  });
});

describe('splitConsumedPath', () => {
  it('a plain path is kept, with a leading slash added', () => {
    expect(splitConsumedPath('/items/{id}', 'https://api.example.com')).toEqual({ path: '/items/{id}', query: [], headers: [], notes: [] });
    expect(splitConsumedPath('items', 'https://api.example.com')).toEqual({ path: '/items', query: [], headers: [], notes: [] });
  });

  it('a fixed query is decoded and sent before the parameters, with a note', () => {
    const r = splitConsumedPath('/{Bucket}?acl&mode=a+b%21&&x=%zz', 'https://s3.example.com');
    expect(r.path).toBe('/{Bucket}');
    expect(r.query).toEqual([
      ['acl', ''],
      ['mode', 'a b!'],
      ['x', '%zz'],
    ]);
    expect(r.notes).toEqual([
      {
        rule: 'path-query',
        severity: 'warning',
        message: 'The path carries a fixed query (`?acl&mode=a+b%21&&x=%zz`); it is sent before the query parameters.',
        hint: 'Declare those values as query parameters (`in: query`, `value: ...`) to say so explicitly.',
      },
    ]);
  });

  it('a fragment stands for headers; what a header cannot carry is dropped', () => {
    const r = splitConsumedPath('/?v=1#X-Amz-Target=DynamoDB.GetItem&Bad Name=x&Empty=&Ok=a b', 'https://db.example.com');
    expect(r.path).toBe('/');
    expect(r.query).toEqual([['v', '1']]);
    expect(r.headers).toEqual([
      ['X-Amz-Target', 'DynamoDB.GetItem'],
      ['Ok', 'a b'],
    ]);
    expect(r.notes.map((n) => n.rule)).toEqual(['path-fragment', 'path-query']);
    expect(r.notes[0]).toEqual({
      rule: 'path-fragment',
      severity: 'warning',
      message: 'A fragment is never sent over HTTP: `#X-Amz-Target=DynamoDB.GetItem&Bad Name=x&Empty=&Ok=a b` is sent as the headers `X-Amz-Target: DynamoDB.GetItem`, `Ok: a b`.',
      hint: 'Declare the value as a header parameter (`in: header`, `value: ...`) to say so explicitly.',
    });
    expect(r.notes[1]!.message).toBe('The path carries a fixed query (`?v=1`); it is sent before the query parameters.');
    expect(splitConsumedPath('/#X-One=1', 'https://x.example').notes[0]!.message).toBe('A fragment is never sent over HTTP: `#X-One=1` is sent as the header `X-One: 1`.');
    const dropped = splitConsumedPath('/a#section', 'https://x.example');
    expect(dropped).toMatchObject({ path: '/a', headers: [], query: [] });
    expect(dropped.notes[0]!.message).toBe('A fragment is never sent over HTTP: `#section` is dropped from the request.');
    expect(splitConsumedPath('/a#X=\u0001', 'https://x.example').headers).toEqual([]);
    expect(splitConsumedPath('/a#X=a\u0001', 'https://x.example').headers).toEqual([]);
    expect(splitConsumedPath('/a#X=\u0001a', 'https://x.example').headers).toEqual([]);
    expect(splitConsumedPath('#X-A=1', 'https://x.example')).toMatchObject({ path: '/', headers: [['X-A', '1']] });
    expect(splitConsumedPath('?acl&=v', 'https://x.example')).toMatchObject({ path: '/', query: [['acl', ''], ['', 'v']] });
  });

  it('a path that repeats the base URI’s path is sent once', () => {
    const r = splitConsumedPath('/api/v1/items', 'https://x.example/api/v1/');
    expect(r.path).toBe('/items');
    expect(r.notes).toEqual([
      { rule: 'path-repeats-base', severity: 'warning', message: 'The path starts with `/api/v1`, which the base URI already ends with; it is sent once, not twice.', hint: 'Remove `/api/v1` from the resource path.' },
    ]);
    expect(splitConsumedPath('/api/v1', 'https://x.example/api/v1').path).toBe('/');
    expect(splitConsumedPath('/api/v10/items', 'https://x.example/api/v1').path).toBe('/api/v10/items');
    expect(splitConsumedPath('/{tenant}/v1/items', 'https://{region}.example/{tenant}/v1').path).toBe('/{tenant}/v1/items');
    expect(splitConsumedPath('/x/v1/items', 'https://{region}.example/{tenant}/v1').path).toBe('/items');
    expect(splitConsumedPath('/items', 'not a url').notes).toEqual([]);
    expect(splitConsumedPath('/', 'https://x.example/').path).toBe('/');
    expect(splitConsumedPath('/api/items', 'https://x.example/api//').path).toBe('/items');
  });
});
