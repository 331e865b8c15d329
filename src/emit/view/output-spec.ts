/** Output parameters as the runtime's OutputSpec literal, with JSONPath compiled to steps. */
import type { RawOutputParameter } from '../../model/raw.js';
import type { OutputSpec } from '../../model/types.js';
import { tsLiteral } from '../../names/escape.js';
import { compileJsonPath, type PathStep } from '../../model/jsonpath.js';

interface RuntimeSpec {
  type: RawOutputParameter['type'];
  mapping?: PathStep[];
  value?: string;
  maxLength?: number;
  properties?: Record<string, RuntimeSpec>;
  items?: RuntimeSpec;
  values?: RuntimeSpec;
}

/** A mapping that cannot be compiled maps to a path that never matches, so the result falls back like a null. */
const NEVER: PathStep[] = ['\u0000unsupported-jsonpath'];

function toRuntime(p: RawOutputParameter): RuntimeSpec {
  const out: RuntimeSpec = { type: p.type };
  if (p.mapping !== undefined) out.mapping = compileJsonPath(p.mapping) ?? NEVER;
  if (p.value !== undefined) out.value = p.value;
  if (typeof p.maxLength === 'number') out.maxLength = p.maxLength;
  if (p.properties && typeof p.properties === 'object' && !Array.isArray(p.properties)) {
    out.properties = Object.fromEntries(Object.entries(p.properties).map(([k, v]) => [k, toRuntime(v)]));
  }
  if (p.items && !Array.isArray(p.items)) out.items = toRuntime(p.items);
  if (p.values) out.values = toRuntime(p.values);
  return out;
}

export function outputSpecLiteral(output: OutputSpec): string {
  return tsLiteral(output.parameters.map(toRuntime));
}
