/**
 * What a consumed resource path really says (issue 5, "Paths and URIs"): published capabilities put
 * a fixed query in it (`/{Bucket}?acl`), a fragment that stands for a header
 * (`/#X-Amz-Target=DynamoDB_20120810.GetItem`), repeat the base URI's path, or leave out the
 * leading slash. Each becomes an explicit part of the request, with a note saying so.
 */
import type { Note } from '../validate/finding.js';

export interface SplitPath {
  /** The path proper, starting with `/`. */
  path: string;
  /** `name=value` pairs of a fixed query, sent before the parameters. */
  query: Array<[string, string]>;
  /** Headers written as a fragment `#Name=Value`. */
  headers: Array<[string, string]>;
  notes: Array<Omit<Note, 'path'>>;
}

function pairs(text: string, sep: RegExp): Array<[string, string]> {
  return text
    .split(sep)
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
    });
}

export function splitConsumedPath(raw: string, baseUri: string): SplitPath {
  const notes: SplitPath['notes'] = [];
  let rest = raw;
  const headers: Array<[string, string]> = [];
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    const fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
    // Only what a header can carry: a token for the name, a value of at least one character and no control characters.
    const found = pairs(fragment, /&/).filter(([name, value]) => /^[A-Za-z0-9-]+$/.test(name) && /^[\t\x20-\x7e\x80-\xff]+$/.test(value));
    headers.push(...found);
    notes.push({
      rule: 'path-fragment',
      severity: 'warning',
      message: found.length
        ? `A fragment is never sent over HTTP: \`#${fragment}\` is sent as the header${found.length > 1 ? 's' : ''} ${found.map(([n, v]) => `\`${n}: ${v}\``).join(', ')}.`
        : `A fragment is never sent over HTTP: \`#${fragment}\` is dropped from the request.`,
      hint: 'Declare the value as a header parameter (`in: header`, `value: ...`) to say so explicitly.',
    });
  }
  const query: Array<[string, string]> = [];
  const q = rest.indexOf('?');
  if (q >= 0) {
    query.push(...pairs(rest.slice(q + 1), /&/).map(([n, v]): [string, string] => [decodeSafe(n), decodeSafe(v)]));
    rest = rest.slice(0, q);
    notes.push({
      rule: 'path-query',
      severity: 'warning',
      message: `The path carries a fixed query (\`${raw.slice(q, hash >= 0 ? hash : undefined)}\`); it is sent before the query parameters.`,
      hint: 'Declare those values as query parameters (`in: query`, `value: ...`) to say so explicitly.',
    });
  }
  if (!rest.startsWith('/')) {
    rest = `/${rest}`;
  }
  let basePath = '';
  try {
    basePath = new URL(baseUri.replace(/\{[^}]*\}/g, 'x')).pathname.replace(/\/+$/, '');
  } catch {
    basePath = '';
  }
  if (basePath !== '' && (rest === basePath || rest.startsWith(`${basePath}/`))) {
    notes.push({
      rule: 'path-repeats-base',
      severity: 'warning',
      message: `The path starts with \`${basePath}\`, which the base URI already ends with; it is sent once, not twice.`,
      hint: `Remove \`${basePath}\` from the resource path.`,
    });
    rest = rest.slice(basePath.length) || '/';
  }
  return { path: rest, query, headers, notes };
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
