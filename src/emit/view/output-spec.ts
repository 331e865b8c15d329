/** Output parameters as the runtime's ExposedOutput literal, with JSONPath compiled to steps. */
import type { RawOutputParameter } from '../../model/raw.js';
import type { ExposedOutput } from '../../model/types.js';
import { tsLiteral } from '../../names/escape.js';
import { compileJsonPath, type PathStep } from '../../model/jsonpath.js';
import type { OutputSpec as RuntimeOutputSpec } from '../../../templates/runtime/shapes.js';

/** A mapping that cannot be compiled maps to a path that never matches, so the result falls back like a null. */
const NEVER: PathStep[] = ['\u0000unsupported-jsonpath'];

/** The runtime's descriptor of one output parameter (keys in this order, so the printed literal is stable). */
function toRuntime(p: RawOutputParameter): RuntimeOutputSpec {
  const properties = p.properties && typeof p.properties === 'object' && !Array.isArray(p.properties) ? p.properties : undefined;
  return {
    type: p.type,
    ...(p.mapping !== undefined ? { mapping: compileJsonPath(p.mapping) ?? NEVER } : {}),
    ...(p.value !== undefined ? { value: p.value } : {}),
    ...(typeof p.maxLength === 'number' ? { maxLength: p.maxLength } : {}),
    ...(properties ? { properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toRuntime(v)])) } : {}),
    ...(p.items && !Array.isArray(p.items) ? { items: toRuntime(p.items) } : {}),
    ...(p.values ? { values: toRuntime(p.values) } : {}),
  } satisfies RuntimeOutputSpec;
}

export function outputSpecLiteral(output: ExposedOutput): string {
  return tsLiteral(output.parameters.map(toRuntime));
}
