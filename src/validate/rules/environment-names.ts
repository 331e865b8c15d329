import { allConsumes, allExposes } from '../../model/raw.js';
import { envVarName } from '../../names/identifiers.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

/**
 * Generated servers read `<NAMESPACE>_PORT`, `<NAMESPACE>_BASE_URI`... with the namespace upper-cased and
 * every other character turned into `_`. Two namespaces that differ only there (`a-b`, `a_b`, `A.B`)
 * would be configured by the same variables.
 */
export const environmentNames: CrossCheck = {
  rules: ['environment-name-collision'],
  check(doc) {
    const out: Note[] = [];
    const seen = new Map<string, string>();
    const entries = [...allConsumes(doc), ...allExposes(doc)];
    for (const { entry, path } of entries) {
      const ns = entry.namespace;
      if (typeof ns !== 'string') continue;
      const env = envVarName(ns);
      const first = seen.get(env);
      if (first !== undefined && first !== ns) {
        out.push({
          rule: 'environment-name-collision',
          severity: 'error',
          path: [...path, 'namespace'],
          message: `The namespaces \`${first}\` and \`${ns}\` would both be configured by the environment variables \`${env}_*\`.`,
          hint: 'Rename one of them so that they differ in letters or digits.',
        });
      } else if (first === undefined) seen.set(env, ns);
    }
    return out;
  },
};
