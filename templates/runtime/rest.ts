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

interface Match {
  route: Route;
  params: Record<string, string>;
}

class Router {
  private readonly bySize = new Map<number, Route[]>();

  constructor(routes: readonly Route[]) {
    for (const r of routes) {
      const list = this.bySize.get(r.segments.length) ?? [];
      list.push(r);
      this.bySize.set(r.segments.length, list);
    }
  }

  /** The matching route, `405` with the allowed methods when only the method differs, or undefined. */
  find(method: string, segments: string[]): Match | { allowed: string[] } | undefined {
    let allowed: string[] | undefined;
    for (const route of this.bySize.get(segments.length) ?? []) {
      // Made at the first placeholder: a route of literal segments, or one that fails early, needs none.
      let params: Record<string, string> | undefined;
      let ok = true;
      for (let i = 0; i < segments.length; i++) {
        const s = route.segments[i]!;
        const actual = segments[i]!;
        if (typeof s === 'string') {
          if (s !== actual) {
            ok = false;
            break;
          }
        } else {
          const prefix = s.prefix ?? '';
          const suffix = s.suffix ?? '';
          if (actual.length <= prefix.length + suffix.length || !actual.startsWith(prefix) || !actual.endsWith(suffix)) {
            ok = false;
            break;
          }
          (params ??= {})[s.param] = actual.slice(prefix.length, actual.length - suffix.length);
        }
      }
      if (!ok) continue;
      if (route.method === method) return { route, params: params ?? {} };
      (allowed ??= []).push(route.method);
    }
    return allowed ? { allowed } : undefined;
  }
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

export function createRestServer(options: RestServerOptions): http.Server {
  const router = new Router(options.routes);
  // What each route needs, worked out once: its template (for logs), how its body is read, the file inputs.
  const plans = new Map(
    options.routes.map((r) => {
      const files = new Set(r.inputs.filter((i) => i.from === 'file-body').map((i) => i.name));
      const body = files.size > 0 ? 'file' : r.inputs.some((i) => i.from === 'body' || i.from === 'json-body') ? 'json' : 'none';
      return [r, { template: template(r), body, files: files.size > 0 ? files : undefined }] as const;
    }),
  );
  const limits = options.config?.limits ?? DEFAULT_LIMITS;
  return createAdapterServer({ label: `REST adapter ${options.name}`, name: options.name, ...(options.config ? { config: options.config } : {}), handle });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, ctx: RequestContext): Promise<void> {
    if (!authorize(options.auth, req, res, 'rest')) return;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    let segments: string[];
    try {
      segments = pathname.split('/');
      segments.shift();
      for (let i = 0; i < segments.length; i++) if (segments[i]!.includes('%')) segments[i] = decodeURIComponent(segments[i]!);
    } catch {
      sendJson(res, 400, { error: 'invalid_request', message: 'The request path is not valid percent-encoding.' });
      return;
    }
    let found = router.find(req.method ?? 'GET', segments);
    // HEAD is answered wherever GET is, unless exposed itself (node:http sends no body for HEAD).
    if (req.method === 'HEAD' && found !== undefined && 'allowed' in found) found = router.find('GET', segments);
    if (!found && options.openapi !== undefined && pathname === '/openapi.json' && (req.method === 'GET' || req.method === 'HEAD')) {
      send(res, 200, options.openapi, 'application/json');
      return;
    }
    if (!found || 'allowed' in found) {
      const forward = options.forwards?.find((f) => !f.except.includes(req.method ?? 'GET') && segments.length > f.prefix.length && f.prefix.every((p, i) => p === segments[i]));
      if (forward) {
        try {
          const body = await readBodyBytes(req, limits);
          const request = { method: req.method ?? 'GET', segments: segments.slice(forward.prefix.length), headers: req.headers, body };
          const result = await runWith(ctx, () => forward.forward(request));
          if ('json' in result) sendJson(res, result.status, result.json);
          else if ('raw' in result) send(res, result.status, result.raw, result.contentType);
          else send(res, result.status, undefined, undefined);
        } catch (err) {
          if (err instanceof RequestInputError) sendJson(res, 400, { error: 'invalid_input', message: err.message, fields: [{ field: err.field, problem: err.message }] });
          else if (err instanceof UpstreamError) sendJson(res, err.kind === 'timeout' ? 504 : 502, { error: err.kind === 'timeout' ? 'upstream_timeout' : 'upstream_unavailable', message: `The upstream API failed: ${err.message}.` });
          else throw err;
        }
        return;
      }
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
    const { route, params } = found;
    const plan = plans.get(route)!;
    ctx.route = plan.template;
    try {
      let query: Map<string, string[]> | undefined;
      let cookies: Map<string, string> | undefined;
      let body: unknown;
      let file: string | undefined;
      if (plan.body === 'file') {
        const bytes = await readBodyBytes(req, limits);
        file = bytes.length > 0 ? bytes.toString('base64') : undefined;
      } else if (plan.body === 'json') {
        body = await readJsonBody(req, limits);
      } else req.resume();
      const raw: Record<string, unknown> = {};
      for (const field of route.inputs) {
        let value: unknown;
        if (field.from === 'path') value = params[field.name] === undefined ? undefined : coerce(params[field.name]!, field.type);
        else if (field.from === 'query') {
          query ??= queryValues(q < 0 ? '' : url.slice(q + 1));
          const all = query.get(field.name) ?? NONE;
          value = field.type === 'array' ? (all.length > 0 ? all : undefined) : all.length > 0 ? coerce(all[0]!, field.type) : undefined;
        } else if (field.from === 'header') {
          const h = req.headers[field.name.toLowerCase()];
          value = typeof h === 'string' ? coerce(h, field.type) : undefined;
        } else if (field.from === 'cookie') {
          cookies ??= parseCookies(req.headers.cookie);
          value = cookies.get(field.name) === undefined ? undefined : coerce(cookies.get(field.name)!, field.type);
        } else if (field.from === 'json-body') value = body;
        else if (field.from === 'file-body') value = file;
        else if (field.path) value = field.path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), body);
        else value = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[field.name] : undefined;
        if (value !== undefined) raw[field.name] = value;
      }
      // An uploaded file is bounded by the body size, not the argument length.
      const long = tooLongArgument(raw, limits.maxArgLength, plan.files);
      if (long !== undefined) throw new InvalidInputError([{ field: long, problem: `is longer than ${limits.maxArgLength} characters` }]);
      // The upstream call starts synchronously inside: it sees this request (cancellation, logs).
      const result = await runWith(ctx, () => route.handle(raw));
      if ('json' in result) sendJson(res, result.status, result.json, result.headers);
      else if ('raw' in result) send(res, result.status, result.raw, result.contentType, result.headers);
      else send(res, result.status, undefined, undefined, result.headers);
    } catch (err) {
      if (err instanceof InvalidInputError) sendJson(res, 400, { error: 'invalid_input', message: 'The request does not fit this operation.', fields: err.problems });
      else if (err instanceof RequestInputError) sendJson(res, 400, { error: 'invalid_input', message: err.message, fields: [{ field: err.field, problem: err.message }] });
      else if (err instanceof UpstreamError && err.kind !== 'cancelled') sendJson(res, err.kind === 'timeout' ? 504 : 502, { error: err.kind === 'timeout' ? 'upstream_timeout' : 'upstream_unavailable', message: `The upstream API failed: ${err.message}.` });
      else throw err;
    }
  }
}
