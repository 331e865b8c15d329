/**
 * Mock answers: a tool or operation with neither `call` nor `steps` answers with an object built from
 * its output `value`s, each a template filled from the inputs. Templates were parsed by naftiko-gen.
 */
import { select, type PathStep } from './output.js';

/** A parsed template: literal text, or the path of a variable (`{{user.id}}` is `['user', 'id']`). */
export type TemplatePiece = string | { readonly variable: readonly PathStep[] };
export type Template = readonly TemplatePiece[];

/** A mock value: a template, or an object of mock values. */
export type MockValue = { readonly template: Template } | { readonly fields: Readonly<Record<string, MockValue>> };

/** Text of one filled value: missing values are '', strings as they are, other values as JSON (as Mustache does). */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Fills a template from `variables`; a variable path that leads nowhere gives ''. */
export function fill(template: Template, variables: unknown): string {
  let out = '';
  for (const piece of template) out += typeof piece === 'string' ? piece : asText(select(variables, piece.variable));
  return out;
}

/**
 * An object without a prototype: keys named by the capability (`__proto__`, `constructor`) are
 * ordinary keys, and JSON.stringify writes it like any object.
 */
export function record(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** The mock object: every value is a string, filled from the inputs. */
export function mockAnswer(fields: Readonly<Record<string, MockValue>>, input: unknown): Record<string, unknown> {
  const out = record();
  for (const [key, value] of Object.entries(fields)) out[key] = 'template' in value ? fill(value.template, input) : mockAnswer(value.fields, input);
  return out;
}

/** A JSON answer as an MCP tool result: the text, and the object itself when it is one. */
export function toolJson(value: Record<string, unknown>): { content: Array<{ type: 'text'; text: string }>; structuredContent: Record<string, unknown> } {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}
