import { restAdapters } from '../../model/raw.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

/** Paths every generated HTTP adapter answers itself, before the capability's routes. */
const RESERVED = ['/health/live', '/health/ready', '/metrics'];

/** True when a route path (placeholders as wildcards for one segment) matches the reserved path. */
function matches(routePath: string, reserved: string): boolean {
  const route = routePath.replace(/\/+$/, '').split('/');
  const wanted = reserved.split('/');
  return route.length === wanted.length && route.every((s, i) => s === wanted[i] || /\{[^}]*\}/.test(s));
}

/** A REST route that the generated server's health or metrics answer would hide. */
export const reservedRoutes: CrossCheck = {
  rules: ['route-reserved'],
  check(doc) {
    const out: Note[] = [];
    for (const { entry, path } of restAdapters(doc)) {
      (entry.resources ?? []).forEach((resource, ri) => {
        if (typeof resource.path !== 'string') return;
        const hidden = RESERVED.filter((r) => matches(resource.path, r));
        if (hidden.length === 0) return;
        out.push({
          rule: 'route-reserved',
          severity: 'warning',
          path: [...path, 'resources', ri, 'path'],
          message: `\`${resource.path}\` clashes with ${hidden.map((h) => `\`${h}\``).join(', ')}, which the generated server answers itself (health and metrics); requests there never reach this resource.`,
          hint: 'Give the resource another path.',
        });
      });
    }
    return out;
  },
};
