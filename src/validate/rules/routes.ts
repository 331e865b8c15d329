import { restAdapters } from '../../model/raw.js';
import { routeShape } from '../../model/template.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

/** One method on one REST path is served by one operation: no two routes may silently fight for a request. */
export const routesDistinct: CrossCheck = {
  rules: ['route-duplicate'],
  check(doc) {
    const out: Note[] = [];
    for (const { entry, path } of restAdapters(doc)) {
      const seen = new Map<string, { path: string; index: number }>();
      (entry.resources ?? []).forEach((resource, ri) => {
        // Placeholder names do not take part in matching a request, so `/a/{x}` and `/a/{y}` are one route.
        const shape = routeShape(resource.path);
        (resource.operations ?? []).forEach((op, oi) => {
          const key = `${op.method} ${shape}`;
          const first = seen.get(key);
          if (first) {
            const same = first.path === resource.path;
            out.push({
              rule: 'route-duplicate',
              severity: 'error',
              path: [...path, 'resources', ri, 'operations', oi, 'method'],
              message: same
                ? `\`${op.method} ${resource.path}\` is already served by another operation (resource #${first.index + 1}); only one can answer.`
                : `\`${op.method} ${resource.path}\` matches the same requests as \`${op.method} ${first.path}\` (resource #${first.index + 1}): paths that differ only in placeholder names are one route.`,
              hint: 'Merge the two operations, or give one of them another method or path.',
            });
          } else seen.set(key, { path: resource.path, index: ri });
        });
      });
    }
    return out;
  },
};
