/**
 * The generated REST adapter's HTTP layer (templates/runtime/rest.ts and server.ts), started in this
 * process on 127.0.0.1:0 with a small route table, so that mutation testing sees which test covers
 * which line. Every assertion is about what a client got over HTTP, what the fake upstream received,
 * or what the server wrote to its log; nothing reaches into the modules' internals.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidInputError } from '../templates/runtime/inputs.js';
import { inboundAuth } from '../templates/runtime/inbound-auth.js';
import { adapterDefaults, HttpProblem, registerUpstream, type AdapterConfig } from '../templates/runtime/ops.js';
import { createRestServer, fromUpstream, type ForwardRoute, type RestResult, type Route } from '../templates/runtime/rest.js';
import { listen } from '../templates/runtime/server.js';
import { ApiClient, RequestInputError, UpstreamError, type OperationDescriptor, type UpstreamResponse } from '../templates/runtime/upstream.js';
import { closedPort, startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { rawExchange, request } from './helpers/generated-project.js';

let upstream: FakeUpstream;
let api: ApiClient;
/** The client of the one call that is meant to time out (every other call has time to spare on a busy machine). */
let impatient: ApiClient;
let stderr = '';
const servers: http.Server[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream();
  api = new ApiClient({ namespace: 'pets', baseUri: `${upstream.url}/api`, timeoutMs: 10_000 });
  impatient = new ApiClient({ namespace: 'pets', baseUri: `${upstream.url}/api`, timeoutMs: 200 });
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    stderr += String(text);
    return true;
  });
});

afterAll(async () => {
  await mark();
  vi.restoreAllMocks();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  api.close();
  impatient.close();
  await upstream.stop();
});

beforeEach(() => upstream.reset());

/** The JSON lines of the log written since `from` (a length of `stderr`), once `want` finds one. */
async function logged(from: number, want: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 100; i++) {
    const entries = stderr
      .slice(from)
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    if (entries.some(want)) return entries;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no such log line in: ${stderr.slice(from)}`);
}

/** The length of the log once the lines queued so far are written (a batch goes out within 20 ms). */
async function mark(): Promise<number> {
  await new Promise((r) => setTimeout(r, 40));
  return stderr.length;
}

async function start(server: http.Server, host = '127.0.0.1'): Promise<string> {
  servers.push(server);
  await listen('test adapter', server, 0, host);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function config(overrides: Partial<AdapterConfig> = {}, limits: Partial<AdapterConfig['limits']> = {}): AdapterConfig {
  const base = adapterDefaults(0, '127.0.0.1');
  return { ...base, ...overrides, limits: { ...base.limits, ...limits } };
}

/** A route that answers with the inputs it was given, as JSON. */
function echo(method: string, segments: Route['segments'], inputs: Route['inputs']): Route {
  return { method, segments, inputs, handle: async (raw) => ({ status: 200, json: raw }) };
}

const getPet: OperationDescriptor = { name: 'getPet', method: 'GET', path: ['/pets/', { arg: 'id' }], query: [{ name: 'fields', arg: 'fields' }], headers: [], cookies: [] };

const ROUTES: Route[] = [
  echo('GET', ['v1', 'types', { param: 'n' }], [
    { name: 'n', from: 'path', type: 'number' },
    { name: 'i', from: 'query', type: 'integer' },
    { name: 'b', from: 'query', type: 'boolean' },
    { name: 'list', from: 'query', type: 'array' },
    { name: 'o', from: 'query', type: 'object' },
    { name: 's', from: 'query', type: 'string' },
    { name: 'h', from: 'header', type: 'array' },
    { name: 'X-Flag', from: 'header', type: 'boolean' },
    { name: 'c', from: 'cookie', type: 'integer' },
    { name: 'd', from: 'cookie', type: 'string' },
  ]),
  echo('GET', ['v1', 'files', { param: 'name', prefix: 'f-', suffix: '.json' }], [{ name: 'name', from: 'path', type: 'string' }]),
  echo('POST', ['v1', 'body'], [
    { name: 'title', from: 'body', type: 'string' },
    { name: 'user', from: 'body', type: 'string', path: ['owner', 'id'] },
    { name: 'first', from: 'body', type: 'string', path: ['tags', 0] },
  ]),
  echo('PUT', ['v1', 'body'], [{ name: 'whole', from: 'json-body', type: 'object' }]),
  echo('POST', ['v1', 'upload'], [
    { name: 'file', from: 'file-body', type: 'string' },
    { name: 'label', from: 'query', type: 'string' },
  ]),
  echo('GET', ['v1', 'pets'], []),
  echo('DELETE', ['v1', 'pets'], []),
  {
    method: 'GET',
    segments: ['v1', 'pets', { param: 'id' }],
    inputs: [
      { name: 'id', from: 'path', type: 'string' },
      { name: 'fields', from: 'query', type: 'string' },
    ],
    handle: async (raw) => fromUpstream(await (raw.id === 'impatient' ? impatient : api).send(getPet, raw), [{ type: 'object', mapping: [] }]),
  },
  {
    method: 'GET',
    segments: ['v1', 'fail', { param: 'how' }],
    inputs: [{ name: 'how', from: 'path', type: 'string' }],
    handle: async (raw): Promise<RestResult> => {
      switch (raw.how) {
        case 'input':
          throw new InvalidInputError([{ field: 'how', problem: 'is wrong' }]);
        case 'request':
          throw new RequestInputError('how', '`how` cannot be sent.');
        case 'timeout':
          throw new UpstreamError('timeout', 'the upstream did not answer within 5 ms');
        case 'network':
          throw new UpstreamError('network', 'the upstream could not be reached');
        case 'cancelled':
          throw new UpstreamError('cancelled', 'the client went away');
        case 'problem':
          throw new HttpProblem(409, 'conflict', 'Taken.');
        case 'redirect':
          return { status: 302, headers: { location: '/v1/pets' } };
        case 'keep':
          return { status: 200, json: {}, headers: { Connection: 'keep-alive' } };
        case 'text':
          return { status: 201, raw: 'made', contentType: undefined };
        default:
          throw new Error('a bug in a handler');
      }
    },
  },
  echo('GET', ['openapi.json'], []),
];

describe('REST routes: matching and reading the inputs', () => {
  let base: string;
  beforeAll(async () => {
    base = await start(createRestServer({ name: 'pets', routes: ROUTES.filter((r) => r.segments[0] !== 'openapi.json'), openapi: '{"openapi":"3.1.0"}' }));
  });

  it('coerces path, query, header and cookie values to their types, and leaves what does not fit as text', async () => {
    const res = await request(base, 'GET', '/v1/types/12.5?i=7&b=true&list=a&list=b&o=%7B%22k%22%3A1%7D&s=x+y&i=8', {
      headers: { h: 'p,q', 'x-flag': 'false', cookie: 'c=41; d=%41%20b; junk; c=99' },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ n: 12.5, i: 7, b: true, list: ['a', 'b'], o: { k: 1 }, s: 'x y', h: ['p', 'q'], 'X-Flag': false, c: 41, d: 'A b' });
    const odd = await request(base, 'GET', '/v1/types/%20?i=seven&b=yes&o=not-json&list=&s=', { headers: { h: '', cookie: 'c=x; d=%E0%A4%A' } });
    expect(odd.json()).toEqual({ n: ' ', i: 'seven', b: 'yes', o: 'not-json', list: [''], s: '', h: [], c: 'x', d: '%E0%A4%A' });
    const plain = await request(base, 'GET', '/v1/types/abc?s=a=b&&b&i=', { headers: {} });
    expect(plain.json()).toEqual({ n: 'abc', s: 'a=b', b: '', i: '' });
  });

  it('reads a query that starts with a second `?`, or holds `%` or `+`, as URLSearchParams does', async () => {
    expect((await request(base, 'GET', '/v1/types/1??s=v')).json()).toEqual({ n: 1, s: 'v' });
    expect((await request(base, 'GET', '/v1/types/1?s=a%26b&list=%2C')).json()).toEqual({ n: 1, s: 'a&b', list: [','] });
    expect((await request(base, 'GET', '/v1/types/1?s=a+b&b=')).json()).toEqual({ n: 1, s: 'a b', b: '' });
  });

  it('decodes percent-encoded path segments, and matches literal text around a placeholder', async () => {
    expect((await request(base, 'GET', '/v1/files/f-a%2Fb.json')).json()).toEqual({ name: 'a/b' });
    expect((await request(base, 'GET', '/v1/files/f-x.json')).json()).toEqual({ name: 'x' });
    // Nothing left for the placeholder, or the wrong text around it: no route.
    for (const path of ['/v1/files/f-.json', '/v1/files/g-x.json', '/v1/files/f-x.yaml']) {
      const res = await request(base, 'GET', path);
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ error: 'not_found', message: `No operation is exposed at ${path}.` });
    }
    const bad = await request(base, 'GET', '/v1/files/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ error: 'invalid_request', message: 'The request path is not valid percent-encoding.' });
  });

  it('reads body fields, nested fields by path, the whole JSON body and an uploaded file', async () => {
    const json = { 'content-type': 'application/json' };
    const fields = await request(base, 'POST', '/v1/body', { headers: json, body: JSON.stringify({ title: 'T', owner: { id: 'u1' }, tags: ['t0', 't1'] }) });
    expect(fields.json()).toEqual({ title: 'T', user: 'u1', first: 't0' });
    // A path through a value that is not an object finds nothing; an array body has no fields.
    expect((await request(base, 'POST', '/v1/body', { headers: json, body: '{"owner":"u","tags":null}' })).json()).toEqual({});
    expect((await request(base, 'POST', '/v1/body', { headers: json, body: '["title"]' })).json()).toEqual({});
    expect((await request(base, 'POST', '/v1/body', { headers: json, body: 'null' })).json()).toEqual({});
    expect((await request(base, 'POST', '/v1/body')).json()).toEqual({});
    expect((await request(base, 'PUT', '/v1/body', { headers: json, body: '[1,{"a":2}]' })).json()).toEqual({ whole: [1, { a: 2 }] });
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const upload = await request(base, 'POST', '/v1/upload?label=L', { headers: { 'content-type': 'image/png' }, body: bytes });
    expect(upload.json()).toEqual({ file: bytes.toString('base64'), label: 'L' });
    expect((await request(base, 'POST', '/v1/upload')).json()).toEqual({});
  });

  it('answers 405 with the methods allowed (HEAD wherever GET is), and HEAD like GET without a body', async () => {
    const res = await request(base, 'PATCH', '/v1/pets');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, DELETE, HEAD');
    expect(res.json()).toEqual({ error: 'method_not_allowed', message: 'PATCH is not exposed at /v1/pets.' });
    const postOnly = await request(base, 'GET', '/v1/upload');
    expect(postOnly.headers.allow).toBe('POST');
    const head = await request(base, 'HEAD', '/v1/pets');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('application/json');
    expect(head.text).toBe('');
    expect((await request(base, 'HEAD', '/v1/upload')).status).toBe(405);
  });

  it('serves the OpenAPI document at /openapi.json for GET and HEAD only', async () => {
    const doc = await request(base, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.headers['content-type']).toBe('application/json');
    expect(doc.text).toBe('{"openapi":"3.1.0"}');
    expect((await request(base, 'HEAD', '/openapi.json')).status).toBe(200);
    expect((await request(base, 'POST', '/openapi.json')).status).toBe(404);
    expect((await request(base, 'GET', '/openapi.json/x')).status).toBe(404);
  });

  it('a route of the capability at /openapi.json wins over the document, and without a document there is none', async () => {
    const own = await start(createRestServer({ name: 'own', routes: ROUTES, openapi: '{"openapi":"3.1.0"}' }));
    expect((await request(own, 'GET', '/openapi.json')).json()).toEqual({});
    const none = await start(createRestServer({ name: 'none', routes: [] }));
    expect((await request(none, 'GET', '/openapi.json')).status).toBe(404);
  });

  it('maps each failure to its status and JSON body', async () => {
    const cases: Array<[string, number, unknown]> = [
      ['input', 400, { error: 'invalid_input', message: 'The request does not fit this operation.', fields: [{ field: 'how', problem: 'is wrong' }] }],
      ['request', 400, { error: 'invalid_input', message: '`how` cannot be sent.', fields: [{ field: 'how', problem: '`how` cannot be sent.' }] }],
      ['timeout', 504, { error: 'upstream_timeout', message: 'The upstream API failed: the upstream did not answer within 5 ms.' }],
      ['network', 502, { error: 'upstream_unavailable', message: 'The upstream API failed: the upstream could not be reached.' }],
      ['problem', 409, { error: 'conflict', message: 'Taken.' }],
      ['bug', 500, { error: 'internal_error', message: 'The server failed to handle the request.' }],
      ['cancelled', 500, { error: 'internal_error', message: 'The server failed to handle the request.' }],
    ];
    for (const [how, status, body] of cases) {
      const res = await request(base, 'GET', `/v1/fail/${how}`);
      expect([how, res.status, res.json()]).toEqual([how, status, body]);
      expect(res.headers['content-type']).toBe('application/json');
    }
    const redirect = await request(base, 'GET', '/v1/fail/redirect');
    expect([redirect.status, redirect.headers.location, redirect.text, redirect.headers['content-type']]).toEqual([302, '/v1/pets', '', undefined]);
    const text = await request(base, 'GET', '/v1/fail/text');
    expect([text.status, text.headers['content-type'], text.headers['content-length'], text.text]).toEqual([201, 'application/octet-stream', '4', 'made']);
  });

  it('passes the upstream answer through: status, body, and the upstream request as built from the inputs', async () => {
    upstream.replyOnce({ status: 200, body: { id: 'p1', name: 'Rex' } });
    const ok = await request(base, 'GET', '/v1/pets/p%201?fields=a,b');
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({ id: 'p1', name: 'Rex' });
    expect(upstream.last().url).toBe('/api/pets/p%201?fields=a,b');
    upstream.replyOnce({ status: 404, body: 'no such pet', contentType: 'text/plain' });
    const missing = await request(base, 'GET', '/v1/pets/p2');
    expect([missing.status, missing.text, missing.headers['content-type']]).toEqual([404, 'no such pet', 'text/plain']);
    upstream.replyOnce({ status: 200, body: { late: true }, delayMs: 1_000 });
    const slow = await request(base, 'GET', '/v1/pets/impatient');
    expect(slow.status).toBe(504);
    expect(slow.json().error).toBe('upstream_timeout');
  });
});

describe('REST limits: body size, nesting, content type, argument length', () => {
  let base: string;
  beforeAll(async () => {
    base = await start(createRestServer({ name: 'limits', routes: ROUTES, config: config({}, { maxBodyBytes: 64, maxJsonDepth: 3, maxArgLength: 5 }) }));
  });

  it('refuses bodies over the size cap with 413 and closes the connection, within it reads them', async () => {
    const json = { 'content-type': 'application/json' };
    // (The client asks to keep the connection: the server closes it all the same.)
    const big = await request(base, 'POST', '/v1/body', { headers: { ...json, connection: 'keep-alive' }, body: JSON.stringify({ title: 'x'.repeat(80) }) });
    expect(big.status).toBe(413);
    expect(big.headers.connection).toBe('close');
    expect(big.json()).toEqual({ error: 'payload_too_large', message: 'The body is larger than 64 bytes.' });
    const file = await request(base, 'POST', '/v1/upload', { headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(65) });
    expect(file.status).toBe(413);
    // A file is bounded by the body size, never by the argument length.
    const small = await request(base, 'POST', '/v1/upload', { headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(64, 1) });
    expect(small.status).toBe(200);
    expect(small.json().file).toBe(Buffer.alloc(64, 1).toString('base64'));
  });

  it('refuses JSON nested too deep, bodies that are not JSON, and the wrong content type', async () => {
    const json = { 'content-type': 'application/json' };
    const deep = await request(base, 'PUT', '/v1/body', { headers: json, body: '[[[[1]]]]' });
    expect([deep.status, deep.json()]).toEqual([400, { error: 'invalid_input', message: 'The JSON body is nested deeper than 3 levels.' }]);
    expect((await request(base, 'PUT', '/v1/body', { headers: json, body: '[[[1]]]' })).status).toBe(200);
    const broken = await request(base, 'PUT', '/v1/body', { headers: json, body: '{"a":' });
    expect([broken.status, broken.json()]).toEqual([400, { error: 'invalid_input', message: 'The body is not valid JSON.' }]);
    const form = await request(base, 'PUT', '/v1/body', { headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect([form.status, form.json().error]).toEqual([415, 'unsupported_media_type']);
  });

  it('refuses a text argument longer than the limit, naming it', async () => {
    const res = await request(base, 'GET', '/v1/types/1?s=abcdef');
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_input', message: 'The request does not fit this operation.', fields: [{ field: 's', problem: 'is longer than 5 characters' }] });
    expect((await request(base, 'GET', '/v1/types/1?s=abcde')).status).toBe(200);
    expect((await request(base, 'GET', '/v1/types/1?list=abcdef')).status).toBe(400);
  });
});

describe('forward resources', () => {
  let base: string;
  const forwarded: unknown[] = [];
  beforeAll(async () => {
    const forwards: ForwardRoute[] = [
      {
        except: ['GET'],
        prefix: ['v1', 'pets'],
        forward: async (request) => {
          forwarded.push({ ...request, headers: { x: request.headers['x-test'] }, body: request.body?.toString('utf8') });
          const last = request.segments[request.segments.length - 1];
          if (last === 'bad') throw new RequestInputError('x-test', '`x-test` contains a line break.');
          if (last === 'slow') throw new UpstreamError('timeout', 'too slow');
          if (last === 'down') throw new UpstreamError('network', 'refused');
          if (last === 'bug') throw new Error('bug');
          if (last === 'raw') return { status: 207, raw: 'r', contentType: 'text/csv' };
          if (last === 'empty') return { status: 204 };
          return { status: 201, json: { forwarded: request.segments } };
        },
      },
    ];
    base = await start(createRestServer({ name: 'fwd', routes: ROUTES, forwards }));
  });
  beforeEach(() => {
    forwarded.length = 0;
  });

  it('passes other methods below the prefix on, with the rest of the path decoded and the body as sent', async () => {
    const res = await request(base, 'POST', '/v1/pets/a%20b/c', { headers: { 'x-test': 'yes', 'content-type': 'text/plain' }, body: 'hello' });
    expect([res.status, res.json()]).toEqual([201, { forwarded: ['a b', 'c'] }]);
    expect(forwarded).toEqual([{ method: 'POST', segments: ['a b', 'c'], headers: { x: 'yes' }, body: 'hello' }]);
    const raw = await request(base, 'PATCH', '/v1/pets/raw');
    expect([raw.status, raw.text, raw.headers['content-type']]).toEqual([207, 'r', 'text/csv']);
    const empty = await request(base, 'PATCH', '/v1/pets/empty');
    expect([empty.status, empty.text, empty.headers['content-length']]).toEqual([204, '', undefined]);
  });

  it('leaves the excepted methods and the prefix itself to the routes', async () => {
    // GET is excepted: the route answers it, and a GET below with no route is 404, not forwarded.
    upstream.replyOnce({ body: { from: 'route' } });
    expect((await request(base, 'GET', '/v1/pets/p1')).json()).toEqual({ from: 'route' });
    expect((await request(base, 'GET', '/v1/pets/a/b')).status).toBe(404);
    // DELETE /v1/pets is a route; PATCH /v1/pets (nothing after the prefix) is not forwarded: 405.
    expect((await request(base, 'PATCH', '/v1/pets')).status).toBe(405);
    expect((await request(base, 'POST', '/v2/pets/x')).status).toBe(404);
    expect(forwarded).toEqual([]);
  });

  it('maps a forward’s failures to 400, 504, 502 and 500', async () => {
    const answers = await Promise.all(['bad', 'slow', 'down', 'bug'].map((last) => request(base, 'POST', `/v1/pets/${last}`)));
    expect(answers.map((a) => [a.status, a.json()])).toEqual([
      [400, { error: 'invalid_input', message: '`x-test` contains a line break.', fields: [{ field: 'x-test', problem: '`x-test` contains a line break.' }] }],
      [504, { error: 'upstream_timeout', message: 'The upstream API failed: too slow.' }],
      [502, { error: 'upstream_unavailable', message: 'The upstream API failed: refused.' }],
      [500, { error: 'internal_error', message: 'The server failed to handle the request.' }],
    ]);
  });

  it('refuses a forwarded body over the size cap', async () => {
    const small = await start(createRestServer({ name: 'fwd-small', routes: [], forwards: [{ except: [], prefix: ['f'], forward: async () => ({ status: 200 }) }], config: config({}, { maxBodyBytes: 4 }) }));
    expect((await request(small, 'POST', '/f/x', { body: '12345' })).status).toBe(413);
    expect((await request(small, 'POST', '/f/x', { body: '1234' })).status).toBe(200);
  });
});

describe('inbound authentication on the REST adapter', () => {
  it('refuses a request without the credential before routing, and takes the credential out of it', async () => {
    const seen: unknown[] = [];
    const me: Route = {
      method: 'GET',
      segments: ['me'],
      inputs: [{ name: 'authorization', from: 'header', type: 'string' }],
      handle: async (raw) => {
        seen.push(raw);
        return { status: 200, json: raw };
      },
    };
    const routes = [me];
    const base = await start(createRestServer({ name: 'locked', routes, auth: inboundAuth('locked', { kind: 'bearer', token: 'tok' }) }));
    const refused = await request(base, 'GET', '/nowhere');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="locked"');
    expect(refused.json()).toEqual({ error: 'unauthorized', message: 'This server requires authentication: send an `Authorization: Bearer <token>` header.' });
    const ok = await request(base, 'GET', '/me', { headers: { authorization: 'Bearer tok' } });
    expect([ok.status, ok.json()]).toEqual([200, {}]);
    expect(seen).toEqual([{}]);
  });
});

describe('the adapter server: guard, health, metrics, access log', () => {
  let base: string;
  let port: number;
  beforeAll(async () => {
    base = await start(createRestServer({ name: 'ops', routes: ROUTES, config: config({ metrics: true, allowedHosts: ['api.example.com', 'any.example.com:8443'], readyUpstream: true }) }));
    port = Number(new URL(base).port);
  });

  it('answers only to local names on its own port, and to the allowed hosts', async () => {
    const host = (h: string) => request(base, 'GET', '/v1/pets', { headers: { host: h } });
    for (const ok of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, 'api.example.com', 'api.example.com:9999', 'any.example.com:8443']) {
      expect([ok, (await host(ok)).status]).toEqual([ok, 200]);
    }
    for (const bad of ['localhost', `localhost:${port + 1}`, 'evil.example', 'any.example.com', 'any.example.com:443']) {
      const res = await host(bad);
      expect([bad, res.status]).toEqual([bad, 403]);
      expect(res.json()).toEqual({ error: 'forbidden', message: `Refused: the host ${bad} is not served here.` });
    }
    const origin = (o: string) => request(base, 'GET', '/v1/pets', { headers: { origin: o } });
    for (const ok of [`http://localhost:${port}`, 'https://api.example.com', 'https://any.example.com:8443']) expect([ok, (await origin(ok)).status]).toEqual([ok, 200]);
    for (const bad of ['http://evil.example', `http://localhost:${port + 1}`, 'https://any.example.com', 'not a url']) {
      const res = await origin(bad);
      expect([bad, res.status, res.json().message]).toEqual([bad, 403, `Refused: the origin ${bad} is not served here.`]);
    }
    // HTTP/1.0 allows a request without a Host header: refused here.
    const answer = await rawExchange(base, 'GET /v1/pets HTTP/1.0\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 403/);
    expect(answer).toContain('Refused: the request has no Host header.');
  });

  it('answers health probes whatever their Host, and readiness checks the consumed APIs', async () => {
    const live = await request(base, 'GET', '/health/live', { headers: { host: 'probe.internal' } });
    expect([live.status, live.json()]).toEqual([200, { status: 'live' }]);
    const ready = await request(base, 'GET', '/health/ready', { headers: { host: 'probe.internal' } });
    expect([ready.status, ready.json()]).toEqual([200, { status: 'ready' }]);
    // A consumed API that stops accepting connections makes the adapter unready (checked again after 5 s).
    const down = await closedPort();
    registerUpstream('127.0.0.1', down);
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 5_001);
    try {
      const unready = await request(base, 'GET', '/health/ready', { headers: { host: 'probe.internal' } });
      expect([unready.status, unready.json()]).toEqual([503, { status: 'upstream_unreachable' }]);
    } finally {
      vi.mocked(Date.now).mockRestore();
    }
    const plain = await start(createRestServer({ name: 'plain', routes: [] }));
    expect((await request(plain, 'GET', '/health/ready')).json()).toEqual({ status: 'ready' });
    expect((await request(plain, 'GET', '/health/live')).json()).toEqual({ status: 'live' });
  });

  it('counts requests per method, route and status in /metrics, and only when metrics are on', async () => {
    await request(base, 'GET', '/v1/pets');
    await request(base, 'GET', '/v1/pets');
    await request(base, 'GET', '/v1/nothing');
    await request(base, 'GET', '/v1/fail/bug');
    const res = await request(base, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    const count = /^http_requests_total\{adapter="ops",method="GET",route="\/v1\/pets",status="200"\} (\d+)$/m.exec(res.text);
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(2);
    expect(res.text).toContain('http_requests_total{adapter="ops",method="GET",route="(no route)",status="404"} 1\n');
    expect(res.text).toContain('http_requests_total{adapter="ops",method="GET",route="/v1/fail/{how}",status="500"} 1\n');
    expect(res.text).toContain('http_requests_in_flight{adapter="ops"} 1\n');
    expect(res.text).toMatch(/^http_open_connections\{adapter="ops"\} [1-9]\d*$/m);
    // Metrics off: /metrics is a path like any other.
    const plain = await start(createRestServer({ name: 'plain-metrics', routes: [] }));
    expect((await request(plain, 'GET', '/metrics')).status).toBe(404);
  });

  it('writes one access line per request: route template or path, query names without values, status, upstream status', async () => {
    const from = await mark();
    upstream.replyOnce({ status: 203, body: { id: 'p9' } });
    await request(base, 'GET', '/v1/pets/p9?fields=secret&x&=v');
    await request(base, 'GET', '/v1/nowhere?token=abc');
    await request(base, 'GET', '/v1/fail/bug');
    const entries = await logged(from, (e) => e.status === 500 && e.route === '/v1/fail/{how}');
    const access = entries.filter((e) => 'status' in e);
    expect(access.map((e) => [e.level, e.adapter, e.method, e.route, e.query, e.status, e.upstream])).toEqual([
      ['info', 'ops', 'GET', '/v1/pets/{id}', ['fields', 'x'], 203, 203],
      ['info', 'ops', 'GET', '/v1/nowhere', ['token'], 404, undefined],
      ['warn', 'ops', 'GET', '/v1/fail/{how}', undefined, 500, undefined],
    ]);
    for (const e of access) expect(typeof e.ms).toBe('number');
    expect(stderr.slice(from)).not.toContain('secret');
    expect(stderr.slice(from)).not.toContain('abc');
    // The bug is logged at error level with its stack, before the access line.
    const error = entries.find((e) => e.level === 'error')!;
    expect(error).toMatchObject({ adapter: 'ops', method: 'GET', route: '/v1/fail/{how}' });
    expect(String(error.error)).toMatch(/^Error: a bug in a handler\n\s+at /);
  });

  it('at log level warn, writes access lines only for server errors', async () => {
    const quiet = await start(createRestServer({ name: 'quiet', routes: ROUTES, config: config({ logLevel: 'warn' }) }));
    const from = await mark();
    await request(quiet, 'GET', '/v1/pets');
    await request(quiet, 'GET', '/v1/fail/network');
    const entries = await logged(from, (e) => e.status === 502);
    expect(entries.filter((e) => e.adapter === 'quiet').map((e) => [e.level, e.route, e.status])).toEqual([['warn', '/v1/fail/{how}', 502]]);
  });

  it('a client that goes away is logged as 499 and its upstream call is abandoned', async () => {
    const from = await mark();
    upstream.replyOnce({ status: 200, body: { late: true }, delayMs: 250 });
    await new Promise<void>((resolve) => {
      const req = http.get(`${base}/v1/pets/gone`, { agent: false }, () => undefined);
      req.on('error', () => resolve());
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 60);
    });
    const entries = await logged(from, (e) => e.status === 499);
    expect(entries.find((e) => e.status === 499)).toMatchObject({ level: 'info', method: 'GET', route: '/v1/pets/{id}' });
    // The abandoned call is not a server error.
    await new Promise((r) => setTimeout(r, 40));
    expect(stderr.slice(from)).not.toContain('"level":"error"');
    // The upstream saw its request closed before it answered.
    for (let i = 0; i < 50 && !upstream.requests[0]?.aborted; i++) await new Promise((r) => setTimeout(r, 10));
    expect(upstream.requests.map((r) => [r.url, r.aborted])).toEqual([['/api/pets/gone', true]]);
  });

  it('closes the connection after the answer when the client asks for it, and keeps it open otherwise', async () => {
    const close = await request(base, 'GET', '/v1/pets', { headers: { connection: 'close' } });
    expect(close.headers.connection).toBe('close');
    // Even when the handler's answer says keep-alive.
    expect((await request(base, 'GET', '/v1/fail/keep', { headers: { connection: 'close' } })).headers.connection).toBe('close');
    expect((await request(base, 'GET', '/v1/fail/keep', { headers: { connection: 'keep-alive' } })).headers.connection).toBe('keep-alive');
    const keep = await request(base, 'GET', '/v1/pets', { headers: { connection: 'keep-alive' } });
    expect(keep.headers.connection).toBe('keep-alive');
  });
});

describe('connection limits', () => {
  it('answers 408 to a client that sends its headers too slowly, and closes idle keep-alive connections', async () => {
    const base = await start(createRestServer({ name: 'slow-headers', routes: ROUTES, config: config({}, { headersTimeoutMs: 100, requestTimeoutMs: 150, keepAliveTimeoutMs: 50 }) }));
    const answer = await rawExchange(base, 'GET /v1/pets HTTP/1.1\r\nHost: x\r\n', 3_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // A keep-alive connection left idle is closed by the server (not by this client giving up).
    const idle = await new Promise<string>((resolve) => {
      let text = '';
      const socket = net.connect(Number(new URL(base).port), '127.0.0.1', () => socket.write(`GET /v1/pets HTTP/1.1\r\nHost: 127.0.0.1:${new URL(base).port}\r\n\r\n`));
      const giveUp = setTimeout(() => {
        socket.destroy();
        resolve('still open');
      }, 3_000);
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      socket.on('end', () => {
        clearTimeout(giveUp);
        socket.destroy();
        resolve(text.slice(0, 15));
      });
    });
    expect(idle).toBe('HTTP/1.1 200 OK');
  });

  it('refuses connections past maxConnections', async () => {
    const base = await start(createRestServer({ name: 'one-connection', routes: ROUTES, config: config({}, { maxConnections: 1 }) }));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await new Promise<number>((resolve) =>
      http.get(`${base}/v1/pets`, { agent }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }),
    );
    expect(first).toBe(200);
    // The first connection is still open: a second one is dropped.
    const second = await request(base, 'GET', '/v1/pets').then(
      (r) => r.status,
      (e: Error) => e.message,
    );
    expect(second).not.toBe(200);
    agent.destroy();
  });
});

describe('listening', () => {
  it('shows an IPv6 address in brackets', async () => {
    const from = await mark();
    const server = createRestServer({ name: 'v6', routes: [] });
    servers.push(server);
    await listen('REST adapter v6', server, 0, '::1');
    expect(stderr.slice(from)).toContain(`REST adapter v6 listening on http://[::1]:${(server.address() as AddressInfo).port}\n`);
  });

  it('says where it listens, and names the port in use when it cannot', async () => {
    const from = await mark();
    const first = createRestServer({ name: 'a', routes: [] });
    const base = await start(first);
    expect(stderr.slice(from)).toContain(`test adapter listening on ${base}\n`);
    const second = createRestServer({ name: 'b', routes: [] });
    await expect(listen('REST adapter b', second, Number(new URL(base).port), '127.0.0.1')).rejects.toThrow(
      `REST adapter b cannot listen on 127.0.0.1:${new URL(base).port}: the port is already in use`,
    );
    // Any other failure is named as Node names it (an address this machine does not have).
    await expect(listen('REST adapter c', createRestServer({ name: 'c', routes: [] }), 0, '192.0.2.1')).rejects.toThrow(/^REST adapter c cannot listen on 192\.0\.2\.1:0: listen EADDRNOTAVAIL/);
  });

  it('warns when an adapter set to listen beyond this machine has no inbound authentication', async () => {
    const from = await mark();
    await start(createRestServer({ name: 'open', routes: [], config: config({ host: '0.0.0.0' }) }));
    expect(stderr.slice(from)).toContain(
      "warning: REST adapter open listens on 0.0.0.0, beyond this machine, without inbound authentication: anyone who reaches it calls the API with this server's credentials.\n",
    );
    const quiet = await mark();
    await start(createRestServer({ name: 'guarded', routes: [], config: config({ host: '0.0.0.0', inboundAuth: true }) }));
    await start(createRestServer({ name: 'local', routes: [] }));
    expect(stderr.slice(quiet)).not.toContain('warning:');
  });

  it('an adapter set to listen beyond this machine answers any Host unless names are given', async () => {
    const open = await start(createRestServer({ name: 'open-host', routes: ROUTES, config: config({ host: '0.0.0.0' }) }));
    expect((await request(open, 'GET', '/v1/pets', { headers: { host: 'anything.example' } })).status).toBe(200);
    const named = await start(createRestServer({ name: 'named-host', routes: ROUTES, config: config({ host: '0.0.0.0', allowedHosts: ['api.example.com'] }) }));
    expect((await request(named, 'GET', '/v1/pets', { headers: { host: 'anything.example' } })).status).toBe(403);
  });
});

describe('fromUpstream: the upstream answer as a REST answer', () => {
  const up = (status: number, text: string, more: Partial<UpstreamResponse> = {}): UpstreamResponse => ({ status, contentType: 'application/json', text, ...more });
  const identity = [{ type: 'object' as const, mapping: [] }];
  const name = [{ type: 'object' as const, mapping: [], properties: { name: { type: 'string' as const, mapping: ['name'] } } }];

  it('passes a JSON body through byte for byte when the outputs are the whole value', () => {
    const bytes = Buffer.from('{"name":"Rex", "x":1}');
    expect(fromUpstream(up(200, bytes.toString(), { bytes }), identity)).toEqual({ status: 200, raw: bytes, contentType: 'application/json' });
    expect(fromUpstream(up(201, '[1]', { contentType: undefined }), identity)).toEqual({ status: 201, raw: '[1]', contentType: 'application/json' });
    expect(fromUpstream(up(200, 'null', { contentType: 'application/problem+JSON' }), identity)).toEqual({ status: 200, raw: 'null', contentType: 'application/json' });
    // Not JSON: the body as it came, with its own type; nothing at all: no body.
    expect(fromUpstream(up(200, 'plain', { contentType: 'text/plain' }), identity)).toEqual({ status: 200, raw: 'plain', contentType: 'text/plain' });
    expect(fromUpstream(up(204, ''), identity)).toEqual({ status: 204 });
  });

  it('maps the body when the outputs pick from it, and falls back to the body when they find nothing', () => {
    expect(fromUpstream(up(200, '{"name":"Rex","x":1}'), name)).toEqual({ status: 200, json: { name: 'Rex' } });
    expect(fromUpstream(up(299, '{"name":"Rex"}'), name)).toEqual({ status: 299, json: { name: 'Rex' } });
    expect(fromUpstream(up(200, '{"other":1}'), [{ type: 'string', mapping: ['name'] }])).toEqual({ status: 200, raw: '{"other":1}', contentType: 'application/json' });
    expect(fromUpstream(up(200, 'not json'), name)).toEqual({ status: 200, raw: 'not json', contentType: 'application/json' });
    expect(fromUpstream(up(200, ''), name)).toEqual({ status: 200 });
  });

  it('passes errors through unchanged, and an empty error without a body', () => {
    const bytes = Buffer.from('{"error":"gone"}');
    expect(fromUpstream(up(404, bytes.toString(), { bytes }), name)).toEqual({ status: 404, raw: bytes, contentType: 'application/json' });
    expect(fromUpstream(up(400, 'bad', { contentType: 'text/plain' }), name)).toEqual({ status: 400, raw: 'bad', contentType: 'text/plain' });
    expect(fromUpstream(up(503, ''), name)).toEqual({ status: 503 });
  });

  it('keeps a redirect’s Location and body', () => {
    expect(fromUpstream(up(302, 'moved', { location: '/new', contentType: 'text/plain' }), name)).toEqual({ status: 302, raw: 'moved', contentType: 'text/plain', headers: { location: '/new' } });
    const bytes = Buffer.from('x');
    expect(fromUpstream(up(300, 'x', { bytes }), name)).toEqual({ status: 300, raw: bytes, contentType: 'application/json' });
    expect(fromUpstream(up(399, ''), name)).toEqual({ status: 399, raw: '', contentType: 'application/json' });
  });

  it('binary answers: the bytes with the declared media type and status, only for a success', () => {
    const bytes = Buffer.from([0, 1, 2]);
    const binary = { mediaType: 'image/png' };
    expect(fromUpstream(up(200, 'ignored', { bytes }), identity, binary)).toEqual({ status: 200, raw: bytes, contentType: 'image/png' });
    expect(fromUpstream(up(206, 'text'), identity, { mediaType: 'image/png', status: 200 })).toEqual({ status: 200, raw: 'text', contentType: 'image/png' });
    expect(fromUpstream(up(299, 'x'), identity, binary)).toEqual({ status: 299, raw: 'x', contentType: 'image/png' });
    for (const status of [199, 300, 404]) expect(fromUpstream(up(status, 'e', { contentType: 'text/plain' }), identity, binary).status).toBe(status);
    expect(fromUpstream(up(404, 'e', { contentType: 'text/plain' }), identity, binary)).toEqual({ status: 404, raw: 'e', contentType: 'text/plain' });
    // An answer the client marked binary (outputRawFormat) keeps its own type, whatever the status.
    expect(fromUpstream(up(500, '', { bytes, binary: true, contentType: 'application/pdf' }), name)).toEqual({ status: 500, raw: bytes, contentType: 'application/pdf' });
  });
});
