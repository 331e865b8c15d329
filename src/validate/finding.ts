/** One problem (or relaxation) found in a capability, ready to print. */
export type Severity = 'error' | 'warning';

/** A path into the document: keys and list indexes. */
export type DocumentPath = (string | number)[];

/**
 * A finding before it is placed in a file: what the loader, the cross-checks and the model builder
 * report, at a path in the document. The validator turns it into a Finding (file, line, column).
 */
export interface Note {
  /** A rule id of src/validate/rule-registry.ts. */
  rule: string;
  severity: Severity;
  path: DocumentPath;
  /** Point at the key at `path` rather than at its value. */
  atKey?: boolean;
  message: string;
  hint?: string;
}

/** A note placed in its file, as printed. */
export interface Finding {
  /** The file as the user gave it on the command line. */
  file: string;
  /** 1-based line and column of the offending key or value. */
  line: number;
  column: number;
  severity: Severity;
  /** Stable identifier of the check, e.g. `schema-enum` or `call-target-missing`. */
  rule: string;
  /** JSON pointer into the document (empty string for the root). */
  pointer: string;
  /** One plain sentence that says what is wrong. */
  message: string;
  /** How to fix it, when there is something useful to say. */
  hint?: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Sorts findings by position, then rule, so output is stable whatever order checks ran in. */
export function sortFindings(findings: Finding[]): Finding[] {
  // Plain code-unit order, not localeCompare: the same on every machine, and much cheaper.
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return findings.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.rule, b.rule) || cmp(a.message, b.message));
}
