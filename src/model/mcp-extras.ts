/**
 * MCP resources and prompts. A dynamic resource is answered like a tool (a `call` or `steps`) whose
 * inputs are the placeholders of its URI (`data://users/{userId}/profile`); a prompt is a list of
 * messages whose `{{argument}}` placeholders are filled from the caller's arguments.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { bindExposedCall, type SecretScope } from './bind-call.js';
import { locationPath, MAX_EMBEDDED_BYTES, readText } from './locations.js';
import type { ExposedHandler, HandlerTemplatePart } from './handler-types.js';
import type { Note } from '../validate/finding.js';
import type { RawExposedInput } from './raw.js';
import { parseMustache } from './template.js';
import { findCallTarget } from './transform-exposed.js';
import { buildOtherHandler, type HandlerContext, type RawHandlerFields } from './transform-handler.js';
import { transformOutputs } from './transform-output.js';
import type { CallBinding, ConsumedApi, ExposedInput, ExposedOutput } from './types.js';

type Path = (string | number)[];

export interface McpResourceModel {
  name: string;
  title?: string;
  description: string;
  uri: string;
  mimeType: string;
  /** `binary: true` (ikanos beta1 and later): the answer's bytes are served as a base64 blob. */
  binary?: boolean;
  /** Placeholders of the URI (`{userId}`): a resource template when there are any. */
  params: string[];
  inputs: ExposedInput[];
  call?: CallBinding;
  handler: ExposedHandler;
  output: ExposedOutput;
}

/** A `location` folder published file by file: `<uri>/<path in the folder>`. */
export interface McpStaticResourceModel {
  name: string;
  title?: string;
  description: string;
  files: StaticFile[];
}

/** One file of a static resource's folder, embedded in the generated project. */
export interface StaticFile {
  uri: string;
  name: string;
  mimeType: string;
  text: string;
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
  binary?: boolean;
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

function notGenerated(what: string, path: Path, notes: Note[]): void {
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
  notes: Note[],
  statics: McpStaticResourceModel[] = [],
): McpResourceModel[] {
  const out: McpResourceModel[] = [];
  (raws as RawResource[] | undefined)?.forEach((raw, i) => {
    const at = [...base, 'resources', i];
    if (raw.location !== undefined) {
      const published = staticResource(raw, [...at, 'location'], ctx, notes);
      if (published) statics.push(published);
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
      ...(raw.binary === true ? { binary: true } : {}),
      params,
      output: { parameters: transformOutputs(raw.outputParameters, [...at, 'outputParameters'], notes) },
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

const TYPES: Record<string, string> = { '.md': 'text/markdown', '.json': 'application/json', '.txt': 'text/plain', '.html': 'text/html', '.csv': 'text/csv', '.yaml': 'application/yaml', '.yml': 'application/yaml', '.xml': 'application/xml' };

/** Every file under `dir`, as paths relative to it with `/`, sorted: the same order on every machine. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(relative(dir, full).split(/[\\/]/).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * A static resource: the files of its `location` folder (`file:///./docs` is `docs` next to the
 * capability), read at build time and embedded, so the server needs no files at run time.
 */
function staticResource(raw: RawResource, at: Path, ctx: HandlerContext, notes: Note[]): McpStaticResourceModel | undefined {
  const dir = locationPath(raw.location!, ctx.sourceDir);
  ctx.embedded.add(dir);
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    files = filesUnder(dir);
  } catch {
    notGenerated(`The static resource folder \`${raw.location}\` (${dir}) cannot be read, so this resource`, at, notes);
    return undefined;
  }
  const base = raw.uri.replace(/\/+$/, '');
  const published: StaticFile[] = [];
  for (const file of files) {
    const text = readText(join(dir, file), ctx.embedded);
    if (text === undefined) {
      notGenerated(`The file \`${file}\` of the static resource folder (over ${MAX_EMBEDDED_BYTES} bytes, or not UTF-8 text)`, at, notes);
      continue;
    }
    published.push({ uri: `${base}/${file}`, name: `${raw.name}/${file}`, mimeType: raw.mimeType ?? TYPES[extname(file).toLowerCase()] ?? 'text/plain', text });
  }
  return { name: raw.name, ...(raw.label ? { title: raw.label } : {}), description: raw.description, files: published };
}

/** A prompt file's text, read at build time; undefined (with a note) when it cannot be embedded. */
function promptFile(location: string, at: Path, ctx: HandlerContext, notes: Note[]): string | undefined {
  const path = locationPath(location, ctx.sourceDir);
  const text = readText(path, ctx.embedded);
  if (text === undefined) notGenerated(`The prompt file \`${location}\` (${path}) cannot be read as UTF-8 text of at most ${MAX_EMBEDDED_BYTES} bytes, so this prompt`, at, notes);
  return text;
}

export function transformPrompts(raws: readonly unknown[] | undefined, base: Path, notes: Note[], ctx: HandlerContext): McpPromptModel[] {
  const out: McpPromptModel[] = [];
  (raws as RawPrompt[] | undefined)?.forEach((raw, i) => {
    const at = [...base, 'prompts', i];
    let template = raw.template;
    if (template === undefined) {
      // The file's text is one user message, its placeholders filled like a template's.
      const text = promptFile(raw.location ?? '', [...at, 'location'], ctx, notes);
      if (text === undefined) return;
      template = [{ role: 'user', content: text }];
    }
    out.push({
      name: raw.name,
      ...(raw.label ? { title: raw.label } : {}),
      description: raw.description,
      arguments: (raw.arguments ?? []).map((a) => ({ name: a.name, description: a.description, required: a.required ?? true })),
      messages: template.map((m) => ({
        role: m.role,
        parts: parseMustache(m.content).map((p): HandlerTemplatePart => (p.kind === 'text' ? p : { kind: 'variable', path: [p.name] })),
      })),
    });
  });
  return out;
}
