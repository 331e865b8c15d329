/**
 * The shape of a capability document once it has passed the schema: plain data straight from YAML.
 * Only what naftiko-gen reads is typed; everything else stays `unknown`.
 */
import type { InputType as JsonTypeName, OutputSpec } from '../../templates/runtime/shapes.js';

/** HEAD is a relaxation (relaxed-head-method). */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
/** The runtime's InputType: one declaration for the generator and the generated servers. */
export type { JsonTypeName };

export interface RawDocument {
  naftiko: string;
  info?: { label?: string; description?: string; tags?: string[] };
  binds?: RawBinding[];
  consumes?: RawConsumes[];
  capability?: RawCapabilityBody;
}

export interface RawCapabilityBody {
  binds?: RawBinding[];
  consumes?: RawConsumes[];
  exposes?: RawExposes[];
  aggregates?: unknown[];
}

export interface RawBinding {
  namespace: string;
  location?: string;
  keys: Record<string, string>;
}

export interface RawConsumes {
  type?: 'http';
  namespace?: string;
  baseUri?: string;
  description?: string;
  location?: string;
  import?: string;
  as?: string;
  inputParameters?: RawConsumedInput[];
  authentication?: RawAuthentication;
  resources?: RawConsumedResource[];
}

export interface RawConsumedResource {
  name: string;
  label?: string;
  description?: string;
  path: string;
  inputParameters?: RawConsumedInput[];
  operations: RawConsumedOperation[];
}

export interface RawConsumedOperation {
  name: string;
  label?: string;
  description?: string;
  method: HttpMethod;
  inputParameters?: RawConsumedInput[];
  outputRawFormat?: string;
  /** With `outputRawFormat: binary` (ikanos beta1 and later): the media type to answer with, and the size cap. */
  outputMediaType?: string;
  maxBinarySize?: string;
  outputSchema?: string;
  outputParameters?: unknown[];
  body?: unknown;
}

export interface RawConsumedInput {
  name: string;
  /** formData is a relaxation (relaxed-form-data). */
  in: 'query' | 'header' | 'path' | 'cookie' | 'body' | 'environment' | 'formData';
  value?: string;
  type?: JsonTypeName;
  description?: string;
  required?: boolean;
}

export type RawAuthentication =
  | { type: 'bearer'; token?: string }
  | { type: 'basic'; username?: string; password?: string }
  | { type: 'digest'; username?: string; password?: string }
  | { type: 'apikey'; key?: string; value?: string; placement?: 'header' | 'query' }
  | { type: 'oauth2'; [key: string]: unknown };

export type RawExposes = RawExposesRest | RawExposesMcp | RawExposesOther;

export interface RawExposesRest {
  type: 'rest';
  namespace: string;
  port: number;
  address?: string;
  description?: string;
  authentication?: RawAuthentication;
  resources?: RawExposedResource[];
}

export interface RawExposesMcp {
  type: 'mcp';
  namespace: string;
  port?: number;
  address?: string;
  transport?: 'http' | 'stdio';
  description?: string;
  authentication?: RawAuthentication;
  tools: RawMcpTool[];
  resources?: unknown[];
  prompts?: unknown[];
  cacheScope?: 'public' | 'private';
  ttlMs?: number;
}

export interface RawExposesOther {
  type: 'skill' | 'control';
  namespace?: string;
  port?: number;
  [key: string]: unknown;
}

export interface RawExposedResource {
  name?: string;
  label?: string;
  description?: string;
  path: string;
  inputParameters?: RawExposedInput[];
  operations?: RawExposedOperation[];
  forward?: { targetNamespace: string; trustedHeaders?: string[] };
}

export interface RawExposedOperation {
  name?: string;
  label?: string;
  description?: string;
  method: HttpMethod;
  inputParameters?: RawExposedInput[];
  call?: string;
  ref?: string;
  with?: Record<string, string | number | boolean>;
  steps?: unknown[];
  mappings?: unknown[];
  outputParameters?: RawOutputParameter[];
  tags?: string[];
  /** ikanos beta1 and later: how a successful answer is sent, by status and media type. */
  responses?: Record<string, { description?: string; content?: Record<string, { binary?: boolean }> }>;
  responseBinary?: { mediaType: string; status?: number; description?: string };
}

export interface RawExposedInput extends InputConstraints {
  name: string;
  in?: 'query' | 'header' | 'path' | 'cookie' | 'body';
  type: JsonTypeName;
  description: string;
  required?: boolean;
  pattern?: string;
  value?: string;
}

/** A scalar an input's `enum` or `default` may hold. */
export type InputScalar = string | number | boolean;

/**
 * JSON Schema keywords an input may carry (relaxation `relaxed-input-constraints`: no Naftiko or
 * ikanos version has them); the generated servers check them at the door.
 */
export interface InputConstraints {
  /** A JSON Schema (ECMAScript) regular expression a string must match somewhere. */
  pattern?: string;
  enum?: InputScalar[];
  default?: InputScalar;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  /** The type (and constraints) of an array's items. */
  items?: InputItems;
}

export interface InputItems extends Omit<InputConstraints, 'items' | 'default'> {
  type: JsonTypeName;
}

export interface RawMcpTool {
  name: string;
  label?: string;
  description: string;
  inputParameters?: RawExposedInput[];
  call?: string;
  ref?: string;
  with?: Record<string, string | number | boolean>;
  steps?: unknown[];
  mappings?: unknown[];
  hints?: { readOnly?: boolean; destructive?: boolean; idempotent?: boolean; openWorld?: boolean };
  outputParameters?: RawOutputParameter[];
  tags?: string[];
}

export interface RawOutputParameter {
  name?: string;
  type: OutputSpec['type'];
  mapping?: string;
  value?: string;
  const?: unknown;
  maxLength?: number;
  properties?: Record<string, RawOutputParameter>;
  items?: RawOutputParameter;
  values?: RawOutputParameter;
}

/** Root-level and capability-level lists are both allowed by the schema; most files use the latter. */
export function allConsumes(doc: RawDocument): Array<{ entry: RawConsumes; path: (string | number)[] }> {
  return [
    ...(doc.consumes ?? []).map((entry, i) => ({ entry, path: ['consumes', i] })),
    ...(doc.capability?.consumes ?? []).map((entry, i) => ({ entry, path: ['capability', 'consumes', i] })),
  ];
}

export function allBinds(doc: RawDocument): Array<{ entry: RawBinding; path: (string | number)[] }> {
  return [
    ...(doc.binds ?? []).map((entry, i) => ({ entry, path: ['binds', i] })),
    ...(doc.capability?.binds ?? []).map((entry, i) => ({ entry, path: ['capability', 'binds', i] })),
  ];
}

export function allExposes(doc: RawDocument): Array<{ entry: RawExposes; path: (string | number)[] }> {
  return (doc.capability?.exposes ?? []).map((entry, i) => ({ entry, path: ['capability', 'exposes', i] }));
}

type DocPath = (string | number)[];

/** Every REST adapter, typed, with where it is written. */
export function restAdapters(doc: RawDocument): Array<{ entry: RawExposesRest; path: DocPath }> {
  return allExposes(doc).flatMap(({ entry, path }) => (entry.type === 'rest' ? [{ entry, path }] : []));
}

/** Every MCP adapter, typed, with where it is written. */
export function mcpAdapters(doc: RawDocument): Array<{ entry: RawExposesMcp; path: DocPath }> {
  return allExposes(doc).flatMap(({ entry, path }) => (entry.type === 'mcp' ? [{ entry, path }] : []));
}

/** An exposed REST operation or MCP tool as written, with its adapter and place in the document. */
export type RawExposedItem =
  | { kind: 'rest'; adapter: RawExposesRest; resource: RawExposedResource; resourcePath: DocPath; item: RawExposedOperation; path: DocPath }
  | { kind: 'mcp'; adapter: RawExposesMcp; item: RawMcpTool; path: DocPath };

/** Every operation of every REST adapter, then every tool of every MCP adapter: the walk the cross-checks share. */
export function exposedItems(doc: RawDocument): RawExposedItem[] {
  const out: RawExposedItem[] = [];
  for (const { entry, path } of restAdapters(doc)) {
    (entry.resources ?? []).forEach((resource, ri) => {
      const resourcePath = [...path, 'resources', ri];
      (resource.operations ?? []).forEach((item, oi) => out.push({ kind: 'rest', adapter: entry, resource, resourcePath, item, path: [...resourcePath, 'operations', oi] }));
    });
  }
  for (const { entry, path } of mcpAdapters(doc)) {
    (entry.tools ?? []).forEach((item, ti) => out.push({ kind: 'mcp', adapter: entry, item, path: [...path, 'tools', ti] }));
  }
  return out;
}
