/**
 * Configuration read once at start: ports, addresses and base URIs (overridable by environment
 * variables) and the secrets bound by `binds`. Every missing value is reported together, by name,
 * and the server does not start: no empty token is ever sent upstream.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapterDefaults, isLogLevel, type AdapterConfig, type AdapterLimits } from './ops.js';

export class ConfigError extends Error {}

export type Env = Readonly<Record<string, string | undefined>>;

export interface SecretSource {
  /** The variable name used in templates (`QOVERY_API_KEY`). */
  readonly variable: string;
  /** The environment variable, or key in the file, that holds it. */
  readonly source: string;
  /** Path of a JSON, YAML or .env file (relative to the capability's folder, or absolute); undefined for the environment. */
  readonly location?: string;
}

/** Where relative secret files are found, and how YAML ones are read (only projects that bind one import a YAML parser). */
export interface SecretFileOptions {
  readonly baseDir?: string;
  readonly parseYaml?: (text: string) => unknown;
}

function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    out[m[1]!] = value;
  }
  return out;
}

function readSecretFile(location: string, options: SecretFileOptions): Record<string, unknown> {
  let path: string;
  try {
    path = /^file:/i.test(location) ? fileURLToPath(location) : resolve(options.baseDir ?? '.', location);
  } catch {
    throw new ConfigError(`secrets location ${location} is not a file path`);
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
  if (/\.ya?ml$/i.test(path)) {
    if (!options.parseYaml) throw new ConfigError(`the secrets file ${path} is YAML, which this generated server was not built to read`);
    let data: unknown;
    try {
      data = options.parseYaml(text);
    } catch {
      throw new ConfigError(`the secrets file ${path} is not valid YAML`);
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`the secrets file ${path} is not a mapping of keys to values`);
    return data as Record<string, unknown>;
  }
  return parseDotEnv(text);
}

/**
 * The folder relative secret files are read from: `NAFTIKO_CAPABILITY_DIR` when set, otherwise the
 * capability's folder as it was when the project was generated (`relativeDir`, from the project folder).
 */
export function capabilityDirFrom(env: Env, projectDir: string, relativeDir: string): string {
  const set = env.NAFTIKO_CAPABILITY_DIR;
  return set !== undefined && set !== '' ? resolve(set) : resolve(projectDir, relativeDir);
}

/** Reads every bound secret; throws one ConfigError naming all the missing ones. */
export function loadSecrets<K extends string = string>(sources: readonly SecretSource[], env: Env, fileOptions: SecretFileOptions = {}): Record<K, string> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  const files = new Map<string, Record<string, unknown>>();
  for (const s of sources) {
    if (s.location) {
      const file = files.get(s.location) ?? readSecretFile(s.location, fileOptions);
      files.set(s.location, file);
      const v = file[s.source];
      if ((typeof v === 'string' && v !== '') || typeof v === 'number' || typeof v === 'boolean') {
        values[s.variable] = checkSecret(String(v), `${s.source} (in ${s.location})`);
      }
      else missing.push(`${s.source} (in ${s.location})`);
    } else {
      const v = env[s.source];
      if (v !== undefined && v !== '') values[s.variable] = checkSecret(v, s.source);
      else missing.push(s.source);
    }
  }
  if (missing.length > 0) {
    throw new ConfigError(`missing secret${missing.length > 1 ? 's' : ''}: set ${missing.join(', ')} before starting the server`);
  }
  // Every source was read or reported missing above, so each of the K names has its value.
  return values as Record<K, string>;
}

/** A secret with a line break or another control character would break every request it goes into. */
function checkSecret(value: string, name: string): string {
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
    throw new ConfigError(`the secret ${name} contains a line break or another control character; set it without one`);
  }
  return value;
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

/** A whole number of at least `min`, or the fallback when unset. */
export function intFrom(env: Env, variable: string, fallback: number, min = 1): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${variable}=${raw} is not a whole number of at least ${min}`);
  return n;
}

/** `<PREFIX>_<NAME>` of each limit: `QOVERY_REST_MAX_BODY_BYTES` and so on. */
const LIMIT_VARIABLES: Record<keyof AdapterLimits, string> = {
  maxBodyBytes: 'MAX_BODY_BYTES',
  headersTimeoutMs: 'HEADERS_TIMEOUT_MS',
  requestTimeoutMs: 'REQUEST_TIMEOUT_MS',
  keepAliveTimeoutMs: 'KEEP_ALIVE_TIMEOUT_MS',
  maxConnections: 'MAX_CONNECTIONS',
  maxArgLength: 'MAX_ARG_LENGTH',
  maxJsonDepth: 'MAX_JSON_DEPTH',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
};

/**
 * An adapter's settings from the variables named `<prefix>_PORT`, `_HOST`, `_ALLOWED_HOSTS`,
 * `_LOG_LEVEL`, `_METRICS` and one per limit; the capability's values and safe defaults otherwise.
 */
export function adapterFrom(env: Env, prefix: string, port: number, host: string, options: { inboundAuth?: boolean } = {}): AdapterConfig {
  const config = adapterDefaults(portFrom(env, `${prefix}_PORT`, port), stringFrom(env, `${prefix}_HOST`, host));
  // An adapter that checks its callers may listen beyond loopback without a warning.
  if (options.inboundAuth) config.inboundAuth = true;
  config.allowedHosts = listFrom(env, `${prefix}_ALLOWED_HOSTS`);
  for (const [key, name] of Object.entries(LIMIT_VARIABLES) as Array<[keyof AdapterLimits, string]>) {
    config.limits[key] = intFrom(env, `${prefix}_${name}`, config.limits[key], key === 'shutdownGraceMs' ? 0 : 1);
  }
  if (config.limits.headersTimeoutMs > config.limits.requestTimeoutMs) {
    throw new ConfigError(`${prefix}_HEADERS_TIMEOUT_MS must not be longer than ${prefix}_REQUEST_TIMEOUT_MS`);
  }
  const level = stringFrom(env, `${prefix}_LOG_LEVEL`, config.logLevel);
  if (!isLogLevel(level)) throw new ConfigError(`${prefix}_LOG_LEVEL=${level} is not one of debug, info, warn, error, silent`);
  config.logLevel = level;
  const metrics = stringFrom(env, `${prefix}_METRICS`, 'false');
  if (metrics !== 'true' && metrics !== 'false') throw new ConfigError(`${prefix}_METRICS=${metrics} is not true or false`);
  config.metrics = metrics === 'true';
  const ready = stringFrom(env, `${prefix}_READY_UPSTREAM`, 'false');
  if (ready !== 'true' && ready !== 'false') throw new ConfigError(`${prefix}_READY_UPSTREAM=${ready} is not true or false`);
  config.readyUpstream = ready === 'true';
  return config;
}
