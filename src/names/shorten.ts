/** Deterministic shortening: a readable prefix, a dash and a hash of the whole name, so long names that share a prefix still differ. */
import { createHash } from 'node:crypto';

/** The first `length` hexadecimal characters of the SHA-256 of `text`. */
export function hashHex(text: string, length: number): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length);
}

/** `name` itself when it fits in `max` characters; else a readable prefix, a dash and a 7-character hash of the whole name. */
export function shortenName(name: string, max: number): string {
  return name.length <= max ? name : shortenWithHash(name, name, max, 7);
}

/** `readable` cut so that `-<hash of whole>` fits in `max` characters, trailing dashes dropped, then the dash and the hash. */
export function shortenWithHash(readable: string, whole: string, max: number, hashLength: number): string {
  return `${readable.slice(0, max - hashLength - 1).replace(/-+$/, '')}-${hashHex(whole, hashLength)}`;
}
