/** View model of `src/mcp/<namespace>.ts`: the McpServer of one MCP adapter and its tools. */
import type { McpAdapter, ToolHints } from '../../model/types.js';
import type { McpPromptModel } from '../../model/mcp-extras.js';
import { lineComment, tsLiteral, tsPropertyKey, tsString } from '../../names/escape.js';
import { ImportSet } from '../code/imports.js';
import { printLiteral } from '../code/layout.js';
import { constantBases } from './constant-names.js';
import { adapterUsesSecrets, handlerUsesSecrets } from '../../model/walk.js';
import { docComment, tsHeader } from './header.js';
import { handlerSummary, handlerView, templateData } from './handler-view.js';
import type { AdapterNames, ProjectNames } from './naming.js';

/** `hints` → MCP annotations (decisions doc, "MCP servers"); unset hints are left out. */
function annotations(hints: ToolHints, title: string | undefined): string | undefined {
  const entries: string[] = [];
  if (title !== undefined) entries.push(`title: ${tsString(title)}`);
  if (hints.readOnly !== undefined) entries.push(`readOnlyHint: ${hints.readOnly}`);
  if (hints.destructive !== undefined) entries.push(`destructiveHint: ${hints.destructive}`);
  if (hints.idempotent !== undefined) entries.push(`idempotentHint: ${hints.idempotent}`);
  if (hints.openWorld !== undefined) entries.push(`openWorldHint: ${hints.openWorld}`);
  return entries.length > 0 ? `{ ${entries.join(', ')} }` : undefined;
}

/** A prompt: its arguments as a zod schema (strings, as MCP prompt arguments are) and its messages as templates. */
function promptView(prompt: McpPromptModel) {
  const args = prompt.arguments.map((a) => `${tsPropertyKey(a.name)}: z.string().describe(${tsString(a.description)})${a.required ? '' : '.optional()'}`);
  const messages = prompt.messages.map((m) => ({ role: m.role, template: templateData(m.parts, false) }));
  return {
    name: tsString(prompt.name),
    title: prompt.title !== undefined ? tsString(prompt.title) : undefined,
    description: tsString(prompt.description),
    args: args.length ? `z.object({ ${args.join(', ')} })` : undefined,
    messages: printLiteral(messages, '    ', 40),
  };
}

/** The MCP methods whose results carry a freshness hint (`ttlMs`, `cacheScope`) since protocol revision 2026-07-28. */
const CACHEABLE = ['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read', 'server/discover'];

/** `cacheScope` / `ttlMs` of the adapter: the hint of every cacheable result (clients and intermediaries cache by it). */
function cacheHints(adapter: McpAdapter) {
  const hint = adapter.cacheHint;
  if (!hint) return undefined;
  // With ttlMs and dynamic resources, the server keeps their reads too (runtime/cache.ts).
  const cache = hint.ttlMs !== undefined && hint.ttlMs > 0 && (adapter.resources ?? []).length > 0;
  const scope = hint.cacheScope ?? 'private';
  return {
    hint: tsLiteral(hint),
    methods: CACHEABLE.map((m) => tsString(m)),
    cache,
    ttlMs: tsLiteral(hint.ttlMs ?? 0),
    scope: tsString(scope),
    scopeWord: scope === 'public' ? 'one answer shared by every caller' : 'kept per caller',
  };
}

export function mcpView(names: AdapterNames<McpAdapter>, project: ProjectNames, sourceName: string) {
  const adapter = names.adapter;
  // The template registers what it prints ({{use}}); the input schemas the views print need zod.
  const imports = new ImportSet().add('zod', 'z');
  const usesSecrets = adapterUsesSecrets(adapter);
  const bases = constantBases([...adapter.tools.map((t) => t.name), ...(adapter.resources ?? []).map((r) => `${r.name}-resource`)]);
  const tools = adapter.tools.map((tool, index) => ({
    const: bases[index]!,
    label: lineComment(`${tool.name} -> ${handlerSummary(tool.handler)}`),
    source: tool.line !== undefined ? lineComment(`${sourceName}:${tool.line}`) : undefined,
    name: tsString(tool.name),
    title: tool.title !== undefined ? tsString(tool.title) : undefined,
    description: tsString(tool.description),
    annotations: annotations(tool.hints, tool.title),
    meta: tool.tags ? `{ tags: ${tsLiteral(tool.tags)} }` : undefined,
    usesSecrets: handlerUsesSecrets(tool.handler),
    ...handlerView(tool, project, imports, bases[index]!),
  }));
  // A tool whose steps call an operation no consumed API declares: its calls are refused as invalid
  // params (JSON-RPC -32602), as the engine does, before the SDK (which would make them tool results).
  const refused = adapter.tools.flatMap((tool) => {
    const step = tool.handler.kind === 'steps' ? tool.handler.steps.find((s) => s.kind === 'unresolved') : undefined;
    return step?.kind === 'unresolved' ? [[tool.name, `Invalid call format: ${step.call}`]] : [];
  });
  const resources = (adapter.resources ?? []).map((resource, i) => ({
    const: bases[tools.length + i]!,
    label: lineComment(`resource ${resource.uri} -> ${handlerSummary(resource.handler)}`),
    name: tsString(resource.name),
    title: resource.title !== undefined ? tsString(resource.title) : undefined,
    description: tsString(resource.description),
    uri: tsString(resource.uri),
    isTemplate: resource.params.length > 0,
    mimeType: tsString(resource.mimeType),
    binary: resource.binary === true,
    usesSecrets: handlerUsesSecrets(resource.handler),
    ...handlerView(resource, project, imports, bases[tools.length + i]!),
  }));
  const staticFiles = (adapter.staticResources ?? []).flatMap((r) =>
    r.files.map((f) => ({
      name: tsString(f.name),
      title: r.title !== undefined ? tsString(r.title) : undefined,
      description: tsString(r.description),
      uri: tsString(f.uri),
      mimeType: tsString(f.mimeType),
      text: tsString(f.text),
    })),
  );
  const prompts = (adapter.prompts ?? []).map((prompt) => promptView(prompt));
  const cache = cacheHints(adapter);
  return {
    header: tsHeader(sourceName),
    imports,
    tools,
    constants: [...tools, ...resources],
    resources,
    staticFiles,
    prompts,
    refusedCalls: refused.length ? tsLiteral(refused) : undefined,
    factory: names.factory,
    usesSecrets,
    serverName: tsString(adapter.namespace),
    instructions: adapter.description !== undefined ? tsString(adapter.description) : undefined,
    cacheHints: cache,
    /** Whether resource reads go through the response cache (ttlMs and dynamic resources). */
    readCache: cache?.cache === true,
    doc: docComment(`Builds the MCP server of the adapter ${adapter.namespace}: one per request (stateless) or one per stdio session.`),
  };
}
