/**
 * The consumed API's `baseUri`: `--base-uri`, else `servers[0].url` with the server variables'
 * defaults substituted. The schema wants an absolute http(s) URL with no `{` after the host, and
 * naftiko-gen appends paths that start with `/`, so there is no trailing slash.
 */
import { ImportError, isObject, type OpenApiDocument } from './load-openapi.js';

const BASE_URI = /^https?:\/\/[^/]+(\/[^{]*)?$/;

function check(uri: string, from: string): string {
  const trimmed = uri.replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new ImportError(`${from} \`${uri}\` is not a URL; pass --base-uri https://api.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ImportError(`${from} \`${uri}\` is not an http:// or https:// URL; pass --base-uri https://api.example.com`);
  if (url.search !== '' || url.hash !== '') throw new ImportError(`${from} \`${uri}\` has a query or a fragment, which a base URI cannot have; pass --base-uri`);
  if (!BASE_URI.test(trimmed)) throw new ImportError(`${from} \`${uri}\` cannot be a base URI (no placeholders or spaces after the host); pass --base-uri`);
  return trimmed;
}

export function resolveBaseUri(doc: OpenApiDocument, override: string | undefined): { baseUri: string; notes: string[] } {
  if (override !== undefined) return { baseUri: check(override, '--base-uri'), notes: [] };
  const servers = Array.isArray(doc.root.servers) ? doc.root.servers : [];
  const first = servers[0];
  if (!isObject(first) || typeof first.url !== 'string' || first.url.trim() === '') {
    throw new ImportError(`${doc.file} declares no server URL, so the API's address is unknown; pass --base-uri https://api.example.com`);
  }
  const variables = isObject(first.variables) ? first.variables : {};
  const url = first.url.trim().replace(/\{([^}]*)\}/g, (whole, name: string) => {
    const v = variables[name];
    const value = isObject(v) && (typeof v.default === 'string' || typeof v.default === 'number') ? String(v.default) : undefined;
    if (value === undefined) throw new ImportError(`${doc.file}: the server URL \`${first.url}\` uses \`${whole}\`, which has no default value; pass --base-uri`);
    return value;
  });
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(url)) {
    throw new ImportError(`${doc.file}: the server URL \`${first.url}\` is relative, so the API's host is unknown; pass --base-uri https://api.example.com (naftiko-gen appends the paths to it)`);
  }
  const baseUri = check(url, `${doc.file}: the server URL`);
  const notes = servers.length > 1 ? [`the document lists ${servers.length} servers; the first one (${baseUri}) is used: pass --base-uri to choose another`] : [];
  return { baseUri, notes };
}
