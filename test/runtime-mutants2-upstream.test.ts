/**
 * Tests written against the survivors of upstream.ts (see test/mutation-survivors-runtime.md), through the
 * client's entry points and a loopback API that records what it received and answers when told: they say
 * nothing about how the client makes its calls (node:http today), only what reaches the API and the caller.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RequestContext, runWith, upstreamsReachable } from '../templates/runtime/ops.js';
import { ApiClient, type OperationDescriptor, type UpstreamError } from '../templates/runtime/upstream.js';

interface Held {
  url: string;
  headers: http.IncomingHttpHeaders;
  res: http.ServerResponse;
}

let server: http.Server;
let base: string;
let held: Held[] = [];
let onRequest: (h: Held) => void = () => {};
const clients: ApiClient[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const h = { url: req.url!, headers: req.headers, res };
      held.push(h);
      onRequest(h);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const c of clients) c.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  held = [];
  onRequest = () => {};
  vi.restoreAllMocks();
});

function client(options: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}): ApiClient {
  const c = new ApiClient({ namespace: 'api', baseUri: base, timeoutMs: 5000, ...options });
  clients.push(c);
  return c;
}

const op = (path: string, parts: Partial<OperationDescriptor> = {}): OperationDescriptor => ({ name: 'op', method: 'GET', path: [path], query: [], headers: [], cookies: [], ...parts });

const outcome = (p: Promise<{ status: number }>) =>
  p.then(
    (r) => r.status,
    (e: UpstreamError) => e.kind,
  );

describe('deadlines of calls in flight at once', () => {
  it('each call has its own deadline: one answered in the middle, the others time out', async () => {
    onRequest = (h) => {
      if (h.url === '/b') h.res.writeHead(200).end('{}');
    };
    const c = client({ timeoutMs: 300 });
    const a = outcome(c.send(op('/a'), {}));
    const b = outcome(c.send(op('/b'), {}));
    const d = outcome(c.send(op('/d'), {}));
    expect(await Promise.all([a, b, d])).toEqual(['timeout', 200, 'timeout']);
  }, 3_000);

  it('a call started after the others were answered still times out; so does the last one after two were answered', async () => {
    onRequest = (h) => {
      if (h.url !== '/held') h.res.writeHead(200).end('{}');
    };
    const c = client({ timeoutMs: 300 });
    expect(await outcome(c.send(op('/first'), {}))).toBe(200);
    expect(await outcome(c.send(op('/held'), {}))).toBe('timeout');
    const calls = [outcome(c.send(op('/a'), {})), outcome(c.send(op('/b'), {})), outcome(c.send(op('/held'), {}))];
    expect(await Promise.all(calls)).toEqual([200, 200, 'timeout']);
  }, 3_000);
});

describe('a deadline counts from the call’s own start', () => {
  it('a call started after another is answered when that one times out: it still has time', async () => {
    const c = client({ timeoutMs: 400 });
    const first = outcome(c.send(op('/held'), {}));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const later = outcome(c.send(op('/late'), {}));
    expect(await first).toBe('timeout');
    // The API answers the later call only now, about 200 ms before its own deadline.
    held.find((h) => h.url === '/late')?.res.writeHead(200).end('{}');
    expect(await later).toBe(200);
  }, 3_000);
});

describe('a client that goes away', () => {
  it('cancels every call its request has in flight, and a request’s calls leave nothing behind', async () => {
    const ctx: RequestContext = { gone: false, cancel: undefined };
    const c = client();
    const calls = runWith(ctx, () => [outcome(c.send(op('/one'), {})), outcome(c.send(op('/two'), {}))]);
    await vi.waitFor(() => expect(held).toHaveLength(2));
    // What the server does when the client's connection closes before its answer.
    ctx.gone = true;
    ctx.cancel?.();
    for (const cancel of ctx.cancels ?? []) cancel();
    expect(await Promise.all(calls)).toEqual(['cancelled', 'cancelled']);
    expect([ctx.cancel, ctx.cancels?.size]).toEqual([undefined, 0]);
    onRequest = (h) => h.res.writeHead(200).end('{}');
    const again: RequestContext = { gone: false, cancel: undefined };
    expect(await runWith(again, () => outcome(c.send(op('/three'), {})))).toBe(200);
    expect([again.cancel, again.cancels]).toEqual([undefined, undefined]);
  }, 3_000);
});

describe('what reaches the API', () => {
  it('no Cookie header when no cookie has a value; a fixed query of nothing adds nothing', async () => {
    onRequest = (h) => h.res.writeHead(200).end('{}');
    const c = client();
    await c.send(op('/items', { cookies: [{ name: 'session', arg: 'sid' }], fixedQuery: [['', '']] }), {});
    expect(held.map((h) => [h.url, h.headers.cookie])).toEqual([['/items', undefined]]);
    expect(c.target(op('/items', { fixedQuery: [['', ''], ['acl', '']] }), {}, undefined)).toBe('/items?acl');
  });

  it('a fixed header replaces the default one of the same name, whatever its case', async () => {
    onRequest = (h) => h.res.writeHead(200).end('{}');
    await client().send(op('/items', { fixedHeaders: [['Accept', 'application/xml']] }), {});
    expect(held[0]!.headers.accept).toBe('application/xml');
  });

  it('a 300 answer is not held to a binary operation’s size cap', async () => {
    onRequest = (h) => h.res.writeHead(300, { 'content-type': 'text/plain' }).end('xyz');
    await expect(client().send(op('/file', { binary: { maxBytes: 2 } }), {})).resolves.toMatchObject({ status: 300, text: 'xyz' });
  });

  it('a base URI ending in several slashes loses them all', () => {
    expect(client({ baseUri: `${base}/v1//` }).target(op('/items'), {}, undefined)).toBe('/v1/items');
  });

  it('a control character in a header is named by its code point in capitals', async () => {
    await expect(client().send(op('/items', { headers: [{ name: 'x-h', arg: 'h' }] }), { h: 'a\u007fb' })).rejects.toThrow('`h` contains the character U+007F, which cannot be sent in an HTTP header.');
  });
});

describe('after the run: bodies, answers and connections', () => {
  it('written bodies and uploads are sent in their own form; a forwarded body says its length; forward credentials in the query; a fixed query value without a name', async () => {
    onRequest = (h) => h.res.writeHead(200).end('{}');
    const c = client({ credentials: () => ({ query: [['a', '1'], ['b', '2']] }) });
    await c.send(op('/form', { method: 'POST', body: { kind: 'form-fields', fields: [{ name: 'q', pieces: ['x'] }] } }), {});
    await c.send(op('/multi', { method: 'POST', body: { kind: 'multipart', parts: [{ name: 'p', pieces: ['v'] }] } }), {});
    await c.send(op('/up', { method: 'POST', body: { kind: 'multipart-args', fields: [{ name: 'f', arg: 'f', file: true }] } }), { f: 'AAE=' });
    await c.forward('POST', ['fw'], {}, Buffer.from('abc'));
    expect(held.map((h) => [h.url, String(h.headers['content-type']).split(';')[0], h.headers['content-length'] !== undefined])).toEqual([
      ['/form?a=1&b=2', 'application/x-www-form-urlencoded', true],
      ['/multi?a=1&b=2', 'multipart/form-data', true],
      ['/up?a=1&b=2', 'multipart/form-data', true],
      ['/fw?a=1&b=2', 'undefined', true],
    ]);
    expect(c.target(op('/items', { fixedQuery: [['', 'x']] }), {}, undefined)).toBe('/items?=x');
  });

  it('answers larger than a few bytes pass under the default cap; a binary answer keeps its bytes as sent', async () => {
    onRequest = (h) => h.res.writeHead(200).end(h.url === '/big' ? 'x'.repeat(5000) : Buffer.from([0xff, 0x00, 0xfe]));
    const c = client();
    expect((await c.send(op('/big'), {})).text).toHaveLength(5000);
    expect([...(await c.send(op('/bin', { binary: {} }), {})).bytes!]).toEqual([0xff, 0x00, 0xfe]);
  });

  it('an answer cut off in its body is a network error', async () => {
    onRequest = (h) => {
      h.res.writeHead(200, { 'content-length': '100' });
      h.res.write('part');
      setImmediate(() => h.res.destroy());
    };
    expect(await outcome(client().send(op('/cut'), {}))).toBe('network');
  }, 3_000);
});

describe('the readiness check knows each API’s port', () => {
  it('the default port of the scheme when the base URI has none', async () => {
    const asked: Array<[string, number]> = [];
    vi.spyOn(net, 'connect').mockImplementation(((options: { host: string; port: number }) => {
      asked.push([options.host, options.port]);
      const socket = Object.assign(new EventEmitter(), { destroy: () => socket, setTimeout: () => socket });
      setImmediate(() => socket.emit('connect'));
      return socket;
    }) as unknown as typeof net.connect);
    client({ baseUri: 'https://secure.example.com/v1' });
    client({ baseUri: 'http://plain.example.com' });
    client({ baseUri: 'http://[::1]:8081/' });
    await upstreamsReachable();
    expect(asked).toEqual(expect.arrayContaining([['secure.example.com', 443], ['plain.example.com', 80], ['::1', 8081]]));
  });
});
