/**
 * The REST adapter's HTTP layer on node:http: a route table matched segment by segment, inputs
 * read from path, query, headers and JSON body, and answers that pass the upstream status through.
 */
import http from 'node:http';
import { authorize, type InboundAuth } from './inbound-auth.js';
import { InvalidInputError } from './inputs.js';
import { isIdentity, mapOutput, parseBody, type OutputSpec } from './output.js';
import { RequestInputError, UpstreamError, type UpstreamResponse } from './upstream.js';

export type InputType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

/** Where a REST operation reads each of its inputs: `body` is a field of the JSON body, `json-body` the whole body. */
export interface InputField {
  readonly name: string;
  readonly from: 'path' | 'query' | 'header' | 'cookie' | 'body' | 'json-body';
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

export type RestResult = { status: number; json: unknown } | { status: number; raw: string | Buffer; contentType: string | undefined } | { status: number };

const MAX_BODY_BYTES = 1024 * 1024;

/** Upstream answer to REST answer: status passed through (D11), body mapped, raw when no mapping applies. */
export function fromUpstream(upstream: UpstreamResponse, outputs: readonly OutputSpec[]): RestResult {
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
  for (const [name, value] of Object.entries(extra ?? {})) headers.push(name, value);
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
    case 'object':
    case 'array':
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    default:
      return value;
  }
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

function readBody(req: http.IncomingMessage): Promise<string> {
  return readBytes(req).then((bytes) => bytes.toString('utf8'));
}

/** The request body as received (a forwarded body may be binary). */
function readBytes(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new InvalidInputError([{ field: '(body)', problem: `is larger than ${MAX_BODY_BYTES} bytes` }]));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
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
    const allowed: string[] = [];
    for (const route of this.bySize.get(segments.length) ?? []) {
      const params: Record<string, string> = {};
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
          params[s.param] = actual.slice(prefix.length, actual.length - suffix.length);
        }
      }
      if (!ok) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

export interface RestServerOptions {
  name: string;
  routes: readonly Route[];
  forwards?: readonly ForwardRoute[];
  log?: (line: string) => void;
  /** The credential callers must present (the adapter's `authentication`). */
  auth?: InboundAuth;
  /** The OpenAPI document of these routes, served at GET /openapi.json (unless a route of the capability is there). */
  openapi?: string;
}

export function createRestServer(options: RestServerOptions): http.Server {
  const router = new Router(options.routes);
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  return http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`[${options.name}] ${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: 'The server failed to handle the request.' });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!authorize(options.auth, req, res, 'rest')) return;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    let segments: string[];
    try {
      segments = pathname.split('/').slice(1).map((s) => (s.includes('%') ? decodeURIComponent(s) : s));
    } catch {
      sendJson(res, 400, { error: 'invalid_request', message: 'The request path is not valid percent-encoding.' });
      return;
    }
    const found = router.find(req.method ?? 'GET', segments);
    if (!found && options.openapi !== undefined && pathname === '/openapi.json' && (req.method === 'GET' || req.method === 'HEAD')) {
      send(res, 200, options.openapi, 'application/json');
      return;
    }
    if (!found || 'allowed' in found) {
      const forward = options.forwards?.find((f) => !f.except.includes(req.method ?? 'GET') && segments.length > f.prefix.length && f.prefix.every((p, i) => p === segments[i]));
      if (forward) {
        try {
          const body = await readBytes(req);
          const result = await forward.forward({ method: req.method ?? 'GET', segments: segments.slice(forward.prefix.length), headers: req.headers, body });
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
      sendJson(res, 405, { error: 'method_not_allowed', message: `${req.method} is not exposed at ${pathname}.` }, { allow: found.allowed.join(', ') });
      return;
    }
    const { route, params } = found;
    try {
      let query: URLSearchParams | undefined;
      let cookies: Map<string, string> | undefined;
      let body: unknown;
      if (route.inputs.some((i) => i.from === 'body' || i.from === 'json-body')) {
        const text = await readBody(req);
        if (text.trim() !== '') {
          try {
            body = JSON.parse(text) as unknown;
          } catch {
            throw new InvalidInputError([{ field: '(body)', problem: 'is not valid JSON' }]);
          }
        }
      } else req.resume();
      const raw: Record<string, unknown> = {};
      for (const field of route.inputs) {
        let value: unknown;
        if (field.from === 'path') value = params[field.name] === undefined ? undefined : coerce(params[field.name]!, field.type);
        else if (field.from === 'query') {
          query ??= new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
          const all = query.getAll(field.name);
          value = field.type === 'array' ? (all.length > 0 ? all : undefined) : all.length > 0 ? coerce(all[0]!, field.type) : undefined;
        } else if (field.from === 'header') {
          const h = req.headers[field.name.toLowerCase()];
          value = typeof h === 'string' ? coerce(h, field.type) : undefined;
        } else if (field.from === 'cookie') {
          cookies ??= parseCookies(req.headers.cookie);
          value = cookies.get(field.name) === undefined ? undefined : coerce(cookies.get(field.name)!, field.type);
        } else if (field.from === 'json-body') value = body;
        else if (field.path) value = field.path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), body);
        else value = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[field.name] : undefined;
        if (value !== undefined) raw[field.name] = value;
      }
      const result = await route.handle(raw);
      if ('json' in result) sendJson(res, result.status, result.json);
      else if ('raw' in result) send(res, result.status, result.raw, result.contentType);
      else send(res, result.status, undefined, undefined);
    } catch (err) {
      if (err instanceof InvalidInputError) sendJson(res, 400, { error: 'invalid_input', message: 'The request does not fit this operation.', fields: err.problems });
      else if (err instanceof RequestInputError) sendJson(res, 400, { error: 'invalid_input', message: err.message, fields: [{ field: err.field, problem: err.message }] });
      else if (err instanceof UpstreamError) sendJson(res, err.kind === 'timeout' ? 504 : 502, { error: err.kind === 'timeout' ? 'upstream_timeout' : 'upstream_unavailable', message: `The upstream API failed: ${err.message}.` });
      else throw err;
    }
  }
}
