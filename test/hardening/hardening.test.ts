/**
 * Probes of a generated server as an attacker and as an operator would run them: one generated
 * project (test/hardening/hardening.yaml), one fake upstream, the server started on loopback with
 * small limits. Each probe checks what was sent, what came back, what reached the upstream, and
 * that the server still serves afterwards; at the end, that the secret appeared in no output.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { closedPort, startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import {
  buildProject,
  cleanEnv,
  connectMcpHttp,
  rawExchange,
  request,
  runToExit,
  startServer,
  stopAll,
  type GeneratedProject,
  type HttpAnswer,
  type RunningServer,
} from '../helpers/generated-project.js';

const SPEC = new URL('./hardening.yaml', import.meta.url).pathname;
const SECRET = 'hard-s3cret-7f1e9';

let project: GeneratedProject;
let upstream: FakeUpstream;
let server: RunningServer;
let rest: string;
let mcp: string;
let mcpClient: Client | undefined;
/** Every body and header the probes got back, searched for the secret at the end. */
const seen: string[] = [];

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv({
    HARD_TOKEN: SECRET,
    HARD_API_BASE_URI: upstream.url,
    HARD_REST_PORT: '0',
    HARD_MCP_PORT: '0',
    HARD_REST_ALLOWED_HOSTS: 'api.example.com:8443',
    HARD_REST_MAX_BODY_BYTES: '2048',
    HARD_REST_MAX_ARG_LENGTH: '100',
    HARD_MCP_MAX_ARG_LENGTH: '100',
    HARD_REST_MAX_JSON_DEPTH: '10',
    HARD_REST_HEADERS_TIMEOUT_MS: '300',
    HARD_REST_REQUEST_TIMEOUT_MS: '600',
    HARD_REST_KEEP_ALIVE_TIMEOUT_MS: '2000',
    HARD_REST_MAX_CONNECTIONS: '8',
    HARD_REST_METRICS: 'true',
    HARD_API_MAX_SOCKETS: '2',
    ...extra,
  });
}

async function call(base: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<HttpAnswer> {
  const answer = await request(base, method, path, options);
  seen.push(answer.text, JSON.stringify(answer.headers));
  return answer;
}

function hostOf(base: string): string {
  return new URL(base).host;
}

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The server still answers a plain request, and the upstream sees it. */
async function stillServes(): Promise<void> {
  const before = upstream.requests.length;
  const r = await call(rest, 'GET', '/items/ok');
  expect(r.status).toBe(200);
  expect(upstream.requests.length).toBe(before + 1);
}

function accessLines(): Array<Record<string, unknown>> {
  return server
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  project = await buildProject('hardening', { spec: SPEC });
  server = await startServer(project, env(), 2);
  rest = server.restUrl();
  mcp = server.mcpUrl();
}, 180_000);

beforeEach(() => {
  upstream.reset();
  // The echo would show the Authorization header; POST /things answers a fixed body instead.
  upstream.reply((r) => (r.path === '/things' ? { status: 201, body: { created: true } } : undefined));
});

afterAll(async () => {
  await mcpClient?.close();
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

describe('safe defaults', () => {
  it('listens on 127.0.0.1 and refuses foreign Host and Origin on REST, port included', async () => {
    expect(rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mcp).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = new URL(rest).port;
    const probes: Array<Record<string, string>> = [
      { host: 'evil.example' },
      { host: `localhost:${Number(port) + 1}` },
      { origin: 'http://evil.example' },
      { origin: `http://127.0.0.1:${Number(port) + 1}` },
      { origin: 'null' },
      { host: 'api.example.com:9999' },
    ];
    for (const headers of probes) {
      const r = await call(rest, 'GET', '/items/a', { headers });
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(r.json().error).toBe('forbidden');
    }
    expect(upstream.requests).toHaveLength(0);
    expect((await call(rest, 'GET', '/items/a', { headers: { origin: `http://localhost:${port}` } })).status).toBe(200);
    expect((await call(rest, 'GET', '/items/a', { headers: { host: 'api.example.com:8443' } })).status).toBe(200);
    expect(upstream.requests).toHaveLength(2);
  });

  it('refuses a foreign Host on MCP with a JSON-RPC error', async () => {
    const r = await call(mcp, 'POST', '/mcp', { headers: { host: 'evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(403);
    expect(r.json().error.code).toBe(-32600);
  });

  it('answers 415 to a JSON body sent as text/plain, and sends nothing', async () => {
    const r = await call(rest, 'POST', '/things', { headers: { 'content-type': 'text/plain' }, body: '{"name":"x"}' });
    expect(r.status).toBe(415);
    expect(upstream.requests).toHaveLength(0);
    const ok = await call(rest, 'POST', '/things', { headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(ok.status).toBe(201);
    expect(upstream.last().body).toBe('{"name":"x"}');
  });

  it('warns at start when an adapter listens beyond loopback without inbound authentication', async () => {
    const wide = await startServer(project, env({ HARD_REST_HOST: '0.0.0.0', HARD_REST_ALLOWED_HOSTS: '', HARD_REST_LOG_LEVEL: 'warn' }), 2);
    try {
      await until(() => wide.stderr().includes('warning: REST adapter hard-rest'), 'the warning');
      expect(wide.stderr()).toContain('listens on 0.0.0.0');
      expect(wide.stderr()).not.toContain('warning: MCP adapter');
      // LOG_LEVEL=warn: no access-log line for a request that went well.
      const r = await request(wide.restUrl().replace('0.0.0.0', '127.0.0.1'), 'GET', '/items/a', { headers: { host: 'anything.example' } });
      expect(r.status).toBe(200);
      expect(wide.stderr()).not.toContain('"route"');
      seen.push(wide.stderr());
    } finally {
      await wide.stop();
    }
  });
});

describe('limits', () => {
  it('answers 413 to a body over the limit, declared or chunked, before closing', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(4000) });
    const declared = await call(rest, 'POST', '/things', { headers: { 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect(declared.json().error).toBe('payload_too_large');
    const chunked = await rawExchange(
      rest,
      `POST /things HTTP/1.1\r\nHost: ${hostOf(rest)}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${(3000).toString(16)}\r\n${'x'.repeat(3000)}\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /);
    expect(upstream.requests).toHaveLength(0);
    await stillServes();
  });

  it('answers 400, not a stack trace, to JSON nested too deep and to an argument too long', async () => {
    const deep = '['.repeat(50) + ']'.repeat(50);
    const r = await call(rest, 'POST', '/things', { headers: { 'content-type': 'application/json' }, body: deep });
    expect(r.status).toBe(400);
    expect(r.text).toContain('nested deeper than 10');
    const long = await call(rest, 'GET', `/items/a?q=${'y'.repeat(101)}`);
    expect(long.status).toBe(400);
    expect(long.json().fields[0].field).toBe('q');
    const rpc = {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'get-items', arguments: { ids: ['a'], q: 'z'.repeat(101) } },
    };
    const m = await call(mcp, 'POST', '/mcp', { headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify(rpc) });
    expect(m.status).toBe(400);
    expect(m.json().error.message).toContain('q is longer than 100');
    expect(upstream.requests).toHaveLength(0);
    expect(server.stderr()).not.toMatch(/\n\s+at /);
    await stillServes();
  });

  it('cuts off slow headers and slow bodies with 408, and says the keep-alive timeout', async () => {
    const [headers, body] = await Promise.all([
      rawExchange(rest, `GET /items/a HTTP/1.1\r\nHost: ${hostOf(rest)}\r\nX-Slow: `, 4_000),
      rawExchange(rest, `POST /things HTTP/1.1\r\nHost: ${hostOf(rest)}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`, 4_000),
    ]);
    expect(headers).toMatch(/^HTTP\/1\.1 408 /);
    expect(body).toMatch(/^HTTP\/1\.1 408 /);
    const r = await call(rest, 'GET', '/items/a', { headers: { connection: 'keep-alive' } });
    expect(r.headers['keep-alive']).toBe('timeout=2');
    await stillServes();
  });

  it('refuses connections over the limit, and serves again once they close', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 8 }, () => new Promise<net.Socket>((resolve) => {
        const s = net.connect(Number(new URL(rest).port), '127.0.0.1', () => resolve(s));
      })),
    );
    await new Promise((r) => setTimeout(r, 100));
    await expect(request(rest, 'GET', '/items/a')).rejects.toThrow();
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    await stillServes();
  });

  it('opens at most MAX_SOCKETS connections to the upstream; more calls wait', async () => {
    upstream.reply({ delayMs: 600, body: { url: 'slow' } });
    const answers = Promise.all([1, 2, 3].map(() => call(rest, 'GET', '/items/a')));
    await until(() => upstream.requests.length >= 2, 'two upstream requests');
    await new Promise((r) => setTimeout(r, 200));
    expect(upstream.requests).toHaveLength(2);
    expect((await answers).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(upstream.requests).toHaveLength(3);
  });
});

describe('cancellation', () => {
  it('aborts the upstream request when a REST or MCP client goes away, and logs 499 without a stack', async () => {
    upstream.reply({ delayMs: 3_000 });
    const req = http.request({ host: '127.0.0.1', port: new URL(rest).port, path: '/items/gone', agent: false });
    req.on('error', () => undefined);
    req.end();
    await until(() => upstream.requests.length === 1, 'the upstream request');
    req.destroy();
    await until(() => upstream.requests[0]!.aborted === true, 'the upstream request to be aborted');
    // The same through MCP: a tool call whose client hangs up.
    const rpc = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'get-items', arguments: { ids: ['gone'] } } });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const viaMcp = http.request({ host: '127.0.0.1', port: new URL(mcp).port, path: '/mcp', method: 'POST', headers, agent: false });
    viaMcp.on('error', () => undefined);
    viaMcp.end(rpc);
    await until(() => upstream.requests.length === 2, 'the upstream request from MCP');
    viaMcp.destroy();
    await until(() => upstream.requests[1]!.aborted === true, 'the MCP upstream request to be aborted');
    // An aborted POST body is not an internal error either.
    const post = net.connect(Number(new URL(rest).port), '127.0.0.1', () =>
      post.write(`POST /things HTTP/1.1\r\nHost: ${hostOf(rest)}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"a":`),
    );
    await new Promise((r) => setTimeout(r, 100));
    post.destroy();
    await until(() => accessLines().filter((l) => l.status === 499).length >= 3, 'three 499 lines');
    expect(server.stderr()).not.toMatch(/\n\s+at /);
    expect(server.stderr()).not.toContain('"level":"error"');
    upstream.reset();
    await stillServes();
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM, answers the request in flight, then exits 0', async () => {
    const own = await startServer(project, env(), 2);
    upstream.reply({ delayMs: 800, body: { url: 'late' } });
    const answer = request(own.restUrl(), 'GET', '/items/late');
    await until(() => upstream.requests.length === 1, 'the upstream request');
    own.child.kill('SIGTERM');
    const r = await answer;
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ url: 'late' });
    const code = await new Promise<number | null>((resolve) => (own.child.exitCode !== null ? resolve(own.child.exitCode) : own.child.once('exit', resolve)));
    expect(code).toBe(0);
    seen.push(own.stderr());
  });

  it('over stdio: answers an oversized line with a JSON-RPC error, and in-flight calls at the end of input', async () => {
    upstream.reply({ delayMs: 500, body: { url: 'stdio' } });
    const child = spawn(process.execPath, [join(project.dir, 'dist/stdio.js')], { env: env({ HARD_MCP_MAX_BODY_BYTES: '4096' }), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const send = (m: unknown): boolean => child.stdin.write(JSON.stringify(m) + '\n');
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'probe', version: '1' } } });
    await until(() => out.includes('"id":1'), 'the initialize answer');
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    child.stdin.write(`{"jsonrpc":"2.0","id":2,"method":"ping","params":{"pad":"${'p'.repeat(10_000)}"}}\n`);
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'get-items', arguments: { ids: ['s'] } } });
    await until(() => upstream.requests.length === 1, 'the upstream call');
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { id?: unknown; error?: { message: string }; result?: { content: Array<{ text: string }> } });
    expect(lines.find((l) => l.id === null)?.error?.message).toContain('larger than 4096 bytes');
    expect(lines.find((l) => l.id === 3)?.result?.content[0]?.text).toBe('{"url":"stdio"}');
    expect(err).toContain('refused a message');
    expect(code).toBe(0);
    seen.push(out, err);
  });
});

describe('operations', () => {
  it('answers health on both adapters, and metrics on REST', async () => {
    for (const base of [rest, mcp]) {
      expect((await call(base, 'GET', '/health/live')).json()).toEqual({ status: 'live' });
      expect((await call(base, 'GET', '/health/ready')).status).toBe(200);
      // Probes come from addresses the Host guard does not know.
      expect((await call(base, 'GET', '/health/live', { headers: { host: '10.1.2.3:8080' } })).status).toBe(200);
    }
    await call(rest, 'GET', '/items/m');
    const metrics = await call(rest, 'GET', '/metrics');
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/http_requests_total\{adapter="hard-rest",method="GET",route="\/items\/\{ids\}",status="200"\} \d+/);
    expect((await call(mcp, 'GET', '/metrics')).status).toBe(404);
  });

  it('with READY_UPSTREAM, is not ready while the upstream is unreachable', async () => {
    const down = await startServer(project, env({ HARD_API_BASE_URI: `http://127.0.0.1:${await closedPort()}`, HARD_REST_READY_UPSTREAM: 'true' }), 2);
    try {
      const ready = await request(down.restUrl(), 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.json()).toEqual({ status: 'upstream_unreachable' });
      expect((await request(down.restUrl(), 'GET', '/health/live')).status).toBe(200);
      expect((await request(down.mcpUrl(), 'GET', '/health/ready')).status).toBe(200);
    } finally {
      await down.stop();
    }
  });

  it('writes one JSON access-log line per request, with the route and upstream status, and no query value', async () => {
    upstream.reply({ status: 503, body: { error: 'later' } });
    await call(rest, 'GET', '/items/logged?q=private-value-42');
    await until(() => accessLines().some((l) => l.route === '/items/{ids}' && l.status === 503), 'the access line');
    const line = accessLines().find((l) => l.route === '/items/{ids}' && l.status === 503)!;
    expect(line).toMatchObject({ adapter: 'hard-rest', method: 'GET', upstream: 503, query: ['q'] });
    expect(typeof line.ms).toBe('number');
    expect(typeof line.time).toBe('string');
    expect(server.stderr()).not.toContain('private-value-42');
  });

  it('flags a capability route that the health answers would hide', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'h11-'));
    const file = join(dir, 'reserved.yaml');
    const text = readFileSync(SPEC, 'utf8').replace('- path: /things', '- path: /health/{what}');
    writeFileSync(file, text);
    const r = await runCli('validate', file);
    expect(r.stdout).toMatch(/warning route-reserved: `\/health\/\{what\}` clashes with `\/health\/live`, `\/health\/ready`/);
  });
});

describe('errors as information', () => {
  it('passes an upstream error body through on REST and shows it on MCP', async () => {
    upstream.reply({ status: 500, body: { error: 'boom' } });
    const r = await call(rest, 'GET', '/items/a');
    expect(r.status).toBe(500);
    expect(r.text).toBe('{"error":"boom"}');
    mcpClient = await connectMcpHttp(`${mcp}/mcp`);
    const tool = await mcpClient.callTool({ name: 'get-items', arguments: { ids: ['a'] } });
    seen.push(JSON.stringify(tool));
    expect(tool.isError).toBe(true);
    expect((tool.content as Array<{ text: string }>)[0]!.text).toBe('HTTP 500: {"error":"boom"}');
  });

  it('relays a redirect with its Location, an error on MCP; serves HEAD where GET is', async () => {
    upstream.reply({ status: 302, body: '', headers: { location: 'https://elsewhere.example/x' } });
    const r = await call(rest, 'GET', '/items/a');
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('https://elsewhere.example/x');
    mcpClient ??= await connectMcpHttp(`${mcp}/mcp`);
    const tool = await mcpClient.callTool({ name: 'get-items', arguments: { ids: ['a'] } });
    expect(tool.isError).toBe(true);
    expect((tool.content as Array<{ text: string }>)[0]!.text).toContain('Location: https://elsewhere.example/x');
    upstream.reply({ body: { url: 'head' } });
    const head = await call(rest, 'HEAD', '/items/a');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(upstream.last().method).toBe('GET');
  });

  it('refuses at start a secret with a line break, naming the variable and not the value', async () => {
    const r = await runToExit(project, 'dist/main.js', env({ HARD_TOKEN: 'abc-secret\r\nX-Evil: 1' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the secret HARD_TOKEN contains a line break');
    expect(r.stderr).not.toContain('abc-secret');
  });

  it("honours an MCP client's Connection: close", async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'probe', version: '1' } } });
    const answer = await rawExchange(
      mcp,
      `POST /mcp HTTP/1.1\r\nHost: ${hostOf(mcp)}\r\nConnection: close\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      5_000,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer.toLowerCase()).not.toContain('keep-alive');
  });
});

describe('lists in OpenAPI default styles', () => {
  it('sends path and header lists as a,b and query lists as repeated keys, from REST and MCP', async () => {
    const r = await call(rest, 'GET', '/items/a,b?tags=x&tags=y', { headers: { 'x-flags': 'f1,f2' } });
    expect(r.status).toBe(200);
    const viaRest = upstream.last();
    expect(viaRest.url).toBe('/items/a,b?tags=x&tags=y');
    expect(viaRest.headers['x-flags']).toBe('f1,f2');
    mcpClient ??= await connectMcpHttp(`${mcp}/mcp`);
    await mcpClient.callTool({ name: 'get-items', arguments: { ids: ['a', 'b'], tags: ['x', 'y'], 'X-Flags': ['f1', 'f2'] } });
    const viaMcp = upstream.last();
    expect(viaMcp.url).toBe('/items/a,b?tags=x&tags=y');
    expect(viaMcp.headers['x-flags']).toBe('f1,f2');
  });
});

describe('afterwards', () => {
  it('still serves, and the secret reached the upstream only', async () => {
    await stillServes();
    expect(upstream.last().headers.authorization).toBe(`Bearer ${SECRET}`);
    for (const text of [...seen, server.stderr()]) expect(text).not.toContain(SECRET);
  });
});
