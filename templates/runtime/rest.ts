/**
 * The REST adapter's HTTP layer on node:http: a route table matched segment by segment, inputs
 * read from path, query, headers and JSON body, and answers that pass the upstream status through.
 */
import type http from 'node:http';
import { authorize, type InboundAuth } from './inbound-auth.js';
import { InvalidInputError } from './inputs.js';
import { DEFAULT_LIMITS, readBodyBytes, readJsonBody, runWith, tooLongArgument, type AdapterConfig, type RequestContext } from './ops.js';
import { isIdentity, mapOutput, parseBody, type OutputSpec } from './output.js';
import { createAdapterServer } from './server.js';
import { RequestInputError, UpstreamError, type UpstreamResponse } from './upstream.js';

import type { InputType } from './shapes.js';

export type { InputType };

/**
 * Where a REST operation reads each of its inputs: `body` is a field of the JSON body, `json-body` the whole body,
 * `file-body` the whole body as bytes (an uploaded file, whatever its content type).
 */
export interface InputField {
  readonly name: string;
  readonly from: 'path' | 'query' | 'header' | 'cookie' | 'body' | 'json-body' | 'file-body';
  readonly type: InputType;
  /** A body input read deeper in the JSON body (`value: $.user.id` gives ['user', 'id']). */
  readonly path?: ReadonlyArray<string | number>;
}

/** A path segment of a route: literal text, or a placeholder with optional literal text around it (`{id}.json`). */
export type Segment = string | { readonly param: string; readonly prefix?: string; readonly suffix?: string };

export interface Route {
  readonly method: string;
  readonly segments: readonly Segment[];
  readonly inputs: readonly InputField[];
  readonly handle: (raw: Record<string, unknown>) => Promise<RestResult>;
}

/**
 * A `forward` resource: every method its operations do not take, at its path and below (the last
 * placeholder takes the rest of the path, one segment or more), passed on to a consumed API.
 */
export interface ForwardRoute {
  /** Methods the resource's own operations answer: they win over the forward. */
  readonly except: readonly string[];
  /** The fixed segments before the rest of the path. */
  readonly prefix: readonly string[];
  readonly forward: (request: ForwardedRequest) => Promise<RestResult>;
}

export interface ForwardedRequest {
  readonly method: string;
  /** The rest of the path, decoded, one entry per segment. */
  readonly segments: readonly string[];
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer | undefined;
}

/** An answer: `headers` are extra response headers (the `Location` of an upstream redirect). */
export type RestResult = (
  | { status: number; json: unknown }
  | { status: number; raw: string | Buffer; contentType: string | undefined }
  | { status: number }
) & { headers?: Record<string, string> };

/**
 * Upstream answer to REST answer: the status is passed through, and the body mapped by the outputs.
 * An error (400 or more) passes the upstream's own body through unchanged, so the caller sees the
 * API's error; a redirect keeps its `Location`.
 */
export function fromUpstream(upstream: UpstreamResponse, outputs: readonly OutputSpec[], binary?: { readonly mediaType: string; readonly status?: number }): RestResult {
  // A binary answer (`outputRawFormat: binary`, or an operation's `responseBinary`) goes out as its bytes, with its media type.
  if (binary && upstream.status >= 200 && upstream.status < 300) {
    return { status: binary.status ?? upstream.status, raw: upstream.bytes ?? upstream.text, contentType: binary.mediaType };
  }
  if (upstream.binary && upstream.bytes) return { status: upstream.status, raw: upstream.bytes, contentType: upstream.contentType };
  if (upstream.status >= 300 && upstream.status < 400) {
    const headers = upstream.location === undefined ? undefined : { location: upstream.location };
    const raw = upstream.bytes ?? upstream.text;
    return { status: upstream.status, raw, contentType: upstream.contentType, ...(headers ? { headers } : {}) };
  }
  if (upstream.status >= 400) {
    if (upstream.text === '') return { status: upstream.status };
    return { status: upstream.status, raw: upstream.bytes ?? upstream.text, contentType: upstream.contentType };
  }
  // The whole value, unchanged: a JSON body goes out as it came in (a JSON `null` maps to nothing and
  // falls back to the raw body, which is the same bytes).
  if (isIdentity(outputs) && (upstream.contentType === undefined || /json/i.test(upstream.contentType))) {
    const body = upstream.bytes ?? upstream.text;
    if (body.length > 0) return { status: upstream.status, raw: body, contentType: 'application/json' };
  }
  const body = parseBody(upstream.text, upstream.contentType);
  const mapped = body === undefined ? undefined : mapOutput(outputs, body);
  if (mapped !== undefined) return { status: upstream.status, json: mapped };
  if (upstream.text === '') return { status: upstream.status };
  return { status: upstream.status, raw: upstream.text, contentType: upstream.contentType };
}

function send(res: http.ServerResponse, status: number, body: string | Buffer | undefined, contentType: string | undefined, extra?: Record<string, string>): void {
  // Headers as a flat list: the cheapest form for node:http to write.
  const headers: string[] = [];
  if (body !== undefined) headers.push('content-type', contentType ?? 'application/octet-stream', 'content-length', String(Buffer.byteLength(body)));
  if (extra) for (const name in extra) headers.push(name, extra[name]!);
  res.writeHead(status, headers);
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, extra?: Record<string, string>): void {
  send(res, status, JSON.stringify(value), 'application/json', extra);
}

function coerce(value: string, type: InputType): unknown {
  switch (type) {
    case 'number':
    case 'integer': {
      const n = Number(value);
      return value.trim() === '' || Number.isNaN(n) ? value : n;
    }
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'array':
      // A path or header value holds a list as `a,b` (OpenAPI's `simple` style).
      return value === '' ? [] : value.split(',');
    case 'object':
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    default:
      return value;
  }
}

const NONE: readonly string[] = [];

/**
 * The values of each query parameter, as URLSearchParams reads them (`+` is a space, percent-encoding
 * decoded); a query without `%` or `+` is split directly, which is most of them and much cheaper.
 */
function queryValues(search: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    const list = out.get(name);
    if (list) list.push(value);
    else out.set(name, [value]);
  };
  // (URLSearchParams also drops a leading `?`.)
  if (search.includes('%') || search.includes('+') || search.startsWith('?')) {
    for (const [name, value] of new URLSearchParams(search)) add(name, value);
    return out;
  }
  let from = 0;
  while (from <= search.length) {
    let end = search.indexOf('&', from);
    if (end < 0) end = search.length;
    if (end > from) {
      const eq = search.indexOf('=', from);
      if (eq >= 0 && eq < end) add(search.slice(from, eq), search.slice(eq + 1, end));
      else add(search.slice(from, end), '');
    }
    from = end + 1;
  }
  return out;
}

/**
 * The first value of `name` in a query without `%`, `+` or a leading `?`, as queryValues reads it (a name
 * without `=` has the value ''), or undefined: one scan, without a map of every parameter.
 */
function firstPlainValue(search: string, name: string): string | undefined {
  let from = 0;
  while (from < search.length) {
    let end = search.indexOf('&', from);
    if (end < 0) end = search.length;
    const eq = search.indexOf('=', from);
    const nameEnd = eq >= 0 && eq < end ? eq : end;
    if (end > from && nameEnd - from === name.length && search.startsWith(name, from)) return nameEnd === end ? '' : search.slice(nameEnd + 1, end);
    from = end + 1;
  }
  return undefined;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // a value that is not percent-encoding stays as sent
    }
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

class Router {
  private readonly bySize = new Map<number, Plan[]>();

  constructor(plans: readonly Plan[]) {
    for (const p of plans) {
      const list = this.bySize.get(p.route.segments.length) ?? [];
      list.push(p);
      this.bySize.set(p.route.segments.length, list);
    }
  }

  /** The plan of the matching route, `405` with the allowed methods when only the method differs, or undefined. */
  find(method: string, segments: string[]): Plan | { allowed: string[] } | undefined {
    let allowed: string[] | undefined;
    const candidates = this.bySize.get(segments.length);
    if (candidates === undefined) return undefined;
    for (const plan of candidates) {
      if (!matches(plan.route, segments)) continue;
      if (plan.route.method === method) return plan;
      (allowed ??= []).push(plan.route.method);
    }
    return allowed ? { allowed } : undefined;
  }
}

function matches(route: Route, segments: readonly string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const s = route.segments[i]!;
    const actual = segments[i]!;
    if (typeof s === 'string') {
      if (s !== actual) return false;
    } else {
      const prefix = s.prefix ?? '';
      const suffix = s.suffix ?? '';
      if (actual.length <= prefix.length + suffix.length || !actual.startsWith(prefix) || !actual.endsWith(suffix)) return false;
    }
  }
  return true;
}

export interface RestServerOptions {
  name: string;
  routes: readonly Route[];
  forwards?: readonly ForwardRoute[];
  /** The credential callers must present (the adapter's `authentication`). */
  auth?: InboundAuth;
  /** The OpenAPI document of these routes, served at GET /openapi.json (unless a route of the capability is there). */
  openapi?: string;
  /** Address, limits, logging (see ops.ts); defaults when absent. */
  config?: AdapterConfig;
}

/** The route template of a route, as written in the capability (`/v1/items/{id}`), for logs. */
function template(route: Route): string {
  return '/' + route.segments.map((s) => (typeof s === 'string' ? s : `${s.prefix ?? ''}{${s.param}}${s.suffix ?? ''}`)).join('/');
}

/** How one input of a route is read, worked out when the server starts. */
interface Reader {
  readonly name: string;
  readonly from: InputField['from'];
  readonly type: InputType;
  /** A path input: the index of its segment, and the length of the literal text before and after it (-1: no such placeholder). */
  readonly segment: number;
  readonly prefix: number;
  readonly suffix: number;
  /** A header input: its name in lower case, as node:http keys headers. */
  readonly header: string;
  readonly path: ReadonlyArray<string | number> | undefined;
}

/** What each route needs, worked out once: its template (for logs), how its body is read, its file inputs, how each input is read. */
interface Plan {
  readonly route: Route;
  readonly template: string;
  readonly body: 'file' | 'json' | 'none';
  readonly files: ReadonlySet<string> | undefined;
  readonly readers: readonly Reader[];
}

function planOf(r: Route): Plan {
  const files = new Set(r.inputs.filter((i) => i.from === 'file-body').map((i) => i.name));
  const body = files.size > 0 ? 'file' : r.inputs.some((i) => i.from === 'body' || i.from === 'json-body') ? 'json' : 'none';
  const readers = r.inputs.map((field): Reader => {
    const segment = field.from === 'path' ? r.segments.findIndex((s) => typeof s !== 'string' && s.param === field.name) : -1;
    const placeholder = segment < 0 ? undefined : (r.segments[segment] as Exclude<Segment, string>);
    return {
      name: field.name,
      from: field.from,
      type: field.type,
      segment,
      prefix: (placeholder?.prefix ?? '').length,
      suffix: (placeholder?.suffix ?? '').length,
      header: field.name.toLowerCase(),
      path: field.path,
    };
  });
  return { route: r, template: template(r), body, files: files.size > 0 ? files : undefined, readers };
}

/** The arguments of a route, read from the request as its inputs say (only those that were sent). */
function readInputs(plan: Plan, req: http.IncomingMessage, segments: readonly string[], search: string, body: unknown, file: string | undefined): Record<string, unknown> {
  let query: Map<string, string[]> | undefined;
  let plain: boolean | undefined;
  let cookies: Map<string, string> | undefined;
  const raw: Record<string, unknown> = {};
  for (const field of plan.readers) {
    let value: unknown;
    switch (field.from) {
      case 'path': {
        const text = segments[field.segment];
        value = text === undefined ? undefined : coerce(text.slice(field.prefix, text.length - field.suffix), field.type);
        break;
      }
      case 'query': {
        plain ??= !search.includes('%') && !search.includes('+') && !search.startsWith('?');
        if (plain && field.type !== 'array') {
          const first = firstPlainValue(search, field.name);
          value = first === undefined ? undefined : coerce(first, field.type);
          break;
        }
        query ??= queryValues(search);
        const all = query.get(field.name) ?? NONE;
        value = field.type === 'array' ? (all.length > 0 ? all : undefined) : all.length > 0 ? coerce(all[0]!, field.type) : undefined;
        break;
      }
      case 'header': {
        const h = req.headers[field.header];
        value = typeof h === 'string' ? coerce(h, field.type) : undefined;
        break;
      }
      case 'cookie': {
        cookies ??= parseCookies(req.headers.cookie);
        const c = cookies.get(field.name);
        value = c === undefined ? undefined : coerce(c, field.type);
        break;
      }
      case 'json-body':
        value = body;
        break;
      case 'file-body':
        value = file;
        break;
      default:
        if (field.path) value = field.path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), body);
        else value = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[field.name] : undefined;
    }
    if (value !== undefined) raw[field.name] = value;
  }
  return raw;
}

function sendResult(res: http.ServerResponse, result: RestResult): void {
  if ('json' in result) sendJson(res, result.status, result.json, result.headers);
  else if ('raw' in result) send(res, result.status, result.raw, result.contentType, result.headers);
  else send(res, result.status, undefined, undefined, result.headers);
}

/** Answers what a route's call failed with, when it is the caller's or the upstream's problem; anything else is thrown on. */
function sendFailure(res: http.ServerResponse, err: unknown): void {
  if (err instanceof InvalidInputError) sendJson(res, 400, { error: 'invalid_input', message: 'The request does not fit this operation.', fields: err.problems });
  else if (err instanceof RequestInputError) sendJson(res, 400, { error: 'invalid_input', message: err.message, fields: [{ field: err.field, problem: err.message }] });
  else if (err instanceof UpstreamError && err.kind !== 'cancelled') sendJson(res, err.kind === 'timeout' ? 504 : 502, { error: err.kind === 'timeout' ? 'upstream_timeout' : 'upstream_unavailable', message: `The upstream API failed: ${err.message}.` });
  else throw err;
}

export function createRestServer(options: RestServerOptions): http.Server {
  const router = new Router(options.routes.map(planOf));
  const limits = options.config?.limits ?? DEFAULT_LIMITS;
  return createAdapterServer({ label: `REST adapter ${options.name}`, name: options.name, ...(options.config ? { config: options.config } : {}), handle });

  // Synchronous until the route's call: a route without a body answers through one promise, its call's.
  function handle(req: http.IncomingMessage, res: http.ServerResponse, ctx: RequestContext): Promise<void> | void {
    if (!authorize(options.auth, req, res, 'rest')) return;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const segments = pathname.split('/');
    segments.shift();
    if (pathname.includes('%')) {
      try {
        for (let i = 0; i < segments.length; i++) if (segments[i]!.includes('%')) segments[i] = decodeURIComponent(segments[i]!);
      } catch {
        sendJson(res, 400, { error: 'invalid_request', message: 'The request path is not valid percent-encoding.' });
        return;
      }
    }
    const method = req.method ?? 'GET';
    let found = router.find(method, segments);
    // HEAD is answered wherever GET is, unless exposed itself (node:http sends no body for HEAD).
    if (method === 'HEAD' && found !== undefined && 'allowed' in found) found = router.find('GET', segments);
    if (!found && options.openapi !== undefined && pathname === '/openapi.json' && (method === 'GET' || method === 'HEAD')) {
      send(res, 200, options.openapi, 'application/json');
      return;
    }
    if (!found || 'allowed' in found) {
      const forward = options.forwards?.find((f) => !f.except.includes(method) && segments.length > f.prefix.length && f.prefix.every((p, i) => p === segments[i]));
      if (forward) return passOn(req, res, ctx, forward, segments);
    }
    if (!found) {
      sendJson(res, 404, { error: 'not_found', message: `No operation is exposed at ${pathname}.` });
      return;
    }
    if ('allowed' in found) {
      // HEAD is allowed wherever GET is.
      const allowed = found.allowed.includes('GET') && !found.allowed.includes('HEAD') ? [...found.allowed, 'HEAD'] : found.allowed;
      const message = `${req.method} is not exposed at ${pathname}.`;
      sendJson(res, 405, { error: 'method_not_allowed', message }, { allow: allowed.join(', ') });
      return;
    }
    const plan = found;
    const route = plan.route;
    ctx.route = plan.template;
    const search = q < 0 ? '' : url.slice(q + 1);
    if (plan.body !== 'none') return withBody(req, res, ctx, route, plan, segments, search);
    req.resume();
    return call(res, ctx, route, plan, readInputs(plan, req, segments, search, undefined, undefined));
  }

  async function withBody(req: http.IncomingMessage, res: http.ServerResponse, ctx: RequestContext, route: Route, plan: Plan, segments: readonly string[], search: string): Promise<void> {
    let body: unknown;
    let file: string | undefined;
    if (plan.body === 'file') {
      const bytes = await readBodyBytes(req, limits);
      file = bytes.length > 0 ? bytes.toString('base64') : undefined;
    } else body = await readJsonBody(req, limits);
    return call(res, ctx, route, plan, readInputs(plan, req, segments, search, body, file));
  }

  /** Checks the arguments' lengths, calls the route and answers with its result. */
  function call(res: http.ServerResponse, ctx: RequestContext, route: Route, plan: Plan, raw: Record<string, unknown>): Promise<void> | void {
    let pending: Promise<RestResult>;
    try {
      // An uploaded file is bounded by the body size, not the argument length.
      const long = tooLongArgument(raw, limits.maxArgLength, plan.files);
      if (long !== undefined) throw new InvalidInputError([{ field: long, problem: `is longer than ${limits.maxArgLength} characters` }]);
      // The upstream call starts synchronously inside: it sees this request (cancellation, logs).
      pending = runWith(ctx, () => route.handle(raw));
    } catch (err) {
      sendFailure(res, err);
      return;
    }
    return pending.then(
      (result) => sendResult(res, result),
      (err: unknown) => sendFailure(res, err),
    );
  }

  async function passOn(req: http.IncomingMessage, res: http.ServerResponse, ctx: RequestContext, forward: ForwardRoute, segments: readonly string[]): Promise<void> {
    try {
      const body = await readBodyBytes(req, limits);
      const request = { method: req.method ?? 'GET', segments: segments.slice(forward.prefix.length), headers: req.headers, body };
      sendResult(res, await runWith(ctx, () => forward.forward(request)));
    } catch (err) {
      if (err instanceof RequestInputError || (err instanceof UpstreamError && err.kind !== 'cancelled')) sendFailure(res, err);
      else throw err;
    }
  }
}
