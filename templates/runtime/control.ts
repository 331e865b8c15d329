/**
 * The control adapter: a management port with liveness (`/health/live`), readiness (`/health/ready`:
 * every adapter listening), a status document (`/status`) and Prometheus metrics (`/metrics`) of the
 * requests the other adapters answered. The metrics are counted here by watching each adapter's
 * `http.Server`, so no request path has to know about them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorize, type InboundAuth } from './inbound-auth.js';
import type { Listening } from './server.js';

/** Request counts and durations per adapter, method and status, in Prometheus text format. */
export class RequestMetrics {
  private readonly counts = new Map<string, number>();
  private readonly durations = new Map<string, { sum: number; count: number }>();
  private readonly started = Date.now();

  /** Counts every request `server` answers, under the label `adapter`. */
  watch(adapter: string, server: http.Server): void {
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const start = process.hrtime.bigint();
      res.once('finish', () => {
        const labels = `adapter="${label(adapter)}",method="${label(req.method ?? '')}",status="${res.statusCode}"`;
        this.counts.set(labels, (this.counts.get(labels) ?? 0) + 1);
        const d = this.durations.get(adapter) ?? { sum: 0, count: 0 };
        d.sum += Number(process.hrtime.bigint() - start) / 1e9;
        d.count += 1;
        this.durations.set(adapter, d);
      });
    });
  }

  /** The exposition text: sorted, so two scrapes of the same state are the same bytes. */
  render(): string {
    const lines: string[] = [];
    lines.push('# HELP naftiko_http_requests_total Requests answered by each adapter.', '# TYPE naftiko_http_requests_total counter');
    for (const key of [...this.counts.keys()].sort()) lines.push(`naftiko_http_requests_total{${key}} ${this.counts.get(key)!}`);
    lines.push('# HELP naftiko_http_request_duration_seconds Time to answer a request.', '# TYPE naftiko_http_request_duration_seconds summary');
    for (const adapter of [...this.durations.keys()].sort()) {
      const d = this.durations.get(adapter)!;
      lines.push(`naftiko_http_request_duration_seconds_sum{adapter="${label(adapter)}"} ${d.sum}`);
      lines.push(`naftiko_http_request_duration_seconds_count{adapter="${label(adapter)}"} ${d.count}`);
    }
    const memory = process.memoryUsage();
    lines.push('# HELP process_uptime_seconds Seconds since the server started.', '# TYPE process_uptime_seconds gauge', `process_uptime_seconds ${(Date.now() - this.started) / 1000}`);
    lines.push('# HELP process_resident_memory_bytes Resident memory size.', '# TYPE process_resident_memory_bytes gauge', `process_resident_memory_bytes ${memory.rss}`);
    lines.push('# HELP nodejs_heap_used_bytes V8 heap in use.', '# TYPE nodejs_heap_used_bytes gauge', `nodejs_heap_used_bytes ${memory.heapUsed}`);
    return lines.join('\n') + '\n';
  }
}

/** A Prometheus label value: backslash, double quote and line feed escaped. */
function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export interface ControlServerOptions {
  /** `/health/live` and `/health/ready`. */
  health: boolean;
  /** `/metrics`, when given. */
  metrics?: RequestMetrics;
  /** The `/status` document, when given. */
  status?: () => Record<string, unknown>;
  /** Readiness: every adapter is listening. */
  ready: () => boolean;
  auth?: InboundAuth;
}

/** The `/status` document: the capability, how long it has run, and each adapter with its port. */
export function statusOf(capability: string, running: readonly Listening[]): () => Record<string, unknown> {
  const started = new Date();
  return () => ({
    capability,
    startedAt: started.toISOString(),
    uptimeSeconds: Math.round((Date.now() - started.getTime()) / 1000),
    adapters: running.map((r) => ({ adapter: r.label, listening: r.server.listening, port: (r.server.address() as AddressInfo | null)?.port ?? null })),
  });
}

export function createControlServer(options: ControlServerOptions): http.Server {
  return http.createServer((req, res) => {
    if (!authorize(options.auth, req, res, 'rest')) return;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const json = (status: number, value: unknown): void => {
      const body = JSON.stringify(value);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }).end(body);
    };
    const endpoint = ENDPOINTS.get(path);
    if (endpoint === undefined || (endpoint === 'health' && !options.health) || (endpoint === 'status' && !options.status) || (endpoint === 'metrics' && !options.metrics)) {
      json(404, { error: 'not_found', message: `The control adapter serves no ${path}.` });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      json(405, { error: 'method_not_allowed', message: `${req.method} is not allowed on ${path}.` });
      return;
    }
    if (path === '/health/live') json(200, { status: 'UP' });
    else if (path === '/health/ready') json(options.ready() ? 200 : 503, { status: options.ready() ? 'UP' : 'DOWN' });
    else if (path === '/status') json(200, options.status!());
    else {
      const body = options.metrics!.render();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) }).end(body);
    }
  });
}

const ENDPOINTS = new Map<string, 'health' | 'status' | 'metrics'>([
  ['/health/live', 'health'],
  ['/health/ready', 'health'],
  ['/status', 'status'],
  ['/metrics', 'metrics'],
]);
