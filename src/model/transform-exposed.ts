/** Transforms of exposed REST operations and MCP tools: a `call` is bound here, anything else in transform-handler.ts. */
import { bindExposedCall, type BoundCall, type LooseMatch, type SecretScope } from './bind-call.js';
import type { ModelNote } from './notes.js';
import type { RawExposedOperation, RawExposesMcp, RawExposesRest, RawMcpTool } from './raw.js';
import { parsePath } from './template.js';
import { transformPrompts, transformResources, type McpStaticResourceModel } from './mcp-extras.js';
import { buildOtherHandler, declaredInputs, resolveRef, type HandlerContext } from './transform-handler.js';
import { wireToolNames } from '../names/tool-names.js';
import type { ConsumedApi, ConsumedOperation, McpAdapter, McpTool, RestAdapter, RestOperation } from './types.js';

/** `ns.op` → the consumed operation, or undefined (the call-target rule reports it). */
export function findCallTarget(apis: readonly ConsumedApi[], call: string | undefined): ConsumedOperation | undefined {
  if (!call) return undefined;
  const dot = call.indexOf('.');
  const ns = call.slice(0, dot);
  const op = call.slice(dot + 1);
  return apis.find((a) => a.namespace === ns)?.operations.find((o) => o.name === op);
}

const SUBJECT: Record<LooseMatch['subject'], string> = {
  'with-reference': 'The `with` reference',
  'with-key': 'The `with` key',
  placeholder: 'The consumed path placeholder',
  parameter: 'The consumed parameter',
};

function bindingNotes(bound: BoundCall, base: (string | number)[], notes: ModelNote[]): void {
  for (const m of bound.looseMatches) {
    notes.push({
      rule: 'name-case-mismatch',
      severity: 'warning',
      path: [...base, ...m.at],
      atKey: m.at[0] === 'with' && m.subject === 'with-key',
      message:
        m.subject === 'placeholder' || m.subject === 'parameter'
          ? `${SUBJECT[m.subject]} \`${m.matched}\` is filled from the input \`${m.written}\`, whose name differs only in case or separators.`
          : `${SUBJECT[m.subject]} \`${m.written}\` matches \`${m.matched}\` only when case and separators are ignored; naftiko-gen treats them as the same name.`,
      hint: `Spell both sides the same (\`${m.matched}\`) to silence this warning.`,
    });
  }
  for (const s of bound.unboundSecrets) {
    notes.push({
      rule: 'template-variable-unbound',
      severity: 'error',
      path: [...base, ...s.at],
      message: `The template refers to the variable \`${s.variable}\`, which no \`binds\` entry declares.`,
      hint: `Declare \`${s.variable}\` under \`binds\`, or fix the name.`,
    });
  }
}

function unsupported(what: string, path: (string | number)[], notes: ModelNote[]): void {
  notes.push({
    rule: 'construct-unsupported',
    severity: 'warning',
    path,
    message: `${what} is valid but not generated yet: it is left out of the generated server.`,
    hint: 'Use `call:` to a consumed operation to have it generated.',
  });
}

/** A note for the part of an item the engine ignores when both `call` and `steps` are written. */
function ignoredNote(kept: 'call' | 'steps', at: (string | number)[], notes: ModelNote[]): void {
  const dropped = kept === 'call' ? 'steps' : 'call';
  notes.push({
    rule: 'construct-ignored',
    severity: 'warning',
    path: [...at, dropped],
    atKey: true,
    message: `Both \`call\` and \`steps\` are written; as the engine does, ${kept === 'call' ? 'a REST operation runs its `call`' : 'an MCP tool runs its `steps`'} and the \`${dropped}\` is ignored.`,
    hint: `Remove \`${dropped}\` to say what runs.`,
  });
}

export function transformRest(raw: RawExposesRest, base: (string | number)[], apis: readonly ConsumedApi[], secrets: SecretScope, notes: ModelNote[], ctx: HandlerContext): RestAdapter {
  const operations: RestOperation[] = [];
  (raw.resources ?? []).forEach((resource, ri) => {
    const resourceAt = [...base, 'resources', ri];
    if (resource.forward && !resource.operations) unsupported('A `forward` resource', [...resourceAt, 'forward'], notes);
    (resource.operations ?? []).forEach((op: RawExposedOperation, oi) => {
      const at = [...resourceAt, 'operations', oi];
      const resolved = resolveRef(op, at, 'rest', raw.namespace, ctx);
      if (!resolved) return;
      const f = resolved.fields;
      const described = f.description ?? resource.description;
      const common = {
        name: f.name ?? `${op.method.toLowerCase()}-${resource.name ?? resource.path}`,
        method: op.method,
        path: resource.path,
        pathParts: parsePath(resource.path).parts,
        ...(described ? { description: described } : {}),
      };
      if (f.call === undefined) {
        const handler = buildOtherHandler(resolved, ctx, notes);
        if (!handler) return;
        const inputs = declaredInputs('rest', [...(resource.inputParameters ?? []), ...(f.inputParameters ?? [])], resource.path);
        operations.push({ ...common, inputs, handler, output: { parameters: f.outputParameters ?? [] } });
        return;
      }
      if (Array.isArray(f.steps)) ignoredNote('call', resolved.handlerAt, notes);
      const target = findCallTarget(apis, f.call);
      if (!target) return;
      const bound = bindExposedCall(
        {
          kind: 'rest',
          adapterNamespace: raw.namespace,
          exposedPath: resource.path,
          declaredInputs: [...(resource.inputParameters ?? []), ...(f.inputParameters ?? [])],
          with: f.with,
          extraPrefixes: resolved.prefixes.slice(2),
        },
        target,
        secrets,
      );
      bindingNotes(bound, resolved.handlerAt, notes);
      operations.push({
        ...common,
        inputs: bound.inputs,
        call: bound.call,
        handler: { kind: 'call', call: bound.call },
        output: { parameters: f.outputParameters ?? [] },
      });
    });
  });
  return {
    namespace: raw.namespace,
    port: raw.port,
    ...(raw.address ? { address: raw.address } : {}),
    ...(raw.description ? { description: raw.description } : {}),
    operations,
  };
}

export function transformMcp(raw: RawExposesMcp, base: (string | number)[], apis: readonly ConsumedApi[], secrets: SecretScope, notes: ModelNote[], ctx: HandlerContext): McpAdapter {
  const tools: McpTool[] = [];
  const resolvedTools = raw.tools.map((tool: RawMcpTool, ti) => resolveRef(tool, [...base, 'tools', ti], 'mcp', raw.namespace, ctx));
  const wire = wireToolNames(resolvedTools.map((r, ti) => r?.fields.name ?? raw.tools[ti]!.name ?? ''));
  raw.tools.forEach((tool: RawMcpTool, ti) => {
    const at = [...base, 'tools', ti];
    const resolved = resolvedTools[ti];
    if (!resolved) return;
    const f = resolved.fields;
    const common = {
      name: wire[ti]!,
      declaredName: f.name ?? '',
      ...(tool.label ? { title: tool.label } : {}),
      description: f.description ?? '',
      hints: resolved.hints,
      output: { parameters: f.outputParameters ?? [] },
    };
    if (f.call === undefined || Array.isArray(f.steps)) {
      if (f.call !== undefined) ignoredNote('steps', resolved.handlerAt, notes);
      const handler = buildOtherHandler(resolved, ctx, notes);
      if (!handler) return;
      tools.push({ ...common, inputs: declaredInputs('mcp', f.inputParameters ?? []), handler });
      return;
    }
    const target = findCallTarget(apis, f.call);
    if (!target) return;
    const bound = bindExposedCall(
      { kind: 'mcp', adapterNamespace: raw.namespace, declaredInputs: f.inputParameters ?? [], with: f.with, extraPrefixes: resolved.prefixes.slice(2) },
      target,
      secrets,
    );
    bindingNotes(bound, resolved.handlerAt === at ? at : resolved.handlerAt, notes);
    tools.push({ ...common, inputs: bound.inputs, call: bound.call, handler: { kind: 'call', call: bound.call } });
  });
  const staticResources: McpStaticResourceModel[] = [];
  const resources = transformResources(raw.resources, base, raw.namespace, apis, secrets, ctx, notes, staticResources);
  const prompts = transformPrompts(raw.prompts, base, notes, ctx);
  return {
    namespace: raw.namespace,
    transport: raw.transport ?? 'http',
    ...(raw.port !== undefined ? { port: raw.port } : {}),
    ...(raw.address ? { address: raw.address } : {}),
    ...(raw.description ? { description: raw.description } : {}),
    tools,
    ...(resources.length ? { resources } : {}),
    ...(staticResources.length ? { staticResources } : {}),
    ...(prompts.length ? { prompts } : {}),
  };
}
