/**
 * Inbound authentication of an exposed adapter: the credential every caller must present (bearer
 * token, API key in a header or the query, or HTTP Basic). Checked before routing, before the body is
 * read and before anything goes upstream; a request without the right credential gets 401. Values are
 * compared in constant time (SHA-256 digests of equal length), and an accepted credential is removed
 * from the request, so that nothing after this check (handlers, logs, upstream calls) ever sees it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { ConfigError } from './config.js';

export type InboundCredentials =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'apikey'; readonly key: string; readonly value: string; readonly placement: 'header' | 'query' };

export interface InboundAuth {
  /** Whether the request carries the right credential; when it does, the credential is removed from it. */
  accept(req: http.IncomingMessage): boolean;
  /** The `WWW-Authenticate` header of a refusal. */
  readonly challenge: string;
  /** What a refused caller is told to send. */
  readonly expected: string;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Equal-length digests, so the comparison takes the same time whatever the caller sent. */
function same(presented: string | undefined, expected: Buffer): boolean {
  return timingSafeEqual(digest(presented ?? ''), expected) && presented !== undefined;
}

function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** The value after `<scheme> ` in the Authorization header, the scheme matched without regard to case. */
function authorization(req: http.IncomingMessage, scheme: string): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== scheme) return undefined;
  return header.slice(space + 1).trim();
}

function removeHeader(req: http.IncomingMessage, name: string): void {
  const lower = name.toLowerCase();
  delete req.headers[lower];
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) if (req.rawHeaders[i]!.toLowerCase() === lower) req.rawHeaders.splice(i, 2);
}

/** Builds the check of one adapter; an empty expected value stops the server at start (never an open door). */
export function inboundAuth(realm: string, credentials: InboundCredentials): InboundAuth {
  const empty = Object.entries(credentials).find(([k, v]) => k !== 'kind' && k !== 'placement' && v === '');
  if (empty) throw new ConfigError(`the inbound authentication of ${realm} has an empty ${empty[0]}: set the secret it is bound to`);
  switch (credentials.kind) {
    case 'bearer': {
      const token = digest(credentials.token);
      return {
        challenge: `Bearer realm=${quoted(realm)}`,
        expected: 'an `Authorization: Bearer <token>` header',
        accept(req) {
          if (!same(authorization(req, 'bearer'), token)) return false;
          removeHeader(req, 'authorization');
          return true;
        },
      };
    }
    case 'basic': {
      const username = digest(credentials.username);
      const password = digest(credentials.password);
      return {
        challenge: `Basic realm=${quoted(realm)}, charset="UTF-8"`,
        expected: 'an `Authorization: Basic <base64 of user:password>` header',
        accept(req) {
          const encoded = authorization(req, 'basic');
          const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
          const colon = decoded.indexOf(':');
          // Both halves are always compared, so a wrong user name takes as long as a wrong password.
          const userOk = same(colon < 0 ? undefined : decoded.slice(0, colon), username);
          const passwordOk = same(colon < 0 ? undefined : decoded.slice(colon + 1), password);
          if (!userOk || !passwordOk) return false;
          removeHeader(req, 'authorization');
          return true;
        },
      };
    }
    case 'apikey': {
      const value = digest(credentials.value);
      const { key } = credentials;
      if (credentials.placement === 'header') {
        return {
          challenge: `ApiKey realm=${quoted(realm)}, in="header", name=${quoted(key)}`,
          expected: `the \`${key}\` header`,
          accept(req) {
            const sent = req.headers[key.toLowerCase()];
            if (!same(typeof sent === 'string' ? sent : undefined, value)) return false;
            removeHeader(req, key);
            return true;
          },
        };
      }
      return {
        challenge: `ApiKey realm=${quoted(realm)}, in="query", name=${quoted(key)}`,
        expected: `the \`${key}\` query parameter`,
        accept(req) {
          const url = req.url ?? '/';
          const q = url.indexOf('?');
          const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
          const sent = query.getAll(key);
          if (!same(sent.length === 1 ? sent[0] : undefined, value)) return false;
          query.delete(key);
          const rest = query.toString();
          req.url = (q < 0 ? url : url.slice(0, q)) + (rest === '' ? '' : `?${rest}`);
          return true;
        },
      };
    }
  }
}

/**
 * The hook of the request paths: true when the request may go on; otherwise it answers 401 itself,
 * with a JSON body (a JSON-RPC error for MCP) and `WWW-Authenticate`, and returns false.
 */
export function authorize(auth: InboundAuth | undefined, req: http.IncomingMessage, res: http.ServerResponse, style: 'rest' | 'mcp'): boolean {
  if (auth === undefined || auth.accept(req)) return true;
  const message = `This server requires authentication: send ${auth.expected}.`;
  const body = JSON.stringify(style === 'mcp' ? { jsonrpc: '2.0', id: null, error: { code: -32001, message } } : { error: 'unauthorized', message });
  req.resume();
  res.writeHead(401, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'www-authenticate': auth.challenge }).end(body);
  return false;
}
