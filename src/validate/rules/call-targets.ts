import { allConsumes, exposedItems } from '../../model/raw.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';
import { closest } from './suggest.js';

/** Every `call: <namespace>.<operation>` must name a consumed API and one of its operations, unambiguously. */
export const callTargets: CrossCheck = {
  rules: ['call-target-missing', 'operation-duplicate'],
  check(doc) {
    const out: Note[] = [];
    const operations = new Map<string, Map<string, (string | number)[][]>>();
    for (const { entry, path } of allConsumes(doc)) {
      if (typeof entry.namespace !== 'string') continue;
      const ops = operations.get(entry.namespace) ?? new Map<string, (string | number)[][]>();
      operations.set(entry.namespace, ops);
      (entry.resources ?? []).forEach((r, ri) =>
        r.operations.forEach((o, oi) => ops.set(o.name, [...(ops.get(o.name) ?? []), [...path, 'resources', ri, 'operations', oi, 'name']])),
      );
    }
    // Every occurrence is reported: the author must see all of them to choose which to rename.
    for (const [ns, ops] of operations) {
      for (const [name, places] of ops) {
        if (places.length < 2) continue;
        for (const [k, place] of places.entries()) {
          out.push({
            rule: 'operation-duplicate',
            severity: 'error',
            path: place,
            message: `The consumed API \`${ns}\` has ${places.length} operations named \`${name}\` (this is #${k + 1}), so \`call: ${ns}.${name}\` would be ambiguous.`,
            hint: 'Give each consumed operation a distinct name.',
          });
        }
      }
    }

    const checkCall = (call: string | undefined, path: (string | number)[]): void => {
      if (typeof call !== 'string') return;
      const dot = call.indexOf('.');
      const ns = call.slice(0, dot);
      const op = call.slice(dot + 1);
      const ops = operations.get(ns);
      if (!ops) {
        const known = [...operations.keys()];
        const guess = closest(ns, known);
        out.push({
          rule: 'call-target-missing',
          severity: 'error',
          path,
          message: `\`call: ${call}\` refers to the namespace \`${ns}\`, but no consumed API has that namespace.`,
          hint: guess ? `Did you mean \`${guess}.${op}\`?` : known.length ? `Consumed namespaces: ${known.join(', ')}.` : 'Declare the API under `capability.consumes`.',
        });
      } else if (!ops.has(op)) {
        const guess = closest(op, [...ops.keys()]);
        out.push({
          rule: 'call-target-missing',
          severity: 'error',
          path,
          message: `\`call: ${call}\` refers to the operation \`${op}\`, which the consumed API \`${ns}\` does not declare.`,
          hint: guess ? `Did you mean \`${ns}.${guess}\`?` : `Operations of \`${ns}\`: ${[...ops.keys()].slice(0, 12).join(', ')}.`,
        });
      }
    };
    for (const { item, path } of exposedItems(doc)) checkCall(item.call, [...path, 'call']);
    // Aggregate functions that `call` directly are checked like tools.
    ((doc.capability?.aggregates ?? []) as Array<{ functions?: Array<{ call?: string }> }>).forEach((agg, ai) =>
      (agg.functions ?? []).forEach((fn, fi) => checkCall(fn.call, ['capability', 'aggregates', ai, 'functions', fi, 'call'])),
    );
    return out;
  },
};
