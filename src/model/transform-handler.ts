/**
 * Exposed items without a plain `call`: `steps` (call and lookup steps, `mappings`), mocks (outputs
 * with a `value`) and `ref`s to aggregate functions, which lend their name, description, inputs,
 * handler and hints. Pure, like bind-call.ts: notes say what is not generated and where.
 */
import { classifyVariable, type SecretScope } from './bind-call.js';
import type { ExposedHandler, HandlerTemplatePart, MockNode, StepModel, StepSource } from './handler-types.js';
import { compileJsonPath, type PathStep } from './jsonpath.js';
import type { Note } from '../validate/finding.js';
import { allConsumes, type RawDocument, type RawExposedInput, type RawOutputParameter } from './raw.js';
import { join } from 'node:path';
import { locationPath, readText } from './locations.js';
import { parseMustache, parsePath } from './template.js';
import type { ConsumedApi, ConsumedOperation, ExposedInput, ResolvedPart, ToolHints, ValueSource } from './types.js';

type Path = (string | number)[];

/** The fields an exposed operation, tool or aggregate function may carry to say what it does. */
export interface RawHandlerFields {
  name?: string;
  description?: string;
  inputParameters?: RawExposedInput[];
  call?: string;
  with?: Record<string, string | number | boolean>;
  steps?: unknown[];
  mappings?: unknown[];
  outputParameters?: RawOutputParameter[];
  hints?: ToolHints;
  ref?: string;
}

interface RawFunction extends RawHandlerFields {
  name: string;
  semantics?: { safe?: boolean; idempotent?: boolean; cacheable?: boolean };
}

interface RawAggregate {
  namespace: string;
  functions?: RawFunction[];
}

type RawStep = {
  type: 'call' | 'lookup' | 'script';
  name: string;
  call?: string;
  with?: Record<string, string | number | boolean>;
  index?: string;
  match?: string;
  lookupValue?: string;
  outputParameters?: string[];
  language?: string;
  location?: string;
  file?: string;
  dependencies?: string[];
};

/** Everything the handlers need from the rest of the document, computed once per capability. */
export interface HandlerContext {
  apis: readonly ConsumedApi[];
  secrets: SecretScope;
  /** `aggNs.fn` → the function, its aggregate namespace and its place in the document. */
  functions: Map<string, { fn: RawFunction; namespace: string; at: Path }>;
  /** `ns.op` → the named outputs of the consumed operation (`{name, value: $.x}`), used by call steps. */
  stepOutputs: Map<string, Array<{ name: string; path: PathStep[] }>>;
  /** The folder of the capability file: `location`s are relative to it. */
  sourceDir?: string;
  /** The control adapter's `management.scripting` defaults for script steps. */
  scripting: {
    location?: string;
    language?: string;
    enabled?: boolean;
    allowedLanguages?: string[];
    /** Limits a compiled script cannot honour, reported once a script step is generated (none: nothing to warn about). */
    limits?: Array<{ key: string; at: Path }>;
    limitsReported?: boolean;
  };
  /** Files and folders read at build time (scripts, static resources, prompt files). */
  embedded: Set<string>;
}

export function handlerContext(doc: RawDocument, apis: readonly ConsumedApi[], secrets: SecretScope, sourceDir?: string): HandlerContext {
  const functions: HandlerContext['functions'] = new Map();
  ((doc.capability?.aggregates ?? []) as RawAggregate[]).forEach((agg, ai) =>
    (agg.functions ?? []).forEach((fn, fi) => functions.set(`${agg.namespace}.${fn.name}`, { fn, namespace: agg.namespace, at: ['capability', 'aggregates', ai, 'functions', fi] })),
  );
  const stepOutputs: HandlerContext['stepOutputs'] = new Map();
  for (const { entry } of allConsumes(doc)) {
    for (const resource of entry.resources ?? []) {
      for (const op of resource.operations ?? []) {
        const named = ((op.outputParameters ?? []) as Array<{ name?: unknown; value?: unknown }>).flatMap((p) => {
          const path = typeof p.name === 'string' && typeof p.value === 'string' ? compileJsonPath(p.value) : undefined;
          return path ? [{ name: p.name as string, path }] : [];
        });
        if (named.length) stepOutputs.set(`${entry.namespace}.${op.name}`, named);
      }
    }
  }
  const controlAt = (doc.capability?.exposes ?? []).findIndex((e) => e.type === 'control');
  const control = (controlAt < 0 ? undefined : doc.capability!.exposes![controlAt]) as
    | { management?: { scripting?: { defaultLocation?: string; defaultLanguage?: string; enabled?: boolean; allowedLanguages?: string[]; timeout?: number; statementLimit?: number } } }
    | undefined;
  const defaults = control?.management?.scripting;
  const limits = (['timeout', 'statementLimit'] as const)
    .filter((key) => defaults?.[key] !== undefined)
    .map((key) => ({ key, at: ['capability', 'exposes', controlAt, 'management', 'scripting', key] as Path }));
  const scripting = {
    ...(defaults?.defaultLocation ? { location: defaults.defaultLocation } : {}),
    ...(defaults?.defaultLanguage ? { language: defaults.defaultLanguage } : {}),
    ...(defaults?.enabled === false ? { enabled: false } : {}),
    ...(defaults?.allowedLanguages ? { allowedLanguages: defaults.allowedLanguages } : {}),
    ...(limits.length ? { limits } : {}),
  };
  return { apis, secrets, functions, stepOutputs, scripting, embedded: new Set(), ...(sourceDir !== undefined ? { sourceDir } : {}) };
}

/** An item after its `ref` is resolved: local fields first, then the function's. */
export interface ResolvedItem {
  fields: RawHandlerFields;
  /** Where the fields that say what it does were written (the item, or the function). */
  handlerAt: Path;
  /** Namespaces a `with` value may use to name an input: the adapter's, `rest`/`tools`, the aggregate's. */
  prefixes: string[];
  /** Hints from the function's `semantics`, the item's own winning. */
  hints: ToolHints;
  /** Where the `outputParameters` in `fields` are written (the item's own, else the function's). */
  outputsAt?: Path;
}

/** Resolves `ref`; undefined when it names no function (the ref-target rule reports it). */
export function resolveRef(item: RawHandlerFields, at: Path, kind: 'rest' | 'mcp', adapterNamespace: string, ctx: HandlerContext, notes: Note[]): ResolvedItem | undefined {
  const prefixes = [kind === 'rest' ? 'rest' : 'tools', adapterNamespace];
  if (!item.ref) return { fields: item, handlerAt: at, prefixes, hints: { ...item.hints }, outputsAt: [...at, 'outputParameters'] };
  const target = ctx.functions.get(item.ref);
  if (!target) return undefined;
  const { fn } = target;
  const local = item.call !== undefined || item.steps !== undefined;
  // Without its own call or steps the item runs the function's, with the function's `with` and
  // `mappings`: the item's own would be dropped without a word, so say so where they are written.
  if (!local) {
    for (const key of ['with', 'mappings'] as const) {
      if (item[key] === undefined) continue;
      notes.push({
        rule: 'ref-local-ignored',
        severity: 'warning',
        path: [...at, key],
        message: `This item runs the function \`${item.ref}\` (its \`ref\`) and has no \`call\` or \`steps\` of its own, so its \`${key}\` is not used: the function's is.`,
        hint: `Move these entries into the function \`${item.ref}\`, or give the item its own \`call\` or \`steps\` (they then replace the function's).`,
      });
    }
  }
  const fields: RawHandlerFields = {
    name: item.name ?? fn.name,
    description: item.description ?? fn.description,
    // The engine lends inputs to MCP tools only; a REST operation declares where its inputs are.
    inputParameters: item.inputParameters ?? (kind === 'mcp' ? fn.inputParameters : undefined),
    ...(local ? { call: item.call, with: item.with, steps: item.steps, mappings: item.mappings } : { call: fn.call, with: fn.with, steps: fn.steps, mappings: fn.mappings }),
    outputParameters: item.outputParameters ?? fn.outputParameters,
  };
  const derived: ToolHints = {};
  if (fn.semantics?.safe === true) Object.assign(derived, { readOnly: true, destructive: false });
  if (fn.semantics?.idempotent !== undefined) derived.idempotent = fn.semantics.idempotent;
  const outputsAt = [...(item.outputParameters ? at : target.at), 'outputParameters'];
  return { fields, handlerAt: local ? at : target.at, prefixes: [...prefixes, target.namespace], hints: { ...derived, ...item.hints }, outputsAt };
}

/** Declared inputs, then the placeholders of the exposed REST path (the decisions doc's first two sources). */
export function declaredInputs(kind: 'rest' | 'mcp', declared: readonly RawExposedInput[], exposedPath?: string): ExposedInput[] {
  const pathParams = exposedPath !== undefined ? parsePath(exposedPath).params : [];
  const inputs: ExposedInput[] = declared.map((d) => ({
    name: d.name,
    type: d.type ?? 'string',
    ...(d.description ? { description: d.description } : {}),
    required: d.required ?? (kind === 'mcp' || d.in === 'path' || pathParams.includes(d.name)),
    location: d.in ?? (pathParams.includes(d.name) ? 'path' : 'query'),
    origin: 'declared',
  }));
  for (const p of pathParams) {
    if (!inputs.some((i) => i.name === p)) inputs.push({ name: p, type: 'string', description: `The {${p}} segment of ${exposedPath}.`, required: true, location: 'path', origin: 'exposed-path' });
  }
  return inputs;
}

class HandlerBuilder {
  constructor(
    private readonly ctx: HandlerContext,
    private readonly prefixes: readonly string[],
    private readonly notes: Note[],
  ) {}

  /** `{{get-ship.imo}}` and `{{tools.imo}}` become variable paths; bound names become secrets. */
  template(text: string, at: Path): HandlerTemplatePart[] {
    return parseMustache(text).map((p): HandlerTemplatePart => {
      if (p.kind === 'text') return p;
      const v = classifyVariable(p.name, this.ctx.secrets, this.prefixes);
      if (v.kind === 'secret') {
        if (!this.ctx.secrets.variables.has(v.variable)) {
          this.notes.push({
            rule: 'template-variable-unbound',
            severity: 'error',
            path: at,
            message: `The template refers to the variable \`${v.variable}\`, which no \`binds\` entry declares.`,
            hint: `Declare \`${v.variable}\` under \`binds\`, or fix the name.`,
          });
        }
        return { kind: 'secret', variable: v.variable };
      }
      return { kind: 'variable', path: v.name.split('.') };
    });
  }

  withValue(value: string | number | boolean, at: Path): StepSource {
    if (typeof value !== 'string') return { kind: 'literal', value };
    const dot = value.indexOf('.');
    if (dot > 0 && this.prefixes.includes(value.slice(0, dot)) && !value.includes('{{')) return { kind: 'variable', name: value.slice(dot + 1) };
    const parts = this.template(value, at);
    return parts.some((p) => p.kind !== 'text') ? { kind: 'template', parts } : { kind: 'literal', value };
  }

  parameterValue(source: ValueSource): StepSource {
    switch (source.kind) {
      case 'input':
        return { kind: 'variable', name: source.name };
      case 'template':
        return { kind: 'template', parts: source.parts.map((p: ResolvedPart): HandlerTemplatePart => (p.kind === 'text' ? p : p.kind === 'secret' ? p : { kind: 'variable', path: [p.name] })) };
      default:
        return source;
    }
  }

  callStep(raw: RawStep, at: Path, operation: ConsumedOperation): StepModel {
    return {
      kind: 'call',
      name: raw.name,
      operation,
      with: Object.entries(raw.with ?? {}).map(([key, value]) => ({ key, value: this.withValue(value, [...at, 'with', key]) })),
      parameters: operation.parameters.filter((p) => p.in !== 'environment').map((p) => ({ name: p.name, ...(p.value ? { value: this.parameterValue(p.value) } : {}) })),
      outputs: this.ctx.stepOutputs.get(`${operation.namespace}.${operation.name}`) ?? [],
    };
  }

  /** The control adapter's script limits, said once, when a script step is generated that they would apply to. */
  private reportScriptLimits(): void {
    const scripting = this.ctx.scripting;
    if (!scripting.limits || scripting.limitsReported) return;
    scripting.limitsReported = true;
    for (const { key, at } of scripting.limits) {
      this.notes.push({
        rule: 'construct-unsupported',
        severity: 'warning',
        path: at,
        atKey: true,
        message: `\`management.scripting.${key}\` is not applied: script steps are compiled into the server as JavaScript functions and run to their end.`,
        hint: 'Keep scripts short and bounded, or remove the limit.',
      });
    }
  }

  private leftOut(at: Path, message: string, hint: string): undefined {
    this.notes.push({ rule: 'construct-unsupported', severity: 'warning', path: at, message: `${message}: the operation or tool that holds it is left out of the generated server.`, hint });
    return undefined;
  }

  /**
   * A JavaScript step: its files (dependencies first) read at build time and compiled into the project
   * as the body of a function of `context` (the step variables) that sets `result`. Checked for syntax
   * here, never run. Python and Groovy cannot run in a TypeScript server.
   */
  script(raw: RawStep, at: Path): StepModel | undefined {
    const language = raw.language ?? this.ctx.scripting.language ?? 'javascript';
    // The control adapter's switch and allow-list: the engine refuses such a step, so it is not generated.
    if (this.ctx.scripting.enabled === false) {
      return this.leftOut([...at, 'type'], 'Script steps are switched off by the control adapter (`management.scripting.enabled: false`)', 'Switch scripting on, or replace the script with `call` and `lookup` steps and `mappings`.');
    }
    if (this.ctx.scripting.allowedLanguages && !this.ctx.scripting.allowedLanguages.includes(language)) {
      return this.leftOut([...at, raw.language ? 'language' : 'type'], `The control adapter's \`management.scripting.allowedLanguages\` does not allow ${language}`, `Add ${language} to allowedLanguages, or write the step in an allowed language.`);
    }
    if (language !== 'javascript') {
      return this.leftOut([...at, raw.language ? 'language' : 'type'], `A ${language} script step cannot run in a generated TypeScript server`, 'Write the script in JavaScript, or replace it with `call` and `lookup` steps and `mappings`.');
    }
    const location = raw.location ?? this.ctx.scripting.location;
    if (!location) return this.leftOut([...at, 'file'], 'A script step without a `location` (and no default in a control adapter)', 'Add `location: file:///./scripts` (relative to the capability).');
    const dir = locationPath(location, this.ctx.sourceDir);
    const files = [...(raw.dependencies ?? []), raw.file ?? ''];
    const parts: string[] = [];
    for (const file of files) {
      const text = readText(join(dir, file), this.ctx.embedded);
      if (text === undefined) return this.leftOut([...at, 'file'], `The script file \`${file}\` (in ${dir}) cannot be read as UTF-8 text`, 'Check `location` and `file`; a relative location starts with `file:///./`.');
      parts.push(`// ${file.replace(/[\r\n\u2028\u2029]/g, ' ')}\n${text}`);
    }
    const code = parts.join('\n');
    try {
      // Parsed, never called: a syntax error is reported here rather than when the server starts.
      new Function('context', `let result;\n${code}\nreturn result;`);
    } catch (err) {
      return this.leftOut([...at, 'file'], `The script does not parse as JavaScript (${(err as Error).message})`, 'Fix the script.');
    }
    this.reportScriptLimits();
    return { kind: 'script', name: raw.name, with: Object.entries(raw.with ?? {}).map(([key, value]) => ({ key, value: this.withValue(value, [...at, 'with', key]) })), files, code };
  }

  /** The steps, or undefined when one of them cannot be generated (a note says which). */
  steps(rawSteps: RawStep[], at: Path): StepModel[] | undefined {
    const out: StepModel[] = [];
    for (const [si, raw] of rawSteps.entries()) {
      const stepAt = [...at, si];
      if (raw.type === 'script') {
        const script = this.script(raw, stepAt);
        if (!script) return undefined;
        out.push(script);
        continue;
      }
      if (raw.type === 'lookup') {
        const lookupValue = raw.lookupValue ?? '';
        const path = lookupValue.trim().startsWith('$') ? compileJsonPath(lookupValue) : undefined;
        out.push({
          kind: 'lookup',
          name: raw.name,
          index: raw.index ?? '',
          match: raw.match ?? '',
          value: path ? { kind: 'path', path } : { kind: 'template', parts: this.template(lookupValue, [...stepAt, 'lookupValue']) },
          fields: raw.outputParameters ?? [],
        });
        continue;
      }
      const dot = (raw.call ?? '').indexOf('.');
      const operation = this.ctx.apis.find((a) => a.namespace === raw.call!.slice(0, dot))?.operations.find((o) => o.name === raw.call!.slice(dot + 1));
      if (!operation) {
        this.notes.push({
          rule: 'step-call-unresolved',
          severity: 'warning',
          path: [...stepAt, 'call'],
          message: `The step calls \`${raw.call}\`, which no consumed API declares; as the engine does, every request that reaches this step is refused as invalid (REST 400, MCP invalid params -32602).`,
          hint: 'Name a consumed operation as `<namespace>.<operation>`.',
        });
        out.push({ kind: 'unresolved', name: raw.name, call: raw.call ?? '' });
        continue;
      }
      out.push(this.callStep(raw, stepAt, operation));
    }
    return out;
  }

  mock(outputs: readonly RawOutputParameter[], at: Path): Array<{ name: string; node: MockNode }> {
    const fields: Array<{ name: string; node: MockNode }> = [];
    outputs.forEach((p, i) => {
      const node = this.mockNode(p, [...at, i]);
      if (node) fields.push({ name: p.name ?? 'value', node });
    });
    return fields;
  }

  private mockNode(p: RawOutputParameter, at: Path): MockNode | undefined {
    if (p.value !== undefined) return { kind: 'template', parts: this.template(p.value, [...at, 'value']) };
    if (p.properties && typeof p.properties === 'object' && !Array.isArray(p.properties)) {
      const fields = Object.entries(p.properties).flatMap(([name, child]) => {
        const node = this.mockNode(child, [...at, 'properties', name]);
        return node ? [{ name, node }] : [];
      });
      return { kind: 'object', fields };
    }
    return undefined;
  }
}

/** Whether some output (or nested property) carries a `value`: what makes an item without call or steps a mock. */
function hasValue(outputs: readonly RawOutputParameter[]): boolean {
  return outputs.some((p) => p.value !== undefined || (!!p.properties && typeof p.properties === 'object' && !Array.isArray(p.properties) && hasValue(Object.values(p.properties))));
}

/**
 * The steps or mock handler of an item without a usable `call`; undefined (with a note) when the item
 * cannot be generated. `steps` win over `call` only where the engine lets them: on MCP tools.
 */
export function buildOtherHandler(resolved: ResolvedItem, ctx: HandlerContext, notes: Note[]): ExposedHandler | undefined {
  const { fields, handlerAt } = resolved;
  const builder = new HandlerBuilder(ctx, resolved.prefixes, notes);
  if (Array.isArray(fields.steps)) {
    const steps = builder.steps(fields.steps as RawStep[], [...handlerAt, 'steps']);
    if (!steps) return undefined;
    const mappings = ((fields.mappings ?? []) as Array<{ targetName: string; value: string }>).map((m) => ({
      target: m.targetName.split('.'),
      // A mapping that is not a plain path never resolves, like a missing value.
      source: compileJsonPath(m.value) ?? ['\u0000unsupported-path'],
    }));
    return { kind: 'steps', steps, mappings };
  }
  const outputs = fields.outputParameters ?? [];
  if (hasValue(outputs)) return { kind: 'mock', fields: builder.mock(outputs, [...handlerAt, 'outputParameters']) };
  notes.push({
    rule: 'construct-unsupported',
    severity: 'warning',
    path: handlerAt,
    message: 'This item has no `call`, no `steps` and no output `value`, so there is nothing to answer with: it is left out of the generated server.',
    hint: 'Add `call:` to a consumed operation, `steps:`, or outputs with a `value` (a mock).',
  });
  return undefined;
}
