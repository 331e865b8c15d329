/**
 * Works out, for one exposed REST operation or MCP tool that `call`s a consumed operation, which
 * inputs it takes and where each consumed parameter gets its value: the decisions doc's
 * "Inputs: declared, or inferred" and D1-D5. Pure: no YAML, no positions; the validator turns
 * the notes into findings and the model builder keeps the result.
 */
import { compileJsonPath } from './jsonpath.js';
import type { RawExposedInput } from './raw.js';
import { normalizeName, parseMustache, parsePath } from './template.js';
import type { CallBinding, ConsumedOperation, ConsumedParameter, ExposedInput, InputConstraints, JsonTypeName, ResolvedPart, ValueSource } from './types.js';

export interface SecretScope {
  /** Bound variable names (`QOVERY_API_KEY`). */
  variables: ReadonlySet<string>;
  /** Namespaces that prefix a bound variable in templates: `env` and every `binds` namespace. */
  namespaces: ReadonlySet<string>;
}

export interface ExposedCallSource {
  kind: 'rest' | 'mcp';
  adapterNamespace: string;
  /** REST only: the exposed resource path. */
  exposedPath?: string;
  declaredInputs: RawExposedInput[];
  with: Record<string, string | number | boolean> | undefined;
  /** More namespaces that name an input in `with` (an aggregate function's). */
  extraPrefixes?: readonly string[];
}

/** A name that matched only once case (or separators) were ignored: D5, reported as a warning. */
export interface LooseMatch {
  /** The spelling on the referring side and the spelling it matched. */
  written: string;
  matched: string;
  /** What the names are: a `with` reference to an input, a consumed placeholder or parameter filled by an input. */
  subject: 'with-reference' | 'placeholder' | 'parameter' | 'with-key';
  /** Relative location in the exposed item, for the finding. */
  at: (string | number)[];
}

export interface BoundCall {
  inputs: ExposedInput[];
  call: CallBinding;
  looseMatches: LooseMatch[];
  /** Template variables that are neither inputs nor bound secrets (`{{env.MISSING}}`). */
  unboundSecrets: Array<{ variable: string; at: (string | number)[] }>;
}

/** Finds `name` among `candidates`: exactly, else ignoring case, else ignoring case and separators; only a unique loose match counts. */
export function matchName(name: string, candidates: readonly string[]): { name: string; loose: boolean } | undefined {
  if (candidates.includes(name)) return { name, loose: false };
  const lower = name.toLowerCase();
  const byCase = candidates.filter((c) => c.toLowerCase() === lower);
  if (byCase.length === 1) return { name: byCase[0]!, loose: true };
  if (byCase.length > 1) return undefined;
  const norm = normalizeName(name);
  const byNorm = candidates.filter((c) => normalizeName(c) === norm);
  return byNorm.length === 1 ? { name: byNorm[0]!, loose: true } : undefined;
}

/** Classifies a template variable: a secret (D6) or an input of the call. */
export function classifyVariable(name: string, secrets: SecretScope, inputPrefixes: readonly string[]): ValueSource & ({ kind: 'secret' } | { kind: 'input' }) {
  const dot = name.indexOf('.');
  if (dot > 0) {
    const prefix = name.slice(0, dot);
    const rest = name.slice(dot + 1);
    if (secrets.namespaces.has(prefix)) return { kind: 'secret', variable: rest };
    if (inputPrefixes.includes(prefix)) return { kind: 'input', name: rest };
  }
  if (secrets.variables.has(name)) return { kind: 'secret', variable: name };
  return { kind: 'input', name };
}

const CONSTRAINT_KEYS = ['pattern', 'enum', 'default', 'format', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'items'] as const;

/** The JSON Schema keywords a declared input carries (relaxation `relaxed-input-constraints`), if any. */
function constraintsOf(d: RawExposedInput): { constraints?: InputConstraints } {
  const picked = Object.fromEntries(CONSTRAINT_KEYS.filter((k) => d[k] !== undefined).map((k) => [k, d[k]])) as InputConstraints;
  return Object.keys(picked).length > 0 ? { constraints: picked } : {};
}

export function bindExposedCall(source: ExposedCallSource, operation: ConsumedOperation, secrets: SecretScope): BoundCall {
  const prefixes = [source.kind === 'rest' ? 'rest' : 'tools', source.adapterNamespace, ...(source.extraPrefixes ?? [])];
  const inputs: ExposedInput[] = [];
  const looseMatches: LooseMatch[] = [];
  const unboundSecrets: BoundCall['unboundSecrets'] = [];
  const exposedPathParams = source.exposedPath !== undefined ? parsePath(source.exposedPath).params : [];
  const consumedByName = (name: string): ConsumedParameter | undefined => {
    const m = matchName(
      name,
      operation.parameters.map((p) => p.name),
    );
    return m ? operation.parameters.find((p) => p.name === m.name) : undefined;
  };
  const inputNames = (): string[] => inputs.map((i) => i.name);
  const restLocation = (name: string, feeds?: ConsumedParameter): ExposedInput['location'] => {
    if (exposedPathParams.includes(name)) return 'path';
    if (feeds?.in === 'body' || feeds?.in === 'formData' || feeds?.in === 'template') return 'body';
    if (feeds?.in === 'header') return 'header';
    return 'query';
  };
  const addInput = (input: ExposedInput): void => {
    if (!inputs.some((i) => i.name === input.name)) inputs.push(input);
  };

  // 1. Declared inputs, as written.
  for (const d of source.declaredInputs) {
    addInput({
      name: d.name,
      type: d.type ?? 'string',
      ...(d.description ? { description: d.description } : {}),
      required: d.required ?? (source.kind === 'mcp' || d.in === 'path' || exposedPathParams.includes(d.name)),
      location: d.in ?? restLocation(d.name),
      origin: 'declared',
      ...constraintsOf(d),
      ...bodyPathOf(d),
    });
  }
  // 2. Placeholders of the exposed REST path: required strings.
  for (const p of exposedPathParams) {
    addInput({ name: p, type: 'string', description: `The {${p}} segment of ${source.exposedPath}.`, required: true, location: 'path', origin: 'exposed-path' });
  }

  // 3. Inputs that `with:` refers to; the value source of every `with` key.
  const withSources = new Map<string, ValueSource>();
  const resolveInputRef = (written: string, at: (string | number)[], feeds: ConsumedParameter | undefined, template: boolean): string => {
    const match = matchName(written, inputNames());
    if (match) {
      if (match.loose) looseMatches.push({ written, matched: match.name, subject: 'with-reference', at });
      return match.name;
    }
    const typed = consumedByName(written) ?? feeds;
    addInput({
      name: written,
      type: template ? 'string' : (typed?.type ?? 'string'),
      ...(typed?.description ? { description: typed.description } : {}),
      required: template ? false : (typed?.required ?? false),
      location: restLocation(written, template ? undefined : feeds),
      origin: 'with',
    });
    return written;
  };
  for (const [key, value] of Object.entries(source.with ?? {})) {
    const target = consumedByName(key);
    const at = ['with', key];
    if (typeof value !== 'string') {
      withSources.set(key, { kind: 'literal', value });
      continue;
    }
    const dot = value.indexOf('.');
    if (dot > 0 && prefixes.includes(value.slice(0, dot)) && !value.includes('{{')) {
      withSources.set(key, { kind: 'input', name: resolveInputRef(value.slice(dot + 1), at, target, false) });
      continue;
    }
    const parts = parseMustache(value);
    if (parts.some((p) => p.kind === 'var')) {
      const resolved = parts.map((p): ResolvedPart => {
        if (p.kind === 'text') return p;
        const v = classifyVariable(p.name, secrets, prefixes);
        if (v.kind === 'secret') {
          if (!secrets.variables.has(v.variable)) unboundSecrets.push({ variable: v.variable, at });
          return { kind: 'secret', variable: v.variable };
        }
        return { kind: 'input', name: resolveInputRef(v.name, at, target, true) };
      });
      withSources.set(key, { kind: 'template', parts: resolved });
      continue;
    }
    withSources.set(key, { kind: 'literal', value });
  }

  // A consumed `value: "{{userId}}"` names a value of the call: here, the exposed item's input of that name.
  const fromExposedInputs = (value: ValueSource): ValueSource => {
    if (value.kind !== 'template' || !value.parts.some((p) => p.kind === 'parameter')) return value;
    const parts = value.parts.map((p): ResolvedPart => (p.kind === 'parameter' ? { kind: 'input', name: resolveInputRef(p.name, ['call'], consumedByName(p.name), true) } : p));
    return { kind: 'template', parts };
  };

  // 4 and 5. Every consumed parameter (placeholders included) gets a source: `with`, a same-named input, its own value, or a new input.
  // Placeholders first (step 4), then the other parameters (step 5); arguments keep the operation's order.
  const sources = new Map<ConsumedParameter, ValueSource | undefined>();
  const ordered = [...operation.parameters.filter((p) => p.in === 'path'), ...operation.parameters.filter((p) => p.in !== 'path')];
  for (const parameter of ordered) {
    const withKey = matchName(parameter.name, [...withSources.keys()]);
    if (withKey) {
      if (withKey.loose) looseMatches.push({ written: withKey.name, matched: parameter.name, subject: 'with-key', at: ['with', withKey.name] });
      sources.set(parameter, withSources.get(withKey.name));
      continue;
    }
    if (parameter.value) {
      sources.set(parameter, fromExposedInputs(parameter.value));
      continue;
    }
    if (parameter.in === 'environment') {
      sources.set(parameter, undefined);
      continue;
    }
    const existing = matchName(parameter.name, inputNames());
    if (existing) {
      if (existing.loose) looseMatches.push({ written: existing.name, matched: parameter.name, subject: parameter.in === 'path' ? 'placeholder' : 'parameter', at: ['call'] });
      sources.set(parameter, { kind: 'input', name: existing.name });
      continue;
    }
    const described = parameter.description ?? (parameter.in === 'path' ? `The {${parameter.name}} segment of ${operation.path} in the consumed API.` : undefined);
    addInput({
      name: parameter.name,
      type: parameter.type,
      ...(described ? { description: described } : {}),
      required: parameter.required,
      location: restLocation(parameter.name, parameter),
      origin: parameter.in === 'path' ? 'consumed-path' : 'consumed-parameter',
    });
    sources.set(parameter, { kind: 'input', name: parameter.name });
  }

  const call: CallBinding = { operation, arguments: operation.parameters.map((parameter) => ({ parameter, source: sources.get(parameter) })) };
  return { inputs: source.kind === 'rest' ? markWholeBody(inputs, call) : inputs, call, looseMatches, unboundSecrets };
}

/**
 * The one body input that feeds a consumed `in: body` parameter is the whole JSON body (decisions doc,
 * "Inputs"); other body inputs are fields of it. Decided here, once, for the routes and the OpenAPI document.
 */
function markWholeBody(inputs: ExposedInput[], call: CallBinding): ExposedInput[] {
  const feedsBody = new Set(call.arguments.flatMap((a) => (a.parameter.in === 'body' && a.source?.kind === 'input' ? [a.source.name] : [])));
  const bodyInputs = inputs.filter((i) => i.location === 'body' && feedsBody.has(i.name));
  if (bodyInputs.length !== 1) return inputs;
  const whole = bodyInputs[0]!;
  return inputs.map((i) => (i === whole ? { ...i, wholeBody: true } : i));
}

/** `value: $.user.id` on a declared body input: the value is read at that place in the JSON body (the engine's reading). */
function bodyPathOf(d: RawExposedInput): { bodyPath?: Array<string | number> } {
  if ((d.in !== undefined && d.in !== 'body') || typeof d.value !== 'string' || !d.value.startsWith('$')) return {};
  const steps = compileJsonPath(d.value);
  if (!steps || steps.some((s) => typeof s === 'object')) return {};
  return { bodyPath: steps as Array<string | number> };
}

/** The JSON type of a consumed parameter that declares none: path placeholders and most values are strings. */
export function defaultParameterType(type: JsonTypeName | undefined, location: string): JsonTypeName {
  return type ?? (location === 'body' ? 'object' : 'string');
}
