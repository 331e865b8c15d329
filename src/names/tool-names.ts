/**
 * MCP clients accept tool names of at most 64 characters from `[A-Za-z0-9_-]`. A name that does not
 * fit is shortened deterministically: a readable prefix of its valid characters, then a short hash of
 * the whole name, so that two long names with a common prefix still differ.
 */
import { shortenWithHash } from './shorten.js';

export const MAX_TOOL_NAME = 64;
const VALID = /^[A-Za-z0-9_-]{1,64}$/;
const HASH_LENGTH = 8;

function shorten(name: string, hashLength: number): string {
  const readable = name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return shortenWithHash(readable, name, MAX_TOOL_NAME, hashLength).replace(/^-/, '');
}

/**
 * The name each tool of one MCP adapter gets on the wire, in order: valid names are kept; others are
 * shortened, with a longer hash if a shortened name would meet another one. Exact duplicates stay
 * duplicates (the validator reports them).
 */
export function wireToolNames(declared: readonly string[]): string[] {
  const kept = new Set(declared.filter((n) => VALID.test(n)));
  const taken = new Set(kept);
  return declared.map((name) => {
    if (VALID.test(name)) return name;
    for (let length = HASH_LENGTH; ; length += 4) {
      const candidate = shorten(name, Math.min(length, 40));
      if (!taken.has(candidate) || length >= 40) {
        taken.add(candidate);
        return candidate;
      }
    }
  });
}
