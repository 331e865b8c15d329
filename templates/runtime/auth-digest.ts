/**
 * HTTP Digest authentication (RFC 7616) for a consumed API: the first request goes out without
 * credentials; the API's 401 challenge gives the realm and nonce, and the request is sent again with
 * the answer. Later requests answer the same challenge (counting nonces) until the API sends a new one.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { UpstreamAuth } from './upstream.js';

interface Challenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: string;
  qop?: string;
  count: number;
}

const HASHES: Readonly<Record<string, string>> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

/** The parameters of a `Digest` challenge in a WWW-Authenticate header, or undefined. */
function parseChallenge(header: string | undefined): Challenge | undefined {
  const at = header?.search(/(^|,\s*)Digest\s/i) ?? -1;
  if (header === undefined || at < 0) return undefined;
  const params: Record<string, string> = {};
  const re = /([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  re.lastIndex = header.indexOf('Digest', at) + 6;
  for (let m = re.exec(header); m; m = re.exec(header)) params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  if (params.nonce === undefined || params.realm === undefined) return undefined;
  const algorithm = (params.algorithm ?? 'MD5').toUpperCase();
  const qops = (params.qop ?? '').split(',').map((q) => q.trim());
  return { realm: params.realm, nonce: params.nonce, ...(params.opaque !== undefined ? { opaque: params.opaque } : {}), algorithm, ...(qops.includes('auth') ? { qop: 'auth' } : {}), count: 0 };
}

function quoted(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

export class DigestAuth implements UpstreamAuth {
  private challenge: Challenge | undefined;

  constructor(private readonly credentials: () => { username: string; password: string }) {}

  before(method: string, target: string): Record<string, string> {
    return this.challenge ? { authorization: this.answer(this.challenge, method, target) } : {};
  }

  retry(method: string, target: string, wwwAuthenticate: string | undefined): Record<string, string> | undefined {
    const challenge = parseChallenge(wwwAuthenticate);
    const base = challenge ? HASHES[challenge.algorithm.replace(/-SESS$/, '')] : undefined;
    if (!challenge || !base) return undefined;
    this.challenge = challenge;
    return { authorization: this.answer(challenge, method, target) };
  }

  private answer(c: Challenge, method: string, uri: string): string {
    const { username, password } = this.credentials();
    const sess = c.algorithm.endsWith('-SESS');
    const hash = (text: string): string => createHash(HASHES[c.algorithm.replace(/-SESS$/, '')]!).update(text, 'utf8').digest('hex');
    const cnonce = randomBytes(16).toString('hex');
    const nc = (++c.count).toString(16).padStart(8, '0');
    let ha1 = hash(`${username}:${c.realm}:${password}`);
    if (sess) ha1 = hash(`${ha1}:${c.nonce}:${cnonce}`);
    const ha2 = hash(`${method}:${uri}`);
    const response = c.qop ? hash(`${ha1}:${c.nonce}:${nc}:${cnonce}:${c.qop}:${ha2}`) : hash(`${ha1}:${c.nonce}:${ha2}`);
    const parts = [
      `username=${quoted(username)}`,
      `realm=${quoted(c.realm)}`,
      `nonce=${quoted(c.nonce)}`,
      `uri=${quoted(uri)}`,
      `algorithm=${c.algorithm}`,
      `response=${quoted(response)}`,
      ...(c.opaque !== undefined ? [`opaque=${quoted(c.opaque)}`] : []),
      ...(c.qop ? [`qop=${c.qop}`, `nc=${nc}`, `cnonce=${quoted(cnonce)}`] : []),
    ];
    return `Digest ${parts.join(', ')}`;
  }
}
