/**
 * `naftiko-gen init <name>`: a new capability that validates with zero findings (even with --strict),
 * builds, and teaches the format through its comments.
 */
import { envVarName } from '../names/identifiers.js';
import { render } from '../emit/render.js';
import { adapterPorts } from '../names/ports.js';
import { findSpecVersion } from '../validate/versions.js';

export type InitAuth = 'none' | 'bearer' | 'basic' | 'apikey';
export type InitAdapter = 'rest' | 'mcp';

export interface InitOptions {
  name: string;
  baseUri: string;
  auth: InitAuth;
  adapters: readonly InitAdapter[];
  /** The schema file the first line points editors to: the one of the version finally written. */
  schemaFile?: string;
}

export class InitError extends Error {}

/**
 * The version `init` writes, and the schema its first line points editors to (yaml-language-server):
 * a relative path to the schema file `init` writes beside the capability, which resolves offline, on
 * every machine, without a published URL.
 */
export const INIT_SCHEMA = findSpecVersion('1.0.0-alpha2')!;

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** YAML plain scalars that would change meaning are quoted; anything else stays readable. */
function yamlString(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9 ._/:,()-]*$/.test(value) && !/: |\s#/.test(value) ? value : JSON.stringify(value);
}

export function initCapability(options: InitOptions): string {
  if (!NAME.test(options.name)) {
    throw new InitError(`"${options.name}" cannot name a capability: use lower-case letters, digits and single dashes, e.g. weather-stations`);
  }
  let base: URL;
  try {
    base = new URL(options.baseUri);
  } catch {
    throw new InitError(`--base-uri ${options.baseUri} is not a URL`);
  }
  if ((base.protocol !== 'http:' && base.protocol !== 'https:') || options.baseUri.endsWith('/') || options.baseUri.includes('{')) {
    throw new InitError(`--base-uri must be an http:// or https:// URL without a trailing slash or placeholders, e.g. https://api.example.com`);
  }
  if (options.adapters.length === 0) throw new InitError('--adapters needs rest, mcp or both');
  const env = envVarName(options.name);
  const auth: Record<InitAuth, { lines: string[]; secrets: string[] }> = {
    none: { lines: [], secrets: [] },
    bearer: { lines: ['type: bearer', `token: '{{env.${env}_TOKEN}}'`], secrets: [`${env}_TOKEN`] },
    basic: { lines: ['type: basic', `username: '{{env.${env}_USERNAME}}'`, `password: '{{env.${env}_PASSWORD}}'`], secrets: [`${env}_USERNAME`, `${env}_PASSWORD`] },
    apikey: { lines: ['type: apikey', 'key: X-API-Key', `value: '{{env.${env}_API_KEY}}'`, 'placement: header'], secrets: [`${env}_API_KEY`] },
  };
  const label = options.name
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
  const [restPort, mcpPort] = adapterPorts([{ namespace: `${options.name}-rest` }, { namespace: `${options.name}-mcp` }]);
  return render('init/capability.yaml.hbs', {
    file: `${options.name}.yaml`,
    schemaFile: options.schemaFile ?? INIT_SCHEMA.schemaFile,
    name: options.name,
    label: yamlString(label),
    description: yamlString(`${label}: what it does, for people and AI agents. Replace this sentence.`),
    baseUri: yamlString(options.baseUri),
    auth: auth[options.auth].lines.length ? auth[options.auth].lines : undefined,
    secrets: auth[options.auth].secrets,
    apiNamespace: `${options.name}-api`,
    restNamespace: `${options.name}-rest`,
    mcpNamespace: `${options.name}-mcp`,
    restPort,
    mcpPort,
    rest: options.adapters.includes('rest'),
    mcp: options.adapters.includes('mcp'),
  });
}
