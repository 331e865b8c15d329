/** Transforms of exposed REST operations and MCP tools: a `call` is bound here, anything else in transform-handler.ts. */
import { bindExposedCall, type BoundCall, type LooseMatch, type SecretScope } from './bind-call.js';
import type { Note } from '../validate/finding.js';
import type { RawExposedOperation, RawExposesMcp, RawExposesRest, RawMcpTool } from './raw.js';
import { parsePath } from './template.js';
import { transformPrompts, transformResources, type McpStaticResourceModel } from './mcp-extras.js';
import { buildOtherHandler, declaredInputs, resolveRef, type HandlerContext } from './transform-handler.js';
import { wireToolNames } from '../names/tool-names.js';
import { transformInboundAuth } from './transform-inbound-auth.js';
import { inputUsageNotes } from './input-usage.js';
import type { ConsumedApi, ConsumedOperation, McpAdapter, McpTool, RestAdapter, RestForward, RestOperation } from './types.js';
import { transformForward } from './transform-forward.js';
import { transformOutputs } from './transform-output.js';

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

function bindingNotes(bound: BoundCall, base: (string | number)[], notes: Note[]): void {
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

/** A note for the part of an item the engine ignores when both `call` and `steps` are written. */
function ignoredNote(kept: 'call' | 'steps', at: (string | number)[], notes: Note[]): void {
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

export function transformRest(raw: RawExposesRest, base: (string | number)[], apis: readonly ConsumedApi[], secrets: SecretScope, notes: Note[], ctx: HandlerContext): RestAdapter {
  const operations: RestOperation[] = [];
  const forwards: RestForward[] = [];
  (raw.resources ?? []).forEach((resource, ri) => {
    const resourceAt = [...base, 'resources', ri];
    if (resource.forward) {
      const forward = transformForward(resource, [...resourceAt, 'forward'], apis, notes);
      if (forward) forwards.push(forward);
    }
    (resource.operations ?? []).forEach((op: RawExposedOperation, oi) => {
      const at = [...resourceAt, 'operations', oi];
      const resolved = resolveRef(op, at, 'rest', raw.namespace, ctx, notes);
      if (!resolved) return;
      const f = resolved.fields;
      const described = f.description ?? resource.description;
      const common = {
        name: f.name ?? `${op.method.toLowerCase()}-${resource.name ?? resource.path}`,
        at,
        method: op.method,
        path: resource.path,
        pathParts: parsePath(resource.path).parts,
        ...(described ? { description: described } : {}),
        ...(op.tags?.length ? { tags: op.tags } : {}),
        ...binaryResponseOf(op),
      };
      if (f.call === undefined) {
        const handler = buildOtherHandler(resolved, ctx, notes);
        if (!handler) return;
        const inputs = declaredInputs('rest', [...(resource.inputParameters ?? []), ...(f.inputParameters ?? [])], resource.path);
        operations.push({ ...common, inputs, handler, output: { parameters: transformOutputs(f.outputParameters, resolved.outputsAt ?? [...at, 'outputParameters'], notes) } });
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
      // Unused or misspelt inputs are reported where they are written: in the operation, not in a referenced function.
      if (String(resolved.handlerAt) === String(at)) {
        const declared = [
          ...(resource.inputParameters ?? []).map((input, i) => ({ input, at: [...resourceAt, 'inputParameters', i] })),
          ...(op.inputParameters ?? []).map((input, i) => ({ input, at: [...at, 'inputParameters', i] })),
        ];
        inputUsageNotes(bound, declared, at, op.with, notes);
      }
      operations.push({
        ...common,
        inputs: bound.inputs,
        call: bound.call,
        handler: { kind: 'call', call: bound.call },
        output: { parameters: transformOutputs(f.outputParameters, resolved.outputsAt ?? [...at, 'outputParameters'], notes) },
      });
    });
  });
  const auth = transformInboundAuth(raw.authentication, base, 'REST', secrets, notes);
  return {
    namespace: raw.namespace,
    port: raw.port,
    ...(raw.address ? { address: raw.address } : {}),
    ...(raw.description ? { description: raw.description } : {}),
    ...(auth ? { auth } : {}),
    operations,
    ...(forwards.length ? { forwards } : {}),
  };
}

export function transformMcp(raw: RawExposesMcp, base: (string | number)[], apis: readonly ConsumedApi[], secrets: SecretScope, notes: Note[], ctx: HandlerContext): McpAdapter {
  const tools: McpTool[] = [];
  const resolvedTools = raw.tools.map((tool: RawMcpTool, ti) => resolveRef(tool, [...base, 'tools', ti], 'mcp', raw.namespace, ctx, notes));
  const wire = wireToolNames(resolvedTools.map((r, ti) => r?.fields.name ?? raw.tools[ti]!.name ?? ''));
  raw.tools.forEach((tool: RawMcpTool, ti) => {
    const at = [...base, 'tools', ti];
    const resolved = resolvedTools[ti];
    if (!resolved) return;
    const f = resolved.fields;
    const common = {
      name: wire[ti]!,
      declaredName: f.name ?? '',
      at,
      ...(tool.label ? { title: tool.label } : {}),
      description: f.description ?? '',
      hints: resolved.hints,
      ...(tool.tags?.length ? { tags: tool.tags } : {}),
      output: { parameters: transformOutputs(f.outputParameters, resolved.outputsAt ?? [...at, 'outputParameters'], notes) },
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
    if (String(resolved.handlerAt) === String(at)) {
      const declared = (tool.inputParameters ?? []).map((input, i) => ({ input, at: [...at, 'inputParameters', i] }));
      inputUsageNotes(bound, declared, at, tool.with, notes);
    }
    tools.push({ ...common, inputs: bound.inputs, call: bound.call, handler: { kind: 'call', call: bound.call } });
  });
  const staticResources: McpStaticResourceModel[] = [];
  const resources = transformResources(raw.resources, base, raw.namespace, apis, secrets, ctx, notes, staticResources);
  const prompts = transformPrompts(raw.prompts, base, notes, ctx);
  const auth = transformInboundAuth(raw.authentication, base, 'MCP', secrets, notes);
  if (raw.authentication && raw.transport === 'stdio') {
    notes.push({
      rule: 'mcp-auth-stdio-conflict',
      severity: 'warning',
      path: [...base, 'authentication'],
      atKey: true,
      message: 'On `transport: stdio` no request carries credentials: whoever starts the process is the client, so `authentication` is not checked.',
      hint: 'Remove `authentication`, or use `transport: http` (the default) to have callers checked.',
    });
  }
  return {
    namespace: raw.namespace,
    transport: raw.transport ?? 'http',
    ...(raw.port !== undefined ? { port: raw.port } : {}),
    ...(raw.address ? { address: raw.address } : {}),
    ...(raw.description ? { description: raw.description } : {}),
    ...(auth && raw.transport !== 'stdio' ? { auth } : {}),
    tools,
    ...(resources.length ? { resources } : {}),
    ...(staticResources.length ? { staticResources } : {}),
    ...(prompts.length ? { prompts } : {}),
    ...(raw.cacheScope !== undefined || raw.ttlMs !== undefined
      ? { cacheHint: { ...(raw.cacheScope !== undefined ? { cacheScope: raw.cacheScope } : {}), ...(raw.ttlMs !== undefined ? { ttlMs: raw.ttlMs } : {}) } }
      : {}),
  };
}

/** The binary answer an exposed REST operation declares: `responseBinary`, or the first 2xx `responses` entry with binary content. */
function binaryResponseOf(op: RawExposedOperation): { binaryResponse?: { mediaType: string; status?: number } } {
  if (op.responseBinary && typeof op.responseBinary.mediaType === 'string') {
    const { mediaType, status } = op.responseBinary;
    return { binaryResponse: { mediaType, ...(typeof status === 'number' ? { status } : {}) } };
  }
  for (const [code, response] of Object.entries(op.responses ?? {})) {
    if (!/^2\d\d$/.test(code)) continue;
    const binary = Object.entries(response?.content ?? {}).find(([, c]) => c?.binary === true);
    if (binary) return { binaryResponse: { mediaType: binary[0], status: Number(code) } };
  }
  return {};
}
