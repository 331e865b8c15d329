/** Output parameters as the runtime's OutputSpec literal: the model compiled each JSONPath already. */
import type { ExposedOutput } from '../../model/types.js';
import type { OutputParameter } from '../../model/transform-output.js';
import { tsLiteral } from '../../names/escape.js';
import type { PathStep } from '../../model/jsonpath.js';
import type { OutputSpec as RuntimeOutputSpec } from '../../../templates/runtime/shapes.js';

/** A mapping that cannot be compiled maps to a path that never matches, so the result falls back like a null. */
const NEVER: PathStep[] = ['\u0000unsupported-jsonpath'];

/** The runtime's descriptor of one output parameter (keys in this order, so the printed literal is stable). */
function toRuntime(p: OutputParameter): RuntimeOutputSpec {
  const properties = p.properties;
  return {
    type: p.type,
    ...(p.mapping !== undefined ? { mapping: p.mapping.steps ?? NEVER } : {}),
    ...(p.value !== undefined ? { value: p.value } : {}),
    ...(p.maxLength !== undefined ? { maxLength: p.maxLength } : {}),
    ...(properties ? { properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toRuntime(v)])) } : {}),
    ...(p.items ? { items: toRuntime(p.items) } : {}),
    ...(p.values ? { values: toRuntime(p.values) } : {}),
  } satisfies RuntimeOutputSpec;
}

export function outputSpecLiteral(output: ExposedOutput): string {
  return tsLiteral(output.parameters.map(toRuntime));
}
