/**
 * Calls to a consumed API. One pool of keep-alive connections per API (undici's: it costs less per call
 * than node:http's agent), no redirects followed, a timeout per request, and every value placed where
 * it cannot change the target: path values are encoded as one segment, query values are URL-encoded,
 * header values with CR/LF are refused.
 */
import { createRequire } from 'node:module';
import type { Dispatcher, Pool as UndiciPool } from 'undici';
import { fileBody, renderBody, type BodyTemplate, type FileBody } from './body.js';

import { convertResponse, type ResponseFormat } from './formats.js';
import type { Hooks, UpstreamCall } from './hooks.js';
import { currentRequest, registerUpstream, type RequestContext } from './ops.js';

/**
 * undici's connection pool, loaded on its own: the package's main module also loads fetch, WebSocket,
 * caches and mocks: about three times the start-up cost of the pool alone. (undici declares no export
 * map, and its version is pinned exactly.)
 */
const Pool = createRequire(import.meta.url)('undici/lib/dispatcher/pool.js') as typeof UndiciPool;

export type ArgValue = unknown;
export type Args = Readonly<Record<string, ArgValue>>;

/** A piece of a request path: literal text, or the name of the argument that fills a placeholder. */
export type PathPiece = string | { readonly arg: string };

/** Where each parameter of a consumed operation goes. Built once per operation at load time. */
export interface OperationDescriptor {
  /** The operation's name in the capability (for hooks and logs). */
  readonly name: string;
  readonly method: string;
  readonly path: readonly PathPiece[];
  readonly query: ReadonlyArray<{ readonly name: string; readonly arg: string }>;
  readonly headers: ReadonlyArray<{ readonly name: string; readonly arg: string }>;
  readonly cookies: ReadonlyArray<{ readonly name: string; readonly arg: string }>;
  /** A fixed query written in the capability's path (`?acl`), sent before the parameters. */
  readonly fixedQuery?: ReadonlyArray<readonly [string, string]>;
  /** Fixed headers (written as a fragment of the capability's path, `#X-Amz-Target=...`). */
  readonly fixedHeaders?: ReadonlyArray<readonly [string, string]>;
  /** `whole`: the argument is the JSON body; `fields`: several body parameters, one JSON field each. */
  readonly body?:
    | { readonly kind: 'whole'; readonly arg: string }
    | { readonly kind: 'fields' | 'form'; readonly fields: ReadonlyArray<{ readonly name: string; readonly arg: string }> }
    | FileBody
    | BodyTemplate;
  /** How a successful answer in another format than JSON is converted before the output mapping. */
  readonly format?: ResponseFormat;
  /** `outputRawFormat: binary`: the answer's bytes are passed through with this media type, up to maxBytes (instead of maxResponseBytes). */
  readonly binary?: { readonly mediaType?: string; readonly maxBytes?: number };
}

/** Credentials computed per call (they may depend on the call's arguments). */
export interface Credentials {
  headers?: Record<string, string>;
  query?: Array<[string, string]>;
}

/** Authentication that needs more than fixed headers: a token fetched ahead (OAuth 2), or a challenge answered (Digest). */
export interface UpstreamAuth {
  /** Headers to send with the request. */
  before(method: string, target: string): Record<string, string> | Promise<Record<string, string>>;
  /** After a 401: headers to send the request once more with, or undefined to give the 401 to the caller. */
  retry?(method: string, target: string, wwwAuthenticate: string | undefined): Record<string, string> | undefined | Promise<Record<string, string> | undefined>;
}

export interface ApiClientOptions {
  /** Namespace of the consumed API, as in the capability. */
  namespace: string;
  baseUri: string;
  timeoutMs: number;
  credentials?: (args: Args) => Credentials;
  /** OAuth 2 client credentials or Digest. */
  auth?: UpstreamAuth;
  /** Bound secrets that body templates refer to. */
  secrets?: Readonly<Record<string, string>>;
  /** The project's hand-written hooks (src/hooks.ts). */
  hooks?: Hooks;
  maxResponseBytes?: number;
  /** Sockets open at once to this API; more requests wait for one. */
  maxSockets?: number;
}

export interface UpstreamResponse {
  status: number;
  contentType: string | undefined;
  text: string;
  /** Where a redirect (3xx) points, as the upstream sent it. */
  location?: string;
  /**
   * The body's bytes as received, so an unchanged body is passed on without encoding it again.
   * Dropped when a hook sees the response (it may change `text`).
   */
  bytes?: Buffer;
  /** The challenge of a 401 answer, for Digest authentication. */
  wwwAuthenticate?: string;
  /** A binary answer (`outputRawFormat: binary`): `bytes` is the content, `contentType` its media type. */
  binary?: boolean;
}

/** The caller sent something that cannot be put on the wire safely. Answered with 400, nothing sent. */
export class RequestInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The upstream could not be reached or did not answer in time, or the client went away
 * (`cancelled`) and the call was abandoned. Messages never carry secrets.
 */
export class UpstreamError extends Error {
  constructor(
    readonly kind: 'network' | 'timeout' | 'too-large' | 'cancelled',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Headers about the connection itself, which the HTTP client manages (undici refuses them): a `forward`
 * resource does not pass them on, as a proxy should not (RFC 9110, section 7.6.1).
 */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect']);

/** undici's refusals of a request it cannot send as asked: a connection header (above), a body that does not match its Content-Length. */
const REFUSED_BY_CLIENT = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH']);

/** What the HTTP client refuses in a header value (and what could split a header): checked first, so the caller gets a 400. */
const FORBIDDEN_IN_HEADER = /[^\t\x20-\x7e\x80-\xff]/;

function scalarText(value: ArgValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** A list in a path or header: `a,b` (OpenAPI's `simple` style); any other value as text. */
function simpleText(value: ArgValue, encode: (text: string) => string = (t) => t): string {
  return Array.isArray(value) ? value.map((v) => encode(scalarText(v))).join(',') : encode(scalarText(value));
}

/** One path segment: `/`, `?`, `#` and `%` are encoded, and `.`/`..` cannot climb out of the path. */
export function encodePathSegment(value: ArgValue): string {
  if (Array.isArray(value)) return simpleText(value, (t) => encodePathSegment(t));
  const text = scalarText(value);
  if (text === '.' || text === '..') return text.replace(/\./g, '%2E');
  return encodeURIComponent(text);
}

/** Text that encodeURIComponent leaves as it is. */
const PLAIN_QUERY_PART = /^[\w.~-]*$/;

/**
 * A query name or value: everything that could end or split it (`&`, `=`, `+`, `#`, spaces, non-ASCII)
 * is percent-encoded; characters RFC 3986 allows in a query as they are (`$select`, `a,b`, `x:y`, `/`)
 * are kept, so that names like OData's `$select` go out exactly as written.
 */
function encodeQueryPart(text: string): string {
  // Most names and values need no encoding at all.
  if (PLAIN_QUERY_PART.test(text)) return text;
  return encodeURIComponent(text).replace(/%(24|2C|3A|40|2F|3F|21|27|28|29|2A|3B)/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A call in flight on a client's list of deadlines. */
interface Deadline {
  readonly at: number;
  /** Tears the call down as timed out; undefined once the call ended. */
  expire: (() => void) | undefined;
  prev: Deadline | undefined;
  next: Deadline | undefined;
}

/**
 * The deadlines of one client's calls in flight, with one timer for all of them. Every call of a client
 * has the same timeout, so the calls expire in the order they started: a list, oldest first, and a timer
 * for the oldest. (A timer per call, set and cleared, cost more than the rest of the call's bookkeeping.)
 */
class Deadlines {
  private first: Deadline | undefined;
  private last: Deadline | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {}

  add(expire: () => void): Deadline {
    const d: Deadline = { at: performance.now() + this.ms, expire, prev: this.last, next: undefined };
    if (this.last) this.last.next = d;
    else this.first = d;
    this.last = d;
    // The timer already set fires for an older call, or earlier than this one's deadline: either way not later.
    this.timer ??= setTimeout(this.fire, this.ms).unref();
    return d;
  }

  remove(d: Deadline): void {
    if (d.expire === undefined) return;
    d.expire = undefined;
    if (d.prev) d.prev.next = d.next;
    else this.first = d.next;
    if (d.next) d.next.prev = d.prev;
    else this.last = d.prev;
    d.prev = d.next = undefined;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    // Within a millisecond counts as due: timers keep whole milliseconds.
    const now = performance.now() + 1;
    while (this.first && this.first.at <= now) {
      const d = this.first;
      const expire = d.expire!;
      this.remove(d);
      expire();
    }
    if (this.first) this.timer = setTimeout(this.fire, Math.max(1, Math.ceil(this.first.at - now + 1))).unref();
  };
}

export class ApiClient {
  private readonly base: URL;
  private readonly basePath: string;
  /** A query the base URI carries, sent in front of the operation's own (without its `?`). */
  private readonly baseQuery: string;
  private readonly pool: UndiciPool;
  private readonly deadlines: Deadlines;
  /** Credentials that do not depend on the call's arguments, computed and checked once. */
  private fixedCredentials: Credentials | undefined;
  /** The hooks, when src/hooks.ts defines any (the generated file defines none). */
  private readonly hooks: Hooks | undefined;

  constructor(private readonly options: ApiClientOptions) {
    this.base = new URL(options.baseUri);
    this.basePath = this.base.pathname.replace(/\/+$/, '');
    this.baseQuery = this.base.search.replace(/^\?/, '');
    const secure = this.base.protocol === 'https:';
    // URL keeps IPv6 hosts in brackets; a TCP connection wants them bare.
    const hostname = this.base.hostname.replace(/^\[(.*)\]$/, '$1');
    this.deadlines = new Deadlines(options.timeoutMs);
    registerUpstream(hostname, this.base.port === '' ? (secure ? 443 : 80) : Number(this.base.port));
    // Keep-alive connections, one request at a time on each (no pipelining), redirects not followed.
    // undici's own header and body timeouts are off: the deadline of each call (below) covers the whole
    // exchange, connecting included, as it did with node:http.
    this.pool = new Pool(this.base.origin, {
      connections: options.maxSockets ?? 256,
      pipelining: 1,
      headersTimeout: 0,
      bodyTimeout: 0,
      connectTimeout: options.timeoutMs,
    });
    const hooks = options.hooks;
    this.hooks = hooks?.beforeUpstream || hooks?.afterUpstream ? hooks : undefined;
  }

  /** The credentials of a call; a function of no arguments (secrets only) is called once, its headers checked once. */
  private credentialsFor(args: Args): Credentials | undefined {
    const make = this.options.credentials;
    if (!make) return undefined;
    if (make.length === 0 && this.fixedCredentials) return this.fixedCredentials;
    const credentials = make(args);
    for (const value of Object.values(credentials.headers ?? {})) checkHeader('credentials', value);
    if (make.length === 0) this.fixedCredentials = credentials;
    return credentials;
  }

  /** Builds the request target (path and query) for an operation; exported for tests and hooks. */
  target(op: OperationDescriptor, args: Args, credentials: Credentials | undefined): string {
    let path = this.basePath;
    for (const piece of op.path) {
      if (typeof piece === 'string') path += piece;
      else {
        const value = args[piece.arg];
        if (value === undefined || value === null || value === '') throw new RequestInputError(piece.arg, `\`${piece.arg}\` is required to build the request path.`);
        path += encodePathSegment(value);
      }
    }
    if (!path.startsWith('/')) path = '/' + path;
    const pairs: string[] = [];
    if (op.fixedQuery) for (const [name, value] of op.fixedQuery) if (name !== '' || value !== '') pairs.push(value === '' ? encodeQueryPart(name) : `${encodeQueryPart(name)}=${encodeQueryPart(value)}`);
    for (const q of op.query) {
      const value = args[q.arg];
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) for (const item of value) pairs.push(`${encodeQueryPart(q.name)}=${encodeQueryPart(scalarText(item))}`);
      else pairs.push(`${encodeQueryPart(q.name)}=${encodeQueryPart(scalarText(value))}`);
    }
    if (credentials?.query) for (const [name, value] of credentials.query) pairs.push(`${encodeQueryPart(name)}=${encodeQueryPart(value)}`);
    // A base URI may carry a query of its own; keep it in front.
    if (this.baseQuery !== '') pairs.unshift(this.baseQuery);
    return pairs.length > 0 ? `${path}?${pairs.join('&')}` : path;
  }

  /**
   * Sends one operation. `fields` names, per argument, the caller's input it came from, so that a
   * refusal (a missing path value, a line break in a header) names what the caller actually sent.
   */
  send(op: OperationDescriptor, args: Args, fields: Readonly<Record<string, string>> = {}): Promise<UpstreamResponse> {
    let call: UpstreamCall;
    try {
      call = this.prepare(op, args);
    } catch (err) {
      if (err instanceof RequestInputError && fields[err.field] !== undefined) {
        const field = fields[err.field]!;
        return Promise.reject(new RequestInputError(field, err.message.split(`\`${err.field}\``).join(`\`${field}\``)));
      }
      return Promise.reject(err);
    }
    // The request being answered, read now, while it is current: the call is cancelled if it goes.
    const ctx = currentRequest();
    // Without hooks, no extra promise on the hot path.
    return this.hooks ? this.sendWithHooks(op, call, this.hooks, ctx) : this.dispatch(op, call, ctx);
  }

  private async sendWithHooks(op: OperationDescriptor, call: UpstreamCall, hooks: Hooks, ctx: RequestContext | undefined): Promise<UpstreamResponse> {
    if (hooks.beforeUpstream) {
      await hooks.beforeUpstream(call);
      for (const [name, value] of Object.entries(call.headers)) checkHeader(name, value);
    }
    const response = await this.dispatch(op, call, ctx);
    if (!hooks.afterUpstream) return response;
    const { bytes: _bytes, ...seen } = response;
    return (await hooks.afterUpstream(seen, call)) ?? seen;
  }

  private dispatch(op: OperationDescriptor, call: UpstreamCall, ctx: RequestContext | undefined): Promise<UpstreamResponse> {
    // Bytes (an uploaded file) and a string body (a form) are sent as they are; anything else as JSON.
    const payload =
      call.body === undefined ? undefined : Buffer.isBuffer(call.body) ? call.body : Buffer.from(typeof call.body === 'string' ? call.body : JSON.stringify(call.body), 'utf8');
    if (payload) {
      call.headers['content-type'] ??= 'application/json';
      call.headers['content-length'] = String(payload.length);
    } else if (op.method === 'POST' || op.method === 'PUT' || op.method === 'PATCH') call.headers['content-length'] = '0';
    const auth = this.options.auth;
    // A binary answer is refused as soon as it passes its cap, before it is buffered whole.
    const cap = op.binary?.maxBytes;
    const response = auth
      ? this.requestWithAuth(auth, op.method, call.target, call.headers, payload, ctx, cap)
      : this.request(op.method, call.target, call.headers, payload, ctx, cap);
    const format = op.format;
    if (op.binary) {
      const binary = op.binary;
      return response.then((r) => binaryResponse(r, binary));
    }
    return format ? response.then((r) => convertResponse(r, format)) : response;
  }

  /** Everything about the request that depends on the arguments, checked before anything is sent. */
  private prepare(op: OperationDescriptor, args: Args): UpstreamCall {
    const credentials = this.credentialsFor(args);
    const target = this.target(op, args, credentials);
    const headers: Record<string, string> = { accept: 'application/json, */*;q=0.5' };
    if (op.fixedHeaders) for (const [name, value] of op.fixedHeaders) headers[name.toLowerCase()] = value;
    for (const h of op.headers) {
      const value = args[h.arg];
      if (value === undefined || value === null) continue;
      headers[h.name] = checkHeader(h.arg, simpleText(value));
    }
    if (op.cookies.length > 0) {
      const cookies = op.cookies
        .filter((c) => args[c.arg] !== undefined && args[c.arg] !== null)
        .map((c) => `${c.name}=${checkHeader(c.arg, simpleText(args[c.arg], encodeURIComponent))}`);
      if (cookies.length > 0) headers.cookie = cookies.join('; ');
    }
    if (credentials?.headers) Object.assign(headers, credentials.headers);

    let body: unknown;
    if (op.body?.kind === 'binary' || op.body?.kind === 'multipart-args') {
      const upload = fileBody(op.body, args);
      if (upload) {
        headers['content-type'] = upload.contentType;
        body = upload.payload;
      }
    } else if (op.body?.kind === 'template' || op.body?.kind === 'form-fields' || op.body?.kind === 'multipart') {
      // A body written in the capability: rendered as text, so it is sent as it is (see dispatch).
      const rendered = renderBody(op.body, args, this.options.secrets);
      headers['content-type'] = rendered.contentType;
      body = rendered.payload;
    } else if (op.body?.kind === 'whole') body = args[op.body.arg];
    else if (op.body?.kind === 'form') {
      // An application/x-www-form-urlencoded body: a string, so it is sent as it is (see dispatch).
      const form = new URLSearchParams();
      for (const f of op.body.fields) {
        const v = args[f.arg];
        if (v === undefined || v === null) continue;
        for (const item of Array.isArray(v) ? v : [v]) form.append(f.name, scalarText(item));
      }
      if ([...form.keys()].length > 0) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = form.toString();
      }
    } else if (op.body) {
      const fields: Record<string, unknown> = {};
      for (const f of op.body.fields) if (args[f.arg] !== undefined) fields[f.name] = args[f.arg];
      body = Object.keys(fields).length > 0 ? fields : undefined;
    }
    return { api: this.options.namespace, operation: op.name, method: op.method, target, headers, body };
  }

  /**
   * Passes a request on (a `forward` resource): to the base URI's path, `/`, then the given segments, each
   * encoded as one segment; the query is not passed on. Only the headers given are sent, with the API's
   * credentials; the body as received.
   */
  forward(method: string, segments: readonly string[], headers: Readonly<Record<string, string>>, body: Buffer | undefined): Promise<UpstreamResponse> {
    let call: UpstreamCall;
    try {
      const credentials = this.credentialsFor({});
      const sent: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) if (!CONNECTION_HEADERS.has(name)) sent[name] = checkHeader(name, value);
      if (credentials?.headers) Object.assign(sent, credentials.headers);
      const path = `${this.basePath}/${segments.map(encodePathSegment).join('/')}`;
      const query = (credentials?.query ?? []).map(([n, v]) => `${encodeQueryPart(n)}=${encodeQueryPart(v)}`).join('&');
      call = { api: this.options.namespace, operation: '(forward)', method, target: query ? `${path}?${query}` : path, headers: sent, body: undefined };
    } catch (err) {
      return Promise.reject(err);
    }
    if (body !== undefined) call.headers['content-length'] = String(body.length);
    const auth = this.options.auth;
    const ctx = currentRequest();
    return auth ? this.requestWithAuth(auth, method, call.target, call.headers, body, ctx) : this.request(method, call.target, call.headers, body, ctx);
  }

  /** Sends with the authentication's headers; after a 401 it may answer once (a Digest challenge, a fresh OAuth 2 token). */
  private async requestWithAuth(
    auth: UpstreamAuth,
    method: string,
    target: string,
    headers: Record<string, string>,
    payload: Buffer | undefined,
    ctx: RequestContext | undefined,
    binaryCap?: number,
  ): Promise<UpstreamResponse> {
    const first = await auth.before(method, target);
    for (const [name, value] of Object.entries(first)) headers[name] = checkHeader('credentials', value);
    const response = await this.request(method, target, headers, payload, ctx, binaryCap);
    if (response.status !== 401 || !auth.retry) return response;
    const again = await auth.retry(method, target, response.wwwAuthenticate);
    if (!again) return response;
    for (const [name, value] of Object.entries(again)) headers[name] = checkHeader('credentials', value);
    return this.request(method, target, headers, payload, ctx, binaryCap);
  }

  private request(
    method: string,
    path: string,
    headers: Record<string, string>,
    payload: Buffer | undefined,
    ctx: RequestContext | undefined,
    binaryCap?: number,
  ): Promise<UpstreamResponse> {
    return new Promise<UpstreamResponse>((resolve, reject) => {
      if (ctx?.gone) return reject(new UpstreamError('cancelled', 'the client went away'));
      const exchange = new Exchange(this.deadlines, this.options, ctx, binaryCap, resolve, reject);
      this.pool.dispatch({ method, path, headers, body: payload ?? null }, exchange);
    });
  }

  close(): void {
    // In-flight calls end as network errors; the promise only says when the sockets are gone.
    this.pool.destroy().catch(() => undefined);
  }
}

/**
 * One call on the wire: undici's request handler (the callbacks its client calls itself, without the
 * wrapper the newer controller-style handler needs), and the promise it settles once. A call that times
 * out, is too large or is cancelled is settled at once, then torn down: right away when it is on a
 * socket, or as soon as it reaches one when it still waits in the pool's queue, so it is never sent.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private readonly deadline: Deadline;
  private settled = false;
  private abortWire: ((err?: Error) => void) | undefined = undefined;
  private reason: UpstreamError | undefined = undefined;
  private status = 0;
  /** A binary answer's cap when it applies (a 2xx answer), which replaces the general limit. */
  private binaryLimit: number | undefined = undefined;
  private cap: number;
  private size = 0;
  private chunks: Buffer[] = [];
  private contentType: string | undefined = undefined;
  private location: string | undefined = undefined;
  private wwwAuthenticate: string | undefined = undefined;

  private readonly limit: number;

  constructor(
    private readonly deadlines: Deadlines,
    private readonly options: ApiClientOptions,
    private readonly ctx: RequestContext | undefined,
    private readonly binaryCap: number | undefined,
    private readonly resolve: (answer: UpstreamResponse) => void,
    private readonly reject: (err: UpstreamError) => void,
  ) {
    this.limit = this.cap = options.maxResponseBytes ?? 32 * 1024 * 1024;
    // A deadline for the whole exchange, not an idle timeout: a trickling upstream is cut off too.
    this.deadline = deadlines.add(this.expire);
    // The request's own slot when it has one and it is free, else its set: it cancels the call if the client goes away.
    if (ctx === undefined) return;
    if ('cancel' in ctx && ctx.cancel === undefined) ctx.cancel = this.cancel;
    else (ctx.cancels ??= new Set()).add(this.cancel);
  }

  private readonly expire = (): void => this.stop(new UpstreamError('timeout', `the upstream did not answer within ${this.options.timeoutMs} ms`));

  private readonly cancel = (): void => this.stop(new UpstreamError('cancelled', 'the client went away'));

  /** Settles the call with `err` and tears the exchange down. */
  private stop(err: UpstreamError): void {
    if (this.settled) return;
    this.fail(err);
    this.reason = err;
    this.abortWire?.(err);
  }

  private done(): void {
    this.settled = true;
    this.deadlines.remove(this.deadline);
    const ctx = this.ctx;
    if (!ctx) return;
    if (ctx.cancel === this.cancel) ctx.cancel = undefined;
    else ctx.cancels?.delete(this.cancel);
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    this.done();
    this.reject(asUpstreamError(err));
  }

  onConnect(abort: (err?: Error) => void): void {
    // Timed out or cancelled while it waited for a socket: never sent.
    if (this.reason) abort(this.reason);
    else this.abortWire = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // Informational answers (103 Early Hints) come before the real one.
    if (statusCode < 200) return true;
    this.status = statusCode;
    if (this.binaryCap !== undefined && statusCode < 300) this.cap = this.binaryLimit = this.binaryCap;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!;
      // Only three headers matter; their lengths tell them apart before the text is compared.
      const n = name.length;
      if (n !== 12 && n !== 8 && n !== 16) continue;
      const lower = name.toString('latin1').toLowerCase();
      // The first content type and location count, as in Node's HTTP client; challenges add up.
      if (lower === 'content-type') this.contentType ??= rawHeaders[i + 1]!.toString('latin1');
      else if (lower === 'location') this.location ??= rawHeaders[i + 1]!.toString('latin1');
      else if (lower === 'www-authenticate') {
        const challenge = rawHeaders[i + 1]!.toString('latin1');
        this.wwwAuthenticate = this.wwwAuthenticate === undefined ? challenge : `${this.wwwAuthenticate}, ${challenge}`;
      }
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return false;
    this.size += chunk.length;
    if (this.size > this.cap) {
      const why =
        this.binaryLimit !== undefined
          ? `the binary answer is more than the ${this.binaryLimit} bytes maxBinarySize allows`
          : `the upstream response is larger than ${this.limit} bytes`;
      this.stop(new UpstreamError('too-large', why));
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.done();
    const chunks = this.chunks;
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const status = this.status;
    if (this.ctx) this.ctx.upstream = status;
    const answer: UpstreamResponse = { status, contentType: this.contentType, text: bytes.toString('utf8'), bytes };
    if (this.location) answer.location = this.location;
    if (status === 401 && this.wwwAuthenticate) answer.wwwAuthenticate = this.wwwAuthenticate;
    this.resolve(answer);
  }

  onError(err: Error): void {
    this.fail(err);
  }
}

function checkHeader(field: string, value: string): string {
  const bad = FORBIDDEN_IN_HEADER.exec(value);
  if (bad) {
    const what = /[\r\n]/.test(bad[0]) ? 'a line break' : `the character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new RequestInputError(field, `\`${field}\` contains ${what}, which cannot be sent in an HTTP header.`);
  }
  return value;
}

function asUpstreamError(err: unknown): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  // Its message names the header or the mismatch, never a value.
  if (code !== undefined && REFUSED_BY_CLIENT.has(code)) return new UpstreamError('network', `the request could not be sent: ${(err as Error).message}`);
  return new UpstreamError('network', `the upstream could not be reached${code ? ` (${code})` : ''}`);
}

/** A value as template text: missing values render as '' (as Mustache does), objects as JSON. */
export function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return scalarText(value);
}

/** A successful binary answer: its bytes, its media type (the capability's, else the API's); its size cap was kept while it was read. */
function binaryResponse(r: UpstreamResponse, binary: NonNullable<OperationDescriptor['binary']>): UpstreamResponse {
  if (r.status < 200 || r.status >= 300) return r;
  const bytes = r.bytes ?? Buffer.from(r.text, 'utf8');
  return { ...r, bytes, binary: true, contentType: binary.mediaType ?? r.contentType ?? 'application/octet-stream' };
}
