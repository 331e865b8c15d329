/** Transforms of exposed REST operations and MCP tools that `call` a consumed operation. */
import { bindExposedCall, type BoundCall, type LooseMatch, type SecretScope } from './bind-call.js';
import type { ModelNote } from './notes.js';
import type { RawExposedOperation, RawExposesMcp, RawExposesRest, RawMcpTool } from './raw.js';
import { parsePath } from './template.js';
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

export function transformRest(raw: RawExposesRest, base: (string | number)[], apis: readonly ConsumedApi[], secrets: SecretScope, notes: ModelNote[]): RestAdapter {
  const operations: RestOperation[] = [];
  (raw.resources ?? []).forEach((resource, ri) => {
    const resourceAt = [...base, 'resources', ri];
    if (resource.forward && !resource.operations) unsupported('A `forward` resource', [...resourceAt, 'forward'], notes);
    (resource.operations ?? []).forEach((op: RawExposedOperation, oi) => {
      const at = [...resourceAt, 'operations', oi];
      const target = findCallTarget(apis, op.call);
      if (!target) {
        if (!op.call) unsupported('An operation without `call`', at, notes);
        return;
      }
      const bound = bindExposedCall(
        {
          kind: 'rest',
          adapterNamespace: raw.namespace,
          exposedPath: resource.path,
          declaredInputs: [...(resource.inputParameters ?? []), ...(op.inputParameters ?? [])],
          with: op.with,
        },
        target,
        secrets,
      );
      bindingNotes(bound, at, notes);
      operations.push({
        name: op.name ?? `${op.method.toLowerCase()}-${resource.name ?? resource.path}`,
        method: op.method,
        path: resource.path,
        pathParts: parsePath(resource.path).parts,
        ...((op.description ?? resource.description) ? { description: op.description ?? resource.description } : {}),
        ...(op.tags?.length ? { tags: op.tags } : {}),
        inputs: bound.inputs,
        call: bound.call,
        output: { parameters: op.outputParameters ?? [] },
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

export function transformMcp(raw: RawExposesMcp, base: (string | number)[], apis: readonly ConsumedApi[], secrets: SecretScope, notes: ModelNote[]): McpAdapter {
  const tools: McpTool[] = [];
  const wire = wireToolNames(raw.tools.map((t) => t.name));
  raw.tools.forEach((tool: RawMcpTool, ti) => {
    const at = [...base, 'tools', ti];
    const target = findCallTarget(apis, tool.call);
    if (!target) {
      if (!tool.call) unsupported('A tool without `call`', at, notes);
      return;
    }
    const bound = bindExposedCall(
      { kind: 'mcp', adapterNamespace: raw.namespace, declaredInputs: tool.inputParameters ?? [], with: tool.with },
      target,
      secrets,
    );
    bindingNotes(bound, at, notes);
    tools.push({
      name: wire[ti]!,
      declaredName: tool.name,
      ...(tool.label ? { title: tool.label } : {}),
      description: tool.description,
      ...(tool.tags?.length ? { tags: tool.tags } : {}),
      hints: { ...tool.hints },
      inputs: bound.inputs,
      call: bound.call,
      output: { parameters: tool.outputParameters ?? [] },
    });
  });
  return {
    namespace: raw.namespace,
    transport: raw.transport ?? 'http',
    ...(raw.port !== undefined ? { port: raw.port } : {}),
    ...(raw.address ? { address: raw.address } : {}),
    ...(raw.description ? { description: raw.description } : {}),
    tools,
    ...(raw.cacheScope !== undefined || raw.ttlMs !== undefined
      ? { cacheHint: { ...(raw.cacheScope !== undefined ? { cacheScope: raw.cacheScope } : {}), ...(raw.ttlMs !== undefined ? { ttlMs: raw.ttlMs } : {}) } }
      : {}),
  };
}
