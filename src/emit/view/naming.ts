/**
 * Every name the generated project uses, decided once per capability so that files, classes,
 * functions and environment variables agree across all emitted files.
 */
import { adapterPorts } from '../../names/ports.js';
import type { CapabilityModel, ConsumedApi, ConsumedOperation, McpAdapter, RestAdapter, SkillAdapter } from '../../model/types.js';
import { camelCase, envVarName, IdentifierScope, pascalCase } from '../../names/identifiers.js';

export interface ApiNames {
  api: ConsumedApi;
  /** Module path without extension, relative to src/: `consumes/qovery-organization-api-token`. */
  module: string;
  className: string;
  /** Property of the `Apis` object and of `Config.consumes`. */
  key: string;
  envBaseUri: string;
  envTimeout: string;
  /** `<NAMESPACE>_MAX_SOCKETS`: sockets open at once to the API. */
  envMaxSockets: string;
  methods: Map<ConsumedOperation, { method: string; argsType: string }>;
}

export interface AdapterNames<A> {
  adapter: A;
  module: string;
  key: string;
  /** `routesFor...` or `build...McpServer`. */
  factory: string;
  envPort: string;
  envHost: string;
  envAllowedHosts: string;
  /** The declared port, or one derived from the namespace (`src/names/ports.ts`). */
  port: number;
  /** `<NAMESPACE>`: the start of every variable that configures the adapter (limits, logs). */
  envPrefix: string;
}

export interface ProjectNames {
  apis: ApiNames[];
  rest: AdapterNames<RestAdapter>[];
  mcp: AdapterNames<McpAdapter>[];
  /** Skill catalogs: `factory` is the name of the exported list of skills. */
  skill: AdapterNames<SkillAdapter>[];
  packageName: string;
}

/** A file name that is the same on case-insensitive file systems: lower-case kebab. */
function fileStem(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'unnamed';
}

/** npm package names: lower case, URL-safe, at most 214 characters. */
export function packageName(sourceName: string): string {
  const stem = sourceName.replace(/\.(ya?ml|json)$/i, '');
  return fileStem(stem).slice(0, 214);
}

export function nameProject(model: CapabilityModel): ProjectNames {
  const files = new IdentifierScope(['apis', 'config', 'main', 'stdio', 'hooks']);
  const keys = new IdentifierScope();
  const classes = new IdentifierScope(['Apis', 'Config', 'Secrets']);
  const factories = new IdentifierScope(['createApis', 'loadConfig', 'main']);
  const apis: ApiNames[] = model.consumes.map((api) => {
    const methods = new Map<ConsumedOperation, { method: string; argsType: string }>();
    const methodScope = new IdentifierScope(['client', 'constructor', 'close', 'sendByName']);
    const typeScope = new IdentifierScope();
    for (const op of api.operations) {
      methods.set(op, { method: methodScope.claim(op.name), argsType: typeScope.claim(`${op.name}-args`, pascalCase) });
    }
    const env = envVarName(api.namespace);
    return {
      api,
      module: `consumes/${files.claim(api.namespace, fileStem)}`,
      className: classes.claim(`${api.namespace}-api`, pascalCase),
      key: keys.claim(api.namespace, camelCase),
      envBaseUri: `${env}_BASE_URI`,
      envTimeout: `${env}_TIMEOUT_MS`,
      envMaxSockets: `${env}_MAX_SOCKETS`,
      methods,
    };
  });
  // Every HTTP adapter's port, declared or derived; stdio MCP adapters listen on none.
  const http = [...model.rest, ...model.mcp.filter((m) => m.transport === 'http')];
  const ports = new Map(adapterPorts(http).map((port, i) => [http[i]!, port]));
  const adapterNames = <A extends { namespace: string }>(adapter: A, folder: string, factory: string): AdapterNames<A> => {
    const env = envVarName(adapter.namespace);
    return {
      adapter,
      module: `${folder}/${files.claim(adapter.namespace, fileStem)}`,
      key: keys.claim(adapter.namespace, camelCase),
      factory: factories.claim(factory, camelCase),
      envPort: `${env}_PORT`,
      envHost: `${env}_HOST`,
      envAllowedHosts: `${env}_ALLOWED_HOSTS`,
      port: ports.get(adapter as never) ?? 0,
      envPrefix: env,
    };
  };
  return {
    apis,
    rest: model.rest.map((a) => adapterNames(a, 'rest', `${a.namespace}-routes`)),
    mcp: model.mcp.map((a) => adapterNames(a, 'mcp', `build-${a.namespace}-server`)),
    skill: model.skills.map((a) => adapterNames(a, 'skills', `${a.namespace}-skills`)),
    packageName: packageName(model.sourceName),
  };
}

export function apiFor(names: ProjectNames, op: ConsumedOperation): { api: ApiNames; method: string } {
  const api = names.apis.find((a) => a.api.operations.includes(op))!;
  return { api, method: api.methods.get(op)!.method };
}
