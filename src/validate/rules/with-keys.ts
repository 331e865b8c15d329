import { allConsumes, exposedItems, type RawConsumes, type RawConsumedOperation, type RawConsumedResource } from '../../model/raw.js';
import { normalizeName } from '../../model/template.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';
import { closest } from './suggest.js';

/** `{x}` and `{{x}}` (with an optional `ns.` prefix) anywhere in a value: the names a template can take. */
function templateNames(value: unknown, out: Set<string>): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  for (const m of text.matchAll(/\{\{?\s*([^{}\s]+?)\s*\}?\}/g)) {
    const name = m[1]!;
    out.add(name);
    out.add(name.slice(name.lastIndexOf('.') + 1));
  }
}

/** What a `with` key of a call to this operation can feed: its parameters, path placeholders and template variables. */
function receivers(api: RawConsumes, resource: RawConsumedResource, op: RawConsumedOperation): string[] {
  const names = new Set<string>();
  for (const p of [...(api.inputParameters ?? []), ...(resource.inputParameters ?? []), ...(op.inputParameters ?? [])]) {
    names.add(p.name);
    templateNames(p.value, names);
  }
  templateNames(resource.path, names);
  templateNames(op.body, names);
  templateNames(api.authentication, names);
  return [...names];
}

/**
 * A `with` key that no consumed parameter, placeholder or template of the called operation takes is
 * dropped without a trace: usually a typo (`organisationId`) or a parameter the API does not declare.
 */
export const withKeys: CrossCheck = {
  rules: ['with-key-unmatched'],
  check(doc) {
    const out: Note[] = [];
    // What each operation takes is worked out for the operations a `with` calls, when first called.
    const targets = new Map<string, () => string[]>();
    for (const { entry } of allConsumes(doc)) {
      if (typeof entry.namespace !== 'string' || entry.location) continue;
      for (const r of entry.resources ?? []) {
        for (const o of r.operations) {
          let names: string[] | undefined;
          targets.set(`${entry.namespace}.${o.name}`, () => (names ??= receivers(entry, r, o)));
        }
      }
    }
    const checkWith = (call: string | undefined, w: Record<string, unknown> | undefined, at: (string | number)[]): void => {
      if (!w) return;
      const names = typeof call === 'string' ? targets.get(call)?.() : undefined;
      if (!names) return;
      const known = new Set(names.map(normalizeName));
      for (const key of Object.keys(w)) {
        if (known.has(normalizeName(key))) continue;
        const near = closest(key, names);
        out.push({
          rule: 'with-key-unmatched',
          severity: 'warning',
          path: [...at, 'with', key],
          atKey: true,
          message: `The \`with\` key \`${key}\` matches no parameter, path placeholder or template variable of \`${call}\`, so its value is never sent.${near ? ` Did you mean \`${near}\`?` : ''}`,
          hint: near ? `Rename it to \`${near}\`.` : `Declare \`${key}\` as an input parameter of the consumed operation, or remove it.`,
        });
      }
    };
    for (const { item, path } of exposedItems(doc)) checkWith(item.call, item.with, path);
    return out;
  },
};
