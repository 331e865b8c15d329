/**
 * Small TypeScript expressions built from the model: property access, zod schemas for inputs,
 * templates as string concatenation, and the argument object of a consumed call. Every string from
 * the capability goes through names/escape.ts; nothing here is pasted raw.
 */
import type { CallBinding, ExposedInput, JsonTypeName, ResolvedPart, ValueSource } from '../../model/types.js';
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
        return `text(${member(scope.input, p.name)})`;
      case 'parameter':
        return `text(${member(scope.args ?? 'args', p.name)})`;
    }
  });
  // Every piece is a string (secrets are strings, `text()` returns one), so `+` concatenates.
  return pieces.join(' + ');
}

/** Whether a template expression needs the `text()` helper in scope. */
export function usesText(parts: readonly ResolvedPart[]): boolean {
  return parts.some((p) => p.kind === 'input' || p.kind === 'parameter');
}

function valueExpression(source: ValueSource, target: JsonTypeName, inputs: readonly ExposedInput[], scope: ExpressionScope, untyped = false): string {
  switch (source.kind) {
    case 'input': {
      const input = inputs.find((i) => i.name === source.name);
      const expr = member(scope.input, source.name);
      if (!input || untyped || tsType(input.type) === tsType(target)) return expr;
      if (target === 'string') return `(${expr} === undefined ? undefined : text(${expr}))`;
      return `(${expr} as unknown as ${tsType(target)})`;
    }
    case 'literal':
      if (target === 'string') return tsString(String(source.value));
      if (typeof source.value === 'string' && (target === 'number' || target === 'integer') && source.value.trim() !== '' && !Number.isNaN(Number(source.value))) return String(Number(source.value));
      if (typeof source.value === 'string' && target === 'boolean' && (source.value === 'true' || source.value === 'false')) return source.value;
      return tsType(target) === typeof source.value ? tsLiteral(source.value) : `(${tsLiteral(source.value)} as unknown as ${tsType(target)})`;
    case 'template': {
      const e = templateExpression(source.parts, scope);
      return target === 'string' ? e : `(${e} as unknown as ${tsType(target)})`;
    }
    case 'secret':
      return member(scope.secrets, source.variable);
  }
}

/** Whether building the call arguments needs the `text()` helper. */
export function callUsesText(call: CallBinding, inputs: readonly ExposedInput[]): boolean {
  return call.arguments.some(({ parameter, source }) => {
    if (!source) return false;
    if (source.kind === 'template') return usesText(source.parts);
    if (source.kind === 'input') {
      const input = inputs.find((i) => i.name === source.name);
      return !!input && !parameter.untyped && parameter.type === 'string' && tsType(input.type) !== 'string';
    }
    return false;
  });
}

/** The argument object of a consumed call, one property per line; parameters with no source are left out. */
export function callArguments(call: CallBinding, inputs: readonly ExposedInput[], scope: ExpressionScope, indent: string): string {
  const lines = call.arguments
    .filter((a) => a.source !== undefined && a.parameter.in !== 'environment')
    .map(({ parameter, source }) => `${indent}  ${tsPropertyKey(parameter.name)}: ${valueExpression(source!, parameter.type, inputs, scope, parameter.untyped)},`);
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
