/**
 * "Nothing silent" for inputs: a declared input that no consumed parameter receives (it would be
 * accepted and dropped), and an inferred input whose name is a near miss of a declared one (`limitt`
 * next to `limit`: a typo that silently creates a second input).
 */
import { closest } from '../validate/rules/suggest.js';
import type { BoundCall } from './bind-call.js';
import type { Note } from '../validate/finding.js';
import type { RawExposedInput } from './raw.js';

export interface DeclaredInputAt {
  input: RawExposedInput;
  /** Where it is declared, for the finding. */
  at: (string | number)[];
}

/** Names of the inputs some consumed parameter takes its value from. */
function usedInputs(bound: BoundCall): Set<string> {
  const used = new Set<string>();
  for (const { source } of bound.call.arguments) {
    if (source?.kind === 'input') used.add(source.name);
    if (source?.kind === 'template') for (const p of source.parts) if (p.kind === 'input') used.add(p.name);
  }
  return used;
}

export function inputUsageNotes(
  bound: BoundCall,
  declared: readonly DeclaredInputAt[],
  base: (string | number)[],
  withMap: Readonly<Record<string, unknown>> | undefined,
  notes: Note[],
): void {
  const used = usedInputs(bound);
  const declaredNames = declared.map((d) => d.input.name);
  const explained = new Set<string>();
  for (const input of bound.inputs) {
    if (input.origin === 'declared' || input.origin === 'exposed-path') continue;
    const near = closest(input.name, declaredNames.filter((n) => n !== input.name && !used.has(n)));
    if (!near) continue;
    explained.add(near);
    // An input inferred from `with` is reported at the `with` entry that names it.
    const viaWith = input.origin === 'with' ? Object.keys(withMap ?? {}).find((k) => String(withMap![k]).includes(input.name)) : undefined;
    notes.push({
      rule: 'input-near-miss',
      severity: 'warning',
      path: viaWith !== undefined ? [...base, 'with', viaWith] : declared.find((d) => d.input.name === near)!.at,
      message: `The input \`${input.name}\` is not declared, so it is added as a new input, while the declared input \`${near}\` goes unused. Did you mean \`${near}\`?`,
      hint: `Spell both the same: rename one to \`${near}\` or \`${input.name}\`.`,
    });
  }
  for (const d of declared) {
    if (used.has(d.input.name) || explained.has(d.input.name)) continue;
    notes.push({
      rule: 'input-unused',
      severity: 'warning',
      path: d.at,
      message: `The declared input \`${d.input.name}\` is accepted but nothing uses it: no consumed parameter of \`${bound.call.operation.namespace}.${bound.call.operation.name}\` takes its value.`,
      hint: `Pass it on with \`with: { <consumed parameter>: ${'{{'}${d.input.name}}} }\`, or remove it.`,
    });
  }
}
