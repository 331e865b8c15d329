/**
 * Output parameters of an exposed operation, tool or resource: each `mapping` JSONPath is compiled
 * here, once, and kept with its source text. The emitter prints the compiled steps; a mapping outside
 * the supported subset gets its note here, where it is compiled.
 */
import type { Note } from '../validate/finding.js';
import { compileJsonPath, type PathStep } from './jsonpath.js';
import type { RawOutputParameter } from './raw.js';

type Path = (string | number)[];

/** A `mapping`: as written, and its steps (undefined when it is outside the supported subset). */
export interface OutputMapping {
  source: string;
  steps?: PathStep[];
}

/** One output parameter, its mapping compiled; nested parameters likewise. */
export interface OutputParameter {
  name?: string;
  type: RawOutputParameter['type'];
  mapping?: OutputMapping;
  /** A fixed value (mock answers). */
  value?: string;
  maxLength?: number;
  properties?: Record<string, OutputParameter>;
  items?: OutputParameter;
  values?: OutputParameter;
}

/**
 * Compiles outputs written at `at` (the `outputParameters` list). A mapping that cannot be compiled
 * is noted there: it would map to nothing, and the next output, or the raw body, would answer.
 */
export function transformOutputs(raws: readonly RawOutputParameter[] | undefined, at: Path, notes: Note[]): OutputParameter[] {
  return (raws ?? []).map((p, i) => transformOutput(p, [...at, i], notes));
}

function transformOutput(p: RawOutputParameter, at: Path, notes: Note[]): OutputParameter {
  const properties = p.properties && typeof p.properties === 'object' && !Array.isArray(p.properties) ? p.properties : undefined;
  return {
    ...(typeof p.name === 'string' ? { name: p.name } : {}),
    type: p.type,
    ...(typeof p.mapping === 'string' ? { mapping: compileMapping(p.mapping, [...at, 'mapping'], notes) } : {}),
    ...(p.value !== undefined ? { value: p.value } : {}),
    ...(typeof p.maxLength === 'number' ? { maxLength: p.maxLength } : {}),
    ...(properties ? { properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, transformOutput(v, [...at, 'properties', k], notes)])) } : {}),
    ...(p.items && typeof p.items === 'object' && !Array.isArray(p.items) ? { items: transformOutput(p.items, [...at, 'items'], notes) } : {}),
    ...(p.values && typeof p.values === 'object' ? { values: transformOutput(p.values, [...at, 'values'], notes) } : {}),
  };
}

function compileMapping(source: string, at: Path, notes: Note[]): OutputMapping {
  const steps = compileJsonPath(source);
  if (steps) return { source, steps };
  notes.push({
    rule: 'jsonpath-unsupported',
    severity: 'warning',
    path: at,
    message: `The JSONPath \`${source}\` is not supported (filters and deep scans are not); this output maps to nothing and the next one, or the raw body, is returned.`,
    hint: "Use $, .name, ['name'], [0] and [*] steps, e.g. `$.items[*].id`.",
  });
  return { source };
}
