/** View models of the project-level files: config, apis, main, stdio, README, package.json, tsconfig.json. */
import type { CapabilityModel, ExposedInput } from '../../model/types.js';
import { markdownText, tsLiteral, tsPropertyKey, tsString } from '../../names/escape.js';
import { ImportSet } from '../code/imports.js';
import { LINE_WIDTH } from '../code/layout.js';
import { generatedNotice, tsHeader } from './header.js';
import type { AdapterNames, ApiNames, ProjectNames } from './naming.js';
import { envVarName } from '../../names/identifiers.js';
import { controlConfigView, controlMainView } from './control-view.js';
import { inboundAuthExpression } from './inbound-auth-view.js';
import { skillConfigView, skillMainView } from './skill-view.js';
import { authNote, extraAdapterLines, extraAdapterSettings } from './readme-adapters-view.js';
import { openapiModule } from './openapi-view.js';
import { clientsView, PROJECT_PATH } from './clients-view.js';
import { hasHttpAdapter } from './deploy-view.js';
import { runtimeNeeds } from './runtime-needs.js';
import { forwardsFactory } from './rest-view.js';
import { handlerSummary } from './handler-view.js';
import { adapterUsesSecrets, mcpTools, restOperations } from '../../model/walk.js';
import { forwardsUseSecrets } from '../../model/transform-forward.js';
import { clientUsesSecrets } from './consumes-view.js';
import { printLiteral } from '../code/layout.js';

/** Without an `address`, adapters listen on loopback only: reaching them from elsewhere is a choice. */
const DEFAULT_REST_HOST = '127.0.0.1';

/** `https://{subdomain}.example.com` in the API `my-api` is filled from `MY_API_SUBDOMAIN`. */
function baseUriParamVariable(api: ApiNames, param: string): string {
  return `${api.envBaseUri.replace(/_BASE_URI$/, '')}_${envVarName(param)}`;
}
const DEFAULT_MCP_HOST = '127.0.0.1';

/** An API with OAuth 2 client credentials: its token endpoint is a setting (empty: read from the issuer's metadata). */
function oauth2Settings(a: ApiNames): { envTokenEndpoint?: string; tokenEndpoint?: string } {
  const auth = a.api.authentication;
  if (auth?.kind !== 'oauth2') return {};
  return { envTokenEndpoint: tsString(a.envBaseUri.replace(/_BASE_URI$/, '_TOKEN_ENDPOINT')), tokenEndpoint: tsString(auth.tokenEndpoint ?? '') };
}

export function configView(model: CapabilityModel, names: ProjectNames, capabilityDir = '.') {
  const files = model.secrets.filter((s) => s.location !== undefined);
  return {
    header: tsHeader(model.sourceName),
    secretFiles: files.length > 0,
    yamlSecrets: files.some((s) => /\.ya?ml$/i.test(s.location!)),
    capabilityDir: tsString(capabilityDir),
    secrets: model.secrets.map((s) => ({ key: tsPropertyKey(s.variable) })),
    secretSources: printLiteral(model.secrets.map((s) => ({ variable: s.variable, source: s.source, ...(s.location ? { location: s.location } : {}) })), '', 'const SECRET_SOURCES: readonly SecretSource[] = '.length),
    consumes: names.apis.map((a) => {
      const view = {
        key: a.key,
        envBaseUri: tsString(a.envBaseUri),
        envTimeout: tsString(a.envTimeout),
        envMaxSockets: tsString(a.envMaxSockets),
        baseUri: tsString(a.api.baseUri),
        ...oauth2Settings(a),
        baseUriParams: a.api.baseUriParams.length ? `, ${tsLiteral(Object.fromEntries(a.api.baseUriParams.map((p) => [p, baseUriParamVariable(a, p)])))}` : '',
      };
      // One argument per line when the call would not fit.
      const line = `        baseUri: baseUriFrom(env, ${view.envBaseUri}, ${view.baseUri}${view.baseUriParams}),`;
      return { ...view, wrapBaseUri: line.length > LINE_WIDTH };
    }),
    rest: names.rest.map((r) => adapterConfig(r.key, r.envPrefix, r.port, r.adapter.address ?? DEFAULT_REST_HOST, r.adapter.auth !== undefined)),
    mcp: names.mcp.map((m) => adapterConfig(m.key, m.envPrefix, m.port, m.adapter.address ?? DEFAULT_MCP_HOST, m.adapter.auth !== undefined)),
    control: controlConfigView(model),
    skill: skillConfigView(names),
    // The control and skill adapters and OAuth 2 token endpoints read plain ports and strings.
    readsPortHost: model.control !== undefined || names.skill.length > 0 || names.apis.some((a) => a.api.authentication?.kind === 'oauth2'),
  };
}

/** The settings of one REST or MCP adapter in config.ts; one argument per line when the call would not fit. */
function adapterConfig(key: string, envPrefix: string, port: number, host: string, hasInboundAuth: boolean) {
  const view = { key, envPrefix: tsString(envPrefix), port, host: tsString(host), hasInboundAuth };
  const line = `      ${key}: adapterFrom(env, ${view.envPrefix}, ${port}, ${view.host}, { inboundAuth: ${hasInboundAuth} }),`;
  return { ...view, wrap: line.length > LINE_WIDTH };
}

export function apisView(model: CapabilityModel, names: ProjectNames) {
  return { header: tsHeader(model.sourceName), apis: names.apis.map((a) => ({ key: a.key, className: a.className, module: a.module, usesSecrets: clientUsesSecrets(a.api) })) };
}

function httpMcp(names: ProjectNames) {
  return names.mcp.filter((m) => m.adapter.transport === 'http');
}

export function mainView(model: CapabilityModel, names: ProjectNames) {
  // The template registers the runtime symbols it prints ({{use}}); here, the project's own modules and
  // what the views' code prints (inbound auth).
  const imports = new ImportSet('./');
  for (const r of names.rest) imports.add(`./${r.module}.js`, r.factory).add(`./${openapiModule(r).module}.js`, openapiModule(r).constName);
  for (const r of names.rest) if (r.adapter.forwards?.length) imports.add(`./${r.module}.js`, forwardsFactory(r.factory));
  for (const m of httpMcp(names)) imports.add(`./${m.module}.js`, m.factory);
  if ([...names.rest, ...httpMcp(names)].some((a) => a.adapter.auth) || model.control?.auth) imports.add('./runtime/inbound-auth.js', 'inboundAuth');
  for (const s of names.skill) imports.add(`./${s.module}.js`, s.factory);
  if (names.skill.some((s) => s.adapter.auth)) imports.add('./runtime/inbound-auth.js', 'inboundAuth');
  const stdioOnly = names.mcp.filter((m) => m.adapter.transport === 'stdio');
  return {
    header: tsHeader(model.sourceName),
    imports,
    program: tsString(names.packageName),
    stdioNote: stdioOnly.length ? `stdio adapters run with \`node dist/stdio.js\`` : '',
    rest: names.rest.map((r) => ({
      key: r.key,
      factory: r.factory,
      ...(r.adapter.forwards?.length ? { forwardsFactory: forwardsFactory(r.factory) } : {}),
      usesSecrets: adapterUsesSecrets(r.adapter),
      forwardSecrets: forwardsUseSecrets(r.adapter, model.consumes),
      name: tsString(r.adapter.namespace),
      label: tsString(`REST adapter ${r.adapter.namespace}`),
      openapi: openapiModule(r).constName,
      auth: inboundAuthExpression(r.adapter.namespace, r.adapter.auth),
    })),
    mcp: httpMcp(names).map((m) => ({
      key: m.key,
      factory: m.factory,
      usesSecrets: adapterUsesSecrets(m.adapter),
      name: tsString(m.adapter.namespace),
      label: tsString(`MCP adapter ${m.adapter.namespace} (Streamable HTTP at /mcp)`),
      auth: inboundAuthExpression(m.adapter.namespace, m.adapter.auth),
    })),
    control: controlMainView(model),
    skill: skillMainView(names),
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
    settings.push({ name: cell(s.location ? s.variable : s.source), fallback: '(required)', meaning: s.location ? `Secret \`${cell(s.variable)}\`, read from key \`${cell(s.source)}\` of the file ${cell(s.location)}.` : `Secret bound as \`${cell(s.variable)}\`.` });
  }
  if (model.secrets.some((s) => s.location !== undefined)) {
    settings.push({ name: 'NAFTIKO_CAPABILITY_DIR', fallback: "the capability's folder when the project was generated", meaning: 'Folder that relative secret files are read from.' });
  }
  for (const a of names.apis) {
    for (const p of a.api.baseUriParams) settings.push({ name: baseUriParamVariable(a, p), fallback: '(required)', meaning: `Fills \`{${cell(p)}}\` in the base URI of ${cell(a.api.namespace)}.` });
    settings.push({ name: a.envBaseUri, fallback: a.api.baseUri === '' ? '(required)' : `\`${cell(a.api.baseUri)}\``, meaning: `Base URI of the consumed API ${cell(a.api.namespace)}.` });
    settings.push({ name: a.envTimeout, fallback: '`30000`', meaning: `Timeout of each upstream request, in milliseconds.` });
    settings.push({ name: a.envMaxSockets, fallback: '`256`', meaning: 'Connections open at once to this API; more requests wait for one.' });

    const auth = a.api.authentication;
    if (auth?.kind === 'oauth2') {
      settings.push({
        name: a.envBaseUri.replace(/_BASE_URI$/, '_TOKEN_ENDPOINT'),
        fallback: auth.tokenEndpoint ? `\`${cell(auth.tokenEndpoint)}\`` : `from the metadata of ${cell(auth.issuer)}`,
        meaning: `OAuth 2 token endpoint of ${cell(a.api.namespace)} (client credentials from ${auth.clientIdVariable} and ${auth.clientSecretVariable}).`,
      });
    }
  }
  for (const r of names.rest) {
    settings.push({ name: r.envPort, fallback: `\`${r.port}\``, meaning: `Port of the REST adapter ${cell(r.adapter.namespace)}.` });
    settings.push(...adapterSettings(r, r.adapter.address ?? DEFAULT_REST_HOST));
  }
  for (const m of httpMcp(names)) {
    settings.push({ name: m.envPort, fallback: `\`${m.port}\``, meaning: `Port of the MCP adapter ${cell(m.adapter.namespace)}.` });
    settings.push(...adapterSettings(m, m.adapter.address ?? DEFAULT_MCP_HOST));
  }
  // An adapter on stdio only reads its message size and its grace period at the end of input.
  for (const m of names.mcp.filter((x) => x.adapter.transport === 'stdio')) {
    const stdio = ['MAX_BODY_BYTES', 'SHUTDOWN_GRACE_MS'];
    for (const [suffix, fallback, meaning] of ADAPTER_SETTINGS.filter(([x]) => stdio.includes(x))) {
      settings.push({ name: `${m.envPrefix}_${suffix}`, fallback, meaning: `${meaning} (MCP adapter ${cell(m.adapter.namespace)}, stdio)` });
    }
  }
  settings.push(...extraAdapterSettings(model, names));
  return {
    title: cell(model.info.label || names.packageName),
    headerNote: `_${cell(generatedNotice(model.sourceName))}_`,
    description: cell(model.info.description),
    adapters: [
      ...names.rest.map((r) => `the REST adapter \`${cell(r.adapter.namespace)}\` on port ${r.port} (\`${r.envPort}\`)${authNote(r.adapter.auth)}`),
      ...httpMcp(names).map((m) => `the MCP adapter \`${cell(m.adapter.namespace)}\` at \`/mcp\` on port ${m.port} (\`${m.envPort}\`)${authNote(m.adapter.auth)}`),
      ...extraAdapterLines(model, names),
    ],
    hasMcp: names.mcp.length > 0,
    singleMcp: names.mcp.length === 1,
    settings,
    restOperations: restOperations(model).map((op) => ({ method: op.method, path: cell(op.path), call: `\`${cell(handlerSummary(op.handler))}\``, inputs: inputsText(op.inputs, true) })),
    tools: mcpTools(model).map((t) => ({ name: cell(t.name), description: cell(t.description), inputs: inputsText(t.inputs, false) })),
    image: `${names.packageName}:1.0.0`,
    projectPath: PROJECT_PATH,
    hasDeploy: hasHttpAdapter(names),
    ...clientsView(model, names),
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
    // undici, the upstream client, needs 20.18.1 or later.
    engines: { node: '>=20.18.1' },
    scripts: {
      build: 'tsc -p tsconfig.json',
      typecheck: 'tsc -p tsconfig.json --noEmit',
      // Compiles only when dist/ is missing or older than src/: `npm start` starts at once otherwise.
      prestart: 'node scripts/prestart.mjs',
      start: 'node dist/main.js',
      ...(hasMcp ? { 'start:stdio': 'node dist/stdio.js' } : {}),
    },
    dependencies: pick(['undici', 'zod', ...(hasMcp ? ['@modelcontextprotocol/server', '@modelcontextprotocol/node'] : []), ...runtimeNeeds(model).packages]),
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
