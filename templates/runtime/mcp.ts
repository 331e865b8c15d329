/**
 * The MCP adapter's transports: stateless Streamable HTTP on node:http (answering at `/mcp` and `/`)
 * through the SDK's request handler, which speaks the current protocol and the 2025 ones, and stdio.
 * 2025-era `tools/call` requests are answered by one McpServer built once (see mcp-dispatch.ts);
 * other requests get a fresh McpServer from the SDK's handler.
 */
import type http from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type CallToolResult, type McpServer } from '@modelcontextprotocol/server';
import { callerKey } from './cache.js';
import { authorize, type InboundAuth } from './inbound-auth.js';
import { createMcpDispatch } from './mcp-dispatch.js';
import { InvalidInputError } from './inputs.js';
import { adapterDefaults, HttpProblem, readJsonBody, tooLongArgument, type AdapterConfig } from './ops.js';
import { mapOutput, parseBody, type OutputSpec } from './output.js';
import { createAdapterServer } from './server.js';
import { RequestInputError, UpstreamError, type UpstreamResponse } from './upstream.js';
export { runMcpStdio } from './stdio.js';

/**
 * Tool result (decisions doc, "MCP servers"): the mapped JSON as text, structured when it is an
 * object. A status of 300 or more is an error whose text is `HTTP <status>: <the upstream's body>`,
 * with the `Location` of a redirect.
 */
export function toolResult(upstream: UpstreamResponse, outputs: readonly OutputSpec[]): CallToolResult {
  if (upstream.binary && upstream.bytes) return { content: [binaryContent(upstream.bytes, upstream.contentType ?? 'application/octet-stream')] };
  if (upstream.status >= 300) {
    const where = upstream.location === undefined ? '' : ` (Location: ${upstream.location})`;
    const text = `HTTP ${upstream.status}${where}: ${upstream.text}`;
    return { content: [{ type: 'text', text }], isError: true };
  }
  const body = parseBody(upstream.text, upstream.contentType);
  const mapped = body === undefined ? undefined : mapOutput(outputs, body);
  if (mapped === undefined) {
    const text = upstream.text === '' ? `HTTP ${upstream.status} with an empty body` : upstream.text;
    return { content: [{ type: 'text', text }] };
  }
  const structured = mapped !== null && typeof mapped === 'object' && !Array.isArray(mapped) ? { structuredContent: mapped as Record<string, unknown> } : {};
  return { content: [{ type: 'text', text: JSON.stringify(mapped) }], ...structured };
}

/** Failures that are the caller's or the upstream's (bad input, an unreachable or slow API) become tool errors; anything else is a bug and propagates. */
export function toolFailure(err: unknown): CallToolResult {
  if (err instanceof InvalidInputError || err instanceof RequestInputError) return { content: [{ type: 'text', text: `Invalid arguments: ${err.message}` }], isError: true };
  if (err instanceof UpstreamError) return { content: [{ type: 'text', text: `The upstream API failed: ${err.message}.` }], isError: true };
  throw err;
}

/** Per server, the tools whose calls are refused as invalid params, with the reason. */
const REFUSED_CALLS = new WeakMap<McpServer, ReadonlyMap<string, string>>();

/**
 * Marks tools whose calls are refused with JSON-RPC -32602 (invalid params), as the engine refuses a
 * step that calls an undeclared operation. The SDK turns every error a tool handler throws into a
 * tool result, so the transports refuse such calls before the SDK sees them.
 */
export function refuseToolCalls(server: McpServer, refused: ReadonlyArray<readonly [string, string]>): McpServer {
  REFUSED_CALLS.set(server, new Map(refused));
  return server;
}

/** The refused tools of the servers `build` makes (the same for each), read once at start. */
export function refusedToolCalls(build: () => McpServer): ReadonlyMap<string, string> | undefined {
  return REFUSED_CALLS.get(build());
}

/** The JSON-RPC error for a `tools/call` of a refused tool; undefined for any other message. */
export function toolCallRefusal(message: unknown, refused: ReadonlyMap<string, string> | undefined): unknown {
  if (!refused || message === null || typeof message !== 'object' || Array.isArray(message)) return undefined;
  const m = message as { id?: unknown; method?: unknown; params?: { name?: unknown } };
  if (m.method !== 'tools/call' || typeof m.params?.name !== 'string' || m.id === undefined) return undefined;
  const reason = refused.get(m.params.name);
  return reason === undefined ? undefined : { jsonrpc: '2.0', id: m.id, error: { code: -32602, message: reason } };
}

export interface McpHttpOptions {
  name: string;
  /** Host names clients may use besides the local ones (DNS-rebinding protection). */
  allowedHosts: readonly string[];
  build: () => McpServer;
  log?: (line: string) => void;
  /** The credential clients must present (the adapter's `authentication`). */
  auth?: InboundAuth;
  /** Address, limits, logging (see ops.ts); defaults when absent. */
  config?: AdapterConfig;
}

/** A refusal in JSON-RPC form, as MCP clients expect. */
function rpcProblem(p: HttpProblem): unknown {
  // JSON-RPC's codes: the problem's own (-32700 for a body that is not JSON), -32603 for our failure, else -32600.
  const code = p.rpcCode ?? (p.status === 500 ? -32603 : -32600);
  return { jsonrpc: '2.0', id: null, error: { code, message: p.message } };
}

/** The first tool argument longer than `max` in a JSON-RPC message or batch, if any. */
function longArgument(message: unknown, max: number): string | undefined {
  for (const m of Array.isArray(message) ? message : [message]) {
    const args = (m as { params?: { arguments?: unknown } } | null)?.params?.arguments;
    if (args !== null && typeof args === 'object' && !Array.isArray(args)) {
      const name = tooLongArgument(args as Record<string, unknown>, max);
      if (name !== undefined) return name;
    }
  }
  return undefined;
}

export function createMcpHttpServer(options: McpHttpOptions): { server: http.Server; close: () => Promise<void> } {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const handler = createMcpHandler(options.build, { onerror: (err) => log(`[${options.name}] ${err.message}`) });
  const node = toNodeHandler(handler, { onerror: (err) => log(`[${options.name}] ${err.message}`) });
  const dispatch = createMcpDispatch(options.build, node);
  const config = options.config ?? { ...adapterDefaults(0, '127.0.0.1'), allowedHosts: [...options.allowedHosts] };
  const { limits } = config;
  const refused = refusedToolCalls(options.build);
  // The guard, limits, health and logs are the outer server's (server.ts); here, only MCP.
  const server = createAdapterServer({
    label: `MCP adapter ${options.name}`,
    name: options.name,
    config,
    problemBody: rpcProblem,
    handle: async (req: http.IncomingMessage, res: http.ServerResponse, ctx) => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      if (path !== '/mcp' && path !== '/') throw new HttpProblem(404, 'not_found', 'The MCP endpoint is /mcp.');
      ctx.route = path;
      if (!authorize(options.auth, req, res, 'mcp')) return;
      // The body is read here, within the limits, and handed to the SDK already parsed.
      const body = req.method === 'POST' ? await readJsonBody(req, limits) : undefined;
      const long = body === undefined ? undefined : longArgument(body, limits.maxArgLength);
      if (long !== undefined) {
        throw new HttpProblem(400, 'invalid_input', `The argument ${long} is longer than ${limits.maxArgLength} characters.`);
      }
      const refusal = toolCallRefusal(body, refused);
      if (refusal !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(refusal));
        return;
      }
      // Who calls, for the answers a resource cache keeps per caller (resources are read through the SDK).
      if ((body as { method?: unknown } | null | undefined)?.method !== 'tools/call') ctx.caller = callerKey(req.headers, req.socket.remoteAddress);
      await dispatch.handle(req, res, body, ctx);
    },
  });
  return {
    server,
    close: async () => {
      await Promise.all([handler.close(), dispatch.close()]);
    },
  };
}


/** A binary answer as MCP content: an image or audio item for those media types, an embedded blob otherwise. */
function binaryContent(bytes: Buffer, mimeType: string): CallToolResult['content'][number] {
  const data = bytes.toString('base64');
  const kind = mimeType.split('/')[0]!.toLowerCase();
  if (kind === 'image') return { type: 'image', data, mimeType };
  if (kind === 'audio') return { type: 'audio', data, mimeType };
  return { type: 'resource', resource: { uri: 'data:', mimeType, blob: data } };
}
