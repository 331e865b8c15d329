/**
 * The typed model of a validated capability: what the emitters consume. It is independent of YAML
 * (no nodes, no positions) and of templates (no strings prepared for printing). Every name here is
 * the name as written in the capability (the wire name); emitters derive identifiers themselves.
 */
import type { HttpMethod, InputConstraints, JsonTypeName } from './raw.js';
import type { OutputParameter } from './transform-output.js';
import type { PathPart } from './template.js';
import type { ConsumedBody } from './request-body.js';
import type { ExposedHandler } from './handler-types.js';
import type { McpPromptModel, McpResourceModel, McpStaticResourceModel } from './mcp-extras.js';

export type { HttpMethod, JsonTypeName };
export type { InputConstraints, InputItems, InputScalar } from './raw.js';

export interface CapabilityModel {
  specVersion: string;
  /** File name of the capability (no folder): generated files say they come from it. */
  sourceName: string;
  info: { label: string; description: string; tags: string[] };
  secrets: SecretBinding[];
  consumes: ConsumedApi[];
  rest: RestAdapter[];
  mcp: McpAdapter[];
  /** Skill catalogs (`type: skill`). */
  skills: SkillAdapter[];
  /** The management port (`type: control`), at most one. */
  control?: ControlAdapter;
  /**
   * Files and folders read at build time besides the capability (script steps, static resources,
   * prompt files), sorted: a rebuild is due when one of them changes. Absent when there are none.
   */
  embeddedFiles?: string[];
  /** Adapters of kinds naftiko-gen does not generate yet: kept so emitters can say so. */
  unsupportedAdapters: Array<{ type: string; namespace?: string }>;
}

/** A bound variable (D6): `QOVERY_API_KEY` read from the environment variable or file key `source`. */
export interface SecretBinding {
  namespace: string;
  variable: string;
  source: string;
  /** Path of the file holding the value (relative to the capability's folder, or absolute), or undefined for the environment. */
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
  /** Consumes-level headers with a fixed value (literal or bound secrets): what a `forward` sends besides the trusted headers. */
  fixedHeaders?: Array<{ name: string; value: ResolvedPart[] }>;
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
  | { kind: 'digest'; username: ResolvedPart[]; password: ResolvedPart[] }
  | {
      kind: 'oauth2';
      /** Client credentials grant: the client id and secret are the bound variables named here (from the environment). */
      clientIdVariable: string;
      clientSecretVariable: string;
      issuer: string;
      tokenEndpoint?: string;
      scopes: string[];
      audience?: string;
      resource?: string;
    }
  | { kind: 'unsupported'; type: string };

/** Credentials callers of an exposed adapter must present; the expected values are text and bound secrets only. */
type SecretTemplate = Array<ResolvedPart & { kind: 'text' | 'secret' }>;
export type InboundAuthentication =
  | { kind: 'bearer'; token: SecretTemplate }
  | { kind: 'basic'; username: SecretTemplate; password: SecretTemplate }
  | { kind: 'apikey'; key: string; value: SecretTemplate; placement: 'header' | 'query' };

/** `template`: a value the operation's `body:` template uses, not sent on its own. */
export type ParameterLocation = 'query' | 'header' | 'path' | 'cookie' | 'body' | 'formData' | 'environment' | 'template';

export interface ConsumedParameter {
  name: string;
  in: ParameterLocation;
  type: JsonTypeName;
  description?: string;
  required: boolean;
  /** A fixed value or template from the capability (`value:`). */
  value?: ValueSource;
  /** Passed on as the caller gave it, whatever its JSON type (values of body templates: an array stays an array). */
  untyped?: boolean;
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
  /** `outputSchema`: a CSS selector (html), a heading (markdown) or a schema file (protobuf, avro). */
  outputSchema?: string;
  /** The `body:` written in the capability, when there is one. */
  body?: ConsumedBody;
  /** `outputRawFormat: binary`: the answer's bytes are passed through, with this media type and size cap. */
  binary?: { mediaType?: string; maxBytes?: number };
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
  /** Enum, default, bounds, format and item type of a declared input, checked at the door. */
  constraints?: InputConstraints;
  /** REST body inputs declared with `value: $.user.id`: where in the JSON body the value is (names and indexes). */
  bodyPath?: Array<string | number>;
  /** A REST body input that is the whole JSON body (it alone feeds the consumed `in: body` parameter), not a field of it. */
  wholeBody?: true;
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
  /** Inbound `authentication`: checked before anything else on every request. */
  auth?: InboundAuthentication;
  operations: RestOperation[];
  /** `forward` resources: requests passed on to a consumed API. */
  forwards?: RestForward[];
}

export interface RestForward {
  /** The exposed resource path as written. */
  path: string;
  /** Fixed segments before the placeholder that takes the rest of the path. */
  prefix: string[];
  /** Namespace of the consumed API the requests go to. */
  targetNamespace: string;
  trustedHeaders: string[];
  /** Methods the resource's own operations answer (they win over the forward). */
  except: HttpMethod[];
}

export interface RestOperation {
  /** Unique within the adapter: the operation name, or `<method>-<resource>` when it has none. */
  name: string;
  /** Where it is written in the capability (keys and indexes of the normalised document). */
  at?: (string | number)[];
  /** Its 1-based line in the capability file, once the validator has placed it. */
  line?: number;
  method: HttpMethod;
  path: string;
  pathParts: PathPart[];
  description?: string;
  /** `tags` (ikanos): for the REST adapter's OpenAPI description. */
  tags?: string[];
  /** `responseBinary`, or a 2xx entry of `responses` with binary content: the answer's bytes go out with this media type. */
  binaryResponse?: { mediaType: string; status?: number };
  inputs: ExposedInput[];
  /** The consumed call, when the handler is one (`handler.kind === 'call'`). */
  call?: CallBinding;
  /** What answers: a call, steps, or a mock (a `ref` is resolved into one of them). */
  handler: ExposedHandler;
  output: ExposedOutput;
}

export interface McpAdapter {
  namespace: string;
  transport: 'http' | 'stdio';
  port?: number;
  address?: string;
  description?: string;
  /** Inbound `authentication`: checked on Streamable HTTP before the SDK sees the request (not on stdio). */
  auth?: InboundAuthentication;
  tools: McpTool[];
  /** Declared only when the capability has some: the server then advertises them. */
  resources?: McpResourceModel[];
  /** Folders published file by file, their contents embedded. */
  staticResources?: McpStaticResourceModel[];
  prompts?: McpPromptModel[];
  /** `cacheScope` / `ttlMs` (ikanos beta4+): the freshness hint of the adapter's cacheable results. */
  cacheHint?: { cacheScope?: 'public' | 'private'; ttlMs?: number };
}

export interface McpTool {
  /** The name clients see: the declared one, shortened when MCP clients would refuse it. */
  name: string;
  /** The name as written in the capability. */
  declaredName: string;
  /** Where it is written in the capability (keys and indexes of the normalised document). */
  at?: (string | number)[];
  /** Its 1-based line in the capability file, once the validator has placed it. */
  line?: number;
  title?: string;
  description: string;
  /** `tags` (ikanos): carried into the tool's `_meta` for clients that group tools. */
  tags?: string[];
  hints: ToolHints;
  inputs: ExposedInput[];
  /** The consumed call, when the handler is one (`handler.kind === 'call'`). */
  call?: CallBinding;
  /** What answers: a call, steps, or a mock (a `ref` is resolved into one of them). */
  handler: ExposedHandler;
  output: ExposedOutput;
}

/** Output mappings in the engine's order: the first non-null result wins; none gives the raw body. */
export interface ExposedOutput {
  parameters: OutputParameter[];
}

/** The control adapter: which built-in endpoints its port serves. */
export interface ControlAdapter {
  port: number;
  address?: string;
  auth?: InboundAuthentication;
  /** `/health/live` and `/health/ready` (`management.health`, on unless false). */
  health: boolean;
  /** `/status` (`management.info`). */
  status: boolean;
  /** `/metrics` in Prometheus text (`observability.metrics.local`, on unless switched off). */
  metrics: boolean;
}

/** A skill catalog adapter (`type: skill`): read-only, it never calls upstream. */
export interface SkillAdapter {
  namespace: string;
  port: number;
  address?: string;
  description?: string;
  auth?: InboundAuthentication;
  skills: Skill[];
}

export interface Skill {
  name: string;
  description: string;
  /** The Agent Skills frontmatter besides name and description, as written (`allowed-tools`, `license`, ...). */
  frontmatter: Record<string, string | boolean | Record<string, string>>;
  tools: SkillToolEntry[];
  /** The skill's files, sorted by path: those of its `location` folder, or a SKILL.md made from the frontmatter. */
  files: Array<{ path: string; text: string }>;
}

export type SkillToolEntry =
  | { name: string; description: string; from: { sourceNamespace: string; action: string } }
  | { name: string; description: string; instruction: string };
