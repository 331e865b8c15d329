/**
 * Walks over the model that emitters, rules and the validator share, so none of them spells out the
 * nesting of adapters, resources and tools again.
 */
import type { McpResourceModel } from './mcp-extras.js';
import type { ExposedHandler, StepSource } from './handler-types.js';
import type { CapabilityModel, ConsumedOperation, McpAdapter, McpTool, RestAdapter, RestOperation, ValueSource } from './types.js';

/** Every operation of every REST adapter, in the capability's order. */
export function restOperations(model: CapabilityModel): RestOperation[] {
  return model.rest.flatMap((a) => a.operations);
}

/** Every tool of every MCP adapter, in the capability's order. */
export function mcpTools(model: CapabilityModel): McpTool[] {
  return model.mcp.flatMap((a) => a.tools);
}

/** Every dynamic resource of every MCP adapter. */
export function mcpResources(model: CapabilityModel): McpResourceModel[] {
  return model.mcp.flatMap((a) => a.resources ?? []);
}

/** Everything that answers a request with a handler: REST operations, MCP tools, then MCP resources. */
export function handledItems(model: CapabilityModel): Array<RestOperation | McpTool | McpResourceModel> {
  return [...restOperations(model), ...mcpTools(model), ...mcpResources(model)];
}

/** Every operation of every consumed API. */
export function consumedOperations(model: CapabilityModel): ConsumedOperation[] {
  return model.consumes.flatMap((a) => a.operations);
}

/** Whether what answers reads a bound secret at run time (mocks render secrets as empty, as the engine does). */
export function handlerUsesSecrets(handler: ExposedHandler): boolean {
  const inParts = (parts: ReadonlyArray<{ kind: string }>) => parts.some((p) => p.kind === 'secret');
  const inSource = (v: ValueSource | StepSource | undefined) => v !== undefined && (v.kind === 'secret' || (v.kind === 'template' && inParts(v.parts)));
  switch (handler.kind) {
    case 'call':
      return handler.call.arguments.some((a) => inSource(a.source));
    case 'mock':
      return false;
    case 'steps':
      return handler.steps.some((s) => {
        if (s.kind === 'call') return s.with.some((w) => inSource(w.value)) || s.parameters.some((p) => inSource(p.value));
        if (s.kind === 'script') return s.with.some((w) => inSource(w.value));
        if (s.kind === 'lookup') return s.value.kind === 'template' && inParts(s.value.parts);
        return false;
      });
  }
}

/** Whether the routes of a REST adapter, or the tools and resources of an MCP adapter, read a bound secret. */
export function adapterUsesSecrets(adapter: RestAdapter | McpAdapter): boolean {
  const items: Array<{ handler: ExposedHandler }> = 'operations' in adapter ? adapter.operations : [...adapter.tools, ...(adapter.resources ?? [])];
  return items.some((i) => handlerUsesSecrets(i.handler));
}
