/** View models of the project-level files: config, apis, main, stdio, README, package.json, tsconfig.json. */
import type { CapabilityModel, ExposedInput } from '../../model/types.js';
import { markdownText, tsLiteral, tsPropertyKey, tsString } from '../../names/escape.js';
import { ImportSet } from '../code/imports.js';
import { generatedNotice, tsHeader } from './header.js';
import type { AdapterNames, ApiNames, ProjectNames } from './naming.js';
import { envVarName } from '../../names/identifiers.js';

/** Without an `address`, adapters listen on loopback only: reaching them from elsewhere is a choice. */
const DEFAULT_REST_HOST = '127.0.0.1';

/** `https://{subdomain}.example.com` in the API `my-api` is filled from `MY_API_SUBDOMAIN`. */
function baseUriParamVariable(api: ApiNames, param: string): string {
  return `${api.envBaseUri.replace(/_BASE_URI$/, '')}_${envVarName(param)}`;
}
const DEFAULT_MCP_HOST = '127.0.0.1';

export function configView(model: CapabilityModel, names: ProjectNames) {
  return {
    header: tsHeader(model.sourceName),
    secrets: model.secrets.map((s) => ({ key: tsPropertyKey(s.variable) })),
    secretSources: tsLiteral(model.secrets.map((s) => ({ variable: s.variable, source: s.source, ...(s.location ? { location: s.location } : {}) }))),
    consumes: names.apis.map((a) => ({
      key: a.key,
      envBaseUri: tsString(a.envBaseUri),
      envTimeout: tsString(a.envTimeout),
      envMaxSockets: tsString(a.envMaxSockets),
      baseUri: tsString(a.api.baseUri),
      baseUriParams: a.api.baseUriParams.length ? `, ${tsLiteral(Object.fromEntries(a.api.baseUriParams.map((p) => [p, baseUriParamVariable(a, p)])))}` : '',
    })),
    rest: names.rest.map((r) => ({ key: r.key, envPrefix: tsString(r.envPrefix), port: r.adapter.port, host: tsString(r.adapter.address ?? DEFAULT_REST_HOST) })),
    mcp: names.mcp.map((m) => ({
      key: m.key,
      envPrefix: tsString(m.envPrefix),
      port: m.adapter.port ?? 0,
      host: tsString(m.adapter.address ?? DEFAULT_MCP_HOST),
    })),
  };
}

export function apisView(model: CapabilityModel, names: ProjectNames) {
  return { header: tsHeader(model.sourceName), apis: names.apis.map((a) => ({ key: a.key, className: a.className, module: a.module })) };
}

function httpMcp(names: ProjectNames) {
  return names.mcp.filter((m) => m.adapter.transport === 'http');
}

export function mainView(model: CapabilityModel, names: ProjectNames) {
  const imports = new ImportSet().add('./runtime/server.js', 'listen').add('./runtime/server.js', 'log').add('./runtime/server.js', 'stopOnSignals').add('./runtime/server.js', 'Listening', { type: true });
  if (names.rest.length) imports.add('./runtime/rest.js', 'createRestServer');
  if (httpMcp(names).length) imports.add('./runtime/mcp.js', 'createMcpHttpServer');
  for (const r of names.rest) imports.add(`./${r.module}.js`, r.factory);
  for (const m of httpMcp(names)) imports.add(`./${m.module}.js`, m.factory);
  const stdioOnly = names.mcp.filter((m) => m.adapter.transport === 'stdio');
  return {
    header: tsHeader(model.sourceName),
    imports: imports.lines(),
    program: tsString(names.packageName),
    stdioNote: stdioOnly.length ? `stdio adapters run with \`node dist/stdio.js\`` : '',
    rest: names.rest.map((r) => ({ key: r.key, factory: r.factory, name: tsString(r.adapter.namespace), label: tsString(`REST adapter ${r.adapter.namespace}`) })),
    mcp: httpMcp(names).map((m) => ({ key: m.key, factory: m.factory, name: tsString(m.adapter.namespace), label: tsString(`MCP adapter ${m.adapter.namespace} (Streamable HTTP at /mcp)`) })),
  };
}

export function stdioView(model: CapabilityModel, names: ProjectNames) {
  const first = names.mcp.find((m) => m.adapter.transport === 'stdio') ?? names.mcp[0]!;
  return {
    header: tsHeader(model.sourceName),
    program: tsString(names.packageName),
    defaultName: tsString(first.adapter.namespace),
    mcp: names.mcp.map((m) => ({ name: tsString(m.adapter.namespace), keyString: tsString(m.key), factory: m.factory, module: m.module })),
  };
}

function inputsText(inputs: readonly ExposedInput[], rest: boolean): string {
  if (inputs.length === 0) return 'none';
  return inputs
    .map((i) => `\`${markdownText(i.name).replace(/\|/g, '\\|')}\`${rest ? ` (${i.location}` : ' ('}${rest ? ', ' : ''}${i.type}${i.required ? ', required' : ''})`)
    .join(', ');
}

function cell(text: string): string {
  return markdownText(text).replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

/** The variables every HTTP adapter reads besides its port: address, guard, limits, logs (runtime/config.ts). */
const ADAPTER_SETTINGS: ReadonlyArray<readonly [string, string, string]> = [
  ['ALLOWED_HOSTS', '(none)', 'Comma-separated host names (`name` or `name:port`) clients may use besides localhost; checked against `Host` and `Origin`.'],
  ['MAX_BODY_BYTES', '`1048576`', 'Largest request body (413 above it); over stdio, the longest message line (a JSON-RPC error above it).'],
  ['HEADERS_TIMEOUT_MS', '`10000`', 'Time to receive the request headers (408 after it).'],
  ['REQUEST_TIMEOUT_MS', '`30000`', 'Time to receive the whole request, body included (408 after it).'],
  ['KEEP_ALIVE_TIMEOUT_MS', '`5000`', 'How long an idle connection stays open.'],
  ['MAX_CONNECTIONS', '`2048`', 'Open connections at once; more are refused.'],
  ['MAX_ARG_LENGTH', '`16384`', 'Longest text of one argument, in characters (400 above it).'],
  ['MAX_JSON_DEPTH', '`64`', 'Deepest nesting of a JSON body (400 above it).'],
  ['SHUTDOWN_GRACE_MS', '`10000`', 'After SIGTERM or SIGINT (or the end of stdio input), time for requests in flight to finish.'],
  ['LOG_LEVEL', '`info`', '`debug`, `info` (one access-log line per request), `warn`, `error` or `silent`.'],
  ['METRICS', '`false`', '`true` serves Prometheus metrics at `/metrics`.'],
  ['READY_UPSTREAM', '`false`', '`true`: `/health/ready` also checks that every consumed API accepts connections (503 otherwise).'],
];

function adapterSettings(names: AdapterNames<{ namespace: string }>, host: string) {
  return [
    { name: names.envHost, fallback: `\`${cell(host)}\``, meaning: 'Address it listens on. On loopback, requests naming another host or origin are refused (403).' },
    ...ADAPTER_SETTINGS.map(([suffix, fallback, meaning]) => ({ name: `${names.envPrefix}_${suffix}`, fallback, meaning })),
  ];
}

export function readmeView(model: CapabilityModel, names: ProjectNames) {
  const settings: Array<{ name: string; fallback: string; meaning: string }> = [];
  for (const s of model.secrets) {
    settings.push({ name: cell(s.location ? s.variable : s.source), fallback: '(required)', meaning: s.location ? `Secret \`${cell(s.variable)}\`, read from key \`${cell(s.source)}\` of ${cell(s.location)}.` : `Secret bound as \`${cell(s.variable)}\`.` });
  }
  for (const a of names.apis) {
    for (const p of a.api.baseUriParams) settings.push({ name: baseUriParamVariable(a, p), fallback: '(required)', meaning: `Fills \`{${cell(p)}}\` in the base URI of ${cell(a.api.namespace)}.` });
    settings.push({ name: a.envBaseUri, fallback: `\`${cell(a.api.baseUri)}\``, meaning: `Base URI of the consumed API ${cell(a.api.namespace)}.` });
    settings.push({ name: a.envTimeout, fallback: '`30000`', meaning: `Timeout of each upstream request, in milliseconds.` });
    settings.push({ name: a.envMaxSockets, fallback: '`256`', meaning: 'Connections open at once to this API; more requests wait for one.' });
  }
  for (const r of names.rest) {
    settings.push({ name: r.envPort, fallback: `\`${r.adapter.port}\``, meaning: `Port of the REST adapter ${cell(r.adapter.namespace)}.` });
    settings.push(...adapterSettings(r, r.adapter.address ?? DEFAULT_REST_HOST));
  }
  for (const m of httpMcp(names)) {
    settings.push({ name: m.envPort, fallback: `\`${m.adapter.port ?? 0}\``, meaning: `Port of the MCP adapter ${cell(m.adapter.namespace)}.` });
    settings.push(...adapterSettings(m, m.adapter.address ?? DEFAULT_MCP_HOST));
  }
  // An adapter on stdio only reads its message size and its grace period at the end of input.
  for (const m of names.mcp.filter((x) => x.adapter.transport === 'stdio')) {
    const stdio = ['MAX_BODY_BYTES', 'SHUTDOWN_GRACE_MS'];
    for (const [suffix, fallback, meaning] of ADAPTER_SETTINGS.filter(([x]) => stdio.includes(x))) {
      settings.push({ name: `${m.envPrefix}_${suffix}`, fallback, meaning: `${meaning} (MCP adapter ${cell(m.adapter.namespace)}, stdio)` });
    }
  }
  const firstHttp = httpMcp(names)[0];
  const mcpName = names.mcp[0]?.adapter.namespace ?? '';
  return {
    title: cell(model.info.label || names.packageName),
    headerNote: `_${cell(generatedNotice(model.sourceName))}_`,
    description: cell(model.info.description),
    adapters: [
      ...names.rest.map((r) => `the REST adapter \`${cell(r.adapter.namespace)}\` on port ${r.adapter.port} (\`${r.envPort}\`)`),
      ...httpMcp(names).map((m) => `the MCP adapter \`${cell(m.adapter.namespace)}\` at \`/mcp\` on port ${m.adapter.port ?? 0} (\`${m.envPort}\`)`),
    ],
    hasMcp: names.mcp.length > 0,
    singleMcp: names.mcp.length === 1,
    settings,
    restOperations: model.rest.flatMap((a) =>
      a.operations.map((op) => ({ method: op.method, path: cell(op.path), call: `\`${cell(op.call.operation.namespace)}.${cell(op.call.operation.name)}\``, inputs: inputsText(op.inputs, true) })),
    ),
    tools: model.mcp.flatMap((a) => a.tools.map((t) => ({ name: cell(t.name), description: cell(t.description), inputs: inputsText(t.inputs, false) }))),
    mcpHttpConfig: JSON.stringify({ mcpServers: { [mcpName]: { type: 'http', url: `http://127.0.0.1:${firstHttp?.adapter.port ?? 0}/mcp` } } }, null, 2),
    mcpStdioConfig: JSON.stringify(
      { mcpServers: { [mcpName]: { command: 'node', args: ['/path/to/this/project/dist/stdio.js', ...(names.mcp.length > 1 ? [mcpName] : [])], env: Object.fromEntries(model.secrets.filter((s) => !s.location).map((s) => [s.source, '...'])) } } },
      null,
      2,
    ),
  };
}

/** package.json is serialised, not templated: JSON's own escaping applies to every value. */
export function packageJson(model: CapabilityModel, names: ProjectNames, versions: Readonly<Record<string, string>>): string {
  const hasMcp = names.mcp.length > 0;
  const pick = (deps: string[]) => Object.fromEntries(deps.sort().map((d) => [d, versions[d] ?? '*']));
  const pkg = {
    '//': generatedNotice(model.sourceName),
    name: names.packageName,
    version: '1.0.0',
    private: true,
    description: model.info.label,
    type: 'module',
    engines: { node: '>=20' },
    scripts: {
      build: 'tsc -p tsconfig.json',
      typecheck: 'tsc -p tsconfig.json --noEmit',
      prestart: 'tsc -p tsconfig.json',
      start: 'node dist/main.js',
      ...(hasMcp ? { 'start:stdio': 'node dist/stdio.js' } : {}),
    },
    dependencies: pick(['zod', ...(hasMcp ? ['@modelcontextprotocol/server', '@modelcontextprotocol/node'] : [])]),
    devDependencies: pick(['typescript', '@types/node']),
  };
  return JSON.stringify(pkg, null, 2) + '\n';
}

export function tsconfigJson(model: CapabilityModel): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2022'],
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      outDir: 'dist',
      rootDir: 'src',
    },
    include: ['src'],
  };
  return `// ${generatedNotice(model.sourceName)}\n${JSON.stringify(config, null, 2)}\n`;
}
