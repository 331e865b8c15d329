/** View model of `src/mcp/<namespace>.ts`: the McpServer of one MCP adapter and its tools. */
import type { McpAdapter, ToolHints } from '../../model/types.js';
import { lineComment, tsLiteral, tsString } from '../../names/escape.js';
import { ImportSet } from '../code/imports.js';
import { docComment, tsHeader } from './header.js';
import { callView } from './call-view.js';
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

/** The MCP methods whose results carry a freshness hint (`ttlMs`, `cacheScope`) since protocol revision 2026-07-28. */
const CACHEABLE = ['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read', 'server/discover'];

/** `cacheScope` / `ttlMs` of the adapter: the hint of every cacheable result (clients and intermediaries cache by it). */
function cacheHints(hint: McpAdapter['cacheHint']): { hint: string; methods: string[] } | undefined {
  return hint ? { hint: tsLiteral(hint), methods: CACHEABLE.map((m) => tsString(m)) } : undefined;
}

export function mcpView(names: AdapterNames<McpAdapter>, project: ProjectNames, sourceName: string) {
  const adapter = names.adapter;
  const imports = new ImportSet()
    .add('@modelcontextprotocol/server', 'McpServer')
    .add('zod', 'z')
    .add('../runtime/mcp.js', 'toolFailure')
    .add('../runtime/mcp.js', 'toolResult')
    .add('../runtime/output.js', 'OutputSpec', { type: true })
    .add('../apis.js', 'Apis', { type: true })
    .add('../config.js', 'Secrets', { type: true });
  const tools = adapter.tools.map((tool, index) => ({
    index,
    label: lineComment(`${tool.name} -> ${tool.call.operation.namespace}.${tool.call.operation.name}`),
    name: tsString(tool.name),
    title: tool.title !== undefined ? tsString(tool.title) : undefined,
    description: tsString(tool.description),
    annotations: annotations(tool.hints, tool.title),
    meta: tool.tags ? `{ tags: ${tsLiteral(tool.tags)} }` : undefined,
    ...callView(tool, project, imports),
  }));
  return {
    header: tsHeader(sourceName),
    imports: imports.lines(),
    tools,
    factory: names.factory,
    serverName: tsString(adapter.namespace),
    instructions: adapter.description !== undefined ? tsString(adapter.description) : undefined,
    cacheHints: cacheHints(adapter.cacheHint),
    doc: docComment(`Builds the MCP server of the adapter ${adapter.namespace}: one per request (stateless) or one per stdio session.`),
  };
}
