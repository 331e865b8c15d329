/**
 * MCP over stdio (templates/runtime/stdio.ts) in this process: process.stdin is replaced by a stream
 * the test writes lines to, and process.stdout.write is captured, so that mutation testing sees the
 * module. Assertions are about the lines a client reads back and what the fake upstream received.
 */
import { PassThrough } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { refuseToolCalls, runMcpStdio, toolFailure, toolResult } from '../templates/runtime/mcp.js';
import { ApiClient, type OperationDescriptor } from '../templates/runtime/upstream.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';

let upstream: FakeUpstream;
let api: ApiClient;
let stdout = '';
let stderr = '';
const realStdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;

const getPet: OperationDescriptor = { name: 'getPet', method: 'GET', path: ['/pets/', { arg: 'id' }], query: [], headers: [], cookies: [] };

function build(): McpServer {
  const server = new McpServer({ name: 'stdio-pets', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool('get-pet', { description: 'One pet.', inputSchema: z.object({ id: z.string() }) }, async (input) => {
    try {
      return toolResult(await api.send(getPet, input), [{ type: 'object', mapping: [] }]);
    } catch (err) {
      return toolFailure(err);
    }
  });
  server.registerTool('undeclared', { description: 'Refused.', inputSchema: z.object({}) }, async () => ({ content: [] }));
  return refuseToolCalls(server, [['undeclared', 'No such operation.']]);
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  api = new ApiClient({ namespace: 'pets', baseUri: upstream.url, timeoutMs: 10_000 });
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    stdout += String(chunk);
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    stderr += String(text);
    return true;
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  Object.defineProperty(process, 'stdin', realStdin);
  api.close();
  await upstream.stop();
});

beforeEach(() => {
  upstream.reset();
  stdout = '';
  stderr = '';
});

/** Starts a stdio server on a fresh input stream; `ended` resolves when it has answered everything after the input ends. */
function serve(options: { maxLineBytes?: number; graceMs?: number } = {}): { input: PassThrough; ended: Promise<void> } {
  const input = new PassThrough();
  Object.defineProperty(process, 'stdin', { value: input, configurable: true, writable: true });
  let done!: () => void;
  const ended = new Promise<void>((resolve) => (done = resolve));
  runMcpStdio(build, { ...options, onEnd: done });
  return { input, ended };
}

function lines(): any[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
}

const INIT = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
const call = (id: unknown, name: string, args: unknown) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
const line = (message: unknown) => `${JSON.stringify(message)}\n`;

describe('MCP over stdio', () => {
  it('answers one JSON line per request, calls the upstream, and refuses refused tools itself', async () => {
    const { input, ended } = serve();
    upstream.reply({ body: { name: 'Rex' } });
    input.write(line(INIT) + line({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    // Two messages in one chunk, and one split across chunks.
    const split = line(call('b', 'get-pet', { id: 'p2' }));
    input.write(line(call('a', 'get-pet', { id: 'p1' })) + line(call(7, 'undeclared', {})) + split.slice(0, 10));
    input.write(split.slice(10));
    input.end();
    await ended;
    const byId = new Map(lines().map((m) => [m.id, m]));
    expect(byId.get(0).result.serverInfo.name).toBe('stdio-pets');
    expect(byId.get('a').result.structuredContent).toEqual({ name: 'Rex' });
    expect(byId.get('b').result.structuredContent).toEqual({ name: 'Rex' });
    expect(byId.get(7)).toEqual({ jsonrpc: '2.0', id: 7, error: { code: -32602, message: 'No such operation.' } });
    expect(upstream.requests.map((r) => r.url).sort()).toEqual(['/pets/p1', '/pets/p2']);
  });

  it('refuses a line over the limit with one error line, whether it comes whole or in pieces, and serves the rest', async () => {
    const { input, ended } = serve({ maxLineBytes: 200 });
    upstream.reply({ body: { ok: 1 } });
    input.write(line(INIT));
    input.write(line(call(1, 'get-pet', { id: 'x'.repeat(300) })));
    // A long line in several chunks: refused as soon as it passes the limit, the rest of it dropped.
    input.write(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get-pet","arguments":{"id":"${'y'.repeat(250)}`);
    input.write('y'.repeat(100));
    input.write('y'.repeat(250));
    input.write(`${'y'.repeat(10)}"}}}\n`);
    // Two chunks within the limit each, over it together: refused when the line ends.
    const pieces = line(call(5, 'get-pet', { id: 'w'.repeat(180) }));
    input.write(pieces.slice(0, 150));
    input.write(pieces.slice(150));
    input.write(line(call(3, 'get-pet', { id: 'short' })));
    // Exactly at the limit is accepted.
    const exact = JSON.stringify(call(4, 'get-pet', { id: '' }));
    input.write(line(call(4, 'get-pet', { id: 'z'.repeat(200 - exact.length) })));
    input.end();
    await ended;
    const out = lines();
    const refusals = out.filter((m) => m.id === null);
    expect(refusals).toHaveLength(3);
    expect(refusals[0]).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'The message is larger than 200 bytes.' } });
    expect(out.find((m) => m.id === 3).result.structuredContent).toEqual({ ok: 1 });
    expect(out.find((m) => m.id === 4).result.structuredContent).toEqual({ ok: 1 });
    expect(out.some((m) => m.id === 1 || m.id === 2 || m.id === 5)).toBe(false);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/pets/short', `/pets/${'z'.repeat(200 - exact.length)}`]);
    expect(stderr).toMatch(/^MCP stdio: refused a message of (\d+) bytes or more \(the limit is 200\)$/m);
    const sizes = [...stderr.matchAll(/refused a message of (\d+) bytes/g)].map((m) => Number(m[1]));
    expect(sizes.map((n) => n > 200)).toEqual([true, true, true]);
    expect(sizes[2]).toBe(Buffer.byteLength(pieces) - 1);
  });

  it('at the end of input, answers the requests in flight before it stops', async () => {
    const { input, ended } = serve();
    upstream.reply({ body: { late: true }, delayMs: 150 });
    input.write(line(INIT));
    await until(() => lines().length === 1);
    input.write(line(call('slow', 'get-pet', { id: 's' })));
    input.end();
    await ended;
    expect(lines().find((m) => m.id === 'slow').result.structuredContent).toEqual({ late: true });
  });

  it('stops after the grace period when a request in flight takes longer', async () => {
    const { input, ended } = serve({ graceMs: 50 });
    upstream.reply({ body: { late: true }, delayMs: 600 });
    input.write(line(INIT));
    await until(() => lines().length === 1);
    input.write(line(call('slow', 'get-pet', { id: 's' })));
    await until(() => upstream.requests.length === 1);
    input.end();
    await ended;
    expect(lines().some((m) => m.id === 'slow')).toBe(false);
  });

  it('ends at once when nothing is in flight, and a request id of null or a response does not count as one', async () => {
    const { input, ended } = serve({ graceMs: 60_000 });
    input.write(line(INIT));
    await until(() => lines().length === 1);
    input.write(line({ jsonrpc: '2.0', id: null, method: 'ping' }) + line({ jsonrpc: '2.0', id: 'r', result: {} }) + 'not json\n');
    await new Promise((r) => setTimeout(r, 30));
    input.end();
    await ended;
  }, 5_000);
});

describe('MCP over stdio: where lines break and how long they may be', () => {
  it('serves a line whose break comes first in the next chunk', async () => {
    const { input, ended } = serve();
    const first = line(INIT);
    input.write(first.slice(0, -1));
    input.write(`\n${line({ jsonrpc: '2.0', id: 'p', method: 'ping' })}`);
    input.end();
    await ended;
    expect(lines().map((m) => m.id)).toEqual([0, 'p']);
  });

  it('refuses a line as soon as it is over the limit, before its end comes, and says how long it was', async () => {
    const { input, ended } = serve({ maxLineBytes: 200 });
    input.write(line(INIT));
    await until(() => lines().length === 1);
    const start = `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${'x'.repeat(120)}`;
    input.write(start);
    input.write('x'.repeat(100));
    await until(() => lines().length === 2);
    expect(lines()[1]).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'The message is larger than 200 bytes.' } });
    expect(stderr).toBe(`MCP stdio: refused a message of ${start.length + 100} bytes or more (the limit is 200)\n`);
    // The rest of that line is dropped, however long; the next line is served.
    input.write(`${'x'.repeat(300)}"}}\n${line({ jsonrpc: '2.0', id: 2, method: 'ping' })}`);
    input.end();
    await ended;
    expect(lines().slice(2)).toEqual([{ jsonrpc: '2.0', id: 2, result: {} }]);
  });

  it('a line of exactly the limit may come in pieces, its break last', async () => {
    const { input, ended } = serve({ maxLineBytes: 200 });
    const short = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping', params: { pad: '' } });
    const exact = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping', params: { pad: 'x'.repeat(200 - short.length) } });
    input.write(line(INIT));
    input.write(exact.slice(0, 150));
    input.write(exact.slice(150));
    input.write('\n');
    input.end();
    await ended;
    expect(lines().map((m) => m.id)).toEqual([0, 3]);
  });

  it('lets a line over 10 MiB through when the limit allows it (the SDK’s own buffer follows the limit)', async () => {
    const { input, ended } = serve({ maxLineBytes: 11 * 1024 * 1024 });
    input.write(line(INIT));
    input.write(line({ jsonrpc: '2.0', id: 'big', method: 'ping', params: { pad: 'x'.repeat(10.5 * 1024 * 1024) } }));
    input.write(line({ jsonrpc: '2.0', id: 'after', method: 'ping' }));
    input.end();
    await ended;
    expect(lines().map((m) => m.id)).toEqual([0, 'big', 'after']);
  });

  it('ends quietly without an onEnd', async () => {
    const input = new PassThrough();
    Object.defineProperty(process, 'stdin', { value: input, configurable: true, writable: true });
    const failures: unknown[] = [];
    const record = (err: unknown): void => void failures.push(err);
    process.on('uncaughtException', record);
    try {
      runMcpStdio(build);
      input.write(line(INIT));
      await until(() => lines().length === 1);
      input.end();
      await new Promise((r) => setTimeout(r, 30));
    } finally {
      process.off('uncaughtException', record);
    }
    expect([lines().map((m) => m.id), failures]).toEqual([[0], []]);
  });
});
