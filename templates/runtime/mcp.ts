/**
 * The MCP adapter's transports: stateless Streamable HTTP on node:http (answering at `/mcp` and `/`)
 * through the SDK's request handler, which speaks the current protocol and the 2025 ones, and stdio.
 * 2025-era `tools/call` requests are answered by one McpServer built once (see mcp-dispatch.ts);
 * other requests get a fresh McpServer from the SDK's handler.
 */
import http from 'node:http';
import { hostHeaderValidation, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type CallToolResult, type McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createMcpDispatch } from './mcp-dispatch.js';
import { InvalidInputError } from './inputs.js';
import { mapOutput, parseBody, type OutputSpec } from './output.js';
import { RequestInputError, UpstreamError, type UpstreamResponse } from './upstream.js';

const LOCAL_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** Tool result (decisions doc, "MCP servers"): the mapped JSON as text, structured when it is an object; isError from status >= 400 (D11). */
export function toolResult(upstream: UpstreamResponse, outputs: readonly OutputSpec[]): CallToolResult {
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

/** Failures that are the caller's or the upstream's (D12) become tool errors; anything else is a bug and propagates. */
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
}


export function createMcpHttpServer(options: McpHttpOptions): { server: http.Server; close: () => Promise<void> } {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const handler = createMcpHandler(options.build, { onerror: (err) => log(`[${options.name}] ${err.message}`) });
  const node = toNodeHandler(handler, { onerror: (err) => log(`[${options.name}] ${err.message}`) });
  const dispatch = createMcpDispatch(options.build, node);
  const names = [...LOCAL_NAMES, ...options.allowedHosts];
  const validHost = hostHeaderValidation(names);
  const validOrigin = originValidation(names);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path !== '/mcp' && path !== '/') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', message: 'The MCP endpoint is /mcp.' }));
      return;
    }
    if (!validHost(req, res) || !validOrigin(req, res)) return;
    dispatch.handle(req, res).catch((err: unknown) => {
      log(`[${options.name}] ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'Internal server error' } }));
    });
  });
  return {
    server,
    close: async () => {
      await Promise.all([handler.close(), dispatch.close()]);
    },
  };
}

export function runMcpStdio(build: () => McpServer): void {
  serveStdio(build);
}
