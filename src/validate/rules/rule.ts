/** A cross-check that no JSON Schema can express, run on a document that passed the schema. */
import type { RawDocument } from '../../model/raw.js';
import type { Note } from '../finding.js';

export interface CrossCheck {
  /** The rule ids this check can report (test/rule-registry.test.ts reads them). */
  rules: readonly string[];
  check(doc: RawDocument): Note[];
}

