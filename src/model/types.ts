/**
 * The typed model of a validated capability: what the emitters consume. It is independent of YAML
 * (no nodes, no positions) and of templates (no strings prepared for printing). Every name here is
 * the name as written in the capability (the wire name); emitters derive identifiers themselves.
 */
import type { HttpMethod, JsonTypeName, RawOutputParameter } from './raw.js';
import type { PathPart } from './template.js';

export type { HttpMethod, JsonTypeName };

export interface CapabilityModel {
  specVersion: string;
  /** File name of the capability (no folder): generated files say they come from it. */
  sourceName: string;
  info: { label: string; description: string; tags: string[] };
  secrets: SecretBinding[];
  consumes: ConsumedApi[];
  rest: RestAdapter[];
  mcp: McpAdapter[];
  /** Adapters of kinds naftiko-gen does not generate yet (skill, control): kept so emitters can say so. */
  unsupportedAdapters: Array<{ type: string; namespace?: string }>;
}

/** A bound variable (D6): `QOVERY_API_KEY` read from the environment variable or file key `source`. */
export interface SecretBinding {
  namespace: string;
  variable: string;
  source: string;
  /** `file://...` location, or undefined for the environment. */
  location?: string;
}

export interface ConsumedApi {
  namespace: string;
  baseUri: string;
  /** Placeholders in the base URI (`https://{subdomain}.example.com`), filled from configuration. */
  baseUriParams: string[];
  description?: string;
  authentication?: Authentication;
  operations: ConsumedOperation[];
}

/**
 * A template whose variables are resolved: an input of the exposed operation or tool, a bound
 * secret (D6), or (in consumes-level templates such as auth) a parameter of the consumed call.
 */
export type ResolvedPart =
  | { kind: 'text'; text: string }
  | { kind: 'input'; name: string }
  | { kind: 'secret'; variable: string }
  | { kind: 'parameter'; name: string };

export type Authentication =
  | { kind: 'bearer'; token: ResolvedPart[] }
  | { kind: 'basic'; username: ResolvedPart[]; password: ResolvedPart[] }
  | { kind: 'apikey'; key: string; value: ResolvedPart[]; placement: 'header' | 'query' }
  | { kind: 'unsupported'; type: string };

export type ParameterLocation = 'query' | 'header' | 'path' | 'cookie' | 'body' | 'formData' | 'environment';

export interface ConsumedParameter {
  name: string;
  in: ParameterLocation;
  type: JsonTypeName;
  description?: string;
  required: boolean;
  /** A fixed value or template from the capability (`value:`). */
  value?: ValueSource;
}

export interface ConsumedOperation {
  namespace: string;
  name: string;
  method: HttpMethod;
  description?: string;
  resourceName: string;
  /** The resource path as written, and parsed (without a fixed query or fragment). */
  path: string;
  pathParts: PathPart[];
  /** A fixed query written in the path (`?acl`), sent before the parameters. */
  fixedQuery: Array<[string, string]>;
  /** Headers written as a fragment of the path (`#X-Amz-Target=...`). */
  fixedHeaders: Array<[string, string]>;
  /** Every parameter of the call: consumes-level, resource-level, operation-level, then path placeholders not declared. */
  parameters: ConsumedParameter[];
  outputFormat: string;
}

/** Where the value of a consumed parameter comes from, per exposed operation or tool. */
export type ValueSource =
  | { kind: 'input'; name: string }
  | { kind: 'template'; parts: ResolvedPart[] }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'secret'; variable: string };

/** One input of an exposed operation or tool, declared or inferred (decisions doc, "Inputs"). */
export interface ExposedInput {
  name: string;
  type: JsonTypeName;
  description?: string;
  required: boolean;
  /** Where a REST request carries it. MCP tools take every input as an argument. */
  location: 'path' | 'query' | 'header' | 'cookie' | 'body';
  origin: 'declared' | 'exposed-path' | 'with' | 'consumed-path' | 'consumed-parameter';
}

export interface CallBinding {
  operation: ConsumedOperation;
  /** For each consumed parameter (same order as `operation.parameters`), where its value comes from, if anywhere. */
  arguments: Array<{ parameter: ConsumedParameter; source: ValueSource | undefined }>;
}

export interface ToolHints {
  readOnly?: boolean;
  destructive?: boolean;
  idempotent?: boolean;
  openWorld?: boolean;
}

export interface RestAdapter {
  namespace: string;
  port: number;
  address?: string;
  description?: string;
  operations: RestOperation[];
}

export interface RestOperation {
  /** Unique within the adapter: the operation name, or `<method>-<resource>` when it has none. */
  name: string;
  method: HttpMethod;
  path: string;
  pathParts: PathPart[];
  description?: string;
  /** `tags` (ikanos): for the REST adapter's OpenAPI description. */
  tags?: string[];
  inputs: ExposedInput[];
  call: CallBinding;
  output: OutputSpec;
}

export interface McpAdapter {
  namespace: string;
  transport: 'http' | 'stdio';
  port?: number;
  address?: string;
  description?: string;
  tools: McpTool[];
  /** `cacheScope` / `ttlMs` (ikanos beta4+): the freshness hint of the adapter's cacheable results. */
  cacheHint?: { cacheScope?: 'public' | 'private'; ttlMs?: number };
}

export interface McpTool {
  /** The name clients see: the declared one, shortened when MCP clients would refuse it. */
  name: string;
  /** The name as written in the capability. */
  declaredName: string;
  title?: string;
  description: string;
  /** `tags` (ikanos): carried into the tool's `_meta` for clients that group tools. */
  tags?: string[];
  hints: ToolHints;
  inputs: ExposedInput[];
  call: CallBinding;
  output: OutputSpec;
}

/** Output mappings in the engine's order (D9, D10): the first non-null result wins; none gives the raw body. */
export interface OutputSpec {
  parameters: RawOutputParameter[];
}
