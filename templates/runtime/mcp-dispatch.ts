/**
 * How a Streamable HTTP request reaches the SDK.
 *
 * Most agent traffic is the 2025 stateless kind: one `tools/call` per POST, no session. For such a
 * request the SDK would build a server and a transport, answer over SSE, and tear both down. Here one
 * McpServer, built once, answers them instead, and the answer goes back as plain JSON, which these
 * clients must accept as well as SSE. The common case (a plain call of a known tool with valid
 * arguments) runs the tool's handler directly, after the tool's own input schema, and answers with
 * what the SDK's `tools/call` handler would: the handler's result as the SDK projects it, or a tool
 * error with the message of what it threw. Every other call (unknown or disabled tool, invalid
 * arguments, `_meta`, tasks, output schemas) goes through the shared server's SDK dispatch (JSON-RPC
 * checks, zod validation, the SDK's own error texts) over an in-process transport.
 *
 * Everything else (2026-07-28 requests, initialize, tools/list, batches, GET and DELETE, an
 * unsupported protocol version, a missing Accept type) goes to the SDK's own handler unchanged,
 * with the body the adapter read within its limits, so its answers and errors stay the SDK's.
 */
import type http from 'node:http';
import type { NodeIncomingMessageLike, NodeMcpRequestHandler } from '@modelcontextprotocol/node';
import {
  classifyInboundRequest,
  SUPPORTED_PROTOCOL_VERSIONS,
  type AuthInfo,
  type CallToolResult,
  type JSONRPCMessage,
  type McpServer,
  type RegisteredTool,
  type Transport,
} from '@modelcontextprotocol/server';
import { requestContext, runWith, type RequestContext } from './ops.js';

type Reply = (message: JSONRPCMessage) => void;

/** Carries messages between the HTTP requests and the one shared McpServer, inside the process. */
class InProcessTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** Internal request id -> where its answer goes. Ids are ours, so concurrent clients never collide. */
  readonly pending = new Map<number, Reply>();
  private next = 0;

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if ('id' in message && typeof message.id === 'number' && !('method' in message)) {
      const reply = this.pending.get(message.id);
      this.pending.delete(message.id);
      reply?.(message);
      return;
    }
    // A request from the server to the client (sampling, elicitation) cannot reach a stateless client.
    if ('id' in message && 'method' in message) {
      this.onmessage?.({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'The client cannot be asked anything over stateless HTTP.' } });
    }
    // Notifications (progress, logging) are dropped: a JSON answer carries only the result.
  }

  async close(): Promise<void> {
    this.onclose?.();
  }

  /** Hands one request to the server; `reply` receives its answer. Returns the internal id. */
  dispatch(message: { method: string; params?: unknown }, authInfo: AuthInfo | undefined, reply: Reply): number {
    const id = ++this.next;
    this.pending.set(id, reply);
    this.onmessage?.({ jsonrpc: '2.0', id, method: message.method, ...(message.params !== undefined ? { params: message.params as Record<string, unknown> } : {}) } as JSONRPCMessage, authInfo ? { authInfo } : undefined);
    return id;
  }

  cancel(id: number): void {
    if (!this.pending.delete(id)) return;
    this.onmessage?.({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'The HTTP client went away.' } });
  }
}

interface FastCall {
  id: string | number;
  method: 'tools/call';
  params?: unknown;
}

/** A 2025-era, single `tools/call` request that the SDK's stateless transport would accept as it is. */
function fastCall(req: http.IncomingMessage, body: unknown): FastCall | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const msg = body as Record<string, unknown>;
  if (msg.jsonrpc !== '2.0' || msg.method !== 'tools/call') return undefined;
  if (typeof msg.id !== 'string' && typeof msg.id !== 'number') return undefined;
  const accept = req.headers.accept;
  if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  const version = req.headers['mcp-protocol-version'];
  if (version !== undefined && (typeof version !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version))) return undefined;
  // Without a `_meta` in its params and without the SEP-2243 headers, a request with no version header
  // or a 2025 one (checked above) cannot claim the 2026-07-28 envelope: it is legacy. Anything else is
  // classified by the SDK's own classifier (its zod checks cost more than the rest of this function).
  const params = msg.params;
  const plain = typeof params === 'object' && params !== null && !Array.isArray(params) && !('_meta' in params);
  if (!plain || req.headers['mcp-method'] !== undefined || req.headers['mcp-name'] !== undefined) {
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return typeof v === 'string' ? v : undefined;
    };
    const route = classifyInboundRequest({
      httpMethod: 'POST',
      protocolVersionHeader: header('mcp-protocol-version'),
      mcpMethodHeader: header('mcp-method'),
      mcpNameHeader: header('mcp-name'),
      body,
    });
    if (route.kind !== 'legacy') return undefined;
  }
  return { id: msg.id, method: 'tools/call', params: msg.params };
}

/** The tool a call names, when its handler may be run directly (see the top of this file). */
function directTool(server: McpServer, call: FastCall): RegisteredTool | undefined {
  const params = call.params;
  if (typeof params !== 'object' || params === null) return undefined;
  for (const key in params) if (key !== 'name' && key !== 'arguments') return undefined;
  const { name, arguments: args } = params as { name?: unknown; arguments?: unknown };
  if (typeof name !== 'string') return undefined;
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) return undefined;
  // The SDK keeps its tools in a private table; element access reads it (the SDK version is pinned,
  // and the dispatch tests compare this path's answers with the SDK's own).
  // biome-ignore lint/complexity/useLiteralKeys: a private member of the SDK's class, read by element access.
  const tools = server['_registeredTools'] as Record<string, RegisteredTool> | undefined;
  // biome-ignore lint/complexity/useLiteralKeys: as above.
  const maxElements = server['_maxToolInputElements'] as number | undefined;
  if (tools === undefined || maxElements !== undefined || !Object.hasOwn(tools, name)) return undefined;
  const tool = tools[name]!;
  // Anything the SDK does more than validate, call and project goes through the SDK.
  if (!tool.enabled || !tool.inputSchema || tool.outputSchema || tool.execution || tool.scopeChallenge || tool.handler.length > 1) return undefined;
  return tool;
}

/** The tool's arguments as its input schema outputs them, or undefined when they do not fit (the SDK then answers). */
function directArguments(tool: RegisteredTool, call: FastCall): { value: unknown } | undefined {
  const args = (call.params as { arguments?: unknown }).arguments ?? {};
  const checked = tool.inputSchema!['~standard'].validate(args);
  if (checked instanceof Promise || checked.issues !== undefined) return undefined;
  return { value: checked.value };
}

export interface McpDispatch {
  /**
   * `body`: the JSON body of a POST, already read within the adapter's limits (undefined otherwise);
   * `ctx`: the request's context, which every upstream call of the request sees.
   */
  handle: (req: http.IncomingMessage, res: http.ServerResponse, body: unknown, ctx: RequestContext) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * Serves one MCP endpoint: `sdk` is the SDK's Node handler (the reference behaviour), `build` makes
 * the McpServer that answers 2025-era `tools/call` requests; it is built on first use and kept.
 */
export function createMcpDispatch(build: () => McpServer, sdk: NodeMcpRequestHandler): McpDispatch {
  let shared: { server: McpServer; transport: InProcessTransport } | undefined;
  let starting: Promise<{ server: McpServer; transport: InProcessTransport }> | undefined;
  const connect = (): Promise<{ server: McpServer; transport: InProcessTransport }> =>
    (starting ??= (async () => {
      const server = build();
      const transport = new InProcessTransport();
      await server.connect(transport);
      shared = { server, transport };
      return shared;
    })().catch((error: unknown) => {
      // A failed start is not kept: the call fails (500), and the next one builds the server again.
      starting = undefined;
      throw error;
    }));

  const reply = (res: http.ServerResponse, message: unknown): void => {
    const text = JSON.stringify(message);
    res.writeHead(200, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(text))]).end(text);
  };

  /** The SDK's answer to a call of `tool` with valid arguments: the handler's result as projected, or a tool error. */
  const runTool = async (server: McpServer, tool: RegisteredTool, args: unknown, ctx: RequestContext): Promise<CallToolResult> => {
    try {
      // The upstream call starts synchronously inside the handler: it sees this request (cancellation, logs).
      const handler = tool.handler as (args: unknown) => CallToolResult | Promise<CallToolResult>;
      const result = await runWith(ctx, () => handler(args));
      return server.server.projectCallToolResult(result, undefined);
    } catch (error) {
      return { content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }], isError: true };
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: unknown, ctx: RequestContext): Promise<void> => {
    const call = req.method === 'POST' && body !== undefined ? fastCall(req, body) : undefined;
    // The SDK's own awaits come between here and the tools: the context travels with them.
    if (!call) return requestContext.run(ctx, () => sdk(req as NodeIncomingMessageLike, res, body));

    const { server, transport } = shared ?? (await connect());
    const tool = directTool(server, call);
    const args = tool ? directArguments(tool, call) : undefined;
    if (tool && args) {
      const result = await runTool(server, tool, args.value, ctx);
      if (!ctx.gone) reply(res, { result, jsonrpc: '2.0', id: call.id });
      return;
    }
    await requestContext.run(ctx, () =>
      new Promise<void>((resolve) => {
        let answered = false;
        const id = transport.dispatch(call, (req as { auth?: AuthInfo }).auth, (message) => {
          answered = true;
          reply(res, { ...message, id: call.id });
          resolve();
        });
        res.once('close', () => {
          if (!answered) transport.cancel(id);
          resolve();
        });
      }),
    );
  };

  const close = async (): Promise<void> => {
    const current = shared ?? (starting ? await starting.catch(() => undefined) : undefined);
    if (!current) return;
    const error = { code: -32000, message: 'The server is shutting down.' };
    for (const [id, reply] of current.transport.pending) reply({ jsonrpc: '2.0', id, error });
    current.transport.pending.clear();
    await current.server.close();
  };

  return { handle, close };
}
