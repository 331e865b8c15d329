import { exposedItems } from '../../model/raw.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';
import { closest } from './suggest.js';

/** The aggregates as the schema gives them: only what this check reads. */
type RawAggregates = Array<{ namespace?: unknown; functions?: Array<{ name?: unknown }> }>;

/**
 * Every `ref: <aggregate>.<function>` must name a declared function, and a function name must be
 * unique in its aggregate: the engine refuses to start otherwise.
 */
export const refTargets: CrossCheck = {
  rules: ['ref-target-missing', 'function-duplicate'],
  check(doc) {
    const out: Note[] = [];
    const functions = new Set<string>();
    ((doc.capability?.aggregates ?? []) as RawAggregates).forEach((agg, ai) =>
      (agg.functions ?? []).forEach((fn, fi) => {
        if (typeof agg.namespace !== 'string' || typeof fn.name !== 'string') return;
        const ref = `${agg.namespace}.${fn.name}`;
        if (functions.has(ref)) {
          out.push({
            rule: 'function-duplicate',
            severity: 'error',
            path: ['capability', 'aggregates', ai, 'functions', fi, 'name'],
            message: `The aggregate \`${agg.namespace}\` already has a function named \`${fn.name}\`, so \`ref: ${ref}\` would be ambiguous.`,
            hint: 'Give each function of an aggregate a distinct name.',
          });
        }
        functions.add(ref);
      }),
    );
    const checkRef = (ref: string | undefined, path: (string | number)[]): void => {
      if (typeof ref !== 'string' || functions.has(ref)) return;
      const guess = closest(ref, [...functions]);
      out.push({
        rule: 'ref-target-missing',
        severity: 'error',
        path,
        message: `\`ref: ${ref}\` names no aggregate function; the engine refuses to start with it.`,
        hint: guess ? `Did you mean \`${guess}\`?` : functions.size ? `Functions: ${[...functions].slice(0, 12).join(', ')}.` : 'Declare the function under `capability.aggregates[].functions`.',
      });
    };
    for (const { item, path } of exposedItems(doc)) checkRef(item.ref, [...path, 'ref']);
    return out;
  },
};
