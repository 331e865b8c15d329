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
  const walk = (value: unknown, path: PathSegment[]): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(ENV_TEMPLATE)) {
        const variable = m[1]!;
        if (bound.has(variable) || seen.has(variable)) continue;
        seen.add(variable);
        uses.push({ variable, path });
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) if (!NOT_TEMPLATES.has(k) && k !== 'binds') walk(v, [...path, k]);
    }
  };
  walk(doc.consumes, ['consumes']);
  walk(doc.capability, ['capability']);
  if (uses.length === 0) return uses;
  const keys = Object.fromEntries(uses.map((u) => [u.variable, u.variable]));
  const env = allBinds(doc).find(({ entry }) => entry.namespace === 'env' && !entry.location);
  if (env) env.entry.keys = { ...env.entry.keys, ...keys };
  else doc.binds = [...(doc.binds ?? []), { namespace: 'env', keys }];
  return uses;
}
