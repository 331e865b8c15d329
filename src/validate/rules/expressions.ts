import { allConsumes, exposedItems } from '../../model/raw.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

/** `${input.x}`, `${params.id}`, or a value that is nothing but `${...}`: an expression, not text. */
const FOREIGN = /\$\{\s*[A-Za-z_$][\w$]*(?:\.[\w$]+)+\s*\}|^\s*\$\{[^}]*\}\s*$/;

/**
 * Files converted for other engines carry `${input.x}`-style expressions. Naftiko has none: the text
 * would be sent as it is, a silently wrong request. Templates are `{{x}}`, inputs `rest.x`/`tools.x`.
 */
export const foreignExpressions: CrossCheck = {
  rules: ['expression-unsupported'],
  check(doc) {
    const out: Note[] = [];
    const visit = (value: unknown, path: (string | number)[]): void => {
      if (typeof value !== 'string') return;
      const m = FOREIGN.exec(value);
      if (!m) return;
      // A whole-value expression matches with the spaces around it: they are not part of it.
      const expression = m[0].trim();
      const inner = expression.slice(2, -1).trim();
      const name = inner.replace(/^(input|inputs|params|parameters|args|arguments)\./, '');
      out.push({
        rule: 'expression-unsupported',
        severity: 'error',
        path,
        message: `\`${expression}\` is not a Naftiko expression; it would be sent as this very text.`,
        hint: `Write \`{{${name}}}\` in a template, or \`rest.${name}\` / \`tools.${name}\` to pass an input on.`,
      });
    };
    const visitWith = (w: Record<string, unknown> | undefined, at: (string | number)[]) => {
      for (const [k, v] of Object.entries(w ?? {})) visit(v, [...at, 'with', k]);
    };
    for (const { entry, path } of allConsumes(doc)) {
      const auth = entry.authentication as Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(auth ?? {})) visit(v, [...path, 'authentication', k]);
      (entry.inputParameters ?? []).forEach((p, i) => visit(p.value, [...path, 'inputParameters', i, 'value']));
      (entry.resources ?? []).forEach((r, ri) => {
        visit(r.path, [...path, 'resources', ri, 'path']);
        (r.inputParameters ?? []).forEach((p, i) => visit(p.value, [...path, 'resources', ri, 'inputParameters', i, 'value']));
        r.operations.forEach((o, oi) => (o.inputParameters ?? []).forEach((p, i) => visit(p.value, [...path, 'resources', ri, 'operations', oi, 'inputParameters', i, 'value'])));
      });
    }
    for (const { item, path } of exposedItems(doc)) visitWith(item.with, path);
    return out;
  },
};
