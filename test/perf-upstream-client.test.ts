/**
 * The upstream client's wire behaviour that the move from node:http's agent to undici's pool could
 * change (templates/runtime/upstream.ts): calls still waiting for a connection when they time out or
 * their client goes away, informational answers, repeated response headers, HEAD, close(), and TLS
 * verification. Loopback servers only; each test makes its own clients.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runWith, type RequestContext } from '../templates/runtime/ops.js';
import { ApiClient, UpstreamError, type OperationDescriptor } from '../templates/runtime/upstream.js';

const op = (extra: Partial<OperationDescriptor> = {}): OperationDescriptor => ({ name: 'op', method: 'GET', path: ['/items'], query: [], headers: [], cookies: [], ...extra });

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function client(baseUri: string, extra: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}): ApiClient {
  const c = new ApiClient({ namespace: 'api', baseUri, timeoutMs: 5000, ...extra });
  cleanups.push(() => c.close());
  return c;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

/** An HTTP server that records each request's target and answers with `answer`. */
async function upstream(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    answer(req, res);
  });
  const port = await listen(server);
  cleanups.push(() => server.closeAllConnections());
  return { base: `http://127.0.0.1:${port}`, seen };
}

/** A TCP server that answers every request on a connection with the same raw bytes. */
async function rawUpstream(reply: string): Promise<string> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => socket.write(reply));
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
  });
  return `http://127.0.0.1:${port}`;
}

const context = (): RequestContext => ({ gone: false, cancel: undefined });

describe('the upstream client on the wire', () => {
  it('settles a call that waits for a connection when its client goes away or it times out, and never sends it', async () => {
    const held: http.ServerResponse[] = [];
    const up = await upstream((req, res) => {
      if (req.url === '/items?slow') held.push(res);
      else res.writeHead(200, { 'content-type': 'text/plain' }).end(req.url);
    });
    // One connection: the second call waits behind the first, which the upstream holds.
    const c = client(up.base, { maxSockets: 1 });
    const first = c.send(op({ fixedQuery: [['slow', '']] }), {});
    await expect.poll(() => held.length).toBe(1);
    const ctx = context();
    const waiting = runWith(ctx, () => c.send(op({ path: ['/queued'] }), {})).catch((e: unknown) => e);
    ctx.cancel?.();
    expect(await waiting).toEqual(new UpstreamError('cancelled', 'the client went away'));
    expect(ctx.cancel).toBeUndefined();
    held[0]!.writeHead(200).end('first');
    expect((await first).text).toBe('first');
    // The connection is free again: the next call goes out on it, the cancelled one never did.
    expect((await c.send(op({ path: ['/after'] }), {})).text).toBe('/after');
    expect(up.seen).toEqual(['GET /items?slow', 'GET /after']);

    // Timed out while waiting: both calls time out (same deadline); the waiting one is not sent afterwards.
    const short = client(up.base, { maxSockets: 1, timeoutMs: 150 });
    up.seen.length = 0;
    const calls = [short.send(op({ fixedQuery: [['slow', '']] }), {}), short.send(op({ path: ['/late'] }), {})].map((p) => p.catch((e: unknown) => e));
    expect(await Promise.all(calls)).toEqual([
      new UpstreamError('timeout', 'the upstream did not answer within 150 ms'),
      new UpstreamError('timeout', 'the upstream did not answer within 150 ms'),
    ]);
    expect((await short.send(op({ path: ['/next'] }), {})).text).toBe('/next');
    expect(up.seen).toEqual(['GET /items?slow', 'GET /next']);
  });

  it('skips an informational answer, joins repeated challenges and keeps the first content type and location', async () => {
    const early = await rawUpstream(
      // The early answer's own headers (even a content type or a location) are not the final answer's.
      'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\nContent-Type: text/css\r\nLocation: /early\r\n\r\n' +
        'HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nLocation: /items/1\r\nContent-Length: 4\r\n\r\ndone',
    );
    expect(await client(early).send(op(), {})).toMatchObject({ status: 201, contentType: 'text/plain', location: '/items/1', text: 'done' });
    const twice = await rawUpstream(
      'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="a"\r\nContent-Type: text/plain\r\nContent-Type: text/html\r\n' +
        'www-authenticate: Digest realm="b", nonce="n"\r\nLocation: /one\r\nLocation: /two\r\n' +
        // Other headers as long as the three it reads (8, 12 and 16 letters) are not taken for any of them.
        'X-Correlation-Id: c1\r\nX-Request-Id: r1\r\nX-Tracer: t\r\nContent-Length: 2\r\n\r\nno',
    );
    expect(await client(twice).send(op(), {})).toMatchObject({
      status: 401,
      contentType: 'text/plain',
      location: '/one',
      text: 'no',
      wwwAuthenticate: 'Basic realm="a", Digest realm="b", nonce="n"',
    });
  });

  it('answers HEAD with the status and headers and no body, and goes on with the next call', async () => {
    const up = await upstream((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '11' });
      res.end(req.method === 'HEAD' ? undefined : '{"a":"123"}');
    });
    const c = client(up.base);
    expect(await c.send(op({ method: 'HEAD' }), {})).toMatchObject({ status: 200, contentType: 'application/json', text: '' });
    expect((await c.send(op(), {})).text).toBe('{"a":"123"}');
    expect(up.seen).toEqual(['HEAD /items', 'GET /items']);
  });

  it('does not forward connection headers, and refuses one a capability sends itself with a clear reason, sending nothing', async () => {
    const heard: http.IncomingHttpHeaders[] = [];
    const up = await upstream((req, res) => {
      heard.push(req.headers);
      res.end('ok');
    });
    const c = client(up.base);
    const passed = await c.forward('GET', ['a b'], { connection: 'close', 'keep-alive': '5', 'transfer-encoding': 'chunked', upgrade: 'h2c', expect: '100-continue', 'x-kept': '1' }, undefined);
    expect(passed.text).toBe('ok');
    expect(heard[0]).toMatchObject({ connection: 'keep-alive', 'x-kept': '1' });
    expect(Object.keys(heard[0]!).filter((h) => ['keep-alive', 'transfer-encoding', 'upgrade', 'expect'].includes(h))).toEqual([]);
    const refused = await c.send(op({ headers: [{ name: 'transfer-encoding', arg: 'te' }] }), { te: 'chunked' }).catch((e: unknown) => e);
    expect(refused).toEqual(new UpstreamError('network', 'the request could not be sent: invalid transfer-encoding header'));
    expect(up.seen).toEqual(['GET /a%20b']);
  });

  it('close() ends the calls in flight as network errors and refuses the next ones', async () => {
    const up = await upstream(() => undefined);
    const c = new ApiClient({ namespace: 'api', baseUri: up.base, timeoutMs: 5000 });
    const inFlight = c.send(op(), {}).catch((e: unknown) => e);
    await expect.poll(() => up.seen.length).toBe(1);
    c.close();
    const err = (await inFlight) as UpstreamError;
    expect([err.constructor, err.kind]).toEqual([UpstreamError, 'network']);
    expect(err.message).toMatch(/^the upstream could not be reached/);
    const after = (await c.send(op(), {}).catch((e: unknown) => e)) as UpstreamError;
    expect([after.constructor, after.kind]).toEqual([UpstreamError, 'network']);
    expect(up.seen).toHaveLength(1);
  });

  it('verifies the certificate of an https upstream: a self-signed one is refused before any request', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'naftiko-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    } catch {
      t.skip('openssl is not available to make a certificate');
      return;
    }
    let requests = 0;
    const server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => {
      requests += 1;
      res.end('secret');
    });
    const port = await listen(server);
    const err = (await client(`https://127.0.0.1:${port}`)
      .send(op(), {})
      .catch((e: unknown) => e)) as UpstreamError;
    expect(err).toEqual(new UpstreamError('network', 'the upstream could not be reached (DEPTH_ZERO_SELF_SIGNED_CERT)'));
    expect(requests).toBe(0);
  });
});
