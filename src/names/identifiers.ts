/**
 * Safe, deterministic TypeScript identifiers from names found in a capability. Capability names
 * are written by strangers: `$select`, `page[size]`, `export`, `2fa`, `creative ID` must all give
 * valid identifiers, and two names must never silently give the same one.
 */

import { shortenName } from './shorten.js';

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'as implements interface let package private protected public static yield any boolean constructor declare get module ' +
    'require number set string symbol type from of async await never unknown object undefined arguments eval NaN Infinity'
  ).split(' '),
);

function words(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0);
}

function finish(id: string): string {
  if (id === '') id = 'unnamed';
  if (/^[0-9]/.test(id)) id = '_' + id;
  if (RESERVED.has(id)) id = id + '_';
  return id;
}

/** `list-organization-api-tokens` → `listOrganizationApiTokens`. Keeps the original casing inside words. */
export function camelCase(name: string): string {
  const ws = words(name);
  return finish(ws.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join(''));
}

/** `qovery-organization-api-token` → `QoveryOrganizationApiToken`. */
export function pascalCase(name: string): string {
  return finish(words(name).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''));
}

/** `qovery-organization-api-token-rest` → `QOVERY_ORGANIZATION_API_TOKEN_REST` (decisions doc, "Running a generated server"). */
export function envVarName(name: string): string {
  const out = name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return /^[0-9]/.test(out) ? '_' + out : out;
}

/**
 * Hands out identifiers that are unique within one scope. The first claimant of an identifier keeps
 * it; later ones get `_2`, `_3`, ... in claim order, so the result depends only on the input order.
 * `claimName` hands out names instead (`get-a`, `get-a-2`), unique both as written and as the
 * identifiers derived from them (`get-a1` and `get-a-1` are both `getA1`).
 */
export class IdentifierScope {
  private readonly taken = new Map<string, string>();
  private readonly names = new Set<string>();

  constructor(reserved: readonly string[] = []) {
    for (const r of reserved) this.taken.set(r, `\u0000reserved:${r}`);
  }

  /** Returns the identifier for `name`; the same name always gets the same identifier. */
  claim(name: string, derive: (n: string) => string = camelCase): string {
    const base = derive(name);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}_${n}`;
      const owner = this.taken.get(candidate);
      if (owner === undefined) {
        this.taken.set(candidate, name);
        return candidate;
      }
      if (owner === name) return candidate;
    }
  }

  /** A name of at most `max` characters (shortened with a hash), unique as written and as an identifier. */
  claimName(wanted: string, max = Number.POSITIVE_INFINITY): string {
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : `-${n}`;
      const candidate = `${shortenName(wanted, max - suffix.length)}${suffix}`;
      const id = camelCase(candidate);
      if (!this.names.has(candidate) && !this.taken.has(id)) {
        this.names.add(candidate);
        this.taken.set(id, candidate);
        return candidate;
      }
    }
  }
}
