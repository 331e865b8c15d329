import { allConsumes } from '../../model/raw.js';
import { camelCase } from '../../names/identifiers.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

/**
 * Names become identifiers in generated code (`list-items` → `listItems`). Two names that give the same
 * identifier still get distinct ones (a numeric suffix), but the author should know which is which.
 */
export const identifiersDistinct: CrossCheck = {
  rules: ['identifier-collision'],
  check(doc) {
    const out: Note[] = [];
    const report = (names: Array<{ name: string; path: (string | number)[] }>, what: string): void => {
      const seen = new Map<string, string>();
      for (const { name, path } of names) {
        const id = camelCase(name);
        const first = seen.get(id);
        if (first !== undefined && first !== name) {
          out.push({
            rule: 'identifier-collision',
            severity: 'warning',
            path,
            message: `The ${what} \`${name}\` and \`${first}\` both become the identifier \`${id}\` in generated code; the second gets a numeric suffix.`,
            hint: 'Rename one of them so that the generated names are easy to tell apart.',
          });
        } else if (first === undefined) seen.set(id, name);
      }
    };
    const consumes = allConsumes(doc);
    report(
      consumes.filter((c) => typeof c.entry.namespace === 'string').map((c) => ({ name: c.entry.namespace!, path: [...c.path, 'namespace'] })),
      'namespaces',
    );
    for (const { entry, path } of consumes) {
      report(
        (entry.resources ?? []).flatMap((r, ri) => r.operations.map((o, oi) => ({ name: o.name, path: [...path, 'resources', ri, 'operations', oi, 'name'] }))),
        'operations',
      );
    }
    return out;
  },
};
