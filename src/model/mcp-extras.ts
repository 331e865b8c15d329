/**
 * MCP resources and prompts. A dynamic resource is answered like a tool (a `call` or `steps`) whose
 * inputs are the placeholders of its URI (`data://users/{userId}/profile`); a prompt is a list of
 * messages whose `{{argument}}` placeholders are filled from the caller's arguments.
 */
import { bindExposedCall, type SecretScope } from './bind-call.js';
import type { ExposedHandler, HandlerTemplatePart } from './handler-types.js';
import type { ModelNote } from './notes.js';
import type { RawExposedInput, RawOutputParameter } from './raw.js';
import { parseMustache } from './template.js';
import { findCallTarget } from './transform-exposed.js';
import { buildOtherHandler, type HandlerContext, type RawHandlerFields } from './transform-handler.js';
import type { CallBinding, ConsumedApi, ExposedInput, OutputSpec } from './types.js';

type Path = (string | number)[];

export interface McpResourceModel {
  name: string;
  title?: string;
  description: string;
  uri: string;
  mimeType: string;
  /** Placeholders of the URI (`{userId}`): a resource template when there are any. */
  params: string[];
  inputs: ExposedInput[];
  call?: CallBinding;
  handler: ExposedHandler;
  output: OutputSpec;
}

export interface McpPromptModel {
  name: string;
  title?: string;
  description: string;
  arguments: Array<{ name: string; description: string; required: boolean }>;
  messages: Array<{ role: 'user' | 'assistant'; parts: HandlerTemplatePart[] }>;
}

interface RawResource extends RawHandlerFields {
  name: string;
  label?: string;
  uri: string;
  description: string;
  mimeType?: string;
  location?: string;
}

interface RawPrompt {
  name: string;
  label?: string;
  description: string;
  arguments?: Array<{ name: string; description: string; required?: boolean }>;
  template?: Array<{ role: 'user' | 'assistant'; content: string }>;
  location?: string;
}

function notGenerated(what: string, path: Path, notes: ModelNote[]): void {
  notes.push({
    rule: 'construct-unsupported',
    severity: 'warning',
    path,
    message: `${what} is valid but not generated yet: it is left out of the generated server.`,
  });
}

/** `{userId}` placeholders of a resource URI (RFC 6570 level 1, as the SDK matches them). */
function uriParams(uri: string): string[] {
  return [...uri.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
}

export function transformResources(
  raws: readonly unknown[] | undefined,
  base: Path,
  adapterNamespace: string,
  apis: readonly ConsumedApi[],
  secrets: SecretScope,
  ctx: HandlerContext,
  notes: ModelNote[],
): McpResourceModel[] {
  const out: McpResourceModel[] = [];
  (raws as RawResource[] | undefined)?.forEach((raw, i) => {
    const at = [...base, 'resources', i];
    if (raw.location !== undefined) {
      notGenerated('A static resource (`location`)', [...at, 'location'], notes);
      return;
    }
    const params = uriParams(raw.uri);
    const declared: RawExposedInput[] = params.map((p) => ({ name: p, type: 'string', description: `The {${p}} part of ${raw.uri}.`, required: true }));
    const common = {
      name: raw.name,
      ...(raw.label ? { title: raw.label } : {}),
      description: raw.description,
      uri: raw.uri,
      mimeType: raw.mimeType ?? 'application/json',
      params,
      output: { parameters: (raw.outputParameters ?? []) as RawOutputParameter[] },
    };
    if (raw.call === undefined) {
      const handler = buildOtherHandler({ fields: raw, handlerAt: at, prefixes: ['tools', adapterNamespace], hints: {} }, ctx, notes);
      if (!handler) return;
      out.push({ ...common, inputs: declared.map((d) => ({ name: d.name, type: 'string', description: d.description, required: true, location: 'path', origin: 'declared' })), handler });
      return;
    }
    const target = findCallTarget(apis, raw.call);
    if (!target) {
      notes.push({
        rule: 'call-target-missing',
        severity: 'error',
        path: [...at, 'call'],
        message: `\`call: ${raw.call}\` names no operation of a consumed API.`,
        hint: 'Name a consumed operation as `<namespace>.<operation>`.',
      });
      return;
    }
    const bound = bindExposedCall({ kind: 'mcp', adapterNamespace, declaredInputs: declared, with: raw.with }, target, secrets);
    // Only the URI carries values: anything else the call could take stays optional.
    const inputs = bound.inputs.map((input) => (params.includes(input.name) ? input : { ...input, required: false }));
    out.push({ ...common, inputs, call: bound.call, handler: { kind: 'call', call: bound.call } });
  });
  return out;
}

export function transformPrompts(raws: readonly unknown[] | undefined, base: Path, notes: ModelNote[]): McpPromptModel[] {
  const out: McpPromptModel[] = [];
  (raws as RawPrompt[] | undefined)?.forEach((raw, i) => {
    const at = [...base, 'prompts', i];
    if (raw.template === undefined) {
      notGenerated('A prompt read from a file (`location`)', [...at, 'location'], notes);
      return;
    }
    out.push({
      name: raw.name,
      ...(raw.label ? { title: raw.label } : {}),
      description: raw.description,
      arguments: (raw.arguments ?? []).map((a) => ({ name: a.name, description: a.description, required: a.required ?? true })),
      messages: raw.template.map((m) => ({
        role: m.role,
        parts: parseMustache(m.content).map((p): HandlerTemplatePart => (p.kind === 'text' ? p : { kind: 'variable', path: [p.name] })),
      })),
    });
  });
  return out;
}
