/**
 * Starting and stopping the generated servers, and what every HTTP adapter does around its own
 * routes: limits, the Host and Origin guard, health, metrics, the access log, cancellation of the
 * upstream call when a client goes away, and a graceful drain on shutdown.
 * Logs go to stderr: stdout belongs to MCP over stdio.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  adapterDefaults,
  answerHealth,
  HEALTH_READY,
  hostGuard,
  HttpProblem,
  isLoopback,
  Logger,
  Metrics,
  queryText,
  sendJson,
  upstreamsReachable,
  type AdapterConfig,
  type RequestContext,
} from './ops.js';

export interface Listening {
  label: string;
  server: http.Server;
  close?: () => Promise<void>;
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

export interface AdapterServerOptions {
  /** `REST adapter <namespace>`: names the adapter in messages. */
  label: string;
  /** The adapter's namespace, as in the capability (in log lines and metrics). */
  name: string;
  config?: AdapterConfig;
  /**
   * Answers one request that passed the guard; sets `ctx.route` when a route matched. Returns nothing
   * when it answered at once, else a promise of the answer; it throws or rejects with a refusal.
   */
  handle(req: http.IncomingMessage, res: http.ServerResponse, ctx: RequestContext): Promise<void> | void;
  /** The body of a refusal (MCP answers in JSON-RPC form). */
  problemBody?(problem: HttpProblem): unknown;
}

/** The context of one request: what its upstream calls see, and what its access-log line needs. */
class Exchange implements RequestContext {
  gone = false;
  cancels: Set<() => void> | undefined = undefined;
  cancel: (() => void) | undefined = undefined;
  route: string | undefined = undefined;
  upstream: number | undefined = undefined;
  caller: string | undefined = undefined;
  readonly start = performance.now();

  constructor(
    readonly req: http.IncomingMessage,
    /** The path without its query, for logs when no route matched. */
    readonly path: string,
  ) {}
}

/** How each server stops: set when it is created, used by stopOnSignals. */
const drains = new WeakMap<http.Server, (graceMs?: number) => Promise<void>>();

const plainProblem = (p: HttpProblem): unknown => ({ error: p.code, message: p.message });

/**
 * An http.Server with the adapter's limits and checks around `handle`. Refusals (HttpProblem) are
 * answered with their status; a client that went away is logged as 499, never as a server error.
 */
export function createAdapterServer(options: AdapterServerOptions): http.Server {
  const config = options.config ?? adapterDefaults(0, '127.0.0.1');
  const { limits } = config;
  const logger = new Logger(options.name, config.logLevel);
  const metrics = config.metrics ? new Metrics(options.name) : undefined;
  const problemBody = options.problemBody ?? plainProblem;
  // Loopback adapters only answer to local names; others when a list of names is given.
  const guarded = isLoopback(config.host) || config.allowedHosts.length > 0;
  let listeningPort = config.port;
  const guard = hostGuard(config.allowedHosts, () => listeningPort);
  let draining = false;
  let connections = 0;

  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Check the two timeouts above every second, not every 30 s (Node's default).
      connectionsCheckingInterval: 1_000,
    },
    serve,
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  server.on('connection', (socket) => {
    connections++;
    socket.once('close', () => connections--);
  });
  server.once('listening', () => {
    listeningPort = (server.address() as AddressInfo).port;
    if (!isLoopback(config.host) && !config.inboundAuth) {
      log(
        `warning: ${options.label} listens on ${config.host}, beyond this machine, without inbound` +
          ` authentication: anyone who reaches it calls the API with this server's credentials.`,
      );
    }
  });

  // When a request's answer is done (or abandoned): cancellation, metrics, the access line.
  const accessInfo = logger.enabled('info');
  function finished(res: http.ServerResponse, ctx: Exchange): void {
    const done = res.writableFinished;
    // The answer was not complete: the client went away, so its upstream call is abandoned.
    if (!done) {
      ctx.gone = true;
      ctx.cancel?.();
      if (ctx.cancels) for (const cancel of ctx.cancels) cancel();
    }
    const status = done ? res.statusCode : 499;
    const method = ctx.req.method ?? '';
    const ms = Math.round((performance.now() - ctx.start) * 10) / 10;
    if (metrics) {
      metrics.inFlight--;
      metrics.record(method, ctx.route ?? '(no route)', status, ms / 1000);
    }
    if (accessInfo || status >= 500) {
      logger.accessLine(method, ctx.route ?? ctx.path, ctx.route !== undefined, queryText(ctx.req.url ?? '/'), status, ms, ctx.upstream || undefined);
    }
  }

  // Synchronous up to the handler's first wait: an async function here (and an await per layer) cost
  // every request a promise and a turn of the microtask queue for nothing.
  function serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const ctx = new Exchange(req, path);
    if (metrics) metrics.inFlight++;
    const connection = req.headers.connection;
    if (draining || (connection !== undefined && connection !== 'keep-alive' && /\bclose\b/i.test(connection))) closeAfter(res);
    // 'close' comes once per response, finished or not (`on` spares the wrapper `once` makes). A closure
    // per request: a ServerResponse subclass carrying the context (one listener per server) showed
    // node's own code one more shape of response, which cost more than the closure.
    res.on('close', () => finished(res, ctx));
    let pending: Promise<void> | void;
    try {
      pending = answer(req, res, ctx, path);
    } catch (err) {
      failed(req, res, ctx, err);
      return;
    }
    if (pending !== undefined) pending.then(undefined, (err: unknown) => failed(req, res, ctx, err));
  }

  function answer(req: http.IncomingMessage, res: http.ServerResponse, ctx: Exchange, path: string): Promise<void> | void {
    // Health first: probes (a load balancer, Kubernetes) use addresses the guard does not know.
    if (path === HEALTH_READY && config.readyUpstream && !draining) {
      return upstreamsReachable().then((reachable) => sendJson(res, reachable ? 200 : 503, { status: reachable ? 'ready' : 'upstream_unreachable' }));
    }
    if (answerHealth(path, res, !draining)) return;
    if (guarded) {
      const refused = guard(req);
      if (refused) throw new HttpProblem(403, 'forbidden', `Refused: ${refused}.`);
    }
    if (metrics && path === '/metrics') {
      const text = metrics.render(connections);
      res.writeHead(200, ['content-type', 'text/plain; version=0.0.4', 'content-length', String(Buffer.byteLength(text))]).end(text);
      return;
    }
    return options.handle(req, res, ctx);
  }

  /** A refusal (HttpProblem) is answered with its status; anything else is logged and answered 500. */
  function failed(req: http.IncomingMessage, res: http.ServerResponse, ctx: Exchange, err: unknown): void {
    if (res.destroyed || ctx.gone) return;
    if (err instanceof HttpProblem) {
      // A refused body is not kept: close the connection once the answer is sent.
      if (err.status === 413) closeAfter(res);
      if (!res.headersSent) sendJson(res, err.status, problemBody(err));
      else res.destroy();
      return;
    }
    logger.write('error', { method: req.method, route: ctx.route ?? ctx.path, error: (err as Error).stack ?? String(err) });
    const failure = new HttpProblem(500, 'internal_error', 'The server failed to handle the request.');
    if (!res.headersSent) sendJson(res, 500, problemBody(failure));
    else res.destroy();
  }

  drains.set(server, async (graceMs = limits.shutdownGraceMs) => {
    draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive connections go now; busy ones after their answer (closeAfter above).
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    const late = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([closed, late]);
    clearInterval(sweep);
    server.closeAllConnections();
    await closed;
  });
  return server;
}

/** Answers with `Connection: close`, even when the handler asks for keep-alive (MCP's streams do). */
function closeAfter(res: http.ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: http.ServerResponse, status: number, ...rest: unknown[]) {
    for (const headers of rest) {
      if (Array.isArray(headers)) {
        for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === 'connection') headers[i + 1] = 'close';
      } else if (headers && typeof headers === 'object') {
        for (const key of Object.keys(headers)) if (key.toLowerCase() === 'connection') delete (headers as Record<string, unknown>)[key];
      }
    }
    if (!res.headersSent) res.setHeader('connection', 'close');
    return (writeHead as (...args: unknown[]) => http.ServerResponse).call(this, status, ...rest);
  } as typeof res.writeHead;
  res.shouldKeepAlive = false;
}

export function listen(label: string, server: http.Server, port: number, host: string, close?: () => Promise<void>): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`${label} cannot listen on ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is already in use' : err.message}`)),
    );
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      log(`${label} listening on http://${shown}:${address.port}`);
      resolve({ label, server, ...(close ? { close } : {}) });
    });
  });
}

/**
 * On SIGINT or SIGTERM: stop accepting connections, let the requests in flight finish within each
 * adapter's grace period, close what is left, run `cleanup`, and exit 0.
 */
export function stopOnSignals(running: readonly Listening[], cleanup: () => void): void {
  const stop = (signal: string): void => {
    log(`${signal}: finishing the requests in flight, then stopping`);
    Promise.all(
      running.map(async (r) => {
        const drain = drains.get(r.server);
        if (drain) await drain();
        else {
          r.server.closeAllConnections();
          await new Promise<void>((resolve) => r.server.close(() => resolve()));
        }
        await r.close?.();
      }),
    ).finally(() => {
      cleanup();
      process.exitCode = 0;
      // Anything still holding the process open (a stream a client keeps) does not stop the exit.
      setTimeout(() => process.exit(0), 1_000).unref();
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
