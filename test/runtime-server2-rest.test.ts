/**
 * The REST adapter's set-up (templates/runtime/rest.ts and server.ts): how a route table is planned and how
 * an adapter server is configured when it is built. Every test builds its own servers, so that mutation
 * testing (which records coverage per test, and counts code run in a beforeAll as static) measures the code that runs at start, not only the code
 * that runs per request; runtime-server-rest.test.ts shares servers across tests for the per-request code.
 * Assertions are about what a client got over loopback HTTP and what the server logged.
 */
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { adapterDefaults, type AdapterConfig } from '../templates/runtime/ops.js';
import { createRestServer, fromUpstream, type RestServerOptions, type Route } from '../templates/runtime/rest.js';
import { listen } from '../templates/runtime/server.js';
import { request } from './helpers/generated-project.js';
import { inTestServers } from './helpers/in-test-servers.js';

const { log, keep } = inTestServers();

/** Builds a REST adapter in the running test and starts it on 127.0.0.1:0. */
async function serve(options: RestServerOptions): Promise<string> {
  const server = createRestServer(options);
  keep(server);
  await listen(`REST adapter ${options.name}`, server, 0, '127.0.0.1');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function config(overrides: Partial<AdapterConfig> = {}, limits: Partial<AdapterConfig['limits']> = {}): AdapterConfig {
  const base = adapterDefaults(0, '127.0.0.1');
  return { ...base, ...overrides, limits: { ...base.limits, ...limits } };
}

/** The length of the log once the lines queued so far are written (a batch goes out within 20 ms). */
async function mark(): Promise<number> {
  await new Promise((r) => setTimeout(r, 40));
  return log().length;
}

/** The JSON log lines written since `from` by the adapter `adapter`. */
async function linesOf(from: number, adapter: string): Promise<Record<string, unknown>[]> {
  await mark();
  return log()
    .slice(from)
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => e.adapter === adapter);
}

/** A route that answers with the inputs it was given, as JSON. */
function echo(method: string, segments: Route['segments'], inputs: Route['inputs']): Route {
  return { method, segments, inputs, handle: async (raw) => ({ status: 200, json: raw }) };
}

const PLACED = echo(
  'GET',
  [{ param: 'ver', prefix: 'v' }, 'items', { param: 'id', suffix: '.json' }, { param: 'part', prefix: 'p-', suffix: '-x' }],
  [
    { name: 'part', from: 'path', type: 'string' },
    { name: 'id', from: 'path', type: 'string' },
    { name: 'ver', from: 'path', type: 'integer' },
    { name: 'q', from: 'query', type: 'string' },
    { name: 'X-Trace', from: 'header', type: 'string' },
    { name: 'sess', from: 'cookie', type: 'string' },
  ],
);

const ROUTES: Route[] = [
  PLACED,
  echo('POST', ['mixed', { param: 'k' }], [
    { name: 'z', from: 'query', type: 'string' },
    { name: 'k', from: 'path', type: 'string' },
    { name: 'a', from: 'body', type: 'integer' },
    { name: 's', from: 'body', type: 'string' },
  ]),
  echo('GET', ['plain'], [
    { name: 'z', from: 'query', type: 'string' },
    { name: 'list', from: 'query', type: 'array' },
    { name: 'c', from: 'cookie', type: 'string' },
  ]),
  echo('HEAD', ['plain'], []),
  echo('POST', ['upload'], [
    { name: 'name', from: 'query', type: 'string' },
    { name: 'f', from: 'file-body', type: 'string' },
  ]),
  echo('PUT', ['whole'], [{ name: 'doc', from: 'json-body', type: 'object' }]),
  echo('GET', ['boom'], []),
];
ROUTES[6] = { ...ROUTES[6]!, handle: async () => Promise.reject(new Error('a bug')) };

describe('a REST adapter built in the test', () => {
  it('plans where each input is read: placeholders with text around them, query, header, cookie', async () => {
    const base = await serve({ name: 'placed', routes: ROUTES });
    const res = await request(base, 'GET', '/v2/items/abc.json/p-mid-x?q=1', { headers: { 'x-trace': 't', cookie: 'sess=s' } });
    expect([res.status, res.json()]).toEqual([200, { part: 'mid', id: 'abc', ver: 2, q: '1', 'X-Trace': 't', sess: 's' }]);
    // The text around a placeholder must be there, with something between.
    for (const path of ['/2/items/abc.json/p-mid-x', '/v2/items/abc/p-mid-x', '/v2/items/abc.json/mid-x', '/v2/items/abc.json/p--x']) {
      expect([path, (await request(base, 'GET', path)).status]).toEqual([path, 404]);
    }
  });

  it('reads the JSON body only for routes with body inputs, and the bytes for a file', async () => {
    const base = await serve({ name: 'bodies', routes: ROUTES });
    const json = { 'content-type': 'application/json' };
    const mixed = await request(base, 'POST', '/mixed/K?z=Z', { headers: json, body: '{"a":1}' });
    expect([mixed.status, mixed.json()]).toEqual([200, { z: 'Z', k: 'K', a: 1 }]);
    // A route without body inputs leaves the body alone, whatever its type.
    const plain = await request(base, 'GET', '/plain?z=1', { headers: { 'content-type': 'text/plain' }, body: 'not json' });
    expect([plain.status, plain.json()]).toEqual([200, { z: '1' }]);
    const bytes = Buffer.from([1, 2, 3, 254]);
    const upload = await request(base, 'POST', '/upload?name=n', { headers: { 'content-type': 'text/plain' }, body: bytes });
    expect([upload.status, upload.json()]).toEqual([200, { name: 'n', f: bytes.toString('base64') }]);
    const whole = await request(base, 'PUT', '/whole', { headers: json, body: '{"x":[1]}' });
    expect([whole.status, whole.json()]).toEqual([200, { doc: { x: [1] } }]);
    expect((await request(base, 'PUT', '/whole', { headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
  });

  it('names each route by its template in the access log and in the metrics', async () => {
    const base = await serve({ name: 'named', routes: ROUTES, config: config({ metrics: true }) });
    const from = await mark();
    expect((await request(base, 'GET', '/v3/items/i.json/p-q-x?q=secret')).status).toBe(200);
    expect((await request(base, 'GET', '/nowhere')).status).toBe(404);
    const access = (await linesOf(from, 'named')).filter((e) => 'status' in e);
    expect(access.map((e) => [e.level, e.method, e.route, e.query, e.status])).toEqual([
      ['info', 'GET', '/v{ver}/items/{id}.json/p-{part}-x', ['q'], 200],
      ['info', 'GET', '/nowhere', undefined, 404],
    ]);
    const metrics = await request(base, 'GET', '/metrics');
    expect(metrics.text).toContain('http_requests_total{adapter="named",method="GET",route="/v{ver}/items/{id}.json/p-{part}-x",status="200"} 1\n');
    expect(metrics.text).toContain('http_requests_total{adapter="named",method="GET",route="(no route)",status="404"} 1\n');
  });

  it('without a config: guards the loopback names on the port it got, default limits, info log, no warning', async () => {
    const from = await mark();
    const base = await serve({ name: 'bare', routes: ROUTES });
    const port = Number(new URL(base).port);
    expect((await request(base, 'GET', '/plain', { headers: { host: `localhost:${port}` } })).status).toBe(200);
    for (const host of [`localhost:${port + 1}`, 'evil.example']) {
      const refused = await request(base, 'GET', '/plain', { headers: { host } });
      expect([host, refused.status, refused.json()]).toEqual([host, 403, { error: 'forbidden', message: `Refused: the host ${host} is not served here.` }]);
    }
    // No metrics unless asked for.
    expect((await request(base, 'GET', '/metrics')).status).toBe(404);
    // The default argument limit is 16,384 characters.
    const json = { 'content-type': 'application/json' };
    expect((await request(base, 'POST', '/mixed/k', { headers: json, body: JSON.stringify({ s: 'a'.repeat(16_384) }) })).status).toBe(200);
    const long = await request(base, 'POST', '/mixed/k', { headers: json, body: JSON.stringify({ s: 'a'.repeat(16_385) }) });
    expect([long.status, long.json().fields]).toEqual([400, [{ field: 's', problem: 'is longer than 16384 characters' }]]);
    const lines = await linesOf(from, 'bare');
    expect(lines.filter((e) => 'status' in e).map((e) => [e.level, e.route, e.status])).toEqual([
      ['info', '/plain', 200],
      ['info', '/plain', 403],
      ['info', '/plain', 403],
      ['info', '/metrics', 404],
      ['info', '/mixed/{k}', 200],
      ['info', '/mixed/{k}', 400],
    ]);
    expect(log().slice(from)).toContain(`REST adapter bare listening on ${base}\n`);
    expect(log().slice(from)).not.toContain('warning:');
  });

  it('with a config: its limits, its log level and its host names', async () => {
    const from = await mark();
    const base = await serve({
      name: 'configured',
      routes: ROUTES,
      config: config({ logLevel: 'warn', allowedHosts: ['api.example'] }, { maxBodyBytes: 8, maxArgLength: 3 }),
    });
    expect((await request(base, 'GET', '/plain?z=abc', { headers: { host: 'api.example' } })).status).toBe(200);
    expect((await request(base, 'GET', '/plain?z=abcd')).status).toBe(400);
    const big = await request(base, 'PUT', '/whole', { headers: { 'content-type': 'application/json' }, body: '[1,2,3,4]' });
    expect([big.status, big.json()]).toEqual([413, { error: 'payload_too_large', message: 'The body is larger than 8 bytes.' }]);
    expect((await request(base, 'GET', '/plain', { headers: { host: 'other.example' } })).status).toBe(403);
    expect((await request(base, 'GET', '/boom')).status).toBe(500);
    // At warn, only the server error has an access line (after the error itself).
    const lines = await linesOf(from, 'configured');
    expect(lines.map((e) => [e.level, e.route, e.status])).toEqual([
      ['error', '/boom', undefined],
      ['warn', '/boom', 500],
    ]);
  });

  it('reads a plain query: a list from every occurrence, a value only under its own name', async () => {
    const base = await serve({ name: 'queries', routes: ROUTES });
    const res = await request(base, 'GET', '/plain?list=a&zz=1&list=b&list&list=c=d&z=2&z=3', { headers: { cookie: 'c= v w ;c=x' } });
    expect([res.status, res.json()]).toEqual([200, { z: '2', list: ['a', 'b', '', 'c=d'], c: 'v w' }]);
  });

  it('answers HEAD where GET is, 404 where nothing is, and lists HEAD once when a route exposes it', async () => {
    const base = await serve({ name: 'heads', routes: ROUTES });
    const missing = await request(base, 'HEAD', '/nothing/here');
    expect([missing.status, missing.text]).toEqual([404, '']);
    const head = await request(base, 'HEAD', '/v1/items/a.json/p-b-x');
    expect([head.status, head.headers['content-type'], head.text]).toEqual([200, 'application/json', '']);
    expect((await request(base, 'HEAD', '/x1/items/a.json/p-b-x')).status).toBe(404);
    const patch = await request(base, 'PATCH', '/plain');
    expect([patch.status, patch.headers.allow]).toEqual([405, 'GET, HEAD']);
  });
});

describe('fromUpstream: a body the outputs map', () => {
  it('maps a JSON answer that came with its bytes, and keeps them only for an answer marked binary', () => {
    const name = [{ type: 'object' as const, mapping: [], properties: { name: { type: 'string' as const, mapping: ['name'] } } }];
    const text = '{"name":"Rex","x":1}';
    const bytes = Buffer.from(text);
    expect(fromUpstream({ status: 200, contentType: 'application/json', text, bytes }, name)).toEqual({ status: 200, json: { name: 'Rex' } });
    expect(fromUpstream({ status: 200, contentType: 'application/json', text, bytes, binary: true }, name)).toEqual({ status: 200, raw: bytes, contentType: 'application/json' });
    expect(fromUpstream({ status: 200, contentType: 'application/json', text, binary: true }, name)).toEqual({ status: 200, json: { name: 'Rex' } });
    expect(fromUpstream({ status: 301, contentType: 'text/plain', text: 'moved', bytes: Buffer.from('moved'), location: '/b' }, name)).toEqual({
      status: 301,
      raw: Buffer.from('moved'),
      contentType: 'text/plain',
      headers: { location: '/b' },
    });
  });

  it('leaves apart what the answer status says: informational, 300, 400', () => {
    const name = [{ type: 'object' as const, mapping: [], properties: { name: { type: 'string' as const, mapping: ['name'] } } }];
    const binary = { mediaType: 'image/png' };
    expect(fromUpstream({ status: 199, contentType: 'text/plain', text: 'e' }, name, binary)).toEqual({ status: 199, raw: 'e', contentType: 'text/plain' });
    expect(fromUpstream({ status: 300, contentType: 'text/plain', text: 'e' }, name, binary)).toEqual({ status: 300, raw: 'e', contentType: 'text/plain' });
    // A 400 is an error: its JSON body passes through unmapped, and an empty one gives no body.
    expect(fromUpstream({ status: 400, contentType: 'application/json', text: '{"name":"x","why":"bad"}' }, name)).toEqual({
      status: 400,
      raw: '{"name":"x","why":"bad"}',
      contentType: 'application/json',
    });
    expect(fromUpstream({ status: 400, contentType: 'application/json', text: '' }, name)).toEqual({ status: 400 });
  });
});

describe('reading the request, in edge cases', () => {
  it('a query that starts with `&` or ends with a bare name, a cookie part without `=`', async () => {
    const base = await serve({ name: 'edges', routes: ROUTES });
    expect((await request(base, 'GET', '/plain?&z=2')).json()).toEqual({ z: '2' });
    expect((await request(base, 'GET', '/plain?&list=a&list')).json()).toEqual({ list: ['a', ''] });
    expect((await request(base, 'GET', '/plain?list=a&z')).json()).toEqual({ list: ['a'], z: '' });
    expect((await request(base, 'GET', '/plain', { headers: { cookie: 'cc; c=1' } })).json()).toEqual({ c: '1' });
  });

  it('gives a route only the inputs that were sent, and reads a query only after `?`', async () => {
    const keys: Route = {
      method: 'GET',
      segments: ['x&z=5'],
      inputs: [
        { name: 'z', from: 'query', type: 'string' },
        { name: 'h', from: 'header', type: 'string' },
        { name: 'lost', from: 'path', type: 'string' },
      ],
      handle: async (raw) => ({ status: 200, json: Object.keys(raw) }),
    };
    const base = await serve({ name: 'keys', routes: [keys] });
    expect((await request(base, 'GET', '/x&z=5')).json()).toEqual([]);
    expect((await request(base, 'GET', '/x&z=5?z=1', { headers: { h: 'v' } })).json()).toEqual(['z', 'h']);
  });

  it('a route wins over a forward at the same place', async () => {
    const base = await serve({
      name: 'route-first',
      routes: [echo('POST', ['f', 'x'], [])],
      forwards: [{ except: [], prefix: ['f'], forward: async () => ({ status: 202, json: 'forwarded' }) }],
    });
    expect([(await request(base, 'POST', '/f/x')).status, (await request(base, 'POST', '/f/y')).status]).toEqual([200, 202]);
  });
});
