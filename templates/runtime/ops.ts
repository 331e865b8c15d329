/**
 * What operators need from every HTTP adapter: the settings and limits of an adapter, the Host and
 * Origin guard, health answers, one JSON access-log line per request, Prometheus metrics, and the
 * per-request context through which an upstream call learns that its client went away.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type http from 'node:http';
import net from 'node:net';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export function isLogLevel(text: string): text is LogLevel {
  return (LEVELS as readonly string[]).includes(text);
}

/** Limits of one adapter; each one is set by a `<NAMESPACE>_*` variable (see the README). */
export interface AdapterLimits {
  /** Largest request body; a larger one is answered 413. */
  maxBodyBytes: number;
  /** Time allowed to receive the request headers, then the whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Open connections at once; more are refused. */
  maxConnections: number;
  /** Longest text value of one argument. */
  maxArgLength: number;
  /** Deepest nesting of a JSON body. */
  maxJsonDepth: number;
  /** Time that requests in flight get to finish after SIGTERM or SIGINT. */
  shutdownGraceMs: number;
}

export const DEFAULT_LIMITS: AdapterLimits = {
  maxBodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 2_048,
  maxArgLength: 16_384,
  maxJsonDepth: 64,
  shutdownGraceMs: 10_000,
};

/** Everything an HTTP adapter needs to know at start. */
export interface AdapterConfig {
  port: number;
  host: string;
  /** Host names clients may use besides the local ones. */
  allowedHosts: string[];
  limits: AdapterLimits;
  logLevel: LogLevel;
  /** Serve Prometheus metrics at /metrics. */
  metrics: boolean;
  /** `/health/ready` also checks that every consumed API accepts connections. */
  readyUpstream?: boolean;
  /** True when the adapter checks who calls it (inbound authentication). */
  inboundAuth?: boolean;
}

export function adapterDefaults(port: number, host: string): AdapterConfig {
  return { port, host, allowedHosts: [], limits: { ...DEFAULT_LIMITS }, logLevel: 'info', metrics: false };
}

/** A refusal answered with a status and a JSON body, before any upstream call. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The JSON-RPC error code an MCP adapter answers with, where it is not -32600 (-32700: not JSON). */
    readonly rpcCode?: number,
  ) {
    super(message);
  }
}

// --- Per-request context -------------------------------------------------------------------------

/** What one request carries down to its upstream calls, and what they report back. */
export interface RequestContext {
  /** True once the client went away before its answer was sent. */
  gone: boolean;
  /** How to stop each upstream call in flight (they add and remove themselves). */
  cancels?: Set<() => void>;
  /**
   * A context that has this field (undefined when free) keeps the one call in flight here, without a
   * Set: a request makes one call at a time in most cases, and a Set per request cost more than the call's
   * other bookkeeping. Further calls at the same time go to `cancels`.
   */
  cancel?: (() => void) | undefined;
  /** The route template that matched (`/v1/items/{id}`), for logs and metrics. */
  route?: string;
  /** Status of the last upstream answer. */
  upstream?: number;
  /** Who is calling (a digest of the credentials), for answers cached per caller. */
  caller?: string;
}

/**
 * MCP requests reach their tools through the SDK's own awaits, so they carry their context in
 * AsyncLocalStorage. REST handlers start their upstream call synchronously and use the cheaper slot
 * below (AsyncLocalStorage costs every promise of the process some time once it is used).
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();

let current: RequestContext | undefined;

/** Runs `fn` with `ctx` as the current request for what `fn` starts synchronously. */
export function runWith<T>(ctx: RequestContext, fn: () => T): T {
  const previous = current;
  current = ctx;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/** The request being answered, when an upstream call starts. */
export function currentRequest(): RequestContext | undefined {
  return current ?? requestContext.getStore();
}

// --- Loopback and the Host / Origin guard ---------------------------------------------------------

const LOCAL_NAMES = ['localhost', '127.0.0.1', '[::1]', '::1'];

export function isLoopback(host: string): boolean {
  return LOCAL_NAMES.includes(host.toLowerCase()) || /^127\./.test(host);
}

/** `name` and `port` of a Host header or allowed-host entry; port undefined when absent. */
function splitHost(text: string): { name: string; port: string | undefined } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(text.trim().toLowerCase());
  if (!m) return { name: text.toLowerCase(), port: undefined };
  return { name: m[1]!, port: m[2] === undefined || m[2] === '' ? undefined : m[2] };
}

/**
 * Refuses requests whose `Host` or `Origin` names another site (DNS rebinding, a web page posting to
 * a local server). Local names must also use the port the adapter listens on; names from
 * `<NAMESPACE>_ALLOWED_HOSTS` may say their port (`api.example.com:8443`) or allow any.
 * Returns a reason to refuse, or undefined.
 */
export function hostGuard(allowedHosts: readonly string[], port: () => number): (req: http.IncomingMessage) => string | undefined {
  const extra = allowedHosts.map(splitHost);
  const allowed = (name: string, p: string | undefined, defaultPort: string): boolean => {
    const actual = p ?? defaultPort;
    if (LOCAL_NAMES.includes(name)) return actual === String(port());
    return extra.some((e) => e.name === name && (e.port === undefined || e.port === actual));
  };
  // Host headers already accepted (a client sends the same one on every request): checked once each.
  const accepted = new Set<string>();
  return (req) => {
    const host = req.headers.host;
    if (host === undefined) return 'the request has no Host header';
    if (!accepted.has(host)) {
      const h = splitHost(host);
      if (!allowed(h.name, h.port, '80')) return `the host ${host} is not served here`;
      if (accepted.size < 64) accepted.add(host);
    }
    const origin = req.headers.origin;
    if (origin === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return `the origin ${origin} is not served here`;
    }
    const name = url.hostname.toLowerCase();
    const defaultPort = url.protocol === 'https:' ? '443' : '80';
    if (!allowed(name, url.port === '' ? undefined : url.port, defaultPort)) return `the origin ${origin} is not served here`;
    return undefined;
  };
}

// --- Request bodies ------------------------------------------------------------------------------

function isJsonType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/** The deepest nesting of `[` and `{` in JSON text, counted without parsing (so without recursion). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/**
 * Reads a JSON request body within the limits: 415 without a JSON content type, 413 over the size
 * limit (answered before the connection closes), 400 for bad JSON or too deep a nesting.
 * Resolves undefined for an empty body.
 */
export async function readJsonBody(req: http.IncomingMessage, limits: AdapterLimits): Promise<unknown> {
  const text = (await readBodyBytes(req, limits)).toString('utf8');
  if (text.trim() === '') return undefined;
  if (!isJsonType(req.headers['content-type'])) {
    throw new HttpProblem(415, 'unsupported_media_type', 'The body must be JSON, sent with Content-Type: application/json.');
  }
  if (jsonDepth(text) > limits.maxJsonDepth) {
    throw new HttpProblem(400, 'invalid_input', `The JSON body is nested deeper than ${limits.maxJsonDepth} levels.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpProblem(400, 'invalid_input', 'The body is not valid JSON.', -32700);
  }
}

/**
 * How much of a body over the limit whose length is declared is still read (and dropped) before the 413
 * is answered: closing a connection with unread data resets it, and the reset can swallow the answer.
 * A longer one, or a chunked one (which may never end), is answered at once.
 */
const DISCARD_BYTES = 16 * 1024 * 1024;

/** Reads a request body as received (a forwarded body may be binary), within the size limit (413 over it). */
export function readBodyBytes(req: http.IncomingMessage, limits: AdapterLimits): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limits.maxBodyBytes + DISCARD_BYTES) return Promise.reject(tooLarge(limits));
  const discard = declared > limits.maxBodyBytes;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limits.maxBodyBytes) chunks.push(chunk);
      else if (!discard) {
        req.off('data', onData);
        reject(tooLarge(limits));
      }
    };
    req.on('data', onData);
    req.on('error', reject);
    req.on('end', () => (size > limits.maxBodyBytes ? reject(tooLarge(limits)) : resolve(Buffer.concat(chunks))));
  });
}

function tooLarge(limits: AdapterLimits): HttpProblem {
  return new HttpProblem(413, 'payload_too_large', `The body is larger than ${limits.maxBodyBytes} bytes.`);
}

/** The name of the first argument whose text is longer than `max` (strings, and strings in arrays), but those in `skip`. */
export function tooLongArgument(args: Readonly<Record<string, unknown>>, max: number, skip?: ReadonlySet<string>): string | undefined {
  for (const name in args) {
    if (!Object.hasOwn(args, name) || skip?.has(name)) continue;
    const value = args[name];
    if (typeof value === 'string') {
      if (value.length > max) return name;
    } else if (Array.isArray(value)) {
      for (const v of value) if (typeof v === 'string' && v.length > max) return name;
    }
  }
  return undefined;
}

// --- Health ------------------------------------------------------------------------------------

/** Every consumed API's host and port (each client adds its own), for the readiness check. */
const upstreams = new Map<string, { host: string; port: number }>();

export function registerUpstream(host: string, port: number): void {
  upstreams.set(`${host}:${port}`, { host, port });
}

function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

let lastCheck: { at: number; ok: Promise<boolean> } | undefined;

/** True when every consumed API accepts a TCP connection; one check at most every 5 s. */
export function upstreamsReachable(): Promise<boolean> {
  if (lastCheck && Date.now() - lastCheck.at < 5_000) return lastCheck.ok;
  const checks = [...upstreams.values()].map((u) => canConnect(u.host, u.port, 2_000));
  lastCheck = { at: Date.now(), ok: Promise.all(checks).then((all) => all.every(Boolean)) };
  return lastCheck.ok;
}

export const HEALTH_LIVE = '/health/live';
export const HEALTH_READY = '/health/ready';

/**
 * Answers `/health/live` (the process runs) and `/health/ready` (configuration loaded and not
 * shutting down). Returns false for any other path.
 */
export function answerHealth(path: string, res: http.ServerResponse, ready: boolean): boolean {
  if (path === HEALTH_LIVE) {
    sendJson(res, 200, { status: 'live' });
    return true;
  }
  if (path === HEALTH_READY) {
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'stopping' });
    return true;
  }
  return false;
}

export function sendJson(res: http.ServerResponse, status: number, value: unknown, extra: readonly string[] = []): void {
  const body = JSON.stringify(value);
  res.writeHead(status, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(body)), ...extra]);
  res.end(body);
}

// --- Access log ----------------------------------------------------------------------------------

export interface AccessEntry {
  method: string;
  /** The route template, or the path when no route matched. */
  route: string;
  /** Query parameter names; their values are never logged (they may hold keys). */
  query?: string[];
  status: number;
  ms: number;
  upstream?: number;
}

// Log lines are written in batches: a write to a pipe is a blocking system call on Linux, and one per
// request cost more than the rest of the request. A batch goes out 20 ms after its first line (or at
// 256 lines), errors at once, and whatever is left when the process exits.
const FLUSH_AFTER_MS = 20;
let queued: string[] = [];
let flushTimer: NodeJS.Timeout | undefined;

function flushLines(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  if (queued.length === 0) return;
  const text = queued.join('');
  queued = [];
  process.stderr.write(text);
}

function queueLine(line: string, now: boolean): void {
  queued.push(line);
  if (now || queued.length >= 256) flushLines();
  else if (flushTimer === undefined) flushTimer = setTimeout(flushLines, FLUSH_AFTER_MS).unref();
}

process.once('exit', flushLines);

/**
 * The time of a log line (ISO 8601, UTC, milliseconds): a Date is formatted once per second, and the
 * milliseconds are put after it (a Date per millisecond cost more than the rest of the line).
 */
let stampSecond = -1;
let stampHead = '';
let stampMs = -1;
let stamp = '';
const MS_TEXT = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, '0')}Z`);
function timeStamp(): string {
  const now = Date.now();
  if (now === stampMs) return stamp;
  const second = Math.floor(now / 1000);
  if (second !== stampSecond) {
    stampSecond = second;
    // `YYYY-MM-DDTHH:MM:SS.`: an ISO string without its last 4 characters (`mmmZ`).
    stampHead = new Date(second * 1000).toISOString().slice(0, -4);
  }
  stampMs = now;
  stamp = stampHead + MS_TEXT[now - second * 1000]!;
  return stamp;
}

/** Writes JSON lines to stderr (stdout belongs to MCP over stdio), at or above `level`. */
export class Logger {
  /** The line's opening after the time, per level: `","level":"info","adapter":"..."`. */
  private readonly heads = new Map<string, string>();
  /** `,"method":"GET","route":"/v1/items/{id}"` per route template and method, made once each. */
  private readonly routes = new Map<string, Map<string, string>>();
  private readonly threshold: number;
  /** The head of an info line (the access lines of answered requests). */
  private readonly infoHead: string;

  constructor(
    readonly adapter: string,
    level: LogLevel,
  ) {
    this.threshold = LEVELS.indexOf(level);
    for (const l of LEVELS) this.heads.set(l, `","level":"${l}","adapter":${JSON.stringify(adapter)}`);
    this.infoHead = this.heads.get('info')!;
  }

  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return LEVELS.indexOf(level) >= this.threshold;
  }

  write(level: Exclude<LogLevel, 'silent'>, fields: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    queueLine(JSON.stringify({ time: timeStamp(), level, adapter: this.adapter, ...fields }) + '\n', level === 'error');
  }

  /**
   * One access line, the same JSON as `write` makes of the entry, put together without an object per request.
   * `known` says the route is a template of the adapter (a bounded set), so its text is kept.
   */
  access(entry: AccessEntry, known = false): void {
    const query = entry.query === undefined ? '' : `,"query":${JSON.stringify(entry.query)}`;
    this.accessLine(entry.method, entry.route, known, query, entry.status, entry.ms, entry.upstream);
  }

  /**
   * The same line as `access`, from its parts (no entry made per request): `query` is `,"query":[...]` or ''
   * (see queryText). The server calls this once per request.
   */
  accessLine(method: string, route: string, known: boolean, query: string, status: number, ms: number, upstream: number | undefined): void {
    const level = status >= 500 ? 'warn' : 'info';
    if (!this.enabled(level)) return;
    let line = `{"time":"${timeStamp()}${level === 'info' ? this.infoHead : this.heads.get(level)!}${known ? this.routeText(method, route) : routeText(method, route)}${query}`;
    // (A finite number's JSON is its String.)
    line += `,"status":${status},"ms":${Number.isFinite(ms) ? String(ms) : 'null'}`;
    if (upstream !== undefined) line += `,"upstream":${upstream}`;
    queueLine(line + '}\n', false);
  }

  private routeText(method: string, route: string): string {
    let byMethod = this.routes.get(route);
    if (byMethod === undefined) this.routes.set(route, (byMethod = new Map()));
    let text = byMethod.get(method);
    // Methods are whatever clients send: only the first few of each route are kept.
    if (text === undefined) {
      text = routeText(method, route);
      if (byMethod.size < 16) byMethod.set(method, text);
    }
    return text;
  }
}

function routeText(method: string, route: string): string {
  return `,"method":${JSON.stringify(method)},"route":${JSON.stringify(route)}`;
}

/** `,"query":["a","b"]`: the access line's field of a URL's query names (queryNames), or '' when it has none. */
export function queryText(url: string): string {
  const names = queryNames(url);
  if (names === undefined) return '';
  let text = ',"query":[';
  for (let i = 0; i < names.length; i++) text += (i > 0 ? ',' : '') + JSON.stringify(names[i]);
  return text + ']';
}

/** The names of a query string's parameters, without their values. */
export function queryNames(url: string): string[] | undefined {
  let at = url.indexOf('?');
  if (at < 0) return undefined;
  let names: string[] | undefined;
  // One pass over `a=1&b&c=2`, without splitting the values out.
  while (at < url.length) {
    const from = at + 1;
    let end = url.indexOf('&', from);
    if (end < 0) end = url.length;
    const eq = url.indexOf('=', from);
    const name = url.slice(from, eq >= 0 && eq < end ? eq : end);
    if (name !== '') (names ??= []).push(name);
    at = end;
  }
  return names;
}

// --- Prometheus metrics --------------------------------------------------------------------------

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function label(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Request counts and durations per method, route and status, in Prometheus' text format. */
export class Metrics {
  private readonly counts = new Map<string, number>();
  private readonly durations = new Map<string, { buckets: number[]; sum: number; count: number }>();
  inFlight = 0;

  constructor(private readonly adapter: string) {}

  record(method: string, route: string, status: number, seconds: number): void {
    const key = `adapter="${label(this.adapter)}",method="${label(method)}",route="${label(route)}"`;
    const counted = `${key},status="${status}"`;
    this.counts.set(counted, (this.counts.get(counted) ?? 0) + 1);
    let d = this.durations.get(key);
    if (!d) this.durations.set(key, (d = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) d.buckets[i]!++;
    d.sum += seconds;
    d.count++;
  }

  render(connections: number): string {
    const lines = [
      '# HELP http_requests_total Requests answered, by method, route and status.',
      '# TYPE http_requests_total counter',
      ...[...this.counts].map(([k, v]) => `http_requests_total{${k}} ${v}`),
      '# HELP http_request_duration_seconds Time to answer a request.',
      '# TYPE http_request_duration_seconds histogram',
    ];
    for (const [k, d] of this.durations) {
      BUCKETS.forEach((b, i) => lines.push(`http_request_duration_seconds_bucket{${k},le="${b}"} ${d.buckets[i]}`));
      lines.push(`http_request_duration_seconds_bucket{${k},le="+Inf"} ${d.count}`);
      lines.push(`http_request_duration_seconds_sum{${k}} ${d.sum}`, `http_request_duration_seconds_count{${k}} ${d.count}`);
    }
    const a = `adapter="${label(this.adapter)}"`;
    lines.push('# HELP http_requests_in_flight Requests being answered.', '# TYPE http_requests_in_flight gauge');
    lines.push(`http_requests_in_flight{${a}} ${this.inFlight}`);
    lines.push('# HELP http_open_connections Open client connections.', '# TYPE http_open_connections gauge');
    lines.push(`http_open_connections{${a}} ${connections}`);
    return lines.join('\n') + '\n';
  }
}
