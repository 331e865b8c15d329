/**
 * Output mappings: the exposed `outputParameters` are tried in order and the first
 * non-null result is the whole response; when none gives a value, the raw upstream body is returned.
 * JSONPath expressions were compiled by naftiko-gen into lists of steps.
 */

import type { OutputSpec, PathStep } from './shapes.js';

export type { OutputSpec, PathStep };

export function select(root: unknown, steps: readonly PathStep[]): unknown {
  let current: unknown[] = [root];
  let multiple = false;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      if (typeof step === 'object') {
        multiple = true;
        if (Array.isArray(node)) next.push(...node);
        else if (node !== null && typeof node === 'object') next.push(...Object.values(node));
      } else if (typeof step === 'number') {
        if (Array.isArray(node)) {
          const v = node[step < 0 ? node.length + step : step];
          if (v !== undefined) next.push(v);
        }
      } else if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, step)) {
        next.push((node as Record<string, unknown>)[step]);
      }
    }
    current = next;
  }
  if (multiple) return current;
  return current.length > 0 ? current[0] : null;
}

function build(spec: OutputSpec, root: unknown, relativeTo: unknown): unknown {
  switch (spec.type) {
    case 'object': {
      if (spec.values && spec.mapping) {
        const source = select(relativeTo, spec.mapping);
        if (source === null || typeof source !== 'object' || Array.isArray(source)) return null;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(source)) out[k] = build(spec.values, v, v);
        return out;
      }
      if (spec.properties) {
        const out: Record<string, unknown> = {};
        for (const [k, p] of Object.entries(spec.properties)) out[k] = build(p, root, relativeTo) ?? null;
        return out;
      }
      // An object output with a mapping and no properties is the whole mapped value.
      if (spec.mapping) return select(relativeTo, spec.mapping);
      return {};
    }
    case 'array': {
      const source = spec.mapping ? select(relativeTo, spec.mapping) : relativeTo;
      if (!Array.isArray(source)) return null;
      const items = spec.items;
      if (!items) return source;
      return source.map((element) => (items.properties || items.mapping ? build(items, element, element) : element));
    }
    default: {
      // `const` describes the expected value for validation and linting; it never replaces the mapping.
      if (spec.value !== undefined) return spec.value;
      const v = spec.mapping ? select(relativeTo, spec.mapping) : null;
      if (typeof v === 'string' && spec.maxLength !== undefined) return v.slice(0, spec.maxLength);
      return v;
    }
  }
}

/** The mapped result, or `undefined` when no mapping gives a value (the caller then returns the raw body). */
export function mapOutput(specs: readonly OutputSpec[], body: unknown): unknown {
  for (const spec of specs) {
    const result = build(spec, body, body);
    if (result !== null && result !== undefined) return result;
  }
  return undefined;
}

/**
 * True when the outputs return the upstream value as it is (one object output mapping `$`): a JSON
 * body can then be passed on byte for byte instead of being parsed and serialised again.
 */
export function isIdentity(specs: readonly OutputSpec[]): boolean {
  const only = specs.length === 1 ? specs[0]! : undefined;
  return only !== undefined && only.type === 'object' && only.mapping !== undefined && only.mapping.length === 0 && !only.properties && !only.values;
}

/** Parses an upstream body for mapping: JSON when it is JSON, otherwise undefined. */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  const json = contentType === undefined || /json/i.test(contentType);
  if (!json) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
