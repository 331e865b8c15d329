import { exposedItems, restAdapters, type RawExposedInput } from '../../model/raw.js';
import { compilesAsPattern } from '../../names/input-pattern.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

/**
 * An input's `pattern` is checked at the door with a JavaScript regular expression (Unicode mode, as
 * JSON Schema says). One that JavaScript cannot compile (a Java-only construct, say) cannot be
 * checked: a warning says so, and the input is accepted without it.
 */
export const inputPatterns: CrossCheck = {
  rules: ['input-pattern-invalid'],
  check(doc) {
    const out: Note[] = [];
    const visit = (inputs: RawExposedInput[] | undefined, at: (string | number)[]): void =>
      (inputs ?? []).forEach((input, i) => {
        if (typeof input.pattern !== 'string' || compilesAsPattern(input.pattern)) return;
        out.push({
          rule: 'input-pattern-invalid',
          severity: 'warning',
          path: [...at, 'inputParameters', i, 'pattern'],
          message: `The pattern \`${input.pattern}\` is not a regular expression JavaScript can compile (Unicode mode): the input is accepted without this check.`,
          hint: 'Write the pattern in the ECMAScript syntax that JSON Schema uses.',
        });
      });
    for (const { entry, path } of restAdapters(doc)) (entry.resources ?? []).forEach((r, ri) => visit(r.inputParameters, [...path, 'resources', ri]));
    for (const { item, path } of exposedItems(doc)) visit(item.inputParameters, path);
    return out;
  },
};
