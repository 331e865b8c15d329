/**
 * The MCP adapter's transports: stateless Streamable HTTP on node:http (answering at `/mcp` and `/`)
 * through the SDK's request handler, which speaks the current protocol and the 2025 ones, and stdio.
 * A fresh McpServer is built per request: cheap, and it keeps instances free of shared state.
 */
import type http from 'node:http';
import { toNodeHandler, type NodeIncomingMessageLike } from '@modelcontextprotocol/node';
import { createMcpHandler, type CallToolResult, type McpServer } from '@modelcontextprotocol/server';
import { authorize, type InboundAuth } from './inbound-auth.js';
import { InvalidInputError } from './inputs.js';
import { adapterDefaults, HttpProblem, readJsonBody, requestContext, tooLongArgument, type AdapterConfig } from './ops.js';
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
  if (upstream.status >= 300) {
    const where = upstream.location === undefined ? '' : ` (Location: ${upstream.location})`;
    const text = `HTTP ${upstream.status}${where}: ${upstream.text}`;
    return { content: [{ type: 'text', text }], isError: true };
  }
  const body = parseBody(upstream.text, upstream.contentType);
  const mapped = body === undefined ? undefined : mapOutput(outputs, body);
  const isError = upstream.status >= 400;
  if (mapped === undefined) {
    const text = upstream.text === '' ? `HTTP ${upstream.status} with an empty body` : upstream.text;
    return { content: [{ type: 'text', text }], ...(isError ? { isError } : {}) };
  }
  const structured = mapped !== null && typeof mapped === 'object' && !Array.isArray(mapped) ? { structuredContent: mapped as Record<string, unknown> } : {};
  return { content: [{ type: 'text', text: JSON.stringify(mapped) }], ...structured, ...(isError ? { isError } : {}) };
}

/** Failures that are the caller's or the upstream's (bad input, an unreachable or slow API) become tool errors; anything else is a bug and propagates. */
export function toolFailure(err: unknown): CallToolResult {
  if (err instanceof InvalidInputError || err instanceof RequestInputError) return { content: [{ type: 'text', text: `Invalid arguments: ${err.message}` }], isError: true };
  if (err instanceof UpstreamError) return { content: [{ type: 'text', text: `The upstream API failed: ${err.message}.` }], isError: true };
  throw err;
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
  return { jsonrpc: '2.0', id: null, error: { code: p.status === 500 ? -32603 : -32600, message: p.message } };
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
  const config = options.config ?? { ...adapterDefaults(0, '127.0.0.1'), allowedHosts: [...options.allowedHosts] };
  const { limits } = config;
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
      // The tools run after the SDK's own awaits: the context travels with them.
      await requestContext.run(ctx, () => node(req as NodeIncomingMessageLike, res, body));
    },
  });
  return {
    server,
    close: async () => {
      await handler.close();
    },
  };
}

