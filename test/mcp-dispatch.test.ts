/**
 * The MCP Streamable HTTP dispatch path (templates/runtime/mcp-dispatch.ts): 2025-era `tools/call`
 * requests are answered by one McpServer built once, in JSON; everything else goes through the SDK's
 * handler. One generated seed project, started once; every assertion is about what the upstream
 * received or what the client got, with the official SDK client for both protocol eras.
 */
import net from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, request, seedEnv, startServer, stopAll, type GeneratedProject, type HttpAnswer, type RunningServer } from './helpers/generated-project.js';
import { SEED } from './helpers/shared.js';

const SECRET = 'sk-dispatch-5e3b';
const BOTH = 'application/json, text/event-stream';

interface ToolResult {
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

let project: GeneratedProject | undefined;
let upstream: FakeUpstream;
let server: RunningServer;
let mcpUrl: string;
const clients: Client[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream();
  project = await buildProject('mcp-dispatch', { spec: SEED });
  server = await startServer(
    project,
    // The bound the oversized-body checks pass by one byte (the default, set so that they never wait for more).
    seedEnv(upstream.url, SECRET, { QOVERY_ORGANIZATION_API_TOKEN_MCP_MAX_BODY_BYTES: String(MAX_BODY_BYTES) }),
    2,
  );
  mcpUrl = server.mcpUrl();
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

beforeEach(() => upstream.reset());

async function connect(mode: 'legacy' | { pin: string }): Promise<Client> {
  const client = new Client({ name: 'dispatch-test', version: '1.0.0' }, { versionNegotiation: { mode } });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${mcpUrl}/mcp`)));
  clients.push(client);
  return client;
}

/** The MCP adapter's MAX_BODY_BYTES (its default, 1 MiB, set at start): a body one byte longer is refused. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * POSTs a body one byte past the bound on a raw socket, with content-length or as one chunk of a
 * chunked body that never ends; resolves with the status line's code. The 413 must come without the
 * end of the chunked body. The body stops at the byte that passes the bound: a server that refuses a
 * body closes the connection once it has answered, and a client still writing then gets EPIPE on its
 * next write, which tears its socket down before the answer it already received is read. Sending 4 MiB
 * against the 1 MiB bound, as this test did, lost the answer to 27 of 120 chunked requests in a loop
 * under load; stopping at the bound, none of 120 (the announced ones, read to the end, never failed).
 */
function oversized(announced: boolean): Promise<number> {
  const body = 'a'.repeat(MAX_BODY_BYTES + 1);
  const url = new URL(mcpUrl);
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(Number(url.port), url.hostname, () => {
      const framing = announced ? `content-length: ${body.length}\r\n` : 'transfer-encoding: chunked\r\n';
      socket.write(`POST /mcp HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\naccept: ${BOTH}\r\n${framing}connection: close\r\n\r\n`);
      socket.write(announced ? body : `${body.length.toString(16)}\r\n${body}`);
    });
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (answer += d));
    socket.on('error', () => undefined);
    // A server that waits for the end of the chunked body never answers: no status (0), not a hang.
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? 0)));
  });
}

const call = (id: unknown, organizationId: unknown, headers: Record<string, string> = {}) =>
  request(mcpUrl, 'POST', '/mcp', {
    headers: { 'content-type': 'application/json', accept: BOTH, ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list-organization-api-tokens', arguments: { organizationId } } }),
  });

describe('MCP over Streamable HTTP, both protocol eras', () => {
  for (const [era, mode] of [
    ['2025 (legacy handshake)', 'legacy'],
    ['2026-07-28 (per-request envelope)', { pin: '2026-07-28' }],
  ] as const) {
    it(`${era}: the official client lists and calls a tool, and the upstream gets the request`, async () => {
      const client = await connect(mode);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('list-organization-api-tokens');
      const result = (await client.callTool({ name: 'list-organization-api-tokens', arguments: { organizationId: 'ORG-1', name: 'n' } })) as ToolResult;
      expect(result.isError ?? false).toBe(false);
      expect(upstream.requests).toHaveLength(1);
      expect(upstream.last().url).toBe('/organization/ORG-1/apiToken?name=n');
      expect(upstream.last().headers.authorization).toBe(`Bearer ${SECRET}`);
      expect(result.structuredContent).toMatchObject({ method: 'GET', url: '/organization/ORG-1/apiToken?name=n' });
    });

    it(`${era}: invalid arguments are refused before any upstream call`, async () => {
      const client = await connect(mode);
      const outcome = await client.callTool({ name: 'list-organization-api-tokens', arguments: { organizationId: 42 } }).then(
        (r) => r as ToolResult,
        (e: Error) => ({ content: [{ type: 'text', text: e.message }], isError: true }),
      );
      expect(outcome.isError).toBe(true);
      expect(JSON.stringify(outcome.content)).toMatch(/organizationId/);
      expect(upstream.requests).toHaveLength(0);
    });
  }
});

/** One message sent alone (the fast path, answered in JSON) and as a one-item batch (the SDK's handler, over SSE). */
async function fastAndSdk(message: unknown): Promise<{ fast: HttpAnswer; sdkMsg: unknown }> {
  const fast = await request(mcpUrl, 'POST', '/mcp', { headers: { 'content-type': 'application/json', accept: BOTH }, body: JSON.stringify(message) });
  const viaSdk = await request(mcpUrl, 'POST', '/mcp', { headers: { 'content-type': 'application/json', accept: BOTH }, body: JSON.stringify([message]) });
  expect(fast.headers['content-type']).toBe('application/json');
  expect(viaSdk.headers['content-type']).toMatch(/text\/event-stream/);
  return { fast, sdkMsg: JSON.parse(/^data: (.*)$/m.exec(viaSdk.text)![1]!) };
}

describe('the 2025 tools/call fast path', () => {
  it('answers in JSON with the id the client sent (string or number)', async () => {
    for (const id of ['req-7', 7]) {
      const res = await call(id, 'ORG');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      const msg = res.json();
      expect(msg.id).toBe(id);
      expect(msg.result.structuredContent.url).toBe('/organization/ORG/apiToken');
    }
  });

  it('keeps concurrent calls apart, even when every client uses the same id', async () => {
    const orgs = Array.from({ length: 24 }, (_, i) => `org-${i}`);
    const answers = await Promise.all(orgs.map((org) => call(1, org)));
    answers.forEach((res, i) => {
      const msg = res.json();
      expect(msg.id).toBe(1);
      expect(msg.result.structuredContent.url).toBe(`/organization/${orgs[i]}/apiToken`);
    });
    expect(upstream.requests.map((r) => r.url).sort()).toEqual(orgs.map((o) => `/organization/${o}/apiToken`).sort());
  });

  it('validates like the SDK path: the same invalid call gives the same answer as through the SDK (a one-item batch)', async () => {
    const bad = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list-organization-api-tokens', arguments: { organizationId: ['x'] } } };
    const { fast, sdkMsg } = await fastAndSdk(bad);
    expect(fast.json()).toEqual(sdkMsg);
    const unknown = await request(mcpUrl, 'POST', '/mcp', {
      headers: { 'content-type': 'application/json', accept: BOTH },
      body: JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'no-such-tool', arguments: {} } }),
    });
    expect(JSON.stringify(unknown.json())).toMatch(/no-such-tool/);
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers a valid call as the SDK does: the same result as through the SDK (a one-item batch), the same upstream request', async () => {
    const good = { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'list-organization-api-tokens', arguments: { organizationId: 'ORG-9', name: 'a b' } } };
    const { fast, sdkMsg } = await fastAndSdk(good);
    expect(fast.json()).toEqual(sdkMsg);
    expect(fast.json().result.structuredContent.url).toBe('/organization/ORG-9/apiToken?name=a%20b');
    expect(upstream.requests.map((r) => r.url)).toEqual(['/organization/ORG-9/apiToken?name=a%20b', '/organization/ORG-9/apiToken?name=a%20b']);
    // A disabled or unknown tool, or a call with _meta, is the SDK's: the answer still carries the SDK's own error text.
    const meta = await request(mcpUrl, 'POST', '/mcp', {
      headers: { 'content-type': 'application/json', accept: BOTH },
      body: JSON.stringify({ ...good, id: 6, params: { ...good.params, _meta: { progressToken: 'p1' } } }),
    });
    expect(meta.json()).toEqual({ ...(sdkMsg as object), id: 6 });
  });

  it('leaves to the SDK what it does not serve: its errors stay the SDK\'s', async () => {
    // A client that does not accept SSE: 406.
    expect((await call(1, 'ORG', { accept: 'application/json' })).status).toBe(406);
    // An unsupported protocol version: 400 naming it.
    const old = await call(1, 'ORG', { 'mcp-protocol-version': '1999-01-01' });
    expect(old.status).toBe(400);
    expect(old.text).toContain('1999-01-01');
    // A 2026-07-28 version header without the envelope it requires: the SDK's -32602.
    const modern = await call(1, 'ORG', { 'mcp-protocol-version': '2026-07-28' });
    expect(modern.status).toBe(400);
    expect(modern.json().error.code).toBe(-32602);
    // Not JSON: a JSON-RPC parse error.
    const garbled = await request(mcpUrl, 'POST', '/mcp', { headers: { 'content-type': 'application/json', accept: BOTH }, body: '{"jsonrpc":' });
    expect(garbled.status).toBe(400);
    expect(garbled.json().error.code).toBe(-32700);
    // One byte over the size bound, announced or streamed (answered before the chunked body ends): 413.
    expect([await oversized(true), await oversized(false)]).toEqual([413, 413]);
    expect(upstream.requests).toHaveLength(0);
  });

  it('still checks Host and Origin before anything else', async () => {
    expect((await call(1, 'ORG', { host: 'attacker.example' })).status).toBe(403);
    expect((await call(1, 'ORG', { origin: 'http://attacker.example' })).status).toBe(403);
    expect(upstream.requests).toHaveLength(0);
  });
});
