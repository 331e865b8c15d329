/**
 * The shapes naftiko-gen prints into the generated adapters and the runtime reads: declared once, here.
 * naftiko-gen's own views import them too, so what it prints is checked against what the runtime expects.
 */

/** The type of an exposed input: how a REST parameter is coerced from text. */
/** `file`: an uploaded file, carried as base64 text until it is sent upstream as bytes. */
export type InputType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'file';

/** How a value is escaped where it lands in a request body. */
export type BodyEscape = 'json-string' | 'json' | 'xml' | 'sparql' | 'form' | 'none';

/** A JSONPath compiled to steps: a property name, an array index, or `*` for every element. */
export type PathStep = string | number | { readonly all: true };

/** One exposed output parameter, its JSONPath compiled. */
export interface OutputSpec {
  readonly type: 'string' | 'number' | 'boolean' | 'object' | 'array';
  readonly mapping?: readonly PathStep[];
  readonly value?: string;
  readonly maxLength?: number;
  readonly properties?: Readonly<Record<string, OutputSpec>>;
  readonly items?: OutputSpec;
  readonly values?: OutputSpec;
}
