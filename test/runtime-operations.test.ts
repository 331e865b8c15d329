/**
 * The runtime's start-up and guard code, in process: configuration and secrets
 * (templates/runtime/config.ts), inbound authentication (inbound-auth.ts), the response cache
 * (cache.ts), the Host/Origin guard, body limits, logs and metrics (ops.ts) and the control adapter
 * (control.ts). The e2e tests run the same code in generated projects; these import it, so that
 * mutation testing can see which test covers which line.
 */
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { callerKey, ResponseCache } from '../templates/runtime/cache.js';
import {
  adapterFrom,
  baseUriFrom,
  capabilityDirFrom,
  ConfigError,
  intFrom,
  listFrom,
  loadSecrets,
  portFrom,
  stringFrom,
  timeoutFrom,
} from '../templates/runtime/config.js';
import { createControlServer, RequestMetrics, statusOf } from '../templates/runtime/control.js';
import { authorize, inboundAuth } from '../templates/runtime/inbound-auth.js';
import {
  adapterDefaults,
  answerHealth,
  currentRequest,
  DEFAULT_LIMITS,
  hostGuard,
  HttpProblem,
  isLoopback,
  isLogLevel,
  jsonDepth,
  Logger,
  Metrics,
  queryNames,
  readBodyBytes,
  readJsonBody,
  registerUpstream,
  requestContext,
  runWith,
  sendJson,
  tooLongArgument,
  upstreamsReachable,
} from '../templates/runtime/ops.js';

const dir = mkdtempSync(join(tmpdir(), 'runtime-ops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('no ConfigError');
}

describe('configuration', () => {
  it('reads every secret from the environment and names all the missing ones', () => {
    expect(loadSecrets([{ variable: 'A', source: 'ENV_A' }], { ENV_A: 'x' })).toEqual({ A: 'x' });
    expect(configError(() => loadSecrets([{ variable: 'A', source: 'ENV_A' }, { variable: 'B', source: 'ENV_B' }], { ENV_B: '' }))).toBe(
      'missing secrets: set ENV_A, ENV_B before starting the server',
    );
    expect(configError(() => loadSecrets([{ variable: 'A', source: 'ENV_A' }], {}))).toBe('missing secret: set ENV_A before starting the server');
    expect(configError(() => loadSecrets([{ variable: 'A', source: 'ENV_A' }], { ENV_A: 'a\nb' }))).toBe(
      'the secret ENV_A contains a line break or another control character; set it without one',
    );
    expect(configError(() => loadSecrets([{ variable: 'A', source: 'ENV_A' }], { ENV_A: 'a\x7fb' }))).toContain('control character');
    expect(configError(() => loadSecrets([{ variable: 'A', source: 'ENV_A' }], { ENV_A: '\x00' }))).toContain('control character');
    expect(loadSecrets([{ variable: 'A', source: 'ENV_A' }], { ENV_A: 'tab\there é' })).toEqual({ A: 'tab\there é' });
  });

  it('reads secrets from JSON, YAML and .env files, relative to the capability or absolute', () => {
    writeFileSync(join(dir, 's.json'), JSON.stringify({ token: 'j1', n: 5, yes: true, empty: '', obj: {} }));
    writeFileSync(join(dir, 's.yaml'), 'token: y1\n');
    writeFileSync(join(dir, 's.YML'), '- a\n');
    writeFileSync(join(dir, 'bad.json'), '{');
    writeFileSync(join(dir, 'bad.yaml'), 'a: [');
    writeFileSync(join(dir, '.env'), "# comment\nexport TOKEN = \"e1\" \nSINGLE='s1'\nMIXED=\"m1'\nnot a line\nDOT.ted-name=d\n");
    const src = (variable: string, source: string, location: string) => ({ variable, source, location });
    expect(
      loadSecrets(
        [src('J', 'token', 's.json'), src('N', 'n', 's.json'), src('B', 'yes', 's.json'), src('Y', 'token', join(dir, 's.yaml')), src('E', 'TOKEN', '.env'), src('S', 'SINGLE', '.env'), src('M', 'MIXED', '.env'), src('D', 'DOT.ted-name', pathToFileURL(join(dir, '.env')).href)],
        {},
        { baseDir: dir, parseYaml },
      ),
    ).toEqual({ J: 'j1', N: '5', B: 'true', Y: 'y1', E: 'e1', S: 's1', M: '"m1\'', D: 'd' });
    expect(configError(() => loadSecrets([src('E', 'empty', 's.json'), src('O', 'obj', 's.json')], {}, { baseDir: dir }))).toBe('missing secrets: set empty (in s.json), obj (in s.json) before starting the server');
    expect(configError(() => loadSecrets([src('A', 'x', 'none.json')], {}, { baseDir: dir }))).toBe(`cannot read the secrets file ${join(dir, 'none.json')}`);
    expect(configError(() => loadSecrets([src('A', 'x', 'bad.json')], {}, { baseDir: dir }))).toBe(`the secrets file ${join(dir, 'bad.json')} is not valid JSON`);
    expect(configError(() => loadSecrets([src('A', 'x', 's.yaml')], {}, { baseDir: dir }))).toBe(`the secrets file ${join(dir, 's.yaml')} is YAML, which this generated server was not built to read`);
    expect(configError(() => loadSecrets([src('A', 'x', 'bad.yaml')], {}, { baseDir: dir, parseYaml }))).toBe(`the secrets file ${join(dir, 'bad.yaml')} is not valid YAML`);
    expect(configError(() => loadSecrets([src('A', 'x', 's.YML')], {}, { baseDir: dir, parseYaml }))).toBe(`the secrets file ${join(dir, 's.YML')} is not a mapping of keys to values`);
    expect(configError(() => loadSecrets([src('A', 'x', 'file://host/x')], {}, { baseDir: dir }))).toBe('secrets location file://host/x is not a file path');
    writeFileSync(join(dir, 'null.yaml'), '~\n');
    expect(configError(() => loadSecrets([src('A', 'x', 'null.yaml')], {}, { baseDir: dir, parseYaml }))).toContain('is not a mapping');
    writeFileSync(join(dir, 'ctl.json'), JSON.stringify({ k: 'a\rb' }));
    expect(configError(() => loadSecrets([src('A', 'k', 'ctl.json')], {}, { baseDir: dir }))).toBe('the secret k (in ctl.json) contains a line break or another control character; set it without one');
  });

  it('a file is read once however many secrets it holds', () => {
    writeFileSync(join(dir, 'once.json'), JSON.stringify({ a: '1', b: '2' }));
    let parses = 0;
    const counting = (t: string) => {
      parses += 1;
      return parseYaml(t);
    };
    writeFileSync(join(dir, 'once.yaml'), 'a: 1\nb: 2\n');
    expect(loadSecrets([{ variable: 'A', source: 'a', location: 'once.yaml' }, { variable: 'B', source: 'b', location: 'once.yaml' }], {}, { baseDir: dir, parseYaml: counting })).toEqual({ A: '1', B: '2' });
    expect(parses).toBe(1);
  });

  it('finds relative secret files from NAFTIKO_CAPABILITY_DIR or the project', () => {
    expect(capabilityDirFrom({ NAFTIKO_CAPABILITY_DIR: '/caps' }, '/proj', '../spec')).toBe('/caps');
    expect(capabilityDirFrom({ NAFTIKO_CAPABILITY_DIR: '' }, '/proj', '../spec')).toBe('/spec');
    expect(capabilityDirFrom({}, '/proj', 'spec')).toBe('/proj/spec');
  });

  it('ports, strings, timeouts, lists and whole numbers', () => {
    expect(portFrom({}, 'P', 8080)).toBe(8080);
    expect(portFrom({ P: '' }, 'P', 8080)).toBe(8080);
    expect(portFrom({ P: '0' }, 'P', 8080)).toBe(0);
    expect(portFrom({ P: '65535' }, 'P', 1)).toBe(65535);
    for (const bad of ['65536', '-1', '1.5', 'x']) expect(configError(() => portFrom({ P: bad }, 'P', 1))).toBe(`P=${bad} is not a port number (0-65535)`);
    expect(stringFrom({ S: 'v' }, 'S', 'f')).toBe('v');
    expect(stringFrom({ S: '' }, 'S', 'f')).toBe('f');
    expect(stringFrom({}, 'S', 'f')).toBe('f');
    expect(timeoutFrom({}, 'T', 5)).toBe(5);
    expect(timeoutFrom({ T: '' }, 'T', 5)).toBe(5);
    expect(timeoutFrom({ T: '0.5' }, 'T', 5)).toBe(0.5);
    for (const bad of ['0', '-1', 'x', 'Infinity']) expect(configError(() => timeoutFrom({ T: bad }, 'T', 5))).toBe(`T=${bad} is not a positive number of milliseconds`);
    expect(listFrom({ L: ' a, ,b ,' }, 'L')).toEqual(['a', 'b']);
    expect(listFrom({}, 'L')).toEqual([]);
    expect(intFrom({}, 'I', 3)).toBe(3);
    expect(intFrom({ I: '' }, 'I', 3)).toBe(3);
    expect(intFrom({ I: '1' }, 'I', 3)).toBe(1);
    expect(intFrom({ I: '0' }, 'I', 3, 0)).toBe(0);
    expect(configError(() => intFrom({ I: '0' }, 'I', 3))).toBe('I=0 is not a whole number of at least 1');
    expect(configError(() => intFrom({ I: '2.5' }, 'I', 3))).toBe('I=2.5 is not a whole number of at least 1');
  });

  it('base URIs: the override, placeholders from their variables, http or https only', () => {
    expect(baseUriFrom({}, 'B', 'https://api.example.com/v1')).toBe('https://api.example.com/v1');
    expect(baseUriFrom({ B: '' }, 'B', 'https://a.example')).toBe('https://a.example');
    expect(baseUriFrom({ B: 'http://127.0.0.1:9' }, 'B', 'https://a.example')).toBe('http://127.0.0.1:9');
    expect(baseUriFrom({ SUB: 'eu', VER: 'v2' }, 'B', 'https://{sub}.example.com/{{ ver }}', { sub: 'SUB', ver: 'VER' })).toBe('https://eu.example.com/v2');
    expect(configError(() => baseUriFrom({}, 'B', 'https://{sub}.example.com/{other}', { sub: 'SUB' }))).toBe(
      'the base URI https://{sub}.example.com/{other} needs SUB, {other}: set them before starting the server',
    );
    expect(configError(() => baseUriFrom({ SUB: '' }, 'B', 'https://{sub}.example.com', { sub: 'SUB' }))).toBe('the base URI https://{sub}.example.com needs SUB: set it before starting the server');
    expect(configError(() => baseUriFrom({}, 'B', ''))).toBe('B is not set: the capability gives no base URI for this API, so set it before starting the server');
    expect(configError(() => baseUriFrom({}, 'B', 'ftp://x'))).toBe('the base URI=ftp://x is not an http:// or https:// URL');
    expect(configError(() => baseUriFrom({ B: 'not a url' }, 'B', 'https://a.example'))).toBe('B=not a url is not an http:// or https:// URL');
  });

  it('adapter settings from their variables, with safe defaults', () => {
    const defaults = adapterFrom({}, 'NS_REST', 8080, '127.0.0.1');
    expect(defaults).toEqual({ ...adapterDefaults(8080, '127.0.0.1'), metrics: false, readyUpstream: false });
    expect(defaults.limits).toEqual(DEFAULT_LIMITS);
    expect(defaults.inboundAuth).toBeUndefined();
    const env = {
      NS_REST_PORT: '9000',
      NS_REST_HOST: '0.0.0.0',
      NS_REST_ALLOWED_HOSTS: 'a.example,b.example:8443',
      NS_REST_MAX_BODY_BYTES: '10',
      NS_REST_HEADERS_TIMEOUT_MS: '100',
      NS_REST_REQUEST_TIMEOUT_MS: '100',
      NS_REST_KEEP_ALIVE_TIMEOUT_MS: '7',
      NS_REST_MAX_CONNECTIONS: '8',
      NS_REST_MAX_ARG_LENGTH: '9',
      NS_REST_MAX_JSON_DEPTH: '3',
      NS_REST_SHUTDOWN_GRACE_MS: '0',
      NS_REST_LOG_LEVEL: 'debug',
      NS_REST_METRICS: 'true',
      NS_REST_READY_UPSTREAM: 'true',
    };
    expect(adapterFrom(env, 'NS_REST', 8080, '127.0.0.1', { inboundAuth: true })).toEqual({
      port: 9000,
      host: '0.0.0.0',
      allowedHosts: ['a.example', 'b.example:8443'],
      limits: { maxBodyBytes: 10, headersTimeoutMs: 100, requestTimeoutMs: 100, keepAliveTimeoutMs: 7, maxConnections: 8, maxArgLength: 9, maxJsonDepth: 3, shutdownGraceMs: 0 },
      logLevel: 'debug',
      metrics: true,
      readyUpstream: true,
      inboundAuth: true,
    });
    expect(adapterFrom({}, 'X', 1, 'h', { inboundAuth: false }).inboundAuth).toBeUndefined();
    expect(configError(() => adapterFrom({ X_MAX_CONNECTIONS: '0' }, 'X', 1, 'h'))).toBe('X_MAX_CONNECTIONS=0 is not a whole number of at least 1');
    expect(configError(() => adapterFrom({ X_HEADERS_TIMEOUT_MS: '101', X_REQUEST_TIMEOUT_MS: '100' }, 'X', 1, 'h'))).toBe('X_HEADERS_TIMEOUT_MS must not be longer than X_REQUEST_TIMEOUT_MS');
    expect(configError(() => adapterFrom({ X_LOG_LEVEL: 'loud' }, 'X', 1, 'h'))).toBe('X_LOG_LEVEL=loud is not one of debug, info, warn, error, silent');
    expect(configError(() => adapterFrom({ X_METRICS: 'yes' }, 'X', 1, 'h'))).toBe('X_METRICS=yes is not true or false');
    expect(configError(() => adapterFrom({ X_READY_UPSTREAM: '1' }, 'X', 1, 'h'))).toBe('X_READY_UPSTREAM=1 is not true or false');
    expect(adapterFrom({ X_LOG_LEVEL: 'silent', X_METRICS: 'false' }, 'X', 1, 'h')).toMatchObject({ logLevel: 'silent', metrics: false });
  });
});

/** A request as the inbound check sees it: headers (lower-case, as node gives them), raw headers and URL. */
function fakeRequest(headers: Record<string, string>, url = '/'): http.IncomingMessage {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { headers: lower, rawHeaders: Object.entries(headers).flat(), url } as unknown as http.IncomingMessage;
}

describe('inbound authentication', () => {
  it('bearer: the exact token, the scheme in any case; accepted credentials are removed', () => {
    const auth = inboundAuth('ships', { kind: 'bearer', token: 'tok' });
    expect(auth.challenge).toBe('Bearer realm="ships"');
    expect(auth.expected).toBe('an `Authorization: Bearer <token>` header');
    const req = fakeRequest({ Authorization: 'BEARER  tok ', 'X-Other': '1' });
    expect(auth.accept(req)).toBe(true);
    expect(req.headers).toEqual({ 'x-other': '1' });
    expect(req.rawHeaders).toEqual(['X-Other', '1']);
    for (const bad of ['Bearer tok2', 'Bearer to', 'Basic tok', 'Bearertok', 'tok', 'Bearer ']) expect(auth.accept(fakeRequest({ authorization: bad }))).toBe(false);
    expect(auth.accept(fakeRequest({}))).toBe(false);
  });

  it('basic: user and password both right, split at the first colon', () => {
    const auth = inboundAuth('r"e\\alm', { kind: 'basic', username: 'ada', password: 'p:w' });
    expect(auth.challenge).toBe('Basic realm="r\\"e\\\\alm", charset="UTF-8"');
    expect(auth.expected).toBe('an `Authorization: Basic <base64 of user:password>` header');
    const b64 = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    const req = fakeRequest({ authorization: b64('ada:p:w') });
    expect(auth.accept(req)).toBe(true);
    expect(req.headers.authorization).toBeUndefined();
    for (const bad of ['ada:p', 'ad:p:w', 'adap:w', 'ada', ':p:w', 'ada:']) expect(auth.accept(fakeRequest({ authorization: b64(bad) })), bad).toBe(false);
    expect(auth.accept(fakeRequest({ authorization: `Bearer ${Buffer.from('ada:p:w').toString('base64')}` }))).toBe(false);
  });

  it('API key in a header or the query; the query one is taken out of the URL', () => {
    const header = inboundAuth('r', { kind: 'apikey', key: 'X-Api-Key', value: 'k1', placement: 'header' });
    expect(header.challenge).toBe('ApiKey realm="r", in="header", name="X-Api-Key"');
    expect(header.expected).toBe('the `X-Api-Key` header');
    const req = fakeRequest({ 'X-API-KEY': 'k1' });
    expect(header.accept(req)).toBe(true);
    expect(req.rawHeaders).toEqual([]);
    expect(header.accept(fakeRequest({ 'x-api-key': 'k2' }))).toBe(false);
    expect(header.accept(fakeRequest({}))).toBe(false);
    const query = inboundAuth('r', { kind: 'apikey', key: 'key', value: 'k 1', placement: 'query' });
    expect(query.challenge).toBe('ApiKey realm="r", in="query", name="key"');
    expect(query.expected).toBe('the `key` query parameter');
    const q = fakeRequest({}, '/items?a=1&key=k+1&b=2');
    expect(query.accept(q)).toBe(true);
    expect(q.url).toBe('/items?a=1&b=2');
    const only = fakeRequest({}, '/items?key=k%201');
    expect(query.accept(only)).toBe(true);
    expect(only.url).toBe('/items');
    expect(query.accept(fakeRequest({}, '/items?key=k+1&key=k+1'))).toBe(false);
    expect(query.accept(fakeRequest({}, '/items'))).toBe(false);
    expect(query.accept(fakeRequest({}, '/items?key=other'))).toBe(false);
    expect(query.accept({ headers: {}, rawHeaders: [] } as unknown as http.IncomingMessage)).toBe(false);
  });

  it('an empty expected value stops the server at start', () => {
    expect(configError(() => inboundAuth('ships', { kind: 'bearer', token: '' }))).toBe('the inbound authentication of ships has an empty token: set the secret it is bound to');
    expect(configError(() => inboundAuth('s', { kind: 'basic', username: 'u', password: '' }))).toContain('empty password');
    expect(configError(() => inboundAuth('s', { kind: 'apikey', key: 'k', value: '', placement: 'query' }))).toContain('empty value');
  });

  it('a refusal is a 401 with the challenge and a JSON (or JSON-RPC) body', async () => {
    const auth = inboundAuth('ships', { kind: 'bearer', token: 'tok' });
    const server = http.createServer((req, res) => {
      const style = req.url === '/mcp' ? 'mcp' : 'rest';
      if (authorize(auth, req, res, style)) res.end(`in:${req.headers.authorization ?? 'none'}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const rest = await fetch(`${url}/x`, { method: 'POST', body: 'ignored' });
      expect(rest.status).toBe(401);
      expect(rest.headers.get('www-authenticate')).toBe('Bearer realm="ships"');
      expect(rest.headers.get('content-type')).toBe('application/json');
      const message = 'This server requires authentication: send an `Authorization: Bearer <token>` header.';
      expect(await rest.json()).toEqual({ error: 'unauthorized', message });
      const mcp = await fetch(`${url}/mcp`);
      expect(await mcp.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32001, message } });
      const ok = await fetch(`${url}/x`, { headers: { authorization: 'Bearer tok' } });
      expect([ok.status, await ok.text()]).toEqual([200, 'in:none']);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(authorize(undefined, fakeRequest({}), {} as http.ServerResponse, 'rest')).toBe(true);
  });
});

describe('response cache', () => {
  it('answers from memory for ttl, never keeps failures, and drops the oldest over the cap', async () => {
    const cache = new ResponseCache<string>(60_000, 'public', 2);
    let produced = 0;
    const produce = (value: string, keep = true) => async () => {
      produced += 1;
      return { value, keep };
    };
    expect(await cache.get('a', produce('A1'))).toBe('A1');
    expect(await cache.get('a', produce('A2'))).toBe('A1');
    expect(await cache.get('f', produce('F1', false))).toBe('F1');
    expect(await cache.get('f', produce('F2', false))).toBe('F2');
    expect(await cache.get('b', produce('B1'))).toBe('B1');
    expect(await cache.get('c', produce('C1'))).toBe('C1');
    expect(await cache.get('a', produce('A3'))).toBe('A3');
    expect(await cache.get('c', produce('C2'))).toBe('C1');
    expect(produced).toBe(6);
  });

  it('an expired answer is produced again; a ttl of 0 keeps nothing', async () => {
    const cache = new ResponseCache<number>(30, 'public');
    let n = 0;
    const produce = async () => ({ value: ++n, keep: true });
    expect(await cache.get('k', produce)).toBe(1);
    expect(await cache.get('k', produce)).toBe(1);
    await new Promise((r) => setTimeout(r, 40));
    expect(await cache.get('k', produce)).toBe(2);
    const never = new ResponseCache<number>(0, 'public');
    expect(await never.get('k', produce)).toBe(3);
    expect(await never.get('k', produce)).toBe(4);
  });

  it('private answers are kept per caller; public ones shared', async () => {
    const priv = new ResponseCache<string>(60_000);
    const pub = new ResponseCache<string>(60_000, 'public');
    const as = (caller: string | undefined, cache: ResponseCache<string>, value: string) => requestContext.run({ gone: false, caller }, () => cache.get('k', async () => ({ value, keep: true })));
    expect(await as('alice', priv, 'a')).toBe('a');
    expect(await as('bob', priv, 'b')).toBe('b');
    expect(await as('alice', priv, 'x')).toBe('a');
    expect(await as(undefined, priv, 'anon')).toBe('anon');
    expect(await as('alice', pub, 'a')).toBe('a');
    expect(await as('bob', pub, 'b')).toBe('a');
  });

  it('a caller is a digest of the credentials, or of the address without them', () => {
    const alice = callerKey({ authorization: 'Bearer a' }, '1.1.1.1');
    expect(alice).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(alice).not.toContain('Bearer');
    expect(callerKey({ authorization: 'Bearer a' }, '2.2.2.2')).toBe(alice);
    expect(callerKey({ authorization: 'Bearer b' }, '1.1.1.1')).not.toBe(alice);
    expect(callerKey({ 'x-api-key': 'Bearer a' }, '1.1.1.1')).not.toBe(alice);
    expect(callerKey({ cookie: 's=1' }, undefined)).not.toBe(callerKey({ cookie: 's=2' }, undefined));
    expect(callerKey({}, '1.1.1.1')).not.toBe(callerKey({}, '2.2.2.2'));
    expect(callerKey({ authorization: ' ' }, '1.1.1.1')).toBe(callerKey({}, '1.1.1.1'));
    expect(callerKey({}, undefined)).toBe(callerKey({}, ''));
  });
});

describe('guards and limits', () => {
  it('loopback names', () => {
    for (const h of ['localhost', 'LOCALHOST', '127.0.0.1', '127.5.0.1', '::1', '[::1]']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', 'example.com', '128.0.0.1', '::', '1127.0.0.1']) expect(isLoopback(h), h).toBe(false);
  });

  it('Host and Origin must name this server', () => {
    const guard = hostGuard(['api.example.com', 'Other.example:8443'], () => 3000);
    const check = (headers: Record<string, string>) => guard({ headers } as http.IncomingMessage);
    expect(check({ host: 'localhost:3000' })).toBeUndefined();
    expect(check({ host: '[::1]:3000' })).toBeUndefined();
    expect(check({ host: '127.0.0.1:3000', origin: 'http://localhost:3000' })).toBeUndefined();
    expect(check({ host: 'api.example.com' })).toBeUndefined();
    expect(check({ host: 'API.example.com:1234' })).toBeUndefined();
    expect(check({ host: 'other.example:8443' })).toBeUndefined();
    expect(check({ host: 'localhost:3000', origin: 'https://other.example:8443' })).toBeUndefined();
    expect(check({ host: 'localhost:3000', origin: 'https://api.example.com' })).toBeUndefined();
    expect(check({})).toBe('the request has no Host header');
    expect(check({ host: 'localhost:3001' })).toBe('the host localhost:3001 is not served here');
    expect(check({ host: 'localhost' })).toBe('the host localhost is not served here');
    expect(check({ host: 'other.example' })).toBe('the host other.example is not served here');
    expect(check({ host: 'other.example:' })).toBe('the host other.example: is not served here');
    expect(check({ host: 'evil.example' })).toBe('the host evil.example is not served here');
    expect(check({ host: 'bad:host:name' })).toBe('the host bad:host:name is not served here');
    expect(check({ host: 'localhost:3000', origin: 'http://evil.example' })).toBe('the origin http://evil.example is not served here');
    expect(check({ host: 'localhost:3000', origin: 'http://localhost:3001' })).toBe('the origin http://localhost:3001 is not served here');
    expect(check({ host: 'localhost:3000', origin: 'http://other.example' })).toBe('the origin http://other.example is not served here');
    expect(check({ host: 'localhost:3000', origin: 'https://other.example' })).toBe('the origin https://other.example is not served here');
    expect(check({ host: 'localhost:3000', origin: 'null' })).toBe('the origin null is not served here');
    const port80 = hostGuard([], () => 80);
    expect(port80({ headers: { host: 'localhost', origin: 'http://localhost' } } as http.IncomingMessage)).toBeUndefined();
    expect(port80({ headers: { host: 'localhost', origin: 'https://localhost' } } as http.IncomingMessage)).toBe('the origin https://localhost is not served here');
    const port443 = hostGuard([], () => 443);
    expect(port443({ headers: { host: 'localhost:443', origin: 'https://localhost' } } as http.IncomingMessage)).toBeUndefined();
  });

  it('JSON nesting is counted outside strings only', () => {
    expect(jsonDepth('')).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonDepth('[[],[[]]]')).toBe(3);
    expect(jsonDepth('{"a":"[[[[{{"}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[["}')).toBe(1);
    expect(jsonDepth('["\\\\",[[]]]')).toBe(3);
  });

  function body(text: string | Buffer[], headers: Record<string, string> = { 'content-type': 'application/json' }): http.IncomingMessage {
    const stream = Readable.from(typeof text === 'string' ? [Buffer.from(text)] : text) as unknown as http.IncomingMessage;
    stream.headers = headers;
    return stream;
  }

  async function problem(p: Promise<unknown>): Promise<HttpProblem> {
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpProblem);
    return err as HttpProblem;
  }

  it('JSON bodies: parsed within the limits, refused with the right status otherwise', async () => {
    const limits = { ...DEFAULT_LIMITS, maxBodyBytes: 20, maxJsonDepth: 2 };
    expect(await readJsonBody(body('{"a":[1]}'), limits)).toEqual({ a: [1] });
    expect(await readJsonBody(body('{"a":1}', { 'content-type': 'Application/Problem+JSON; charset=utf-8' }), limits)).toEqual({ a: 1 });
    expect(await readJsonBody(body('  ', {}), limits)).toBeUndefined();
    const unsupported = await problem(readJsonBody(body('{}', { 'content-type': 'text/plain' }), limits));
    expect([unsupported.status, unsupported.code, unsupported.message]).toEqual([415, 'unsupported_media_type', 'The body must be JSON, sent with Content-Type: application/json.']);
    expect((await problem(readJsonBody(body('{}', {}), limits))).status).toBe(415);
    expect((await problem(readJsonBody(body('{}', { 'content-type': 'application/jsonx' }), limits))).status).toBe(415);
    const deep = await problem(readJsonBody(body('[[[1]]]'), limits));
    expect([deep.status, deep.code, deep.message]).toEqual([400, 'invalid_input', 'The JSON body is nested deeper than 2 levels.']);
    const bad = await problem(readJsonBody(body('{"a":'), limits));
    expect([bad.status, bad.code, bad.message, bad.rpcCode]).toEqual([400, 'invalid_input', 'The body is not valid JSON.', -32700]);
    expect(deep.rpcCode).toBeUndefined();
  });

  it('bodies over the size limit are 413, whether declared or streamed', async () => {
    const limits = { ...DEFAULT_LIMITS, maxBodyBytes: 4 };
    expect(await readBodyBytes(body([Buffer.from('ab'), Buffer.from('cd')]), limits)).toEqual(Buffer.from('abcd'));
    const streamed = await problem(readBodyBytes(body([Buffer.from('abc'), Buffer.from('de')]), limits));
    expect([streamed.status, streamed.code, streamed.message]).toEqual([413, 'payload_too_large', 'The body is larger than 4 bytes.']);
    const declaredSmallOver = await problem(readBodyBytes(body([Buffer.from('abcde')], { 'content-length': '5' }), limits));
    expect(declaredSmallOver.status).toBe(413);
    const huge = await problem(readBodyBytes(body([], { 'content-length': String(4 + 16 * 1024 * 1024 + 1) }), limits));
    expect(huge.status).toBe(413);
    expect((await readBodyBytes(body([Buffer.from('ab')], { 'content-length': String(4 + 16 * 1024 * 1024) }), limits)).toString()).toBe('ab');
  });

  it('the first argument over the length limit, strings in arrays too', () => {
    expect(tooLongArgument({ a: 'abc', b: 12345, c: ['x', 'abcd'] }, 3)).toBe('c');
    expect(tooLongArgument({ a: 'abcd' }, 3)).toBe('a');
    expect(tooLongArgument({ a: 'abc', b: ['abc'] }, 3)).toBeUndefined();
  });

  it('query names are logged without their values', () => {
    expect(queryNames('/x')).toBeUndefined();
    expect(queryNames('/x?')).toBeUndefined();
    expect(queryNames('/x?key=secret&flag&=v&b=')).toEqual(['key', 'flag', 'b']);
  });
});

describe('metrics and the control adapter', () => {
  it('per-route metrics: counts, histogram buckets, labels escaped', () => {
    const m = new Metrics('rest "a"');
    m.record('GET', '/items/{id}', 200, 0.005);
    m.record('GET', '/items/{id}', 200, 0.02);
    m.record('GET', 'a\\b\nc', 500, 31);
    m.inFlight = 2;
    const text = m.render(5);
    const k = 'adapter="rest \\"a\\"",method="GET",route="/items/{id}"';
    expect(text).toContain(`http_requests_total{${k},status="200"} 2\n`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${k},le="0.005"} 1\n`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${k},le="0.01"} 1\n`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${k},le="0.025"} 2\n`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${k},le="+Inf"} 2\n`);
    expect(text).toContain(`http_request_duration_seconds_sum{${k}} 0.025\n`);
    expect(text).toContain(`http_request_duration_seconds_count{${k}} 2\n`);
    expect(text).toContain('route="a\\\\b\\nc"');
    expect(text).toContain('http_request_duration_seconds_bucket{adapter="rest \\"a\\"",method="GET",route="a\\\\b\\nc",le="30"} 0\n');
    expect(text).toContain('http_requests_in_flight{adapter="rest \\"a\\""} 2\n');
    expect(text).toContain('http_open_connections{adapter="rest \\"a\\""} 5\n');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('serves health, status and metrics, each only when enabled, GET and HEAD only', async () => {
    const metrics = new RequestMetrics();
    let ready = false;
    const watched = http.createServer((_req, res) => res.writeHead(201).end());
    await new Promise<void>((r) => watched.listen(0, '127.0.0.1', r));
    metrics.watch('rest"\\\n', watched);
    const running = [{ label: 'rest', server: watched }] as never;
    const full = createControlServer({ health: true, metrics, status: statusOf('cap', running), ready: () => ready });
    const bare = createControlServer({ health: false, ready: () => true, auth: inboundAuth('c', { kind: 'bearer', token: 't' }) });
    const urls: string[] = [];
    for (const s of [full, bare]) {
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      urls.push(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    }
    try {
      await fetch(`http://127.0.0.1:${(watched.address() as AddressInfo).port}/`, { method: 'PUT' });
      const get = async (url: string, init?: RequestInit) => {
        const r = await fetch(url, init);
        return [r.status, r.headers.get('content-type'), await r.text()] as [number, string | null, string];
      };
      expect(await get(`${urls[0]}/health/live`)).toEqual([200, 'application/json', '{"status":"UP"}']);
      expect(await get(`${urls[0]}/health/ready?x=1`)).toEqual([503, 'application/json', '{"status":"DOWN"}']);
      ready = true;
      expect(await get(`${urls[0]}/health/ready`)).toEqual([200, 'application/json', '{"status":"UP"}']);
      const status = JSON.parse((await get(`${urls[0]}/status`))[2] as string);
      expect(status).toMatchObject({ capability: 'cap', uptimeSeconds: 0, adapters: [{ adapter: 'rest', listening: true, port: (watched.address() as AddressInfo).port }] });
      expect(new Date(status.startedAt).toISOString()).toBe(status.startedAt);
      const [code, type, text] = await get(`${urls[0]}/metrics`);
      expect([code, type]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
      expect(text).toContain('naftiko_http_requests_total{adapter="rest\\"\\\\\\n",method="PUT",status="201"} 1\n');
      expect(text).toContain('naftiko_http_request_duration_seconds_count{adapter="rest\\"\\\\\\n"} 1\n');
      expect(text).toMatch(/process_uptime_seconds \d/);
      expect(text).toMatch(/process_resident_memory_bytes [1-9]/);
      expect(text).toMatch(/nodejs_heap_used_bytes [1-9]/);
      expect(text.endsWith('\n')).toBe(true);
      const post = await fetch(`${urls[0]}/status`, { method: 'POST' });
      expect([post.status, post.headers.get('allow'), await post.json()]).toEqual([405, 'GET, HEAD', { error: 'method_not_allowed', message: 'POST is not allowed on /status.' }]);
      expect((await fetch(`${urls[0]}/status`, { method: 'HEAD' })).status).toBe(200);
      expect(await get(`${urls[0]}/other`)).toEqual([404, 'application/json', '{"error":"not_found","message":"The control adapter serves no /other."}']);
      expect((await fetch(`${urls[1]}/health/live`)).status).toBe(401);
      const auth = { headers: { authorization: 'Bearer t' } };
      for (const path of ['/health/live', '/health/ready', '/status', '/metrics']) expect((await fetch(`${urls[1]}${path}`, auth)).status, path).toBe(404);
    } finally {
      for (const s of [full, bare, watched]) await new Promise((r) => s.close(r));
    }
  });
});

/** A response that records what was written to it. */
function recorder(): http.ServerResponse & { written: { status?: number; headers?: unknown; body?: string } } {
  const written: { status?: number; headers?: unknown; body?: string } = {};
  return {
    written,
    writeHead(status: number, headers: unknown) {
      written.status = status;
      written.headers = headers;
      return this;
    },
    end(body: string) {
      written.body = body;
      return this;
    },
  } as never;
}

describe('health, logs and the request context', () => {
  it('answers liveness and readiness, and nothing else', () => {
    const live = recorder();
    expect(answerHealth('/health/live', live, false)).toBe(true);
    expect(live.written).toEqual({ status: 200, headers: ['content-type', 'application/json', 'content-length', '17'], body: '{"status":"live"}' });
    const ready = recorder();
    expect(answerHealth('/health/ready', ready, true)).toBe(true);
    expect([ready.written.status, ready.written.body]).toEqual([200, '{"status":"ready"}']);
    const stopping = recorder();
    expect(answerHealth('/health/ready', stopping, false)).toBe(true);
    expect([stopping.written.status, stopping.written.body]).toEqual([503, '{"status":"stopping"}']);
    const other = recorder();
    expect(answerHealth('/health', other, true)).toBe(false);
    expect(other.written).toEqual({});
    const extra = recorder();
    sendJson(extra, 201, { é: 1 }, ['x-a', 'b']);
    expect(extra.written).toEqual({ status: 201, headers: ['content-type', 'application/json', 'content-length', '8', 'x-a', 'b'], body: '{"é":1}' });
  });

  it('log levels: each logger writes at or above its level, one JSON line each, errors at once', async () => {
    expect(['debug', 'info', 'warn', 'error', 'silent'].every(isLogLevel)).toBe(true);
    expect(isLogLevel('verbose')).toBe(false);
    const warn = new Logger('rest', 'warn');
    expect([warn.enabled('debug'), warn.enabled('info'), warn.enabled('warn'), warn.enabled('error')]).toEqual([false, false, true, true]);
    expect(new Logger('rest', 'silent').enabled('error')).toBe(false);
    expect(new Logger('rest', 'debug').enabled('debug')).toBe(true);
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      lines.push(String(text));
      return true;
    });
    try {
      const info = new Logger('mcp', 'info');
      info.access({ method: 'GET', route: '/x', status: 200, ms: 1 });
      info.write('debug', { hidden: true });
      expect(lines).toEqual([]);
      info.access({ method: 'GET', route: '/y', status: 500, ms: 2, upstream: 502 });
      info.write('error', { message: 'boom' });
      expect(lines).toHaveLength(1);
      const batch = lines[0]!.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
      expect(batch.map((e) => [e.level, e.adapter, e.route ?? e.message])).toEqual([
        ['info', 'mcp', '/x'],
        ['warn', 'mcp', '/y'],
        ['error', 'mcp', 'boom'],
      ]);
      expect(new Date(batch[0].time).toISOString()).toBe(batch[0].time);
      info.write('info', { n: 1 });
      expect(lines).toHaveLength(1);
      // A batch waits for more lines a little (20 ms), not only for the end of this turn of the loop.
      await new Promise((r) => setImmediate(r));
      expect(lines).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 60));
      expect(lines).toHaveLength(2);
      expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'info', n: 1 });
      for (let i = 0; i < 256; i++) info.write('info', { i });
      expect(lines).toHaveLength(3);
      expect(lines[2]!.split('\n').filter((l) => l !== '')).toHaveLength(256);
      await new Promise((r) => setTimeout(r, 60));
      expect(lines).toHaveLength(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('the current request: the one given to runWith, else the async context, restored after', () => {
    const outer = { gone: false, route: 'outer' };
    const inner = { gone: false, route: 'inner' };
    expect(currentRequest()).toBeUndefined();
    requestContext.run(outer, () => {
      expect(currentRequest()).toBe(outer);
      expect(runWith(inner, () => currentRequest())).toBe(inner);
      expect(() => runWith(inner, () => {
        throw new Error('x');
      })).toThrow('x');
      expect(currentRequest()).toBe(outer);
    });
  });

  it('readiness of the consumed APIs: every one accepts a connection, checked at most every 5 s', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const open = http.createServer();
      await new Promise<void>((r) => open.listen(0, '127.0.0.1', r));
      registerUpstream('127.0.0.1', (open.address() as AddressInfo).port);
      expect(await upstreamsReachable()).toBe(true);
      await new Promise((r) => open.close(r));
      vi.advanceTimersByTime(4_999);
      expect(await upstreamsReachable()).toBe(true);
      vi.advanceTimersByTime(1);
      expect(await upstreamsReachable()).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
