/**
 * Configuration read once at start: ports, addresses and base URIs (overridable by environment
 * variables) and the secrets bound by `binds` (D6). Every missing value is reported together, by name,
 * and the server does not start: no empty token is ever sent upstream.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export class ConfigError extends Error {}

export type Env = Readonly<Record<string, string | undefined>>;

export interface SecretSource {
  /** The variable name used in templates (`QOVERY_API_KEY`). */
  readonly variable: string;
  /** The environment variable, or key in the file, that holds it. */
  readonly source: string;
  /** `file://...` for a JSON or .env file; undefined for the environment. */
  readonly location?: string;
}

function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    out[m[1]!] = value;
  }
  return out;
}

function readSecretFile(location: string): Record<string, unknown> {
  let path: string;
  try {
    path = fileURLToPath(location);
  } catch {
    throw new ConfigError(`secrets location ${location} is not a file:// URL`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`cannot read the secrets file ${path}`);
  }
  if (/\.json$/i.test(path)) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new ConfigError(`the secrets file ${path} is not valid JSON`);
    }
  }
  if (/\.ya?ml$/i.test(path)) throw new ConfigError(`the secrets file ${path} is YAML, which this generated server does not read yet; use a JSON or .env file`);
  return parseDotEnv(text);
}

/** Reads every bound secret; throws one ConfigError naming all the missing ones. */
export function loadSecrets(sources: readonly SecretSource[], env: Env): Record<string, string> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  const files = new Map<string, Record<string, unknown>>();
  for (const s of sources) {
    if (s.location) {
      const file = files.get(s.location) ?? readSecretFile(s.location);
      files.set(s.location, file);
      const v = file[s.source];
      if (typeof v === 'string' && v !== '') values[s.variable] = v;
      else missing.push(`${s.source} (in ${s.location})`);
    } else {
      const v = env[s.source];
      if (v !== undefined && v !== '') values[s.variable] = v;
      else missing.push(s.source);
    }
  }
  if (missing.length > 0) {
    throw new ConfigError(`missing secret${missing.length > 1 ? 's' : ''}: set ${missing.join(', ')} before starting the server`);
  }
  return values;
}

export function portFrom(env: Env, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${variable}=${raw} is not a port number (0-65535)`);
  return port;
}

/**
 * The base URI of a consumed API: the capability's, or the override in `variable`. Placeholders in it
 * (`https://{subdomain}.example.com`) are filled from their own variables, named in `params`; one that
 * is unset stops the server with its name.
 */
export function baseUriFrom(env: Env, variable: string, fallback: string, params: Readonly<Record<string, string>> = {}): string {
  const raw = env[variable];
  let value = raw === undefined || raw === '' ? fallback : raw;
  // The capability gave no base URI (converted from an API description without a server URL).
  if (value === '') throw new ConfigError(`${variable} is not set: the capability gives no base URI for this API, so set it before starting the server`);
  const missing: string[] = [];
  value = value.replace(/\{\{?\s*([^{}]+?)\s*\}?\}/g, (whole, name: string) => {
    const source = params[name];
    const filled = source === undefined ? undefined : env[source];
    if (filled === undefined || filled === '') {
      missing.push(source ?? whole);
      return whole;
    }
    return filled;
  });
  if (missing.length > 0) throw new ConfigError(`the base URI ${value} needs ${missing.join(', ')}: set ${missing.length > 1 ? 'them' : 'it'} before starting the server`);
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new ConfigError(`${raw === undefined || raw === '' ? 'the base URI' : variable}=${value} is not an http:// or https:// URL`);
  }
  return value;
}

export function stringFrom(env: Env, variable: string, fallback: string): string {
  const raw = env[variable];
  return raw === undefined || raw === '' ? fallback : raw;
}

export function timeoutFrom(env: Env, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms <= 0) throw new ConfigError(`${variable}=${raw} is not a positive number of milliseconds`);
  return ms;
}

/** A comma-separated list, empty when unset. */
export function listFrom(env: Env, variable: string): string[] {
  return (env[variable] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
