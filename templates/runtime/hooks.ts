/**
 * The contract between generated code and src/hooks.ts, the one file of the project that is yours:
 * naftiko-gen creates it once and never overwrites or deletes it.
 */
import type { UpstreamResponse } from './upstream.js';

/** One request to a consumed API, about to be sent. Hooks may change `headers` and `body`. */
export interface UpstreamCall {
  /** Namespace of the consumed API and name of the operation, as in the capability. */
  readonly api: string;
  readonly operation: string;
  readonly method: string;
  /** Path and query string, encoded, as they will be sent. */
  readonly target: string;
  headers: Record<string, string>;
  /** The JSON body (a string for a form body), or undefined when there is none. */
  body: unknown;
}

export interface Hooks {
  /** Before every upstream request: add headers (tracing, custom authentication), adjust the body. */
  beforeUpstream?(call: UpstreamCall): void | Promise<void>;
  /** After every upstream response, before the output mapping: return a replacement to reshape the result. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook written without a return statement must still fit.
  afterUpstream?(response: UpstreamResponse, call: UpstreamCall): UpstreamResponse | void | Promise<UpstreamResponse | void>;
}
