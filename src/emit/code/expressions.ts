/**
 * Small TypeScript expressions built from the model: property access, zod schemas for inputs,
 * templates as string concatenation, and the argument object of a consumed call. Every string from
 * the capability goes through names/escape.ts; nothing here is pasted raw.
 */
import type { CallBinding, ConsumedParameter, ExposedInput, JsonTypeName, ResolvedPart, ValueSource } from '../../model/types.js';
import type { ImportSet } from './imports.js';
import type { ExposedHandler } from '../../model/handler-types.js';
import { tsLiteral, tsPropertyKey, tsString } from '../../names/escape.js';
import { zodInput } from './zod-input.js';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `obj.name` when `name` is a plain identifier, `obj["na me"]` otherwise. */
export function member(obj: string, name: string): string {
  return IDENT.test(name) ? `${obj}.${name}` : `${obj}[${tsString(name)}]`;
}

export function tsType(type: JsonTypeName): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return 'unknown[]';
    case 'object':
      return 'Record<string, unknown>';
    case 'file':
      // base64 text; see zod-input.ts.
      return 'string';
  }
}

/** The zod object schema of an operation's or tool's inputs, one property per line. */
export function zodObject(inputs: readonly ExposedInput[], indent: string): string {
  if (inputs.length === 0) return 'z.object({})';
  const lines = inputs.map((i) => `${indent}  ${tsPropertyKey(i.name)}: ${zodInput(i)},`);
  return `z.object({\n${lines.join('\n')}\n${indent}})`;
}

export interface ExpressionScope {
  /** Variable holding the checked inputs. */
  input: string;
  /** Variable holding the secrets map. */
  secrets: string;
  /** Variable holding the consumed call's arguments (consumes-level templates). */
  args?: string;
  /** Where `text()` is imported from when an expression prints it (the import is registered as it is printed). */
  imports?: ImportSet;
}

/** `text(expr)`, registering the helper's import in the scope's file. */
function textOf(expr: string, scope: ExpressionScope): string {
  scope.imports?.add('../runtime/upstream.js', 'text');
  return `text(${expr})`;
}

/** A template as a string concatenation; missing values render as '' (the engine's Mustache does the same). */
export function templateExpression(parts: readonly ResolvedPart[], scope: ExpressionScope): string {
  if (parts.length === 0) return "''";
  const pieces = parts.map((p) => {
    switch (p.kind) {
      case 'text':
        return tsString(p.text);
      case 'secret':
        return `${member(scope.secrets, p.variable)}`;
      case 'input':
        return textOf(member(scope.input, p.name), scope);
      case 'parameter':
        return textOf(member(scope.args ?? 'args', p.name), scope);
    }
  });
  // Every piece is a string (secrets are strings, `text()` returns one), so `+` concatenates.
  return pieces.join(' + ');
}

/** A literal as the consumed parameter's type when it reads as one (`"42"` for a number); otherwise as written. */
function literalValue(value: string | number | boolean, target: JsonTypeName): string | number | boolean {
  if (target === 'string') return String(value);
  if (typeof value === 'string' && (target === 'number' || target === 'integer') && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (typeof value === 'string' && target === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/**
 * The TypeScript type of the value a call passes for one argument, and whether it may be undefined.
 * The client writes each value as text where it goes, so a value of another JSON type is passed as it is;
 * the argument's type says so (consumes-view.ts widens it), and no cast pretends otherwise.
 */
export function argumentValueType(source: ValueSource, parameter: ConsumedParameter, inputs: readonly ExposedInput[]): { type: string; optional: boolean } {
  switch (source.kind) {
    case 'input': {
      const input = inputs.find((i) => i.name === source.name);
      if (!input) return { type: 'unknown', optional: true };
      const type = parameter.untyped ? 'unknown' : parameter.type === 'string' ? 'string' : tsType(input.type);
      return { type, optional: !input.required };
    }
    case 'literal': {
      const value = literalValue(source.value, parameter.type);
      return { type: typeof value, optional: false };
    }
    case 'template':
    case 'secret':
      return { type: 'string', optional: false };
  }
}

function valueExpression(source: ValueSource, parameter: ConsumedParameter, inputs: readonly ExposedInput[], scope: ExpressionScope): string {
  switch (source.kind) {
    case 'input': {
      const input = inputs.find((i) => i.name === source.name);
      const expr = member(scope.input, source.name);
      if (!input || parameter.untyped || parameter.type !== 'string' || tsType(input.type) === 'string') return expr;
      // A string parameter fed by a number or boolean input: the input's text.
      return input.required ? textOf(expr, scope) : `(${expr} === undefined ? undefined : ${textOf(expr, scope)})`;
    }
    case 'literal':
      return tsLiteral(literalValue(source.value, parameter.type));
    case 'template':
      return templateExpression(source.parts, scope);
    case 'secret':
      return member(scope.secrets, source.variable);
  }
}

/** The argument object of a consumed call, one property per line; parameters with no source are left out. */
export function callArguments(call: CallBinding, inputs: readonly ExposedInput[], scope: ExpressionScope, indent: string): string {
  const lines = call.arguments
    .filter((a) => a.source !== undefined && a.parameter.in !== 'environment')
    .map(({ parameter, source }) => `${indent}  ${tsPropertyKey(parameter.name)}: ${valueExpression(source!, parameter, inputs, scope)},`);
  return lines.length === 0 ? '{}' : `{\n${lines.join('\n')}\n${indent}}`;
}

/**
 * The caller's name of each argument that comes straight from an input under another name
 * (`organizationId` from `organizationid`), so the runtime's refusals name what the caller sent.
 * Empty string when every name is the same.
 */
export function callFieldNames(call: CallBinding): string {
  const entries = call.arguments.flatMap(({ parameter, source }) =>
    source?.kind === 'input' && source.name !== parameter.name ? [`${tsPropertyKey(parameter.name)}: ${tsString(source.name)}`] : [],
  );
  return entries.length === 0 ? '' : `{ ${entries.join(', ')} }`;
}

/** What the calls of the capability pass for one consumed parameter: the types of the values, and whether one may be missing. */
export interface ArgumentUse {
  types: Set<string>;
  optional: boolean;
}

/**
 * How every call in the capability fills each consumed parameter, so the client's argument types say
 * what is passed: required where every call gives a value, widened where a call passes another JSON type.
 */
export function argumentUses(items: Iterable<{ handler: ExposedHandler; inputs: readonly ExposedInput[] }>): Map<ConsumedParameter, ArgumentUse> {
  const uses = new Map<ConsumedParameter, ArgumentUse>();
  for (const item of items) {
    if (item.handler.kind !== 'call') continue;
    for (const { parameter, source } of item.handler.call.arguments) {
      const use = uses.get(parameter) ?? { types: new Set<string>(), optional: false };
      uses.set(parameter, use);
      if (!source) {
        use.optional = true;
        continue;
      }
      const value = argumentValueType(source, parameter, item.inputs);
      use.types.add(value.type);
      use.optional ||= value.optional;
    }
  }
  return uses;
}
