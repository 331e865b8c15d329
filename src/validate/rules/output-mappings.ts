import type { RawExposesMcp, RawExposesRest, RawOutputParameter } from '../../model/raw.js';
import { allExposes } from '../../model/raw.js';
import { compileJsonPath } from '../../model/jsonpath.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

/**
 * Output mappings use a subset of JSONPath (`$`, `.name`, `['name']`, `[0]`, `[*]`); a mapping outside
 * it would silently map to nothing, so it is reported where it is written.
 */
export const outputMappings: CrossCheck = {
  rules: ['jsonpath-unsupported'],
  check(doc) {
    const out: Note[] = [];
    const visit = (p: RawOutputParameter | undefined, at: (string | number)[]): void => {
      if (!p || typeof p !== 'object') return;
      if (typeof p.mapping === 'string' && compileJsonPath(p.mapping) === undefined) {
        out.push({
          rule: 'jsonpath-unsupported',
          severity: 'warning',
          path: [...at, 'mapping'],
          message: `The JSONPath \`${p.mapping}\` is not supported (filters and deep scans are not); this output maps to nothing and the next one, or the raw body, is returned.`,
          hint: "Use $, .name, ['name'], [0] and [*] steps, e.g. `$.items[*].id`.",
        });
      }
      if (p.properties && typeof p.properties === 'object') for (const [k, v] of Object.entries(p.properties)) visit(v, [...at, 'properties', k]);
      if (p.items && !Array.isArray(p.items)) visit(p.items, [...at, 'items']);
      if (p.values) visit(p.values, [...at, 'values']);
    };
    for (const { entry, path } of allExposes(doc)) {
      if (entry.type === 'rest') {
        ((entry as RawExposesRest).resources ?? []).forEach((r, ri) =>
          (r.operations ?? []).forEach((o, oi) => (o.outputParameters ?? []).forEach((p, pi) => visit(p, [...path, 'resources', ri, 'operations', oi, 'outputParameters', pi]))),
        );
      } else if (entry.type === 'mcp') {
        (entry as RawExposesMcp).tools.forEach((t, ti) => (t.outputParameters ?? []).forEach((p, pi) => visit(p, [...path, 'tools', ti, 'outputParameters', pi])));
      }
    }
    return out;
  },
};
