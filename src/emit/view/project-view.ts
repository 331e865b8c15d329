/** View models of the project-level files: config, apis, main, stdio, README, package.json, tsconfig.json. */
import type { CapabilityModel, ExposedInput } from '../../model/types.js';
import { markdownText, tsLiteral, tsPropertyKey, tsString } from '../../names/escape.js';
import { ImportSet } from '../code/imports.js';
import { generatedNotice, tsHeader } from './header.js';
import type { ApiNames, ProjectNames } from './naming.js';
import { envVarName } from '../../names/identifiers.js';

const DEFAULT_REST_HOST = '0.0.0.0';

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
      baseUri: tsString(a.api.baseUri),
      baseUriParams: a.api.baseUriParams.length ? `, ${tsLiteral(Object.fromEntries(a.api.baseUriParams.map((p) => [p, baseUriParamVariable(a, p)])))}` : '',
    })),
    rest: names.rest.map((r) => ({ key: r.key, envPort: tsString(r.envPort), envHost: tsString(r.envHost), port: r.adapter.port, host: tsString(r.adapter.address ?? DEFAULT_REST_HOST) })),
    mcp: names.mcp.map((m) => ({
      key: m.key,
      envPort: tsString(m.envPort),
      envHost: tsString(m.envHost),
      envAllowedHosts: tsString(m.envAllowedHosts),
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
    mcp: names.mcp.map((m) => ({ name: tsString(m.adapter.namespace), factory: m.factory, module: m.module })),
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

export function readmeView(model: CapabilityModel, names: ProjectNames) {
  const settings: Array<{ name: string; fallback: string; meaning: string }> = [];
  for (const s of model.secrets) {
    settings.push({ name: cell(s.location ? s.variable : s.source), fallback: '(required)', meaning: s.location ? `Secret \`${cell(s.variable)}\`, read from key \`${cell(s.source)}\` of ${cell(s.location)}.` : `Secret bound as \`${cell(s.variable)}\`.` });
  }
  for (const a of names.apis) {
    for (const p of a.api.baseUriParams) settings.push({ name: baseUriParamVariable(a, p), fallback: '(required)', meaning: `Fills \`{${cell(p)}}\` in the base URI of ${cell(a.api.namespace)}.` });
    settings.push({ name: a.envBaseUri, fallback: a.api.baseUri === '' ? '(required)' : `\`${cell(a.api.baseUri)}\``, meaning: `Base URI of the consumed API ${cell(a.api.namespace)}.` });
    settings.push({ name: a.envTimeout, fallback: '`30000`', meaning: `Timeout of each upstream request, in milliseconds.` });
  }
  for (const r of names.rest) {
    settings.push({ name: r.envPort, fallback: `\`${r.adapter.port}\``, meaning: `Port of the REST adapter ${cell(r.adapter.namespace)}.` });
    settings.push({ name: r.envHost, fallback: `\`${cell(r.adapter.address ?? DEFAULT_REST_HOST)}\``, meaning: 'Address it listens on.' });
  }
  for (const m of httpMcp(names)) {
    settings.push({ name: m.envPort, fallback: `\`${m.adapter.port ?? 0}\``, meaning: `Port of the MCP adapter ${cell(m.adapter.namespace)}.` });
    settings.push({ name: m.envHost, fallback: `\`${cell(m.adapter.address ?? DEFAULT_MCP_HOST)}\``, meaning: 'Address it listens on.' });
    settings.push({ name: m.envAllowedHosts, fallback: '(none)', meaning: 'Comma-separated host names clients may use besides localhost (checked against the Host header).' });
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
