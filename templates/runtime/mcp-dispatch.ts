/**
 * How a Streamable HTTP request reaches the SDK.
 *
 * Most agent traffic is the 2025 stateless kind: one `tools/call` per POST, no session. For such a
 * request the SDK would build a server and a transport, answer over SSE, and tear both down. Here one
 * McpServer, built once and connected to an in-process transport, answers them instead: the SDK still
 * handles the message (JSON-RPC checks, zod validation of the arguments, the tool call), and the
 * answer goes back as plain JSON, which these clients must accept as well as SSE.
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
  type JSONRPCMessage,
  type McpServer,
  type Transport,
} from '@modelcontextprotocol/server';

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

export interface McpDispatch {
  /** `body`: the JSON body of a POST, already read within the adapter's limits (undefined otherwise). */
  handle: (req: http.IncomingMessage, res: http.ServerResponse, body: unknown) => Promise<void>;
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
    })());

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: unknown): Promise<void> => {
    const call = req.method === 'POST' && body !== undefined ? fastCall(req, body) : undefined;
    if (!call) return sdk(req as NodeIncomingMessageLike, res, body);

    const { transport } = shared ?? (await connect());
    await new Promise<void>((resolve) => {
      let answered = false;
      const id = transport.dispatch(call, (req as { auth?: AuthInfo }).auth, (message) => {
        answered = true;
        const text = JSON.stringify({ ...message, id: call.id });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
        resolve();
      });
      res.once('close', () => {
        if (!answered) transport.cancel(id);
        resolve();
      });
    });
  };

  const close = async (): Promise<void> => {
    const current = shared ?? (starting ? await starting : undefined);
    if (!current) return;
    const error = { code: -32000, message: 'The server is shutting down.' };
    for (const [id, reply] of current.transport.pending) reply({ jsonrpc: '2.0', id, error });
    current.transport.pending.clear();
    await current.server.close();
  };

  return { handle, close };
}
