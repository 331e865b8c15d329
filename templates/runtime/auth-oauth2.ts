/**
 * OAuth 2 client credentials for a consumed API: a token fetched from the authorization server,
 * kept until shortly before it expires, fetched again then (one request at a time, however many calls
 * wait for it), and dropped when the API answers 401. Tokens and client secrets are never logged or
 * put in error messages.
 */
import { UpstreamError, type UpstreamAuth } from './upstream.js';

export interface ClientCredentialsOptions {
  /** The token endpoint; when absent or empty, read from the issuer's metadata (RFC 8414, then OpenID discovery). */
  readonly tokenEndpoint?: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes?: readonly string[];
  readonly audience?: string;
  readonly resource?: string;
  readonly timeoutMs: number;
}

/** Renewed this long before the server says it expires, so that a request never carries a stale token. */
const EARLY_RENEWAL_MS = 60_000;

export class OAuth2ClientCredentials implements UpstreamAuth {
  private token: { value: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private endpoint: string | undefined;

  constructor(private readonly options: ClientCredentialsOptions) {
    this.endpoint = options.tokenEndpoint || undefined;
  }

  async before(): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.accessToken()}` };
  }

  /** A 401: the token was revoked or expired early. One more try with a fresh token. */
  async retry(): Promise<Record<string, string>> {
    this.token = undefined;
    return this.before();
  }

  private accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.expiresAt) return Promise.resolve(this.token.value);
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const endpoint = this.endpoint ?? (this.endpoint = await this.discover());
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.options.scopes?.length) form.set('scope', this.options.scopes.join(' '));
    if (this.options.audience) form.set('audience', this.options.audience);
    if (this.options.resource) form.set('resource', this.options.resource);
    // client_secret_basic (RFC 6749, 2.3.1): id and secret form-encoded, then base64.
    const basic = Buffer.from(`${formEncode(this.options.clientId)}:${formEncode(this.options.clientSecret)}`).toString('base64');
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(this.options.timeoutMs),
    }).catch(() => {
      throw new UpstreamError('network', 'the OAuth 2 token endpoint could not be reached');
    });
    const body = (await res.json().catch(() => undefined)) as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (!res.ok || typeof body?.access_token !== 'string') throw new UpstreamError('network', `the OAuth 2 token endpoint refused the client credentials (HTTP ${res.status})`);
    const lifetimeMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 3_600_000;
    this.token = { value: body.access_token, expiresAt: Date.now() + Math.max(lifetimeMs - EARLY_RENEWAL_MS, lifetimeMs / 2) };
    return body.access_token;
  }

  private async discover(): Promise<string> {
    const issuer = this.options.issuer.replace(/\/+$/, '');
    for (const well of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await fetch(issuer + well, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(this.options.timeoutMs) }).catch(() => undefined);
      const meta = res?.ok ? ((await res.json().catch(() => undefined)) as { token_endpoint?: unknown } | undefined) : undefined;
      if (typeof meta?.token_endpoint === 'string') return meta.token_endpoint;
    }
    throw new UpstreamError('network', `no token endpoint is published by the OAuth 2 issuer ${issuer}`);
  }
}

function formEncode(text: string): string {
  return new URLSearchParams([['', text]]).toString().slice(1);
}
