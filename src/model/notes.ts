/** Kept for branches written against the old name: the note type is Note, in src/validate/finding.ts. */
export type { Note as ModelNote } from '../validate/finding.js';
