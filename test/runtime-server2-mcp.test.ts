/**
 * The MCP adapter over Streamable HTTP (templates/runtime/mcp.ts and mcp-dispatch.ts), each test
 * building its own adapter and McpServer on 127.0.0.1:0: Stryker's vitest runner switches a mutant
 * on per test, so set-up code run in a `beforeAll` would run unmutated. Only the fake upstream and
 * its client are shared. Requests are raw JSON-RPC over loopback HTTP; assertions are about what
 * the client got, what the upstream received, and which path answered a call (the shared server
 * runs a plain call's handler directly, with its arguments only; the SDK adds its own context).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createMcpHttpServer, refuseToolCalls, toolFailure, toolResult } from '../templates/runtime/mcp.js';
import { adapterDefaults, type AdapterConfig } from '../templates/runtime/ops.js';
import { ApiClient, type OperationDescriptor } from '../templates/runtime/upstream.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { request, type HttpAnswer } from './helpers/generated-project.js';

const BOTH = 'application/json, text/event-stream';
const REFUSAL = 'No consumed API declares this operation.';

let upstream: FakeUpstream;
let api: ApiClient;
let stderr = '';
let running: Array<{ server: http.Server; close: () => Promise<void> }> = [];

const getPet: OperationDescriptor = { name: 'getPet', method: 'GET', path: ['/pets/', { arg: 'id' }], query: [], headers: [], cookies: [] };

beforeAll(async () => {
  upstream = await startFakeUpstream();
  api = new ApiClient({ namespace: 'pets', baseUri: upstream.url, timeoutMs: 10_000 });
});

afterAll(async () => {
  api.close();
  await upstream.stop();
});

beforeEach(() => {
  upstream.reset();
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    stderr += String(text);
    return true;
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const r of running) r.server.closeAllConnections();
  await Promise.allSettled(running.map((r) => Promise.all([r.close(), new Promise((resolve) => r.server.close(resolve))])));
  running = [];
});

/** What a tool handler received: how many arguments (1 when run directly, 2 through the SDK) and its input. */
type Seen = { count: number; input: unknown };

/** A small McpServer: an upstream tool, a tool that reports how it was called, a refused one. */
function pets(extra?: (server: McpServer) => void, options?: ConstructorParameters<typeof McpServer>[1]): McpServer {
  const server = new McpServer({ name: 'pets', version: '1.0.0' }, options ?? { capabilities: { tools: {} } });
  server.registerTool('get-pet', { description: 'One pet.', inputSchema: z.object({ id: z.string() }) }, async (input) => {
    try {
      return toolResult(await api.send(getPet, input), [{ type: 'object', mapping: [] }]);
    } catch (err) {
      return toolFailure(err);
    }
  });
  server.registerTool('seen', { description: 'Says how it was called.', inputSchema: z.object({ word: z.string().default('none') }) }, (input: unknown, ...rest: unknown[]) => seen([input, ...rest]));
  server.registerTool('undeclared', { description: 'Refused.', inputSchema: z.object({}) }, async () => ({ content: [] }));
  extra?.(server);
  return refuseToolCalls(server, [['undeclared', REFUSAL]]);
}

function seen(received: unknown[]): { content: Array<{ type: 'text'; text: string }>; structuredContent: Seen } {
  const value: Seen = { count: received.length, input: received[0] };
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

function config(overrides: Partial<AdapterConfig> = {}, limits: Partial<AdapterConfig['limits']> = {}): AdapterConfig {
  const base = adapterDefaults(0, '127.0.0.1');
  return { ...base, ...overrides, limits: { ...base.limits, ...limits } };
}

/** Starts an adapter on 127.0.0.1:0 inside the test; it is stopped after the test. */
async function start(options: Partial<Parameters<typeof createMcpHttpServer>[0]> = {}): Promise<string> {
  const mcp = createMcpHttpServer({ name: 'pets', allowedHosts: [], build: () => pets(), log: (line) => (stderr += `log: ${line}\n`), ...options });
  running.push(mcp);
  await new Promise<void>((resolve) => mcp.server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(mcp.server.address() as AddressInfo).port}`;
}

function post(base: string, message: unknown, headers: Record<string, string> = {}, method = 'POST'): Promise<HttpAnswer> {
  return request(base, method, '/mcp', { headers: { 'content-type': 'application/json', accept: BOTH, ...headers }, body: typeof message === 'string' ? message : JSON.stringify(message) });
}

const callOf = (id: unknown, name: unknown, args?: unknown, extra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, ...(args === undefined ? {} : { arguments: args }), ...extra },
});

/** The JSON-RPC messages of an answer, whether sent as JSON or as server-sent events. */
function messages(res: HttpAnswer): any[] {
  if (String(res.headers['content-type']).startsWith('text/event-stream')) {
    return [...res.text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!));
  }
  const value = res.json();
  return Array.isArray(value) ? value : [value];
}

/** How the `seen` tool was called: 'direct' (its arguments only), 'sdk' (with the SDK's context), or the error. */
async function pathOf(base: string, message: unknown, headers: Record<string, string> = {}): Promise<string> {
  const res = await post(base, message, headers);
  const m = messages(res)[0];
  if (m.error) return `error ${m.error.code}`;
  if (m.result.isError) return `tool error: ${m.result.content[0].text}`;
  return m.result.structuredContent.count === 1 ? 'direct' : 'sdk';
}

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };

describe('the adapter around MCP, built in each test', () => {
  it('logs the SDK’s failures with the adapter’s name, to stderr by default, and warns when it listens beyond loopback', async () => {
    let failing = false;
    // Listening beyond loopback is only what the configuration says (the socket stays on 127.0.0.1): no Host guard then.
    const base = await start({
      log: undefined,
      config: config({ host: '0.0.0.0' }),
      build: () => {
        if (failing) throw new Error('cannot build now');
        return pets();
      },
    });
    expect(stderr).toContain('warning: MCP adapter pets listens on 0.0.0.0, beyond this machine, without inbound authentication');
    failing = true;
    const init = await post(base, INIT);
    expect([init.status, init.json().error.code]).toEqual([500, -32603]);
    expect(stderr).toContain('[pets] cannot build now\n');
    // A Host that makes no URL fails in the SDK's Node adapter, which says so through the same log.
    const bad = await post(base, INIT, { host: 'bad host' });
    expect(bad.status).toBe(500);
    expect(stderr).toMatch(/^\[pets\] .*bad host/m);
  });

  it('logs through the given function when there is one, and nothing to stderr', async () => {
    const lines: string[] = [];
    const base = await start({ log: (line) => lines.push(line), config: config({ host: '0.0.0.0' }) });
    await post(base, INIT, { host: 'bad host' });
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/^\[pets\] .*bad host/);
    expect(stderr).not.toContain('[pets]');
  });

  it('reads a body only from a POST: other methods are the SDK’s, whatever they carry', async () => {
    const base = await start({ config: config({}, { maxArgLength: 4 }) });
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      for (const message of [callOf(1, 'get-pet', { id: 'abcdefgh' }), callOf(2, 'undeclared', {})]) {
        const res = await post(base, message, {}, method);
        expect([method, res.status, res.json().error.message]).toEqual([method, 405, 'Method not allowed.']);
      }
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it('a JSON body of null, a number or a string is the SDK’s to refuse', async () => {
    const base = await start();
    for (const body of ['null', '7', '"tools/call"']) {
      const res = await post(base, body);
      expect([body, res.status, res.json().error.message]).toEqual([body, 400, 'Bad Request: the request body is not a valid JSON-RPC message']);
    }
  });

  it('checks the length of every argument of a batch, past items that are not requests', async () => {
    const base = await start({ config: config({}, { maxArgLength: 4 }) });
    const res = await post(base, [null, 5, { jsonrpc: '2.0', method: 'notifications/initialized' }, callOf(2, 'get-pet', { id: 'abcdefgh' })]);
    expect([res.status, res.json()]).toEqual([400, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'The argument id is longer than 4 characters.' } }]);
    expect(upstream.requests).toHaveLength(0);
  });

  it('refuses a refused tool with -32602 and keeps the id; other tools run', async () => {
    const base = await start();
    const res = await post(base, callOf('r', 'undeclared', {}));
    expect([res.status, res.headers['content-type'], res.json()]).toEqual([200, 'application/json', { jsonrpc: '2.0', id: 'r', error: { code: -32602, message: REFUSAL } }]);
    upstream.reply({ body: { name: 'Rex' } });
    expect((await post(base, callOf('g', 'get-pet', { id: 'p1' }))).json()).toEqual({
      jsonrpc: '2.0',
      id: 'g',
      result: { content: [{ type: 'text', text: '{"name":"Rex"}' }], structuredContent: { name: 'Rex' } },
    });
    expect(upstream.requests.map((r) => r.url)).toEqual(['/pets/p1']);
  });
});

describe('which calls the shared server runs directly (mcp-dispatch.ts)', () => {
  it('a plain 2025 call of a plain tool runs its handler directly, with the input as its schema outputs it, answered in JSON', async () => {
    const base = await start();
    for (const [headers, args] of [
      [{}, {}],
      [{ 'mcp-protocol-version': '2025-11-25' }, { word: 'w' }],
      [{ 'mcp-protocol-version': '2025-06-18' }, undefined],
      [{ 'mcp-protocol-version': '2025-03-26' }, {}],
      [{ 'mcp-protocol-version': '2024-11-05' }, {}],
      [{ 'mcp-method': 'tools/call', 'mcp-name': 'seen' }, {}],
    ] as const) {
      const res = await post(base, callOf(9, 'seen', args), headers);
      expect([res.headers['content-type'], res.headers['content-length']]).toEqual(['application/json', String(Buffer.byteLength(res.text))]);
      const answer = res.json();
      expect([answer.jsonrpc, answer.id, answer.result.structuredContent]).toEqual(['2.0', 9, { count: 1, input: { word: args?.word ?? 'none' } }]);
    }
  });

  it('anything more than a plain call of a plain tool goes through the SDK', async () => {
    const base = await start({
      build: () =>
        pets((server) => {
          server.registerTool('shaped', { description: 'Output schema.', inputSchema: z.object({}), outputSchema: z.object({ count: z.number(), input: z.unknown() }) }, (...r: unknown[]) => seen(r));
          server.registerTool('scoped', { description: 'Scope challenge.', inputSchema: z.object({}), scopeChallenge: () => undefined }, (...r: unknown[]) => seen(r));
          server.registerTool('two', { description: 'Takes the context.', inputSchema: z.object({}) }, (a: unknown, b: unknown) => seen(b === undefined ? [a] : [a, b]));
          server.registerTool('slow-schema', { description: 'Async refinement.', inputSchema: z.object({}).refine(async () => true) }, (...r: unknown[]) => seen(r));
          server.registerTool('42', { description: 'A number for a name.', inputSchema: z.object({}) }, (...r: unknown[]) => seen(r));
          const tasked = server.registerTool('tasked', { description: 'Tasks.', inputSchema: z.object({}) }, (...r: unknown[]) => seen(r));
          (tasked as { execution?: unknown }).execution = { taskSupport: 'optional' };
        }),
    });
    expect(await pathOf(base, callOf(1, 'seen', {}, { extra: true }))).toBe('sdk');
    expect(await pathOf(base, callOf(1, 'seen', {}, { _meta: { progressToken: 'p' } }))).toBe('sdk');
    for (const name of ['shaped', 'scoped', 'two', 'slow-schema', 'tasked']) expect([name, await pathOf(base, callOf(1, name, {}))]).toEqual([name, 'sdk']);
    // A name that is not a string is refused by the SDK, even when a tool is called that in text.
    expect(await pathOf(base, callOf(1, 42, {}))).toBe('error -32602');
    expect(await pathOf(base, callOf(1, '42', {}))).toBe('direct');
    // Arguments that are not an object are the SDK's to refuse.
    for (const args of [null, [], 'word', 3]) expect([args, await pathOf(base, callOf(1, 'seen', args))]).toEqual([args, expect.stringMatching(/^(error -32602|tool error: .*Invalid arguments)/)]);
  });

  it('a server with an input element limit lets the SDK count them', async () => {
    const base = await start({ build: () => pets(undefined, { capabilities: { tools: {} }, maxToolInputElements: 3 }) });
    expect(await pathOf(base, callOf(1, 'seen', {}))).toBe('sdk');
    expect(await pathOf(base, callOf(1, 'seen', { word: 'a', b: [1, 2, 3, 4] }))).toMatch(/more than the maximum of 3 elements/);
  });

  it('what is not a 2025 request is the SDK’s: another jsonrpc, a modern header, an envelope, params that are not an object', async () => {
    const base = await start();
    const call = callOf(1, 'seen', {});
    const old = await post(base, { ...call, jsonrpc: '1.0' });
    expect([old.status, old.json().error.message]).toEqual([400, 'Bad Request: the request body is not a valid JSON-RPC message']);
    const modern = await post(base, call, { 'mcp-protocol-version': '2026-07-28' });
    expect([modern.status, modern.json().error.code]).toEqual([400, -32602]);
    const claimed = await post(base, callOf(1, 'seen', {}, { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } }));
    expect([claimed.status, claimed.json().error.message]).toEqual([400, expect.stringContaining('Invalid _meta envelope')]);
    for (const params of [null, [], 'x']) {
      const res = await post(base, { jsonrpc: '2.0', id: 1, method: 'tools/call', params });
      expect([params, res.status]).toEqual([params, 400]);
    }
    const plainless = await post(base, { jsonrpc: '2.0', id: 1, method: 'tools/call' });
    expect(plainless.json().error.code).toBe(-32602);
    // Without an Accept header the SDK refuses the request.
    const res = await request(base, 'POST', '/mcp', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(call) });
    expect(res.status).toBe(406);
  });
});

/** Waits until `check` holds (at most about a second). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

/** Sends a call and drops the connection once `ready` holds, before the answer. */
async function callAndLeave(base: string, message: unknown, ready: () => boolean): Promise<void> {
  const url = new URL(base);
  const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/mcp', headers: { 'content-type': 'application/json', accept: BOTH }, agent: false });
  req.on('error', () => undefined);
  req.end(JSON.stringify(message));
  await until(ready);
  req.destroy();
}

describe('calls through the shared server’s SDK dispatch', () => {
  it('a client that goes away cancels its call: the tool’s signal aborts, the upstream call is dropped', async () => {
    const aborted: string[] = [];
    let started = 0;
    const base = await start({
      build: () =>
        pets((server) => {
          server.registerTool('wait', { description: 'Waits to be cancelled.', inputSchema: z.object({ id: z.string() }) }, async ({ id }, ctx) => {
            started++;
            ctx.mcpReq.signal.addEventListener('abort', () => aborted.push(`${id}: ${ctx.mcpReq.signal.reason}`));
            try {
              return toolResult(await api.send(getPet, { id }), []);
            } catch (err) {
              return toolFailure(err);
            }
          });
        }),
    });
    upstream.reply({ body: { late: true }, delayMs: 2_000 });
    await callAndLeave(base, callOf(1, 'wait', { id: 'w1' }), () => upstream.requests.length === 1);
    await until(() => aborted.length === 1 && upstream.requests[0]?.aborted === true);
    expect([started, aborted, upstream.requests.map((r) => [r.url, r.aborted])]).toEqual([1, ['w1: The HTTP client went away.'], [['/pets/w1', true]]]);
  });

  it('a call run directly also drops its upstream call when the client goes away', async () => {
    const base = await start();
    upstream.reply({ body: { late: true }, delayMs: 2_000 });
    await callAndLeave(base, callOf(1, 'get-pet', { id: 'd1' }), () => upstream.requests.length === 1);
    await until(() => upstream.requests[0]?.aborted === true);
    expect(upstream.requests.map((r) => [r.url, r.aborted])).toEqual([['/pets/d1', true]]);
  });

  it('a tool that asks the client something is told it cannot; its notifications are dropped; concurrent calls keep their ids', async () => {
    const base = await start({
      build: () =>
        pets((server) => {
          server.registerTool('ask', { description: 'Asks.', inputSchema: z.object({ n: z.number() }) }, async ({ n }, ctx) => {
            await ctx.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', data: 'asking' } });
            const outcome = await ctx.mcpReq.send({ method: 'ping' }).then(
              () => 'answered',
              (e: Error & { code?: number }) => `${e.code} ${e.message}`,
            );
            return { content: [{ type: 'text', text: `${n}: ${outcome}` }] };
          });
        }, { capabilities: { tools: {}, logging: {} } }),
    });
    const answers = await Promise.all([1, 2, 3].map((n) => post(base, callOf(n % 2 === 0 ? 'same' : n, 'ask', { n }))));
    expect(answers.map((a) => [a.headers['content-type'], a.json().id, a.json().result.content[0].text])).toEqual(
      [1, 2, 3].map((n) => ['application/json', n % 2 === 0 ? 'same' : n, `${n}: -32601 The client cannot be asked anything over stateless HTTP.`]),
    );
  });

  it('on close, answers the calls still waiting with -32000 and closes the shared server; closing an unused adapter is quiet', async () => {
    let closed = 0;
    let holding = false;
    const base = await start({
      build: () => {
        const server = pets((s) => {
          s.registerTool('hold', { description: 'Waits.', inputSchema: z.object({}) }, (_args, ctx) => {
            holding = true;
            return new Promise((resolve) => ctx.mcpReq.signal.addEventListener('abort', () => resolve({ content: [] })));
          });
        });
        server.server.onclose = () => closed++;
        return server;
      },
    });
    // A call answered through the SDK before: it is not answered again.
    expect((await post(base, callOf(4, 'seen', {}, { extra: 1 }))).json().result.structuredContent.count).toBe(2);
    const waiting = post(base, callOf(5, 'hold', {}));
    const mcp = running[0]!;
    await until(() => holding);
    await expect(mcp.close()).resolves.toBeUndefined();
    expect([(await waiting).json(), closed]).toEqual([{ jsonrpc: '2.0', id: 5, error: { code: -32000, message: 'The server is shutting down.' } }, 1]);
    const unused = createMcpHttpServer({ name: 'unused', allowedHosts: [], build: () => pets() });
    await unused.close();
    unused.server.close();
  });

  it('a close that comes while the shared server is starting waits for it, then closes it', async () => {
    let closed = 0;
    let connecting: (() => void) | undefined;
    const base = await start({
      build: () => {
        const server = pets();
        const connect = server.connect.bind(server);
        server.connect = async (transport) => {
          await new Promise<void>((resolve) => (connecting = resolve));
          return connect(transport);
        };
        server.server.onclose = () => closed++;
        return server;
      },
    });
    const answer = post(base, callOf(1, 'seen', {}));
    await until(() => connecting !== undefined);
    const closing = running[0]!.close();
    connecting!();
    await closing;
    expect(closed).toBe(1);
    running[0]!.server.closeAllConnections();
    await answer.catch(() => undefined);
  });

  it('a shared server that failed to build is built again for the next call', async () => {
    let builds = 0;
    const base = await start({
      build: () => {
        // The first build is the adapter's own (the refused tools), the second one the shared server's.
        if (++builds === 2) throw new Error('not now');
        return pets();
      },
    });
    const failed = await post(base, callOf(1, 'seen', {}));
    expect([failed.status, failed.json()]).toEqual([500, { jsonrpc: '2.0', id: null, error: { code: -32603, message: 'The server failed to handle the request.' } }]);
    expect((await post(base, callOf(2, 'seen', {}))).json().result.structuredContent).toEqual({ count: 1, input: { word: 'none' } });
    expect(builds).toBe(3);
    // The failure logged is the build's own.
    expect(stderr).toMatch(/"level":"error".*Error: not now/);
  });

  it('a close that comes while the shared server fails to start is quiet', async () => {
    let failing: ((error: Error) => void) | undefined;
    const base = await start({
      build: () => {
        const server = pets();
        server.connect = () => new Promise((_resolve, reject) => (failing = reject));
        return server;
      },
    });
    const answer = post(base, callOf(1, 'seen', {}));
    await until(() => failing !== undefined);
    const closing = running[0]!.close();
    failing!(new Error('no transport'));
    await expect(closing).resolves.toBeUndefined();
    expect((await answer).status).toBe(500);
  });
});

describe('tool results without a JSON body', () => {
  it('an empty or non-JSON answer is passed on as text, even when the outputs have a fixed value or properties', () => {
    const outputs = [{ type: 'object' as const, properties: { a: { type: 'string' as const, value: 'fixed' } } }];
    expect(toolResult({ status: 204, contentType: 'application/json', text: '' }, outputs)).toEqual({ content: [{ type: 'text', text: 'HTTP 204 with an empty body' }] });
    expect(toolResult({ status: 200, contentType: 'text/plain', text: 'hello' }, outputs)).toEqual({ content: [{ type: 'text', text: 'hello' }] });
    // Structured content is an object: a mapped list or text is given as text only.
    const pets = '[{"name":"Rex"}]';
    expect(toolResult({ status: 200, contentType: 'application/json', text: pets }, [{ type: 'array', mapping: [] }])).toEqual({ content: [{ type: 'text', text: pets }] });
    expect(toolResult({ status: 200, contentType: 'application/json', text: pets }, [{ type: 'string', mapping: [0, 'name'] }])).toEqual({ content: [{ type: 'text', text: '"Rex"' }] });
    // With a JSON body, the same outputs give the fixed value.
    expect(toolResult({ status: 200, contentType: 'application/json', text: '{}' }, outputs)).toEqual({ content: [{ type: 'text', text: '{"a":"fixed"}' }], structuredContent: { a: 'fixed' } });
  });
});
