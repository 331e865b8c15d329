/**
 * The consumed API's authentication, from the document's security scheme, and the secrets it needs.
 * Every secret is an environment variable named after the document (`QOVERY_TOKEN`), bound under
 * `binds` (namespace `env`) and used as `{{env.NAME}}`, so that all capabilities imported from one
 * document share them.
 *
 *   http bearer, oauth2, openIdConnect  → bearer, token {{env.<P>_TOKEN}} (the token is obtained elsewhere)
 *   http basic                          → basic, {{env.<P>_USERNAME}} / {{env.<P>_PASSWORD}}
 *   apiKey in header or query           → apikey with that key name and placement, {{env.<P>_API_KEY}}
 *   apiKey in cookie                    → no `authentication` (it has no cookie placement): a consumes-level
 *                                         cookie parameter with the value {{env.<P>_<COOKIE NAME>}}
 *   other apiKeys required together     → consumes-level parameters, one secret each
 *   anything else (digest, mutualTLS)   → nothing, and a warning
 */
import { isObject, type Json, type JsonObject, type OpenApiDocument } from './load-openapi.js';
import { PARAMETER_NAME } from './naming.js';

export type ImportedAuth =
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'apikey'; key: string; value: string; placement: 'header' | 'query' };

export interface SecretParameter {
  name: string;
  in: 'header' | 'query' | 'cookie';
  value: string;
}

export interface ImportedSecurity {
  /** The security scheme(s) used, for the summary. */
  schemes: string[];
  authentication?: ImportedAuth;
  /** Credentials that `authentication` cannot express, sent as consumes-level parameters. */
  parameters: SecretParameter[];
  /** Environment variables to bind, in order. */
  secrets: string[];
  notes: string[];
  warnings: string[];
}

/** The first security requirement that names at least one scheme: the document's, else the first operation's. */
function firstRequirement(doc: OpenApiDocument): { requirement: string[]; alternatives: string[]; from: string } | undefined {
  const pick = (security: Json | undefined, from: string) => {
    if (!Array.isArray(security)) return undefined;
    const reqs = security.filter(isObject).map((r) => Object.keys(r)).filter((names) => names.length > 0);
    const first = reqs[0];
    return first ? { requirement: first, alternatives: reqs.slice(1).map((r) => r.join(' + ')), from } : undefined;
  };
  const global = pick(doc.root.security, 'the document');
  if (global) return global;
  if (Array.isArray(doc.root.security)) return undefined; // `security: []`: explicitly none.
  for (const [path, item] of Object.entries(isObject(doc.root.paths) ? doc.root.paths : {})) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      const found = isObject(op) ? pick(op.security, `${method.toUpperCase()} ${path}`) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

export function importSecurity(doc: OpenApiDocument, prefix: string): ImportedSecurity {
  const out: ImportedSecurity = { schemes: [], parameters: [], secrets: [], notes: [], warnings: [] };
  const found = firstRequirement(doc);
  if (!found) return out;
  const components = isObject(doc.root.components) ? doc.root.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const secret = (suffix: string): string => {
    let name = `${prefix}_${suffix}`;
    for (let n = 2; out.secrets.includes(name); n++) name = `${prefix}_${suffix}_${n}`;
    out.secrets.push(name);
    return name;
  };
  if (found.alternatives.length > 0) {
    out.notes.push(`security: ${found.requirement.join(' + ')} is used; the alternative${found.alternatives.length > 1 ? 's' : ''} ${found.alternatives.join(', ')} ${found.alternatives.length > 1 ? 'are' : 'is'} not`);
  }
  for (const name of found.requirement) {
    const scheme = doc.resolve(schemes[name], `components.securitySchemes.${name}`);
    if (!isObject(scheme)) {
      out.warnings.push(`security: ${found.from} requires the scheme \`${name}\`, which components.securitySchemes does not define; it is not imported`);
      continue;
    }
    const before = out.secrets.length;
    mapScheme(name, scheme, out, secret);
    if (out.secrets.length > before) out.schemes.push(name);
  }
  return out;
}

function mapScheme(name: string, scheme: JsonObject, out: ImportedSecurity, secret: (suffix: string) => string): void {
  const type = typeof scheme.type === 'string' ? scheme.type : '';
  const httpScheme = typeof scheme.scheme === 'string' ? scheme.scheme.toLowerCase() : '';
  const tokenAuth = (what: string): void => {
    if (out.authentication) return extra(`${what} scheme \`${name}\``);
    const token = secret('TOKEN');
    out.authentication = { type: 'bearer', token: `{{env.${token}}}` };
    if (type === 'oauth2' || type === 'openIdConnect') {
      out.notes.push(`security: the ${type} scheme \`${name}\` becomes a bearer token read from ${token}; obtain the access token outside the generated server`);
    }
  };
  const extra = (what: string): void => {
    out.warnings.push(`security: the ${what} is required together with another scheme; only one \`authentication\` fits a consumed API, so it is not imported (add it in the generated hooks file)`);
  };
  if (type === 'http' && httpScheme === 'bearer') return tokenAuth('http bearer');
  if (type === 'oauth2' || type === 'openIdConnect') return tokenAuth(type);
  if (type === 'http' && httpScheme === 'basic') {
    if (out.authentication) return extra(`http basic scheme \`${name}\``);
    out.authentication = { type: 'basic', username: `{{env.${secret('USERNAME')}}}`, password: `{{env.${secret('PASSWORD')}}}` };
    return;
  }
  if (type === 'apiKey') {
    const placement = scheme.in;
    const key = typeof scheme.name === 'string' ? scheme.name : '';
    if (key === '' || (placement !== 'header' && placement !== 'query' && placement !== 'cookie')) {
      out.warnings.push(`security: the apiKey scheme \`${name}\` has no usable \`name\`/\`in\`; it is not imported`);
      return;
    }
    if ((placement === 'header' || placement === 'query') && !out.authentication) {
      out.authentication = { type: 'apikey', key, value: `{{env.${secret('API_KEY')}}}`, placement };
      return;
    }
    // A cookie (which `apikey` authentication cannot place), or a second key: a consumes-level parameter with a secret value.
    if (!PARAMETER_NAME.test(key)) {
      out.warnings.push(`security: the apiKey scheme \`${name}\` (${placement} \`${key}\`) has a name that a capability parameter cannot have yet; it is not imported`);
      return;
    }
    const variable = secret(key.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'API_KEY');
    out.parameters.push({ name: key, in: placement, value: `{{env.${variable}}}` });
    out.notes.push(
      placement === 'cookie'
        ? `security: the apiKey scheme \`${name}\` is a cookie, which \`apikey\` authentication cannot send; it is sent as the cookie \`${key}\` (a consumes-level inputParameter) with the value of ${variable}`
        : `security: the apiKey scheme \`${name}\` is sent as the ${placement} \`${key}\` (a consumes-level inputParameter) with the value of ${variable}`,
    );
    return;
  }
  const what = type === 'http' ? `http ${httpScheme || '(no scheme)'}` : type || '(no type)';
  out.warnings.push(`security: the ${what} scheme \`${name}\` has no counterpart in a strict capability; it is not imported (add the credentials in the generated hooks file)`);
}
