/**
 * MCP resources and prompts. A resource answers with one text content: the mapped JSON of its
 * call or steps, or the upstream body as it came. A prompt fills its messages from the arguments.
 */
import { ProtocolError, ProtocolErrorCode, type GetPromptResult, type ReadResourceResult } from '@modelcontextprotocol/server';
import { InvalidInputError } from './inputs.js';
import { fill, type Template } from './mock.js';
import { mapOutput, parseBody, type OutputSpec } from './output.js';
import type { StepsOutcome } from './steps.js';
import { RequestInputError, type UpstreamResponse } from './upstream.js';

function contents(uri: string, mimeType: string, text: string): ReadResourceResult {
  return { contents: [{ uri, mimeType, text }] };
}

/** The contents of a resource read through a call: mapped when the outputs give a value, else the body as it came. */
export function resourceFromUpstream(uri: string, mimeType: string, upstream: UpstreamResponse, outputs: readonly OutputSpec[], binary = false): ReadResourceResult {
  // A binary answer (or a resource declared `binary: true`) is the resource's blob, base64-encoded.
  if ((binary || upstream.binary) && upstream.status >= 200 && upstream.status < 300) {
    const bytes = upstream.bytes ?? Buffer.from(upstream.text, 'utf8');
    return { contents: [{ uri, mimeType: upstream.binary ? (upstream.contentType ?? mimeType) : mimeType, blob: bytes.toString('base64') }] };
  }
  const body = parseBody(upstream.text, upstream.contentType);
  const mapped = body === undefined ? undefined : mapOutput(outputs, body);
  return contents(uri, mimeType, mapped === undefined ? upstream.text : JSON.stringify(mapped));
}

/**
 * The contents of a resource read through steps: the mappings' object (JSON text), or the last answer as a
 * call's, a blob when the resource is `binary: true` or the answer binary.
 */
export function resourceFromSteps(uri: string, mimeType: string, outcome: StepsOutcome, outputs: readonly OutputSpec[], binary = false): ReadResourceResult {
  if ('mapped' in outcome) return contents(uri, mimeType, JSON.stringify(outcome.mapped));
  return outcome.last ? resourceFromUpstream(uri, mimeType, outcome.last, outputs, binary) : contents(uri, mimeType, '');
}

/** A read refused for its URI's values (or a step calling an undeclared operation) is invalid params (-32602), as in the engine. */
export function resourceFailure(err: unknown): unknown {
  if (err instanceof InvalidInputError || err instanceof RequestInputError) return new ProtocolError(ProtocolErrorCode.InvalidParams, err.message);
  return err;
}

export interface PromptMessageTemplate {
  readonly role: 'user' | 'assistant';
  readonly template: Template;
}

/** The messages of a prompt, each placeholder filled from the arguments (a missing one is empty). */
export function promptMessages(messages: readonly PromptMessageTemplate[], args: Readonly<Record<string, unknown>>): GetPromptResult {
  return { messages: messages.map((m) => ({ role: m.role, content: { type: 'text', text: fill(m.template, args) } })) };
}
