/**
 * `{{env.X}}` where no `binds` entry declares X (converted files that name the variable and forget the
 * binding): read X from the environment, like a bound secret, so that the server refuses to start
 * without it. The document is given the binding it lacks; each variable is reported once, where it is
 * first used, as a relaxation.
 */
import type { PathSegment } from '../../load/json-pointer.js';
import { allBinds, type RawDocument } from '../raw.js';

export interface UnboundEnvUse {
  variable: string;
  path: PathSegment[];
}

const ENV_TEMPLATE = /\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** Prose, not templates. */
const NOT_TEMPLATES = new Set(['description', 'label', 'display']);

export function bindUnboundEnv(doc: RawDocument): UnboundEnvUse[] {
  const bound = new Set(allBinds(doc).flatMap(({ entry }) => Object.keys(entry.keys ?? {})));
  const uses: UnboundEnvUse[] = [];
  const seen = new Set<string>();
  // One path, extended and shortened as the walk goes: copied only for a use (a copy per node was most of the walk's cost).
  const path: PathSegment[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      // Every template has `{{`: most strings are passed over without starting a search.
      if (!value.includes('{{')) return;
      for (const m of value.matchAll(ENV_TEMPLATE)) {
        const variable = m[1]!;
        if (bound.has(variable) || seen.has(variable)) continue;
        seen.add(variable);
        uses.push({ variable, path: [...path] });
      }
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i]);
        path.pop();
      }
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (NOT_TEMPLATES.has(k) || k === 'binds') continue;
        path.push(k);
        walk(v);
        path.pop();
      }
    }
  };
  path.push('consumes');
  walk(doc.consumes);
  path[0] = 'capability';
  walk(doc.capability);
  if (uses.length === 0) return uses;
  const keys = Object.fromEntries(uses.map((u) => [u.variable, u.variable]));
  const env = allBinds(doc).find(({ entry }) => entry.namespace === 'env' && !entry.location);
  if (env) env.entry.keys = { ...env.entry.keys, ...keys };
  else doc.binds = [...(doc.binds ?? []), { namespace: 'env', keys }];
  return uses;
}
