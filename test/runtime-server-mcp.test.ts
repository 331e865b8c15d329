/**
 * The generated MCP adapter over Streamable HTTP (templates/runtime/mcp.ts, mcp-dispatch.ts,
 * mcp-extras.ts), started in this process on 127.0.0.1:0 with a small hand-built McpServer and a fake
 * upstream, so that mutation testing sees which test covers which line. Requests are sent as raw
 * HTTP (to see statuses, content types and JSON-RPC shapes) and with the official client (both
 * protocol eras); assertions are about what the client got and what the upstream received.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer, ProtocolError, type ReadResourceResult, ResourceTemplate } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ResponseCache } from '../templates/runtime/cache.js';
import { InvalidInputError } from '../templates/runtime/inputs.js';
import { inboundAuth } from '../templates/runtime/inbound-auth.js';
import { createMcpHttpServer, refuseToolCalls, toolCallRefusal, toolFailure, toolResult } from '../templates/runtime/mcp.js';
import { promptMessages, resourceFailure, resourceFromSteps, resourceFromUpstream } from '../templates/runtime/mcp-extras.js';
import { adapterDefaults, type AdapterConfig } from '../templates/runtime/ops.js';
import { listen } from '../templates/runtime/server.js';
import { ApiClient, RequestInputError, UpstreamError, type OperationDescriptor, type UpstreamResponse } from '../templates/runtime/upstream.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { request, type HttpAnswer } from './helpers/generated-project.js';

const BOTH = 'application/json, text/event-stream';
const REFUSAL = 'The tool calls an operation that no consumed API declares.';

let upstream: FakeUpstream;
let api: ApiClient;
/** The client of the one call that is meant to time out (every other call has time to spare on a busy machine). */
let impatient: ApiClient;
let stderr = '';
const running: Array<{ server: http.Server; close: () => Promise<void> }> = [];
const clients: Client[] = [];

const getPet: OperationDescriptor = { name: 'getPet', method: 'GET', path: ['/pets/', { arg: 'id' }], query: [], headers: [], cookies: [] };

/** Resource reads kept per caller for a minute, as a generated adapter with `ttlMs` keeps them. */
const READ_CACHE = new ResponseCache<ReadResourceResult>(60_000);

/** The McpServer of the tests: an upstream tool, a failing one, a refused one, one with an output schema, a resource and a prompt. */
function buildServer(): McpServer {
  const server = new McpServer({ name: 'pets-mcp', version: '1.0.0' }, { capabilities: { tools: {}, resources: {}, prompts: {}, logging: {} } });
  server.registerTool('get-pet', { description: 'One pet.', inputSchema: z.object({ id: z.string() }) }, async (input) => {
    try {
      return toolResult(await (input.id === 'impatient' ? impatient : api).send(getPet, input), [{ type: 'object', mapping: [] }]);
    } catch (err) {
      return toolFailure(err);
    }
  });
  server.registerTool('boom', { description: 'Fails.', inputSchema: z.object({}) }, async () => {
    throw new Error('the tool broke');
  });
  server.registerTool('undeclared', { description: 'Refused.', inputSchema: z.object({}) }, async () => toolResult({ status: 200, contentType: undefined, text: '{}' }, []));
  server.registerTool(
    'pet-name',
    { description: 'A pet’s name, structured.', inputSchema: z.object({ id: z.string() }), outputSchema: z.object({ name: z.string() }) },
    async (input) => {
      try {
        return toolResult(await api.send(getPet, input), [{ type: 'object', mapping: [] }]);
      } catch (err) {
        return toolFailure(err);
      }
    },
  );
  server.registerTool('bare', { description: 'No input schema.' }, async () => ({ content: [{ type: 'text', text: 'bare' }] }));
  server.registerTool('throws-text', { description: 'Throws a string.', inputSchema: z.object({}) }, async () => {
    throw 'plain text';
  });
  server.registerTool('off', { description: 'Disabled.', inputSchema: z.object({}) }, async () => ({ content: [{ type: 'text', text: 'ran' }] })).disable();
  // A tool that logs and asks the client something: over stateless HTTP the log is dropped and the question refused.
  server.registerTool('ask', { description: 'Asks.', inputSchema: z.object({}) }, async (_args, ctx) => {
    await ctx.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', data: 'asking' } });
    const outcome = await ctx.mcpReq.send({ method: 'ping' }).then(
      () => 'answered',
      (e: Error) => e.message,
    );
    return { content: [{ type: 'text', text: outcome }] };
  });
  server.registerResource('pet', new ResourceTemplate('pets://{id}', { list: undefined }), { description: 'A pet.', mimeType: 'application/json' }, async (uri, variables) => {
    try {
      if (variables.id === 'bad') throw new InvalidInputError([{ field: 'id', problem: 'is bad' }]);
      return resourceFromUpstream(uri.href, 'application/json', await api.send(getPet, { id: variables.id }), [{ type: 'object', mapping: [] }]);
    } catch (err) {
      throw resourceFailure(err);
    }
  });
  server.registerResource('cached-pet', new ResourceTemplate('cached://{id}', { list: undefined }), { description: 'A pet, kept.', mimeType: 'application/json' }, async (uri, variables) =>
    READ_CACHE.get(uri.href, async () => {
      const upstream = await api.send(getPet, { id: variables.id });
      return { value: resourceFromUpstream(uri.href, 'application/json', upstream, []), keep: upstream.status < 300 };
    }),
  );
  server.registerPrompt('greet', { description: 'Greets.', argsSchema: { name: z.string() } }, (args) =>
    promptMessages([{ role: 'user', template: ['Hello ', { variable: ['name'] }, '!'] }], args),
  );
  return refuseToolCalls(server, [['undeclared', REFUSAL]]);
}

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
  await Promise.allSettled(clients.map((c) => c.close()));
  for (const r of running) r.server.closeAllConnections();
  await Promise.allSettled(running.map(async (r) => Promise.all([r.close(), new Promise((resolve) => r.server.close(resolve))])));
  await new Promise((r) => setTimeout(r, 40));
  vi.restoreAllMocks();
  api.close();
  impatient.close();
  await upstream.stop();
});

beforeEach(() => upstream.reset());

function config(overrides: Partial<AdapterConfig> = {}, limits: Partial<AdapterConfig['limits']> = {}): AdapterConfig {
  const base = adapterDefaults(0, '127.0.0.1');
  return { ...base, ...overrides, limits: { ...base.limits, ...limits } };
}

async function start(options: Partial<Parameters<typeof createMcpHttpServer>[0]> = {}): Promise<string> {
  const mcp = createMcpHttpServer({ name: 'pets-mcp', allowedHosts: [], build: buildServer, log: (line) => (stderr += `${line}\n`), ...options });
  running.push(mcp);
  await listen('MCP adapter pets-mcp', mcp.server, 0, '127.0.0.1', mcp.close);
  return `http://127.0.0.1:${(mcp.server.address() as AddressInfo).port}`;
}

function post(base: string, message: unknown, headers: Record<string, string> = {}, path = '/mcp'): Promise<HttpAnswer> {
  return request(base, 'POST', path, { headers: { 'content-type': 'application/json', accept: BOTH, ...headers }, body: typeof message === 'string' ? message : JSON.stringify(message) });
}

const callOf = (id: unknown, name: unknown, args: unknown, extra: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...extra } });

/** The JSON-RPC messages of an answer, whether sent as JSON or as server-sent events. */
function messages(res: HttpAnswer): any[] {
  if (String(res.headers['content-type']).startsWith('text/event-stream')) {
    return [...res.text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!));
  }
  const value = res.json();
  return Array.isArray(value) ? value : [value];
}

describe('tools/call over Streamable HTTP, answered in JSON by the shared server', () => {
  let base: string;
  beforeAll(async () => {
    base = await start();
  });

  it('calls the upstream and answers with the id the client sent, text and structured content', async () => {
    for (const id of ['req-7', 7, 0]) {
      upstream.replyOnce({ body: { id: 'p1', name: 'Rex' } });
      const res = await post(base, callOf(id, 'get-pet', { id: 'p 1' }));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
      expect(res.json()).toEqual({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: '{"id":"p1","name":"Rex"}' }], structuredContent: { id: 'p1', name: 'Rex' } } });
    }
    expect(upstream.requests.map((r) => r.url)).toEqual(['/api/pets/p%201', '/api/pets/p%201', '/api/pets/p%201']);
  });

  it('answers what the SDK answers for the same call sent as a one-item batch (its own path, over SSE)', async () => {
    const cases = [
      callOf(3, 'get-pet', { id: 'p2' }),
      callOf(4, 'get-pet', { id: 42 }),
      callOf(5, 'get-pet', undefined),
      callOf(6, 'no-such-tool', {}),
      callOf(7, 'boom', {}),
      callOf(8, 'pet-name', { id: 'p3' }),
      callOf(9, 'get-pet', { id: 'p4' }, { _meta: { progressToken: 'p' } }),
      callOf(10, 'off', {}),
      callOf(11, 'bare', {}),
      callOf(12, 'throws-text', {}),
      callOf(13, 'toString', {}),
      callOf(14, 'get-pet', null),
      callOf(15, 42, {}),
      { jsonrpc: '2.0', id: 16, method: 'tools/call' },
    ];
    for (const message of cases) {
      upstream.reply({ body: { name: 'Rex' } });
      const fast = await post(base, message);
      const viaSdk = await post(base, [message]);
      expect(fast.headers['content-type']).toBe('application/json');
      expect(viaSdk.headers['content-type']).toMatch(/^text\/event-stream/);
      expect([message.id, fast.json()]).toEqual([message.id, messages(viaSdk)[0]]);
      expect(fast.text).not.toContain('"ran"');
    }
    // Invalid arguments never reach the upstream; valid ones reach it once per request.
    expect(upstream.requests.map((r) => r.url)).toEqual(['/api/pets/p2', '/api/pets/p2', '/api/pets/p3', '/api/pets/p3', '/api/pets/p4', '/api/pets/p4']);
  });

  it('a tool that throws is a tool error with its message; an unknown one names the tool', async () => {
    expect((await post(base, callOf(1, 'boom', {}))).json().result).toEqual({ content: [{ type: 'text', text: 'the tool broke' }], isError: true });
    expect(JSON.stringify((await post(base, callOf(2, 'no-such-tool', {}))).json())).toContain('no-such-tool');
  });

  it('upstream failures are tool errors: the status and body, the Location of a redirect, a timeout', async () => {
    upstream.replyOnce({ status: 404, body: 'no such pet', contentType: 'text/plain' });
    expect((await post(base, callOf(1, 'get-pet', { id: 'x' }))).json().result).toEqual({ content: [{ type: 'text', text: 'HTTP 404: no such pet' }], isError: true });
    upstream.replyOnce({ status: 302, body: '', headers: { location: '/elsewhere' } });
    expect((await post(base, callOf(2, 'get-pet', { id: 'x' }))).json().result).toEqual({ content: [{ type: 'text', text: 'HTTP 302 (Location: /elsewhere): ' }], isError: true });
    upstream.replyOnce({ body: {}, delayMs: 1_000 });
    expect((await post(base, callOf(3, 'get-pet', { id: 'impatient' }))).json().result).toEqual({
      content: [{ type: 'text', text: 'The upstream API failed: the upstream did not answer within 200 ms.' }],
      isError: true,
    });
  });

  it('keeps concurrent calls apart, even with the same id', async () => {
    upstream.reply((r) => ({ body: { url: r.url } }));
    const ids = Array.from({ length: 12 }, (_, i) => `p${i}`);
    const answers = await Promise.all(ids.map((id) => post(base, callOf(1, 'get-pet', { id }))));
    expect(answers.map((a) => a.json().result.structuredContent.url)).toEqual(ids.map((id) => `/api/pets/${id}`));
    // The same through the shared server's SDK dispatch (a tool with an output schema).
    const viaDispatch = await Promise.all(ids.map((id) => post(base, callOf(1, 'pet-name', { id }))));
    expect(viaDispatch.map((a) => [a.json().id, a.json().result.isError])).toEqual(ids.map(() => [1, true]));
    expect(viaDispatch.map((a) => a.json().result.content[0].text).every((t: string) => t.includes('name'))).toBe(true);
  });

  it('a tool that asks the client something is told it cannot, and its notifications are dropped', async () => {
    const res = await post(base, callOf('q', 'ask', {}));
    expect([res.headers['content-type'], res.json().id]).toEqual(['application/json', 'q']);
    expect(res.json().result.content[0].text).toContain('The client cannot be asked anything over stateless HTTP.');
  });

  it('refuses a call of a refused tool with -32602 and its reason, before anything runs', async () => {
    const res = await post(base, callOf('r1', 'undeclared', {}));
    expect([res.status, res.headers['content-type'], res.json()]).toEqual([200, 'application/json', { jsonrpc: '2.0', id: 'r1', error: { code: -32602, message: REFUSAL } }]);
  });

  it('leaves to the SDK what is not a plain 2025 call: its own statuses and errors', async () => {
    const call = callOf(1, 'get-pet', { id: 'p' });
    expect((await post(base, call, { accept: 'application/json' })).status).toBe(406);
    const old = await post(base, call, { 'mcp-protocol-version': '1999-01-01' });
    expect(old.status).toBe(400);
    expect(old.text).toContain('1999-01-01');
    const modern = await post(base, call, { 'mcp-protocol-version': '2026-07-28' });
    expect(modern.status).toBe(400);
    expect(modern.json().error.code).toBe(-32602);
    // An id that is neither a string nor a number, and a client that does not accept JSON, are the SDK's.
    for (const id of [null, true]) {
      const res = await post(base, { ...call, id });
      expect([res.status, res.json().error.message]).toEqual([400, 'Bad Request: the request body is not a valid JSON-RPC message']);
    }
    expect((await post(base, call, { accept: 'text/event-stream' })).status).toBe(406);
    // A notification and a message without jsonrpc are the SDK's too.
    expect((await post(base, { jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
    expect((await post(base, { id: 1, method: 'tools/call', params: { name: 'get-pet', arguments: { id: 'p' } } })).status).toBe(400);
    expect(upstream.requests).toHaveLength(0);
  });

  it('a 2025 call with a supported version header, or MCP method headers, is still answered in JSON', async () => {
    upstream.reply({ body: { name: 'Rex' } });
    const versioned = await post(base, callOf(1, 'get-pet', { id: 'a' }), { 'mcp-protocol-version': '2025-06-18' });
    expect([versioned.headers['content-type'], versioned.json().result.structuredContent]).toEqual(['application/json', { name: 'Rex' }]);
    const headed = await post(base, callOf(2, 'get-pet', { id: 'b' }), { 'mcp-method': 'tools/call', 'mcp-name': 'get-pet' });
    expect(messages(headed)[0].result.structuredContent).toEqual({ name: 'Rex' });
    expect(upstream.requests.map((r) => r.url)).toEqual(['/api/pets/a', '/api/pets/b']);
  });

  it('keeps a cached resource per caller: the same credentials read it once, other ones again', async () => {
    upstream.reply((r) => ({ body: { url: r.url } }));
    const read = (authorization: string) =>
      post(base, { jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'cached://c7' } }, { authorization, 'mcp-protocol-version': '2025-06-18' });
    const answers = [await read('Bearer a'), await read('Bearer a'), await read('Bearer b')];
    expect(answers.map((a) => messages(a)[0].result.contents[0].text)).toEqual(Array(3).fill('{"url":"/api/pets/c7"}'));
    expect(upstream.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      ['/api/pets/c7', undefined],
      ['/api/pets/c7', undefined],
    ]);
  });

  it('answers initialize and tools/list through the SDK, over SSE', async () => {
    const init = await post(base, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    expect(init.status).toBe(200);
    expect(init.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(messages(init)[0].result).toMatchObject({ protocolVersion: '2025-06-18', serverInfo: { name: 'pets-mcp' } });
    const kept = await post(base, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { connection: 'keep-alive', 'mcp-protocol-version': '2025-06-18' });
    expect([kept.headers['content-type'], kept.headers.connection]).toEqual(['text/event-stream', 'keep-alive']);
    // A client that asks for the connection to close gets `Connection: close`, even on a stream the SDK keeps alive.
    const closing = await post(base, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { connection: 'close', 'mcp-protocol-version': '2025-06-18' });
    expect([closing.headers['content-type'], closing.headers.connection]).toEqual(['text/event-stream', 'close']);
    const list = await post(base, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-protocol-version': '2025-06-18' });
    expect(messages(list)[0].result.tools.map((t: { name: string }) => t.name)).toEqual(['get-pet', 'boom', 'undeclared', 'pet-name', 'bare', 'throws-text', 'ask']);
  });
});

describe('the official client, both protocol eras', () => {
  let base: string;
  beforeAll(async () => {
    base = await start();
  });

  for (const [era, mode] of [
    ['2025', 'legacy'],
    ['2026-07-28', { pin: '2026-07-28' }],
  ] as const) {
    it(`${era}: lists and calls tools, reads a resource, gets a prompt`, async () => {
      const client = new Client({ name: 'runtime-test', version: '1.0.0' }, { versionNegotiation: { mode } });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
      clients.push(client);
      upstream.reply({ body: { name: 'Rex' } });
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('get-pet');
      const result = await client.callTool({ name: 'get-pet', arguments: { id: 'c1' } });
      expect(result.structuredContent).toEqual({ name: 'Rex' });
      const refused = await client.callTool({ name: 'undeclared', arguments: {} }).then(
        () => 'answered',
        (e: Error) => e.message,
      );
      expect(refused).toContain(REFUSAL);
      const read = await client.readResource({ uri: 'pets://r1' });
      expect(read.contents).toEqual([{ uri: 'pets://r1', mimeType: 'application/json', text: '{"name":"Rex"}' }]);
      await expect(client.readResource({ uri: 'pets://bad' })).rejects.toThrow(/is bad/);
      const prompt = await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
      expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Hello Ada!' } }]);
      expect(upstream.requests.map((r) => r.url)).toEqual(['/api/pets/c1', '/api/pets/r1']);
    });
  }
});

describe('the adapter around MCP: endpoint, guard, limits, authentication, shutdown', () => {
  it('answers at /mcp and /, refuses other paths, Host and Origin, in JSON-RPC form', async () => {
    const base = await start();
    upstream.reply({ body: { name: 'Rex' } });
    expect((await post(base, callOf(1, 'get-pet', { id: 'root' }), {}, '/')).json().result.structuredContent).toEqual({ name: 'Rex' });
    expect((await post(base, callOf(1, 'get-pet', { id: 'q' }), {}, '/mcp?x=1')).status).toBe(200);
    const other = await post(base, callOf(1, 'get-pet', { id: 'x' }), {}, '/other');
    expect([other.status, other.json()]).toEqual([404, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'The MCP endpoint is /mcp.' } }]);
    const host = await post(base, callOf(1, 'get-pet', { id: 'x' }), { host: 'attacker.example' });
    expect([host.status, host.json()]).toEqual([403, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Refused: the host attacker.example is not served here.' } }]);
    expect((await post(base, callOf(1, 'get-pet', { id: 'x' }), { origin: 'http://attacker.example' })).status).toBe(403);
    const garbled = await post(base, '{"jsonrpc":');
    expect([garbled.status, garbled.json()]).toEqual([400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'The body is not valid JSON.' } }]);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/api/pets/root', '/api/pets/q']);
  });

  it('counts MCP requests under their endpoint in the metrics', async () => {
    const base = await start({ config: config({ metrics: true }) });
    upstream.reply({ body: {} });
    await post(base, callOf(1, 'get-pet', { id: 'm' }));
    await post(base, callOf(1, 'get-pet', { id: 'm' }), {}, '/');
    await post(base, callOf(1, 'get-pet', { id: 'm' }), {}, '/elsewhere');
    const text = (await request(base, 'GET', '/metrics')).text;
    expect(text).toContain('http_requests_total{adapter="pets-mcp",method="POST",route="/mcp",status="200"} 1\n');
    expect(text).toContain('http_requests_total{adapter="pets-mcp",method="POST",route="/",status="200"} 1\n');
    expect(text).toContain('http_requests_total{adapter="pets-mcp",method="POST",route="(no route)",status="404"} 1\n');
  });

  it('takes the allowed hosts from the options when no configuration is given', async () => {
    const base = await start({ allowedHosts: ['mcp.example.com'] });
    upstream.reply({ body: {} });
    expect((await post(base, callOf(1, 'get-pet', { id: 'h' }), { host: 'mcp.example.com' })).status).toBe(200);
    expect((await post(base, callOf(1, 'get-pet', { id: 'h' }), { host: 'other.example.com' })).status).toBe(403);
  });

  it('refuses a tool argument over the length limit, alone or in a batch, and bodies over the size cap', async () => {
    const base = await start({ config: config({}, { maxArgLength: 4, maxBodyBytes: 400 }) });
    const long = await post(base, callOf(1, 'get-pet', { id: 'abcde' }));
    expect([long.status, long.json()]).toEqual([400, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'The argument id is longer than 4 characters.' } }]);
    expect((await post(base, [callOf(1, 'get-pet', { id: 'ok' }), callOf(2, 'get-pet', { id: 'abcde' })])).status).toBe(400);
    // Arguments that are not an object are the SDK's to refuse, not the length check's.
    const listed = await post(base, callOf(3, 'get-pet', ['abcdefgh']));
    expect([listed.status, listed.text.includes('longer than')]).toEqual([200, false]);
    upstream.reply({ body: {} });
    expect((await post(base, callOf(1, 'get-pet', { id: 'abcd' }))).status).toBe(200);
    const big = await post(base, callOf(1, 'get-pet', { id: 'x'.repeat(500) }));
    expect([big.status, big.headers.connection, big.json().error]).toEqual([413, 'close', { code: -32600, message: 'The body is larger than 400 bytes.' }]);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/api/pets/abcd']);
  });

  it('refuses a caller without the credential with a JSON-RPC error, and accepts the right one', async () => {
    const base = await start({ auth: inboundAuth('pets-mcp', { kind: 'apikey', key: 'x-key', value: 'k1', placement: 'header' }) });
    const refused = await post(base, callOf(1, 'get-pet', { id: 'a' }));
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('ApiKey realm="pets-mcp", in="header", name="x-key"');
    expect(refused.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'This server requires authentication: send the `x-key` header.' } });
    upstream.reply({ body: { ok: true } });
    expect((await post(base, callOf(1, 'get-pet', { id: 'a' }), { 'x-key': 'k1' })).json().result.structuredContent).toEqual({ ok: true });
    // The credential is taken out: the upstream never sees it.
    expect(upstream.requests.map((r) => [r.url, r.headers['x-key']])).toEqual([['/api/pets/a', undefined]]);
  });

  it('a server that fails to start its shared McpServer answers -32603', async () => {
    let built = 0;
    const base = await start({
      build: () => {
        if (++built > 1) throw new Error('cannot build');
        return buildServer();
      },
    });
    const res = await post(base, callOf(1, 'get-pet', { id: 'a' }));
    expect([res.status, res.json()]).toEqual([500, { jsonrpc: '2.0', id: null, error: { code: -32603, message: 'The server failed to handle the request.' } }]);
  });

  it('on close, answers the calls still waiting in the shared server with -32000', async () => {
    const mcp = createMcpHttpServer({ name: 'closing', allowedHosts: [], build: buildServer, log: () => undefined });
    await listen('MCP adapter closing', mcp.server, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${(mcp.server.address() as AddressInfo).port}`;
    upstream.reply({ body: { name: 'late' }, delayMs: 300 });
    const pending = post(base, callOf(11, 'pet-name', { id: 'slow' }));
    for (let i = 0; i < 100 && upstream.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await mcp.close();
    const res = await pending;
    expect(res.json()).toEqual({ jsonrpc: '2.0', id: 11, error: { code: -32000, message: 'The server is shutting down.' } });
    mcp.server.closeAllConnections();
    await new Promise((resolve) => mcp.server.close(resolve));
    // Closing a server that never answered a call is quick and quiet.
    const unused = createMcpHttpServer({ name: 'unused', allowedHosts: [], build: buildServer });
    await unused.close();
  });

  it('a client that goes away stops its call in the shared server and upstream', async () => {
    const base = await start();
    upstream.reply({ body: { name: 'late' }, delayMs: 300 });
    const url = new URL(base);
    await new Promise<void>((resolve) => {
      const req = http.request(
        { host: url.hostname, port: url.port, method: 'POST', path: '/mcp', headers: { 'content-type': 'application/json', accept: BOTH }, agent: false },
        () => undefined,
      );
      req.on('error', () => resolve());
      req.end(JSON.stringify(callOf(1, 'pet-name', { id: 'gone' })));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 80);
    });
    for (let i = 0; i < 50 && !upstream.requests[0]?.aborted; i++) await new Promise((r) => setTimeout(r, 10));
    expect(upstream.requests.map((r) => [r.url, r.aborted])).toEqual([['/api/pets/gone', true]]);
  });
});

describe('tool results, failures and refusals', () => {
  const answer = (status: number, text: string, more: Partial<UpstreamResponse> = {}): UpstreamResponse => ({ status, contentType: 'application/json', text, ...more });

  it('maps JSON answers; structured content only for objects; errors of 400 and more keep their mapped body', () => {
    expect(toolResult(answer(200, '{"a":1}'), [{ type: 'object', mapping: [] }])).toEqual({ content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } });
    expect(toolResult(answer(200, '[1,2]'), [])).toEqual({ content: [{ type: 'text', text: '[1,2]' }] });
    expect(toolResult(answer(200, 'null'), [])).toEqual({ content: [{ type: 'text', text: 'null' }] });
    expect(toolResult(answer(200, '"s"'), [])).toEqual({ content: [{ type: 'text', text: '"s"' }] });
    expect(toolResult(answer(200, 'plain', { contentType: 'text/plain' }), [])).toEqual({ content: [{ type: 'text', text: 'plain' }] });
    expect(toolResult(answer(204, ''), [])).toEqual({ content: [{ type: 'text', text: 'HTTP 204 with an empty body' }] });
    expect(toolResult(answer(299, '{}'), [{ type: 'object', mapping: [] }])).toEqual({ content: [{ type: 'text', text: '{}' }], structuredContent: {} });
    expect(toolResult(answer(300, 'x'), [])).toEqual({ content: [{ type: 'text', text: 'HTTP 300: x' }], isError: true });
    expect(toolResult(answer(500, ''), [])).toEqual({ content: [{ type: 'text', text: 'HTTP 500: ' }], isError: true });
  });

  it('binary answers: images and audio as such, anything else as an embedded blob', () => {
    const bytes = Buffer.from([1, 2, 3]);
    const bin = (contentType: string | undefined) => toolResult({ status: 200, contentType, text: '', bytes, binary: true }, []);
    expect(bin('image/png')).toEqual({ content: [{ type: 'image', data: 'AQID', mimeType: 'image/png' }] });
    expect(bin('Audio/ogg')).toEqual({ content: [{ type: 'audio', data: 'AQID', mimeType: 'Audio/ogg' }] });
    expect(bin('application/pdf')).toEqual({ content: [{ type: 'resource', resource: { uri: 'data:', mimeType: 'application/pdf', blob: 'AQID' } }] });
    expect(bin(undefined)).toEqual({ content: [{ type: 'resource', resource: { uri: 'data:', mimeType: 'application/octet-stream', blob: 'AQID' } }] });
    // Marked binary without bytes: read as text.
    expect(toolResult({ status: 200, contentType: 'text/plain', text: 'hi', binary: true }, [])).toEqual({ content: [{ type: 'text', text: 'hi' }] });
  });

  it('failures: the caller’s and the upstream’s are tool errors, anything else propagates', () => {
    expect(toolFailure(new InvalidInputError([{ field: 'id', problem: 'is required' }]))).toEqual({ content: [{ type: 'text', text: 'Invalid arguments: id: is required' }], isError: true });
    expect(toolFailure(new RequestInputError('id', 'bad id'))).toEqual({ content: [{ type: 'text', text: 'Invalid arguments: bad id' }], isError: true });
    expect(toolFailure(new UpstreamError('network', 'down'))).toEqual({ content: [{ type: 'text', text: 'The upstream API failed: down.' }], isError: true });
    expect(() => toolFailure(new TypeError('bug'))).toThrow('bug');
  });

  it('refusals: only a tools/call request with an id of a refused tool', () => {
    const refused = new Map([['t', 'no']]);
    const call = { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 't' } };
    expect(toolCallRefusal(call, refused)).toEqual({ jsonrpc: '2.0', id: 5, error: { code: -32602, message: 'no' } });
    expect(toolCallRefusal({ ...call, id: 0 }, refused)).toEqual({ jsonrpc: '2.0', id: 0, error: { code: -32602, message: 'no' } });
    for (const other of [{ ...call, id: undefined }, { ...call, method: 'tools/list' }, { ...call, params: { name: 'u' } }, { ...call, params: { name: 1 } }, { ...call, params: undefined }, [call], null, 'x']) {
      expect(toolCallRefusal(other, refused)).toBeUndefined();
    }
    expect(toolCallRefusal(call, undefined)).toBeUndefined();
  });
});

describe('resources and prompts', () => {
  const upstreamOf = (status: number, text: string, more: Partial<UpstreamResponse> = {}): UpstreamResponse => ({ status, contentType: 'application/json', text, ...more });

  it('a resource read through a call: mapped JSON, or the body as it came, or a blob', () => {
    expect(resourceFromUpstream('u://1', 'application/json', upstreamOf(200, '{"a":1,"b":2}'), [{ type: 'object', mapping: [], properties: { a: { type: 'number', mapping: ['a'] } } }])).toEqual({
      contents: [{ uri: 'u://1', mimeType: 'application/json', text: '{"a":1}' }],
    });
    expect(resourceFromUpstream('u://2', 'text/plain', upstreamOf(200, 'hello', { contentType: 'text/plain' }), [])).toEqual({ contents: [{ uri: 'u://2', mimeType: 'text/plain', text: 'hello' }] });
    expect(resourceFromUpstream('u://3', 'image/png', upstreamOf(200, 'AB', { bytes: Buffer.from([0, 255]) }), [], true)).toEqual({ contents: [{ uri: 'u://3', mimeType: 'image/png', blob: 'AP8=' }] });
    expect(resourceFromUpstream('u://4', 'image/png', upstreamOf(200, 'AB'), [], true)).toEqual({ contents: [{ uri: 'u://4', mimeType: 'image/png', blob: 'QUI=' }] });
    // A binary answer carries its own media type; without one, the resource's.
    expect(resourceFromUpstream('u://5', 'application/octet-stream', upstreamOf(200, '', { binary: true, contentType: 'image/gif', bytes: Buffer.from('G') }), [])).toEqual({
      contents: [{ uri: 'u://5', mimeType: 'image/gif', blob: 'Rw==' }],
    });
    expect(resourceFromUpstream('u://6', 'application/x', upstreamOf(200, '', { binary: true, contentType: undefined, bytes: Buffer.from('G') }), [])).toEqual({
      contents: [{ uri: 'u://6', mimeType: 'application/x', blob: 'Rw==' }],
    });
    // A failed binary read is the error's text, not a blob.
    for (const status of [199, 300, 404]) {
      expect(resourceFromUpstream('u://7', 'image/png', upstreamOf(status, 'nope', { contentType: 'text/plain' }), [], true)).toEqual({ contents: [{ uri: 'u://7', mimeType: 'image/png', text: 'nope' }] });
    }
  });

  it('a resource read through steps: the mapped object, the last answer, or nothing', () => {
    expect(resourceFromSteps('s://1', 'application/json', { mapped: { a: 1 } }, [])).toEqual({ contents: [{ uri: 's://1', mimeType: 'application/json', text: '{"a":1}' }] });
    expect(resourceFromSteps('s://2', 'application/json', { last: upstreamOf(200, '{"b":2}') }, [])).toEqual({ contents: [{ uri: 's://2', mimeType: 'application/json', text: '{"b":2}' }] });
    expect(resourceFromSteps('s://3', 'image/png', { last: upstreamOf(200, 'Z') }, [], true)).toEqual({ contents: [{ uri: 's://3', mimeType: 'image/png', blob: 'Wg==' }] });
    expect(resourceFromSteps('s://4', 'text/plain', { last: undefined }, [])).toEqual({ contents: [{ uri: 's://4', mimeType: 'text/plain', text: '' }] });
  });

  it('a refused read is invalid params; other failures pass through', () => {
    for (const err of [new InvalidInputError([{ field: 'id', problem: 'is bad' }]), new RequestInputError('id', 'bad')]) {
      const failure = resourceFailure(err) as ProtocolError;
      expect(failure).toBeInstanceOf(ProtocolError);
      expect([failure.code, failure.message]).toEqual([-32602, err.message]);
    }
    const other = new UpstreamError('timeout', 'slow');
    expect(resourceFailure(other)).toBe(other);
  });

  it('prompt messages are filled from the arguments, a missing one empty', () => {
    expect(
      promptMessages(
        [
          { role: 'user', template: ['Ask about ', { variable: ['topic'] }, '.'] },
          { role: 'assistant', template: [{ variable: ['missing'] }] },
        ],
        { topic: 'ships' },
      ),
    ).toEqual({
      messages: [
        { role: 'user', content: { type: 'text', text: 'Ask about ships.' } },
        { role: 'assistant', content: { type: 'text', text: '' } },
      ],
    });
  });
});
