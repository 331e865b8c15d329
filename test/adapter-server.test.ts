/**
 * The REST adapter's request wrapper, in process (templates/runtime/rest.ts, server.ts, ops.ts): how
 * query values are read (split directly, or decoded like URLSearchParams when they need it), the
 * access-log line of each request, and cancellation when a client goes away before its answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adapterDefaults, currentRequest, queryNames } from '../templates/runtime/ops.js';
import { createRestServer, type Route } from '../templates/runtime/rest.js';

let server: http.Server;
let origin: string;
const logged: string[] = [];
let slowStarted: () => void = () => {};
let slowCancelled: () => void = () => {};

const routes: Route[] = [
  {
    method: 'GET',
    segments: ['items', { param: 'id' }],
    inputs: [
      { name: 'id', from: 'path', type: 'string' },
      { name: 'tag', from: 'query', type: 'array' },
      { name: 'name', from: 'query', type: 'string' },
      { name: 'empty', from: 'query', type: 'string' },
      { name: 'size', from: 'query', type: 'integer' },
    ],
    handle: async (raw) => ({ status: 200, json: raw }),
  },
  {
    method: 'GET',
    segments: ['slow'],
    inputs: [],
    // Waits until the request is cancelled, as an upstream call in flight does.
    handle: () => {
      const ctx = currentRequest()!;
      return new Promise((resolve) => {
        (ctx.cancels ??= new Set()).add(() => {
          slowCancelled();
          resolve({ status: 200, json: {} });
        });
        slowStarted();
      });
    },
  },
];

function get(path: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    http
      .get(origin + path, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
      })
      .on('error', reject);
  });
}

/** The access-log lines written so far, parsed. */
function accessLines(): Array<Record<string, unknown>> {
  return logged
    .join('')
    .split('\n')
    .filter((l) => l.includes('"route"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logged.push(String(chunk));
    return true;
  });
  server = createRestServer({ name: 'shop', routes, config: adapterDefaults(0, '127.0.0.1') });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  vi.restoreAllMocks();
});

describe('the REST adapter wrapper', () => {
  it('reads plain query values directly: repeated names, empty values, names without a value, empty pairs', async () => {
    const res = await get('/items/7?tag=a&&tag=b&name=x=y&empty&size=3&=v');
    expect(res).toEqual({ status: 200, json: { id: '7', tag: ['a', 'b'], name: 'x=y', empty: '', size: 3 } });
  });

  it('decodes query values as URLSearchParams does when they hold percent-encoding or +', async () => {
    const res = await get('/items/7?name=a+b%20c&tag=%E4%B8%AD&tag=d+e');
    expect(res).toEqual({ status: 200, json: { id: '7', name: 'a b c', tag: ['中', 'd e'] } });
    // A second `?` is dropped by URLSearchParams: the query still reads the same.
    expect(await get('/items/7??name=q')).toEqual({ status: 200, json: { id: '7', name: 'q' } });
  });

  it('writes one access line per request: route template, query names without values, status, upstream absent', async () => {
    await get('/items/9?name=secret&tag=a');
    await get('/nowhere/at/all?k=v');
    // Lines go out in batches: earlier tests' lines may come with these.
    const line = (route: string) => accessLines().find((l) => l.route === route);
    await vi.waitFor(() => expect(line('/nowhere/at/all')).toBeDefined());
    expect(accessLines().filter((l) => l.route === '/nowhere/at/all')).toHaveLength(1);
    const found = accessLines().find((l) => l.route === '/items/{id}' && JSON.stringify(l.query) === '["name","tag"]');
    expect(found).toMatchObject({ level: 'info', adapter: 'shop', method: 'GET', route: '/items/{id}', query: ['name', 'tag'], status: 200 });
    expect(logged.join('')).not.toContain('secret');
    expect(line('/nowhere/at/all')).toMatchObject({ method: 'GET', query: ['k'], status: 404 });
  });

  it('cancels the call in flight when the client goes away, and logs the request as 499', async () => {
    const started = new Promise<void>((resolve) => (slowStarted = resolve));
    const cancelled = new Promise<void>((resolve) => (slowCancelled = resolve));
    const req = http.get(`${origin}/slow`);
    req.on('error', () => {});
    await started;
    req.destroy();
    await cancelled;
    await vi.waitFor(() => expect(accessLines().filter((l) => l.route === '/slow')).toHaveLength(1));
    expect(accessLines().find((l) => l.route === '/slow')).toMatchObject({ method: 'GET', status: 499 });
  });
});

describe('queryNames', () => {
  it('lists the names of a query, without values, skipping empty names', () => {
    expect(queryNames('/a')).toBeUndefined();
    expect(queryNames('/a?')).toBeUndefined();
    expect(queryNames('/a?x=1&y&&=z&x=2')).toEqual(['x', 'y', 'x']);
    expect(queryNames('/a?k=v=w&t')).toEqual(['k', 't']);
  });
});
