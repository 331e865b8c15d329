/**
 * The response cache of an MCP adapter with `ttlMs` (and `cacheScope`): a resource read is answered from
 * memory for ttlMs after the upstream answered it, instead of calling the upstream again. A `public` answer is
 * shared by every caller; a `private` one (the default) is kept per caller, told apart by the credentials the
 * request carried. Failures (an upstream answer of 300 or more) are never kept. The cache holds at most `maxEntries` answers, the oldest dropped first.
 */
import { createHash } from 'node:crypto';
import { currentRequest } from './ops.js';

export type CacheScope = 'public' | 'private';

export class ResponseCache<T> {
  private readonly entries = new Map<string, { expires: number; value: T }>();

  constructor(
    private readonly ttlMs: number,
    private readonly scope: CacheScope = 'private',
    private readonly maxEntries = 1000,
  ) {}

  /** The answer kept for `key` (and this caller, when private), or the one `produce` gives, kept when it says so. */
  async get(key: string, produce: () => Promise<{ value: T; keep: boolean }>): Promise<T> {
    const id = this.scope === 'public' ? key : `${currentRequest()?.caller ?? ''}\u0000${key}`;
    const now = Date.now();
    const hit = this.entries.get(id);
    if (hit && hit.expires > now) return hit.value;
    if (hit) this.entries.delete(id);
    const { value, keep } = await produce();
    if (keep && this.ttlMs > 0) {
      this.entries.set(id, { expires: now + this.ttlMs, value });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }
}

/** Who is calling, for private answers: a digest of the request's credentials (never the credentials themselves). */
export function callerKey(headers: Readonly<Record<string, string | string[] | undefined>>, remote: string | undefined): string {
  const credentials = ['authorization', 'x-api-key', 'cookie'].map((h) => String(headers[h] ?? '')).join('\n');
  return createHash('sha256').update(credentials.trim() === '' ? `remote:${remote ?? ''}` : credentials).digest('base64url');
}
