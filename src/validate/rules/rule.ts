/** A cross-check that no JSON Schema can express, run on a document that passed the schema. */
import type { ModelNote } from '../../model/notes.js';
import type { RawDocument } from '../../model/raw.js';

export type RuleFinding = ModelNote;

export interface CrossCheck {
  /** The rule ids this check can report, for the README's list and the tests. */
  rules: readonly string[];
  check(doc: RawDocument): RuleFinding[];
}
