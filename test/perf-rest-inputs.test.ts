/**
 * The REST adapter's fast input reading (templates/runtime/rest.ts): a scalar query input of a plain
 * query (no `%`, `+` or leading `?`) is found by one scan instead of a map of every parameter, and path
 * inputs are read by the position of their placeholder. Whatever path a request takes, each value must be
 * what URLSearchParams reads (the first value of a name) and what the route template says: the oracle
 * here is URLSearchParams itself, over a table of awkward queries.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adapterDefaults } from '../templates/runtime/ops.js';
import { createRestServer, type Route } from '../templates/runtime/rest.js';

let server: http.Server;
let origin: string;

const routes: Route[] = [
  {
    method: 'GET',
    // Placeholders with literal text around them, and a literal segment between.
    segments: ['files', { param: 'dir' }, 'v', { param: 'name', prefix: 'f-', suffix: '.json' }],
    inputs: [
      { name: 'dir', from: 'path', type: 'string' },
      { name: 'name', from: 'path', type: 'string' },
      { name: 'q', from: 'query', type: 'string' },
      { name: 'qq', from: 'query', type: 'string' },
      { name: 'n', from: 'query', type: 'integer' },
      { name: 'flag', from: 'query', type: 'boolean' },
      { name: 'list', from: 'query', type: 'array' },
    ],
    handle: async (raw) => ({ status: 200, json: raw }),
  },
];

function get(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    http
      .get(origin + path, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  // The access log goes to stderr: kept out of the test output.
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  server = createRestServer({ name: 'files', routes, config: adapterDefaults(0, '127.0.0.1') });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  vi.restoreAllMocks();
});

/** What the route should receive for `search`, read with URLSearchParams. */
function expected(search: string): Record<string, unknown> {
  const p = new URLSearchParams(search);
  const out: Record<string, unknown> = { dir: 'd', name: 'x' };
  if (p.get('q') !== null) out.q = p.get('q');
  if (p.get('qq') !== null) out.qq = p.get('qq');
  const n = p.get('n');
  if (n !== null) out.n = n.trim() === '' || Number.isNaN(Number(n)) ? n : Number(n);
  const flag = p.get('flag');
  if (flag !== null) out.flag = flag === 'true' ? true : flag === 'false' ? false : flag;
  if (p.getAll('list').length > 0) out.list = p.getAll('list');
  return out;
}

describe('REST inputs read by position and by one scan of the query', () => {
  const queries = [
    '',
    'q=a',
    'q=a&q=b',
    'qq=1&q=2',
    'q2=x&q=y',
    'qqq=1&qq=2',
    'q',
    'q=&qq',
    'q=a=b&n=7',
    '&&q=x&&',
    '=v&q=w',
    'n=&flag=true&list=a&list=b',
    'n= 3&flag=no',
    'n=1e3&flag=false',
    'Q=upper&q=lower',
    // Not plain: read through URLSearchParams.
    'q=a%20b&qq=c+d',
    'q=%E4%B8%AD&list=x+y',
    '?q=lead',
  ];
  it.each(queries)('?%s', async (search) => {
    const res = await get(`/files/d/v/f-x.json${search === '' ? '' : `?${search}`}`);
    expect(res).toEqual({ status: 200, json: expected(search.replace(/^\?/, '')) });
  });

  it('reads a placeholder between its literal texts, and refuses a segment without them', async () => {
    expect((await get('/files/a%2Fb/v/f-n%C3%A9.json')).json).toEqual({ dir: 'a/b', name: 'né' });
    expect((await get('/files/d/v/g-x.json')).status).toBe(404);
    expect((await get('/files/d/v/f-.json')).status).toBe(404);
  });
});
