/**
 * OAuth 2 client credentials for a consumed API (templates/runtime/auth-oauth2.ts), in this process,
 * against a fake authorization server on 127.0.0.1: what the token endpoint receives, when a token is
 * fetched again, discovery, failures, and the retry of a call the API answered 401.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { OAuth2ClientCredentials, type ClientCredentialsOptions } from '../templates/runtime/auth-oauth2.js';
import { ApiClient, UpstreamError } from '../templates/runtime/upstream.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Answer = (req: Seen) => { status?: number; body?: unknown; headers?: Record<string, string>; delayMs?: number };

let server: http.Server;
let issuer: string;
let seen: Seen[] = [];
let answer: Answer;
let issued = 0;
let upstream: FakeUpstream;

const tokenAnswer: Answer = (req) => (req.url === '/token' ? { body: { access_token: `tok-${++issued}`, expires_in: 3600 } } : { status: 404, body: {} });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(r);
      const a = answer(r);
      const body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {});
      const send = () => res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers }).end(body);
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  upstream = await startFakeUpstream();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await upstream.stop();
});

beforeEach(() => {
  seen = [];
  issued = 0;
  answer = tokenAnswer;
  upstream.reset();
});

afterEach(() => vi.restoreAllMocks());

function credentials(options: Partial<ClientCredentialsOptions> = {}): OAuth2ClientCredentials {
  return new OAuth2ClientCredentials({ tokenEndpoint: `${issuer}/token`, issuer, clientId: 'my id:1', clientSecret: 'p@ss+w/rd é', timeoutMs: 10_000, ...options });
}

describe('OAuth 2 client credentials', () => {
  it('posts the grant with the client id and secret form-encoded in Basic, and sends the token as Bearer', async () => {
    const auth = credentials({ scopes: ['read', 'write:all'], audience: 'https://api.example', resource: 'urn:r' });
    expect(await auth.before()).toEqual({ authorization: 'Bearer tok-1' });
    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect([req.method, req.url]).toEqual(['POST', '/token']);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers.accept).toBe('application/json');
    const basic = Buffer.from(req.headers.authorization!.replace(/^Basic /, ''), 'base64').toString('utf8');
    expect(basic).toBe('my+id%3A1:p%40ss%2Bw%2Frd+%C3%A9');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ grant_type: 'client_credentials', scope: 'read write:all', audience: 'https://api.example', resource: 'urn:r' });
  });

  it('sends only the grant when there are no scopes, audience or resource', async () => {
    await credentials({ scopes: [] }).before();
    expect(seen[0]!.body).toBe('grant_type=client_credentials');
  });

  it('keeps the token until shortly before it expires; concurrent calls share one request', async () => {
    const auth = credentials();
    const all = await Promise.all([auth.before(), auth.before(), auth.before()]);
    expect(all.map((h) => h.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
    expect(seen).toHaveLength(1);
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now');
    // 3600 s, renewed 60 s early.
    clock.mockReturnValue(now + 3_539_000);
    expect((await auth.before()).authorization).toBe('Bearer tok-1');
    clock.mockReturnValue(now + 3_541_000);
    expect((await auth.before()).authorization).toBe('Bearer tok-2');
    expect(seen).toHaveLength(2);
  });

  it('a short lifetime is kept for half of it; none, zero or not a number is an hour', async () => {
    const lifetimes: Array<[unknown, number]> = [
      [100, 50_000],
      [1, 500],
      [undefined, 3_540_000],
      [0, 3_540_000],
      [-5, 3_540_000],
      ['600', 3_540_000],
    ];
    for (const [expiresIn, keptMs] of lifetimes) {
      answer = () => ({ body: { access_token: `t-${++issued}`, expires_in: expiresIn } });
      const now = Date.now();
      const clock = vi.spyOn(Date, 'now').mockReturnValue(now);
      const auth = credentials();
      const first = (await auth.before()).authorization;
      clock.mockReturnValue(now + keptMs - 1);
      expect([expiresIn, (await auth.before()).authorization]).toEqual([expiresIn, first]);
      clock.mockReturnValue(now + keptMs);
      expect([expiresIn, (await auth.before()).authorization]).not.toEqual([expiresIn, first]);
      clock.mockRestore();
    }
  });

  it('after a 401 the token is dropped and fetched again', async () => {
    const auth = credentials();
    expect(await auth.before()).toEqual({ authorization: 'Bearer tok-1' });
    expect(await auth.retry()).toEqual({ authorization: 'Bearer tok-2' });
    expect(await auth.before()).toEqual({ authorization: 'Bearer tok-2' });
  });

  it('finds the token endpoint in the issuer’s metadata once: RFC 8414 first, then OpenID discovery', async () => {
    answer = (req) =>
      req.url === '/.well-known/openid-configuration' ? { body: { token_endpoint: `${issuer}/token` } } : req.url === '/token' ? { body: { access_token: 'found' } } : { status: 404, body: {} };
    const auth = credentials({ tokenEndpoint: '', issuer: `${issuer}//` });
    expect(await auth.before()).toEqual({ authorization: 'Bearer found' });
    await auth.retry();
    expect(seen.map((r) => [r.method, r.url, r.headers.accept])).toEqual([
      ['GET', '/.well-known/oauth-authorization-server', 'application/json'],
      ['GET', '/.well-known/openid-configuration', 'application/json'],
      ['POST', '/token', 'application/json'],
      ['POST', '/token', 'application/json'],
    ]);
    seen = [];
    answer = (req) => (req.url === '/.well-known/oauth-authorization-server' ? { body: { token_endpoint: `${issuer}/token` } } : { body: { access_token: 'rfc' } });
    expect(await credentials({ tokenEndpoint: undefined }).before()).toEqual({ authorization: 'Bearer rfc' });
    expect(seen.map((r) => r.url)).toEqual(['/.well-known/oauth-authorization-server', '/token']);
  });

  it('fails with an upstream error that never carries the secret', async () => {
    const failures: Array<[Answer | undefined, Partial<ClientCredentialsOptions>, string]> = [
      [() => ({ status: 401, body: { error: 'invalid_client' } }), {}, 'the OAuth 2 token endpoint refused the client credentials (HTTP 401)'],
      [() => ({ body: { token: 'x' } }), {}, 'the OAuth 2 token endpoint refused the client credentials (HTTP 200)'],
      [() => ({ body: { access_token: 42 } }), {}, 'the OAuth 2 token endpoint refused the client credentials (HTTP 200)'],
      [() => ({ body: 'not json' }), {}, 'the OAuth 2 token endpoint refused the client credentials (HTTP 200)'],
      [() => ({ status: 302, body: {}, headers: { location: '/token' } }), {}, 'the OAuth 2 token endpoint could not be reached'],
      [() => ({ body: { access_token: 'late' }, delayMs: 300 }), { timeoutMs: 50 }, 'the OAuth 2 token endpoint could not be reached'],
      [undefined, { tokenEndpoint: 'http://127.0.0.1:1/token' }, 'the OAuth 2 token endpoint could not be reached'],
      [() => ({ status: 404, body: {} }), { tokenEndpoint: '' }, `no token endpoint is published by the OAuth 2 issuer ${issuer}`],
      [() => ({ body: { token_endpoint: 7 } }), { tokenEndpoint: '' }, `no token endpoint is published by the OAuth 2 issuer ${issuer}`],
      [undefined, { tokenEndpoint: '', issuer: 'http://127.0.0.1:1/' }, 'no token endpoint is published by the OAuth 2 issuer http://127.0.0.1:1'],
    ];
    for (const [reply, options, message] of failures) {
      if (reply) answer = reply;
      const error = await credentials(options)
        .before()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(UpstreamError);
      expect([(error as UpstreamError).kind, (error as UpstreamError).message]).toEqual(['network', message]);
      expect((error as Error).message).not.toContain('p@ss');
    }
  });

  it('a failed fetch is not kept: the next call asks again', async () => {
    answer = () => ({ status: 500, body: {} });
    const auth = credentials();
    await expect(auth.before()).rejects.toThrow('HTTP 500');
    answer = tokenAnswer;
    expect(await auth.before()).toEqual({ authorization: 'Bearer tok-1' });
  });

  it('an API call answered 401 is sent once more with a fresh token', async () => {
    const api = new ApiClient({ namespace: 'api', baseUri: upstream.url, timeoutMs: 10_000, auth: credentials() });
    try {
      upstream.replyOnce({ status: 401, body: { error: 'expired' }, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
      upstream.replyOnce({ status: 200, body: { ok: true } });
      const res = await api.send({ name: 'op', method: 'GET', path: ['/things'], query: [], headers: [], cookies: [] }, {});
      expect([res.status, res.text]).toEqual([200, '{"ok":true}']);
      expect(upstream.requests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    } finally {
      api.close();
    }
  });
});
