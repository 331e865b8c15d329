/**
 * View models of the files around the code: `.env.example`, `.gitignore`, `.dockerignore`, the
 * `Dockerfile`, `compose.yaml`, `kubernetes.yaml` and the `prestart` script. Strings from the capability
 * are written as JSON strings, which YAML reads as the same double-quoted strings; names and variables
 * are already reduced to safe characters by naming.ts.
 */
import type { CapabilityModel } from '../../model/types.js';
import { lineComment } from '../../names/escape.js';
import { generatedNotice } from './header.js';
import type { ProjectNames } from './naming.js';

/** Every variable of the README's configuration table, with what `.env.example` needs to list it. */
export interface Setting {
  name: string;
  /** `(required)`, `(none)` or a default in backticks, as the README shows it. */
  fallback: string;
  meaning: string;
}

const yaml = (value: string | number): string => JSON.stringify(String(value));

/** A Kubernetes object name: a DNS label of at most 63 characters. */
function objectName(packageName: string): string {
  return packageName.slice(0, 63).replace(/-+$/, '') || 'capability';
}

/** The HTTP adapters, each with its port and the variables that place it in a container. */
function httpAdapters(names: ProjectNames) {
  return [
    ...names.rest.map((r, i) => ({ portName: i === 0 ? 'rest' : `rest-${i + 1}`, port: r.port, envHost: r.envHost, envAllowedHosts: undefined as string | undefined })),
    ...names.mcp.filter((m) => m.adapter.transport === 'http').map((m, i) => ({ portName: i === 0 ? 'mcp' : `mcp-${i + 1}`, port: m.port, envHost: m.envHost, envAllowedHosts: m.envAllowedHosts as string | undefined })),
  ];
}

/** Whether the project has a server to put in a container: at least one adapter over HTTP. */
export function hasHttpAdapter(names: ProjectNames): boolean {
  return httpAdapters(names).length > 0;
}

function environmentSecrets(model: CapabilityModel): string[] {
  // Secrets read from a file (`location`) come with that file, not from the environment.
  return [...new Set(model.secrets.filter((s) => !s.location).map((s) => s.source))];
}

export function envExampleView(model: CapabilityModel, settings: readonly Setting[]) {
  const plain = (text: string) => text.replace(/`/g, '').replace(/\\\|/g, '|');
  return {
    notice: lineComment(generatedNotice(model.sourceName)),
    variables: settings.map((s) => ({
      name: s.name,
      required: s.fallback === '(required)',
      value: s.fallback.startsWith('`') ? plain(s.fallback) : '',
      meaning: lineComment(`${plain(s.meaning)}${s.fallback === '(required)' ? ' Required.' : ''}`),
    })),
  };
}

export function noticeView(model: CapabilityModel) {
  return { notice: lineComment(generatedNotice(model.sourceName)) };
}

/** The command the `start` script runs, which the container runs without npm. */
export const START_COMMAND = ['node', 'dist/main.js'];

export function dockerfileView(model: CapabilityModel, names: ProjectNames) {
  const adapters = httpAdapters(names);
  return {
    notice: lineComment(generatedNotice(model.sourceName)),
    image: `${names.packageName}:1.0.0`,
    // The server reads no file of its own at run time (the OpenAPI text is compiled in): package.json says it is an ES module.
    runtimeFiles: 'package.json',
    listenEnv: adapters.map((a) => `${a.envHost}=0.0.0.0`),
    ports: adapters.map((a) => a.port).join(' '),
    healthPort: adapters[0]!.port,
    command: JSON.stringify(START_COMMAND),
  };
}

export function composeView(model: CapabilityModel, names: ProjectNames) {
  const adapters = httpAdapters(names);
  return {
    notice: lineComment(generatedNotice(model.sourceName)),
    service: objectName(names.packageName),
    image: `${names.packageName}:1.0.0`,
    environment: environmentSecrets(model).map((name) => ({ name: yaml(name), value: yaml(`\${${name}:?set ${name} in your shell or in .env}`) })),
    // Published on the host's loopback only: put a proxy in front to serve others.
    ports: adapters.map((a) => yaml(`127.0.0.1:${a.port}:${a.port}`)),
  };
}

export function kubernetesView(model: CapabilityModel, names: ProjectNames) {
  const adapters = httpAdapters(names);
  const name = objectName(names.packageName);
  return {
    notice: lineComment(generatedNotice(model.sourceName)),
    name,
    imageName: `${names.packageName}:1.0.0`,
    image: yaml(`${names.packageName}:1.0.0`),
    secretName: `${name.slice(0, 55).replace(/-+$/, '')}-secrets`,
    ports: adapters.map((a) => ({ name: a.portName, port: a.port })),
    env: [
      ...adapters.map((a) => ({ name: a.envHost, value: yaml('0.0.0.0') })),
      // MCP clients inside the cluster reach the server by the Service's name, which the Host check must accept.
      ...adapters.flatMap((a) => (a.envAllowedHosts ? [{ name: a.envAllowedHosts, value: yaml(name) }] : [])),
    ],
    secretEnv: environmentSecrets(model).map((s) => ({ name: yaml(s), shown: lineComment(s) })),
    healthPort: adapters[0]!.port,
  };
}
