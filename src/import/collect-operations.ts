/**
 * Walks `paths` and turns every operation into what a capability can express: a method naftiko
 * knows, its path, typed parameters whose names the schema accepts, and a JSON request body. What
 * cannot be expressed yet is skipped, each time with a warning naming the operation and the reason.
 */
import type { HttpMethod, InputConstraints, JsonTypeName } from '../model/raw.js';
import { bodyFields, describeValues, inputConstraints } from './input-schema.js';
import { ImportError, isObject, type Json, type JsonObject, type OpenApiDocument } from './load-openapi.js';
import { PARAMETER_NAME } from './naming.js';

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface ImportedParameter {
  name: string;
  /** `body`: one property of a JSON object body, sent as a field of it; `formData`: a field of a form body. */
  in: ParameterLocation | 'body' | 'formData';
  type: JsonTypeName;
  description: string;
  required: boolean;
  /** Enum, default, bounds, format and item type, from the parameter's schema. */
  constraints: InputConstraints;
  /** The same in words (`One of: a, b.`), for capabilities that must not carry the keywords. */
  values: string;
}

/** A JSON request body taken as one input (`body`): the whole body. */
export interface ImportedBody {
  type: JsonTypeName;
  description: string;
  required: boolean;
}

export interface ImportedOperation {
  /** The first tag, or undefined for an untagged operation. */
  tag: string | undefined;
  method: HttpMethod;
  /** The path without the fixed query some documents write in it (`/responses?beta=true`). */
  path: string;
  /** `name=value` pairs of that fixed query, sent as fixed query parameters. */
  fixedQuery: Array<[string, string]>;
  /** Headers with a fixed value: the Content-Type of a text body. */
  fixedHeaders: Array<[string, string]>;
  operationId: string | undefined;
  summary: string | undefined;
  description: string | undefined;
  deprecated: boolean;
  parameters: ImportedParameter[];
  body: ImportedBody | undefined;
  /** `GET /pets (listPets)`: how messages name the operation. */
  where: string;
}

/** A warning or note about one operation; `tag` (its first tag, undefined when none) says which capability it concerns. */
export interface OperationMessage {
  tag: string | undefined;
  text: string;
}

export interface CollectedOperations {
  operations: ImportedOperation[];
  warnings: OperationMessage[];
  notes: OperationMessage[];
  /** Parameters left out because their names cannot be written in a capability yet, by the tag of their operation. */
  skippedParameters: Array<{ tag: string | undefined }>;
  /** Operations left out (HEAD, OPTIONS, TRACE, unusable path placeholders), by tag. */
  skippedOperations: Array<{ tag: string | undefined }>;
}

function firstTag(op: JsonObject): string | undefined {
  const tags = Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string' && t.trim() !== '') : [];
  return tags[0];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const SUPPORTED: ReadonlySet<string> = new Set(['get', 'put', 'post', 'delete', 'patch']);
/** OpenAPI: header parameters with these names SHALL be ignored (content negotiation and security cover them). */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);
const JSON_MEDIA = /^(application\/([\w.+-]+\+)?json|text\/json|\*\/\*)(\s*;.*)?$/i;

function text(value: Json | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The JSON type of a schema: its `type` (3.1 arrays: the first that is not null), else what all of its allOf/anyOf/oneOf agree on, else string. */
export function schemaType(doc: OpenApiDocument, schema: Json | undefined, where: string, depth = 0): JsonTypeName {
  const s = doc.resolve(schema, where);
  if (!isObject(s) || depth > 8) return 'string';
  const declared = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (declared) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'array':
    case 'object':
      return declared;
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const members = s[key];
    if (!Array.isArray(members) || members.length === 0) continue;
    const types = new Set(members.map((m) => schemaType(doc, m, where, depth + 1)));
    const only = [...types][0];
    if (types.size === 1 && only !== undefined && members.every((m) => hasType(doc, m, where))) return only;
  }
  return 'string';
}

function hasType(doc: OpenApiDocument, schema: Json, where: string): boolean {
  const s = doc.resolve(schema, where);
  return isObject(s) && (s.type !== undefined || ['allOf', 'anyOf', 'oneOf'].some((k) => Array.isArray(s[k])));
}

function fallbackDescription(name: string, location: ParameterLocation): string {
  switch (location) {
    case 'path':
      return `The {${name}} segment of the path.`;
    case 'query':
      return `The ${name} query parameter.`;
    case 'header':
      return `The ${name} request header.`;
    case 'cookie':
      return `The ${name} cookie.`;
  }
}

interface RawParameter {
  name: string;
  in: string;
  object: JsonObject;
}

/** Path-level parameters, then the operation's, which replace those with the same name and location. */
function mergedParameters(doc: OpenApiDocument, pathLevel: Json | undefined, opLevel: Json | undefined, where: string, warn: (text: string) => void): RawParameter[] {
  const out: RawParameter[] = [];
  for (const list of [pathLevel, opLevel]) {
    if (!Array.isArray(list)) continue;
    list.forEach((raw, i) => {
      const p = doc.resolve(raw, `${where} parameters[${i}]`);
      if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') {
        warn(`${where}: parameters[${i}] has no name or no \`in\`; skipped`);
        return;
      }
      const entry = { name: p.name, in: p.in, object: p };
      const at = out.findIndex((q) => q.name === p.name && q.in === p.in);
      if (at >= 0) out[at] = entry;
      else out.push(entry);
    });
  }
  return out;
}

/** A JSON request body: its schema and what the operation says of it; `skip` when the operation cannot be imported without it. */
interface JsonBody {
  schema: Json | undefined;
  description: string;
  required: boolean;
  /** An application/x-www-form-urlencoded body (sent through the relaxation relaxed-form-data). */
  form: boolean;
  /** A text body (YAML, XML, plain text): the media type, sent as the Content-Type of a string body. */
  text?: string;
}

const TEXT_MEDIA = /^(text\/[\w.+-]+|application\/(x-)?yaml|application\/([\w.+-]+\+)?xml)(\s*;.*)?$/i;

const FORM_MEDIA = /^application\/x-www-form-urlencoded(\s*;.*)?$/i;

export interface CollectOptions {
  /** Import form bodies as `in: formData` fields (a relaxation: not under --strict). */
  forms: boolean;
  /** Keep parameter names outside the official pattern (relaxed-name-pattern: not under --strict). */
  names: boolean;
}

/** Names the generated code can carry as written: printable ASCII, no braces (templates), no spaces. */
const RELAXED_NAME = /^[!-z|~]+$/;

function importBody(doc: OpenApiDocument, raw: Json | undefined, where: string, options: CollectOptions): JsonBody | 'skip' | undefined {
  const rb = doc.resolve(raw, `${where} requestBody`);
  if (!isObject(rb)) return undefined;
  const content = isObject(rb.content) ? rb.content : {};
  const media = Object.keys(content);
  const form = options.forms ? media.find((m) => FORM_MEDIA.test(m)) : undefined;
  const json = media.find((m) => JSON_MEDIA.test(m)) ?? form;
  if (json === undefined) {
    const textMedia = media.find((m) => TEXT_MEDIA.test(m));
    if (textMedia === undefined) return media.length > 0 ? 'skip' : undefined;
    return { schema: { type: 'string' }, description: text(rb.description) ?? `The request body, as ${textMedia} text.`, required: rb.required === true, form: false, text: textMedia };
  }
  const mediaType = doc.resolve(content[json], `${where} requestBody`);
  const schema = isObject(mediaType) ? mediaType.schema : undefined;
  const resolved = doc.resolve(schema, `${where} requestBody`);
  const named = doc.refName(schema);
  const description =
    text(rb.description) ?? (isObject(resolved) ? text(resolved.description) : undefined) ?? `The JSON request body${named ? ` (${named})` : ''}.`;
  return { schema, description, required: rb.required === true, form: json === form };
}

/** `/responses?beta=true` → `/responses` and the fixed query `beta=true`; undefined when a pair cannot be written as a fixed parameter. */
function splitFixedQuery(path: string): { path: string; query: Array<[string, string]> } | undefined {
  const q = path.indexOf('?');
  if (q < 0) return { path, query: [] };
  const query: Array<[string, string]> = [];
  for (const pair of path.slice(q + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let [name, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    try {
      name = decodeURIComponent(name);
      value = decodeURIComponent(value);
    } catch {
      return undefined;
    }
    if (!PARAMETER_NAME.test(name) || value.includes('{') || value.includes('}')) return undefined;
    query.push([name, value]);
  }
  return { path: path.slice(0, q), query };
}

export function collectOperations(doc: OpenApiDocument, options: CollectOptions = { forms: true, names: true }): CollectedOperations {
  const result: CollectedOperations = { operations: [], warnings: [], notes: [], skippedParameters: [], skippedOperations: [] };
  const paths = isObject(doc.root.paths) ? doc.root.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    let item: Json | undefined;
    try {
      item = doc.resolve(rawItem, `paths.${path}`);
    } catch (err) {
      if (!(err instanceof ImportError)) throw err;
      result.warnings.push({ tag: undefined, text: `paths.${path}: skipped: ${err.message}` });
      continue;
    }
    if (!isObject(item)) continue;
    for (const method of Object.keys(item)) {
      if (!(METHODS as readonly string[]).includes(method)) continue;
      const where0 = `${method.toUpperCase()} ${path}`;
      let op: Json | undefined;
      try {
        op = doc.resolve(item[method], `paths.${path}.${method}`);
      } catch (err) {
        if (!(err instanceof ImportError)) throw err;
        result.warnings.push({ tag: undefined, text: `${where0}: skipped: ${err.message}` });
        result.skippedOperations.push({ tag: undefined });
        continue;
      }
      if (!isObject(op)) continue;
      const operationId = text(op.operationId);
      const where = `${where0}${operationId ? ` (${operationId})` : ''}`;
      const tag = firstTag(op);
      if (!SUPPORTED.has(method)) {
        result.warnings.push({ tag, text: `${where}: ${method.toUpperCase()} operations cannot be described in a capability (GET, POST, PUT, PATCH, DELETE only); skipped` });
        result.skippedOperations.push({ tag });
        continue;
      }
      // What one operation cannot express (a reference outside the file, a cycle) skips that operation only.
      let imported: ImportedOperation | undefined;
      try {
        imported = importOperation(doc, path, method, item, op, operationId, tag, where, result, options);
      } catch (err) {
        if (!(err instanceof ImportError)) throw err;
        result.warnings.push({ tag, text: `${where}: skipped: ${err.message}` });
      }
      if (imported) result.operations.push(imported);
      else result.skippedOperations.push({ tag });
    }
  }
  return result;
}

function importOperation(
  doc: OpenApiDocument,
  documentPath: string,
  method: string,
  item: JsonObject,
  op: JsonObject,
  operationId: string | undefined,
  tag: string | undefined,
  where: string,
  result: CollectedOperations,
  options: CollectOptions,
): ImportedOperation | undefined {
  const warn = (text: string): void => void result.warnings.push({ tag, text });
  const note = (text: string): void => void result.notes.push({ tag, text });
  if (documentPath.includes('#')) {
    warn(`${where}: the path has a fragment (#), which is never sent over HTTP; operation skipped`);
    return undefined;
  }
  const split = splitFixedQuery(documentPath);
  if (!split) {
    warn(`${where}: the query written in the path cannot be sent as fixed query parameters (names: letters, digits, -, _, *; no placeholders); operation skipped`);
    return undefined;
  }
  const path = split.path;
  if (split.query.length > 0) note(`${where}: the query in its path is sent as fixed query parameters (${split.query.map(([n, v]) => `${n}=${v}`).join(', ')})`);
  // The path's placeholders must be names a capability accepts, or the operation cannot be called.
  const placeholders = [...path.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
  const stripped = path.replace(/\{[^{}]*\}/g, '');
  if (stripped.includes('{') || stripped.includes('}')) {
    warn(`${where}: the path has a malformed placeholder; operation skipped`);
    return undefined;
  }
  const badPlaceholder = placeholders.find((p) => !PARAMETER_NAME.test(p));
  if (badPlaceholder !== undefined) {
    warn(`${where}: the path placeholder {${badPlaceholder}} has a name that a capability cannot express yet (allowed: letters, digits, -, _, *); operation skipped`);
    return undefined;
  }
  if (op.servers !== undefined || item.servers !== undefined) note(`${where}: its own \`servers\` are ignored; it is called on the base URI`);

  const parameters: ImportedParameter[] = [];
  const taken = new Set<string>(split.query.map(([n]) => n));
  const skip = (name: string, why: string): void => {
    warn(`${where}: parameter \`${name}\` skipped: ${why}`);
    result.skippedParameters.push({ tag });
  };
  const jsonBody = importBody(doc, op.requestBody, where, options);
  if (jsonBody === 'skip') {
    const rb = doc.resolve(op.requestBody, where);
    const media = isObject(rb) && isObject(rb.content) ? Object.keys(rb.content).join(', ') : '';
    const forms = options.forms ? 'a multipart or binary body' : 'a multipart, binary or form body (forms are imported without --strict)';
    warn(`${where}: skipped: its request body (${media}) is neither JSON nor text, and a capability cannot send ${forms} from a tool yet`);
    return undefined;
  }
  const typeOf = (schema: Json | undefined): JsonTypeName => schemaType(doc, schema, where);
  const wholeBody = jsonBody !== undefined && !jsonBody.form;
  // The body is the input `body`; names that match it once case and separators are ignored would be ambiguous.
  const likeBody = (name: string): boolean => wholeBody && name.toLowerCase().replace(/[^a-z0-9]/g, '') === 'body';
  const placeholderLikeBody = placeholders.find(likeBody);
  if (placeholderLikeBody !== undefined) {
    warn(`${where}: the path placeholder {${placeholderLikeBody}} has the name of the JSON request body's input; operation skipped`);
    return undefined;
  }
  for (const raw of mergedParameters(doc, item.parameters, op.parameters, where, warn)) {
    const p = raw.object;
    let name = raw.name;
    const location = raw.in;
    if (location !== 'path' && location !== 'query' && location !== 'header' && location !== 'cookie') {
      skip(name, `\`in: ${location}\` is not a parameter location of OpenAPI 3.0/3.1`);
      continue;
    }
    if (location === 'header' && IGNORED_HEADERS.has(name.toLowerCase())) {
      note(`${where}: header parameter \`${name}\` ignored, as OpenAPI says (content negotiation and authentication set it)`);
      continue;
    }
    if (location === 'path' && !placeholders.includes(name)) {
      const sameBut = placeholders.filter((ph) => ph.toLowerCase() === name.toLowerCase());
      if (sameBut.length !== 1) {
        skip(name, `it is declared \`in: path\` but the path has no {${name}}`);
        continue;
      }
      note(`${where}: path parameter \`${name}\` renamed \`${sameBut[0]!}\`, as the path spells it`);
      name = sameBut[0]!;
    }
    // Other names (`include[]`, `$select`) are sent as written through the relaxation relaxed-name-pattern, except
    // under --strict and for path parameters, whose names are the path's placeholders.
    if (!PARAMETER_NAME.test(name) && !(options.names && location !== 'path' && RELAXED_NAME.test(name))) {
      skip(name, `its name cannot be written in a capability${options.names ? '' : ' under --strict'} (allowed: letters, digits, -, _, *)`);
      continue;
    }
    if (likeBody(name)) {
      skip(name, 'the JSON request body is the input named `body`');
      continue;
    }
    if (taken.has(name)) {
      skip(name, split.query.some(([n]) => n === name) ? 'the query in the path fixes its value' : 'another parameter of the operation has the same name');
      continue;
    }
    taken.add(name);
    const schema = p.schema ?? (isObject(p.content) ? firstSchema(doc, p.content, where) : undefined);
    // A parameter described by `content` is serialised as that media type: text, whatever its schema.
    const byContent = p.schema === undefined && p.content !== undefined;
    const type: JsonTypeName = byContent ? 'string' : typeOf(schema);
    const resolvedSchema = doc.resolve(schema, where);
    const own = text(p.description) ?? (isObject(resolvedSchema) ? text(resolvedSchema.description) : undefined);
    parameters.push({
      name,
      in: location,
      type,
      description: own ?? fallbackDescription(name, location),
      required: location === 'path' || p.required === true,
      constraints: byContent ? {} : inputConstraints(doc, schema, type, typeOf, where),
      values: describeValues(doc, schema, where),
    });
  }
  // Placeholders that no parameter declares are still required strings.
  for (const ph of placeholders) {
    if (parameters.some((q) => q.in === 'path' && q.name === ph)) continue;
    if (taken.has(ph)) {
      warn(`${where}: the path placeholder {${ph}} has the name of another parameter; operation skipped`);
      return undefined;
    }
    taken.add(ph);
    parameters.push({ name: ph, in: 'path', type: 'string', description: fallbackDescription(ph, 'path'), required: true, constraints: {}, values: '' });
  }
  // Path parameters first, in the order of the path; the others as declared.
  const pathOrder = (q: ImportedParameter): number => (q.in === 'path' ? placeholders.indexOf(q.name) : placeholders.length);
  parameters.sort((a, b) => pathOrder(a) - pathOrder(b));

  // An object body becomes one typed input per property, so that agents see its fields; else it is the input `body`.
  let body: ImportedBody | undefined;
  if (jsonBody) {
    const fields = jsonBody.text !== undefined ? undefined : bodyFields(doc, jsonBody.schema, [...taken, 'body'], `${where} requestBody`, jsonBody.form ? 1 : 2);
    if (!fields && jsonBody.form) {
      warn(`${where}: skipped: its form body is not an object with named fields that can be inputs`);
      return undefined;
    }
    if (fields) {
      for (const f of fields) {
        const type = typeOf(f.schema);
        const resolved = doc.resolve(f.schema, where);
        parameters.push({
          name: f.name,
          in: jsonBody.form ? 'formData' : 'body',
          type,
          description: (isObject(resolved) ? text(resolved.description) : undefined) ?? `The ${f.name} field of the request body.`,
          // Required as the body's schema says: a field the API needs whenever a body is sent.
          required: f.required,
          constraints: inputConstraints(doc, f.schema, type, typeOf, where),
          values: describeValues(doc, f.schema, where),
        });
      }
    } else {
      const type = jsonBody.text !== undefined ? 'string' : typeOf(jsonBody.schema) === 'array' ? 'array' : 'object';
      body = { type, description: jsonBody.description, required: jsonBody.required };
    }
  }

  return {
    tag,
    method: method.toUpperCase() as HttpMethod,
    path,
    fixedQuery: split.query,
    fixedHeaders: jsonBody?.text !== undefined ? [['content-type', jsonBody.text]] : [],
    operationId,
    summary: text(op.summary),
    description: text(op.description),
    deprecated: op.deprecated === true,
    parameters,
    body,
    where,
  };
}

function firstSchema(doc: OpenApiDocument, content: JsonObject, where: string): Json | undefined {
  const first = Object.values(content)[0];
  const media = doc.resolve(first, where);
  return isObject(media) ? media.schema : undefined;
}
