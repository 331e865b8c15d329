/**
 * Names for imported capabilities: file and namespace slugs from prose (titles, tags), kebab-case
 * identifiers from code-like names (operationIds, path segments), deterministic shortening, and
 * allocation of names that stay unique both as written and once they become TypeScript identifiers.
 */
import { hashHex, shortenWithHash } from '../names/shorten.js';
import { camelCase, envVarName } from '../names/identifiers.js';

export const PARAMETER_NAME = /^[a-zA-Z0-9-_*]+$/;

export { MAX_TOOL_NAME } from '../names/tool-names.js';
/** Resource and operation names are kept readable: at most this many characters. */
export const MAX_NAME = 80;

function ascii(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/** Prose to a slug: `Referral & Rewards` → `referral-rewards`, `ArgoCD` → `argocd`. Words are those the author separated. */
export function slugify(text: string): string {
  return ascii(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A code-like name to kebab-case: `listOrganizationApiTokens` → `list-organization-api-tokens`, `getHTTPServer` → `get-http-server`. */
export function kebabCase(name: string): string {
  return ascii(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A short, stable hash of `text`: 7 hexadecimal characters. */
export function shortHash(text: string): string {
  return hashHex(text, 7);
}

/** `name` itself when it fits in `max` characters; else a readable prefix, a dash and a hash of the whole name. */
export function shorten(name: string, max: number): string {
  return name.length <= max ? name : shortenWithHash(name, name, max, 7);
}

/** The slug of an OpenAPI document: its title without a trailing "API" (`Qovery API` → `qovery`), else the file name. */
export function documentSlug(title: string | undefined, fileStem: string): string {
  const fromTitle = slugify(title ?? '').replace(/-api$/, '');
  const slug = fromTitle !== '' ? fromTitle : slugify(fileStem) || 'openapi';
  return shorten(slug, 40);
}

/** The prefix of the environment variables that hold an API's secrets: `QOVERY` for `qovery`; always starts with a letter. */
export function secretPrefix(docSlug: string): string {
  const name = envVarName(docSlug).replace(/_+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Z]/.test(name) ? name : `API_${name}`;
}

/**
 * Hands out names unique within one scope, both as written and as the identifiers that generated code
 * derives from them (`get-a1` and `get-a-1` are both `getA1`). A taken name gets `-2`, `-3`, ... in
 * claim order, so the result depends only on the order of the claims.
 */
export class NameScope {
  private readonly names = new Set<string>();
  private readonly identifiers = new Set<string>();

  constructor(private readonly max: number) {}

  claim(wanted: string): string {
    const base = shorten(wanted, this.max);
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : `-${n}`;
      const candidate = suffix === '' ? base : `${shorten(wanted, this.max - suffix.length)}${suffix}`;
      const id = camelCase(candidate);
      if (!this.names.has(candidate) && !this.identifiers.has(id)) {
        this.names.add(candidate);
        this.identifiers.add(id);
        return candidate;
      }
    }
  }
}
