/**
 * The size cap of binary answers (`outputRawFormat: binary`, ikanos beta1 and later). A consumed operation's
 * own `maxBinarySize` wins; without one, the cap is that of the REST or MCP adapter calling it (its
 * `maxBinarySize`, 10MiB when it declares none), as in the engine. The generated server has one client per
 * consumed API, shared by its adapters: when adapters with different caps call the same operation, the
 * smallest applies to all of them, and a finding says so.
 */
import type { Note } from '../validate/finding.js';
import { allExposes, type RawDocument } from './raw.js';
import type { ExposedHandler } from './handler-types.js';
import type { CapabilityModel, ConsumedOperation } from './types.js';

/** The engine's cap when neither the operation nor its adapter declares one. */
export const DEFAULT_MAX_BINARY_BYTES = 10 * 1024 ** 2;

const SIZE_UNITS: Readonly<Record<string, number>> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** `512KiB`, `5MiB`, `1GiB` in bytes; undefined for anything else. */
export function binarySizeBytes(size: unknown): number | undefined {
  const m = typeof size === 'string' ? /^(\d+(?:\.\d+)?)(B|KiB|MiB|GiB)$/.exec(size) : null;
  return m ? Math.floor(Number(m[1]) * SIZE_UNITS[m[2]!]!) : undefined;
}

/** The consumed operations a handler calls: its `call`, or each step that calls one. */
function calledOperations(handler: ExposedHandler): ConsumedOperation[] {
  if (handler.kind === 'call') return [handler.call.operation];
  if (handler.kind === 'steps') return handler.steps.flatMap((s) => (s.kind === 'call' ? [s.operation] : []));
  return [];
}

interface Caller {
  namespace: string;
  bytes: number;
  /** Where the adapter declares its cap, when it does. */
  at?: (string | number)[];
  declared?: string;
}

/** Sets the cap of every binary operation that has none of its own, from the adapters that call it. */
export function applyAdapterBinaryCaps(doc: RawDocument, model: CapabilityModel, notes: Note[]): void {
  const callers = new Map<ConsumedOperation, Caller[]>();
  const byKey = new Map(model.consumes.flatMap((api) => api.operations.map((op) => [`${op.namespace}\u0000${op.name}`, op] as const)));
  const adapters = [
    ...model.rest.map((a) => ({ type: 'rest', namespace: a.namespace, handlers: a.operations.map((o) => o.handler) })),
    ...model.mcp.map((a) => ({ type: 'mcp', namespace: a.namespace, handlers: [...a.tools, ...(a.resources ?? [])].map((t) => t.handler) })),
  ];
  for (const adapter of adapters) {
    const raw = allExposes(doc).find(({ entry }) => entry.type === adapter.type && entry.namespace === adapter.namespace);
    const declared = (raw?.entry as { maxBinarySize?: unknown } | undefined)?.maxBinarySize;
    const bytes = binarySizeBytes(declared);
    const caller: Caller = bytes === undefined ? { namespace: adapter.namespace, bytes: DEFAULT_MAX_BINARY_BYTES } : { namespace: adapter.namespace, bytes, at: [...raw!.path, 'maxBinarySize'], declared: String(declared) };
    for (const handler of adapter.handlers) {
      for (const called of calledOperations(handler)) {
        const op = byKey.get(`${called.namespace}\u0000${called.name}`) ?? called;
        if (!op.binary || op.binary.maxBytes !== undefined) continue;
        const list = callers.get(op) ?? [];
        if (!list.some((c) => c.namespace === caller.namespace)) list.push(caller);
        callers.set(op, list);
      }
    }
  }
  for (const [op, list] of callers) {
    const smallest = list.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    op.binary = { ...op.binary, maxBytes: smallest.bytes };
    const larger = list.filter((c) => c.bytes > smallest.bytes);
    if (larger.length === 0) continue;
    const named = (c: Caller): string => `\`${c.namespace}\` (${c.declared ?? '10MiB by default'})`;
    notes.push({
      rule: 'binary-size-shared',
      severity: 'warning',
      path: (larger.find((c) => c.at) ?? smallest).at ?? [],
      atKey: true,
      message: `The binary answers of \`${op.namespace}.${op.name}\` are capped at ${smallest.declared ?? '10MiB'} for every adapter: ${[smallest, ...larger].map(named).join(' and ')} call it through one client, so the smallest cap applies.`,
      hint: `Give \`${op.name}\` its own \`maxBinarySize\`, which wins over the adapters' caps.`,
    });
  }
}
