/**
 * Names for imported capabilities: file and namespace slugs from prose (titles, tags), kebab-case
 * identifiers from code-like names (operationIds, path segments) and deterministic shortening. Names
 * unique as written and as identifiers come from IdentifierScope.claimName (names/identifiers.ts).
 */
import { hashHex, shortenName as shorten } from '../names/shorten.js';
import { envVarName } from '../names/identifiers.js';

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

export { shortenName as shorten } from '../names/shorten.js';

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
