/**
 * What an OpenAPI schema says about one input's values, in the keywords a capability input can carry
 * (relaxation `relaxed-input-constraints`): enum, default, format, bounds and array items. Only what
 * is consistent is kept (an enum whose values fit the type, a default that fits it and the enum,
 * bounds in order), so that the generated servers never refuse a value the API accepts because of a
 * sloppy document. Also: a JSON request body's properties as typed inputs, when that is unambiguous.
 */
import type { InputConstraints, InputItems, InputScalar, JsonTypeName } from '../model/raw.js';
import { normalizeName } from '../model/template.js';
import { compilesAsPattern } from '../names/input-pattern.js';
import { isObject, type Json, type JsonObject, type OpenApiDocument } from './load-openapi.js';
import { PARAMETER_NAME } from './naming.js';

type TypeOf = (schema: Json | undefined) => JsonTypeName;

const fits = (type: JsonTypeName, v: Json): v is InputScalar =>
  type === 'string' ? typeof v === 'string' : type === 'boolean' ? typeof v === 'boolean' : (type === 'number' || type === 'integer') && typeof v === 'number' && (type === 'number' || Number.isInteger(v));
const isCount = (n: Json | undefined): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
const isBound = (n: Json | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** A schema with its single-member allOf/anyOf/oneOf wrappers opened (a common way to add a description to a $ref). */
export function unwrap(doc: OpenApiDocument, schema: Json | undefined, where: string): JsonObject | undefined {
  const first = doc.resolve(schema, where);
  if (!isObject(first)) return undefined;
  let s: JsonObject = first;
  for (let depth = 0; depth < 8; depth++) {
    const current = s;
    const key = (['allOf', 'anyOf', 'oneOf'] as const).find((k) => Array.isArray(current[k]) && (current[k] as Json[]).length === 1);
    if (key === undefined || s.type !== undefined || s.enum !== undefined) break;
    const inner = doc.resolve((s[key] as Json[])[0], where);
    if (!isObject(inner)) break;
    s = { ...inner, ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== key)) };
  }
  return s;
}

function scalarConstraints(s: JsonObject, type: JsonTypeName): Omit<InputConstraints, 'items' | 'default'> {
  const c: Omit<InputConstraints, 'items' | 'default'> = {};
  if (Array.isArray(s.enum)) {
    const values = [...new Set(s.enum.filter((v) => v !== null))];
    if (values.length > 0 && type !== 'boolean' && values.every((v) => fits(type, v))) c.enum = values as InputScalar[];
  }
  if (typeof s.format === 'string' && s.format.trim() !== '' && (type === 'string' || type === 'number' || type === 'integer')) c.format = s.format.trim();
  if (type === 'number' || type === 'integer') {
    // OpenAPI 3.0's boolean exclusiveMinimum/Maximum make the bound strict: not expressible, so left out.
    if (isBound(s.minimum) && s.exclusiveMinimum !== true) c.minimum = s.minimum;
    if (isBound(s.maximum) && s.exclusiveMaximum !== true) c.maximum = s.maximum;
    if (c.minimum !== undefined && c.maximum !== undefined && c.minimum > c.maximum) {
      delete c.minimum;
      delete c.maximum;
    }
  }
  if (type === 'string') {
    if (typeof s.pattern === 'string' && s.pattern !== '' && compilesAsPattern(s.pattern)) c.pattern = s.pattern;
    if (isCount(s.minLength) && s.minLength > 0) c.minLength = s.minLength;
    if (isCount(s.maxLength)) c.maxLength = s.maxLength;
    if (c.minLength !== undefined && c.maxLength !== undefined && c.minLength > c.maxLength) {
      delete c.minLength;
      delete c.maxLength;
    }
  }
  if (c.enum) {
    // An enum says it all; bounds next to it only risk disagreeing with it.
    for (const k of ['minimum', 'maximum', 'minLength', 'maxLength', 'pattern'] as const) delete c[k];
  }
  return c;
}

function within(c: Omit<InputConstraints, 'items'>, v: InputScalar): boolean {
  if (c.enum && !c.enum.includes(v)) return false;
  if (typeof v === 'number') return (c.minimum === undefined || v >= c.minimum) && (c.maximum === undefined || v <= c.maximum);
  if (typeof v === 'string') return (c.minLength === undefined || v.length >= c.minLength) && (c.maxLength === undefined || v.length <= c.maxLength);
  return true;
}

/** The constraints of an input of `type` whose schema is `schema`. */
export function inputConstraints(doc: OpenApiDocument, schema: Json | undefined, type: JsonTypeName, typeOf: TypeOf, where: string): InputConstraints {
  const s = unwrap(doc, schema, where);
  if (!s) return {};
  if (type === 'array') {
    const c: InputConstraints = {};
    if (isCount(s.minItems) && s.minItems > 0) c.minItems = s.minItems;
    if (isCount(s.maxItems)) c.maxItems = s.maxItems;
    if (c.minItems !== undefined && c.maxItems !== undefined && c.minItems > c.maxItems) {
      delete c.minItems;
      delete c.maxItems;
    }
    if (s.items !== undefined) {
      const itemSchema = unwrap(doc, s.items, where);
      const itemType = typeOf(s.items);
      // An item schema that does not say its type (string is only the fallback) is left open.
      if (itemSchema && (itemType !== 'string' || itemSchema.type === 'string' || Array.isArray(itemSchema.type))) {
        const items: InputItems = { type: itemType, ...(itemType === 'array' || itemType === 'object' ? {} : scalarConstraints(itemSchema, itemType)) };
        c.items = items;
      }
    }
    return c;
  }
  if (type === 'object') return {};
  const c: InputConstraints = scalarConstraints(s, type);
  if (s.default !== undefined && fits(type, s.default) && within(c, s.default)) c.default = s.default;
  return c;
}

/** `One of: a, b. Default: a.`: the values in words, for capabilities that cannot carry them as keywords. */
export function describeValues(doc: OpenApiDocument, schema: Json | undefined, where: string): string {
  const s = unwrap(doc, schema, where);
  if (!s) return '';
  const parts: string[] = [];
  const listed = (v: Json): string => (typeof v === 'string' ? v : JSON.stringify(v));
  const MAX = 20;
  if (Array.isArray(s.enum) && s.enum.length > 0) parts.push(`One of: ${s.enum.slice(0, MAX).map(listed).join(', ')}${s.enum.length > MAX ? ', ...' : ''}.`);
  if (s.default !== undefined && s.default !== null && typeof s.default !== 'object') parts.push(`Default: ${listed(s.default)}.`);
  return parts.join(' ');
}

export interface BodyField {
  name: string;
  schema: Json;
  required: boolean;
}

/**
 * The properties of an object body, to become one input each; undefined when the body must stay one
 * input: not a plain object, fewer than `min` properties (one JSON body input is the whole body), open to
 * other properties, or a property name that cannot be an input or could be confused with another.
 */
export function bodyFields(doc: OpenApiDocument, schema: Json | undefined, taken: readonly string[], where: string, min = 2): BodyField[] | undefined {
  const s = unwrap(doc, schema, where);
  if (!s || s.oneOf !== undefined || s.anyOf !== undefined || s.discriminator !== undefined) return undefined;
  const declared = Array.isArray(s.type) ? s.type.filter((t) => t !== 'null') : s.type === undefined ? [] : [s.type];
  if (declared.length > 1 || (declared.length === 1 && declared[0] !== 'object')) return undefined;
  const properties: JsonObject = {};
  const required = new Set<string>();
  const parts = [s, ...(Array.isArray(s.allOf) ? s.allOf.map((m) => unwrap(doc, m, where)) : [])];
  for (const part of parts) {
    if (!part) return undefined;
    if (part !== s && (part.oneOf !== undefined || part.anyOf !== undefined)) return undefined;
    if (part.additionalProperties === true || isObject(part.additionalProperties)) return undefined;
    if (isObject(part.properties)) Object.assign(properties, part.properties);
    if (Array.isArray(part.required)) for (const r of part.required) if (typeof r === 'string') required.add(r);
  }
  const fields: BodyField[] = [];
  const seen = new Set(taken.map(normalizeName));
  for (const [name, raw] of Object.entries(properties)) {
    const prop = unwrap(doc, raw, where);
    // Read-only properties are sent by the API, never to it.
    if (prop?.readOnly === true && !required.has(name)) continue;
    if (!PARAMETER_NAME.test(name) || seen.has(normalizeName(name))) return undefined;
    seen.add(normalizeName(name));
    fields.push({ name, schema: raw, required: required.has(name) });
  }
  return fields.length >= min ? fields : undefined;
}
