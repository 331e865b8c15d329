/**
 * What an exposed REST operation or MCP tool does when it is called: one consumed `call`, a sequence
 * of `steps`, or a mock answer built from its output values. A `ref` to an aggregate function is
 * resolved into one of these by the model builder, so emitters never see it.
 */
import type { PathStep } from './jsonpath.js';
import type { CallBinding, ConsumedOperation } from './types.js';

/** A template with its variables as paths: `{{get-ship.imo}}` is `['get-ship', 'imo']`; secrets are named apart. */
export type HandlerTemplatePart = { kind: 'text'; text: string } | { kind: 'variable'; path: PathStep[] } | { kind: 'secret'; variable: string };

/** A value of a step's `with`, or a consumed parameter's own `value`, resolved against the step variables. */
export type StepSource =
  | { kind: 'variable'; name: string }
  | { kind: 'template'; parts: HandlerTemplatePart[] }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'secret'; variable: string };

export type StepModel =
  | {
      kind: 'call';
      name: string;
      operation: ConsumedOperation;
      with: Array<{ key: string; value: StepSource }>;
      /** Every parameter of the consumed operation that goes on the wire, with its own value if it has one. */
      parameters: Array<{ name: string; value?: StepSource }>;
      /** Named outputs of the consumed operation (`{name, value: $.x}`): what the step keeps of the answer. */
      outputs: Array<{ name: string; path: PathStep[] }>;
    }
  | { kind: 'unresolved'; name: string; call: string }
  | {
      kind: 'script';
      name: string;
      with: Array<{ key: string; value: StepSource }>;
      /** The files, dependencies first, as named in the capability. */
      files: string[];
      /** Their JavaScript, concatenated: the body of a function of `context` that sets `result`. */
      code: string;
    }
  | {
      kind: 'lookup';
      name: string;
      index: string;
      match: string;
      value: { kind: 'path'; path: PathStep[] } | { kind: 'template'; parts: HandlerTemplatePart[] };
      fields: string[];
    };

/** A mock value: a template rendered from the inputs, or an object of mock values. */
export type MockNode = { kind: 'template'; parts: HandlerTemplatePart[] } | { kind: 'object'; fields: Array<{ name: string; node: MockNode }> };

export type ExposedHandler =
  | { kind: 'call'; call: CallBinding }
  | { kind: 'steps'; steps: StepModel[]; mappings: Array<{ target: string[]; source: PathStep[] }> }
  | { kind: 'mock'; fields: Array<{ name: string; node: MockNode }> };
