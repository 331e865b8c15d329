/**
 * Inputs are checked at the door (decisions doc, "Inputs"): a REST request or an MCP call that does
 * not fit its schema is refused with every bad field named, and nothing is sent upstream.
 */
import type { z } from 'zod';

export interface FieldProblem {
  field: string;
  problem: string;
}

export class InvalidInputError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.problem}`).join('; '));
  }
}

// Generic over the schema itself, not over its output type: inferring T through z.ZodType<T> made
// tsc take 20 s more on a capability with a thousand operations.
export function checkInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const given = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  throw new InvalidInputError(
    result.error.issues.map((issue) => {
      const top = issue.path[0];
      const missing = issue.path.length === 1 && typeof top === 'string' && given[top] === undefined;
      return { field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)', problem: missing ? 'is required' : issue.message };
    }),
  );
}
