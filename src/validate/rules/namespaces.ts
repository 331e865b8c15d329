import { allBinds, allConsumes, allExposes } from '../../model/raw.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

/** Namespaces name consumed APIs, adapters and bindings alike; `call: ns.op` and `{{ns.KEY}}` need them unique. */
export const namespacesUnique: CrossCheck = {
  rules: ['namespace-duplicate'],
  check(doc) {
    const out: Note[] = [];
    const seen = new Map<string, string>();
    const entries = [
      ...allConsumes(doc).map((e) => ({ ns: e.entry.namespace, path: e.path, what: 'a consumed API' })),
      ...allExposes(doc).map((e) => ({ ns: e.entry.namespace, path: e.path, what: `the ${e.entry.type} adapter` })),
      ...allBinds(doc).map((e) => ({ ns: e.entry.namespace, path: e.path, what: 'a binding' })),
    ];
    for (const { ns, path, what } of entries) {
      if (typeof ns !== 'string') continue;
      const first = seen.get(ns);
      if (first) {
        out.push({
          rule: 'namespace-duplicate',
          severity: 'error',
          path: [...path, 'namespace'],
          message: `The namespace \`${ns}\` of ${what} is already used by ${first}; namespaces must be unique across consumes, exposes and binds.`,
          hint: `Rename one of them, e.g. \`${ns}-2\`, and update the \`call:\` values that refer to it.`,
        });
      } else seen.set(ns, what);
    }
    return out;
  },
};
