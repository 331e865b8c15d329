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
  server.registerTool('seen', { description: 'Says how it was called.', inputSchema: z.object({ word: z.string().default('none') }) }, (...received: unknown[]) => seen(received));
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
