/**
 * Every rule id naftiko-gen can report, in one place: `naftiko-gen rules` lists it, `npm run docs:rules`
 * writes the README's rule table from it, and test/rule-registry.test.ts fails when the code reports an
 * id that is not here (or this lists one the code never reports).
 */
import type { Severity } from './finding.js';

export interface RuleInfo {
  /** The stable id printed with each finding. */
  readonly id: string;
  /** The severities a finding of this rule can have, most usual first. */
  readonly severities: readonly Severity[];
  /** When the severity is not always the same, in a few words. */
  readonly severityNote?: string;
  /** What the rule catches, in one line. */
  readonly summary: string;
}

const STRICT = 'error with --strict';

function rule(id: string, severities: Severity | readonly Severity[], summary: string, severityNote?: string): RuleInfo {
  return { id, severities: typeof severities === 'string' ? [severities] : severities, summary, ...(severityNote ? { severityNote } : {}) };
}

/** In the order a reader meets them: reading the file, its version, the schema, then the cross-checks and the model. */
export const RULES: readonly RuleInfo[] = [
  rule('yaml-syntax', 'error', 'YAML that does not parse (duplicate keys included).'),
  rule('yaml-warning', 'warning', 'YAML the parser reads but warns about.'),
  rule('empty-document', 'error', 'An empty file.'),
  rule('root-not-mapping', 'error', 'A list or a scalar at the top of the file instead of a mapping.'),
  rule('file-unreadable', 'error', 'A capability file that cannot be read.'),
  rule('openapi-document', 'error', 'An OpenAPI or Swagger document given to `validate` or `build` (use `import openapi`).'),
  rule('version-missing', 'error', 'No `ikanos:`/`naftiko:` version (the hint fits the shape of the file).'),
  rule('version-unsupported', 'error', 'A version naftiko-gen does not read (the message lists those it does).'),
  rule('values-file', 'warning', 'A file of plain values (what a `binds` `location:` reads), not a capability: nothing to check.'),
  rule('import-outside-folder', 'error', 'An import (ikanos `from`/`import`, or consumes `location:`) that leaves the importing file\'s folder.'),
  rule('import-not-found', 'error', 'An ikanos import that names a namespace the shared document does not declare.'),
  rule('import-unreadable', 'error', 'An imported document that is missing, unreadable or invalid.'),
  rule('import-invalid', 'error', 'An imported consumes file that breaks the schema (its own findings point into it).'),
  rule('import-namespace-missing', 'error', 'An imported consumes file that does not declare the imported namespace.'),
  rule('shared-document', 'error', '`build` of a shared document, which has no server of its own.', '`build` only'),
  rule('tunnel-unsupported', ['error', 'warning'], 'An OpenZiti `tunnel`: naftiko-gen has no Ziti client, so the server could only reach the API directly.', 'warning with `fallback: direct`'),
  rule('schema-required', 'error', 'JSON Schema: a required property is missing.'),
  rule('schema-unknown-property', 'error', 'JSON Schema: a property the schema does not know (with a "did you mean").'),
  rule('schema-key', 'error', 'JSON Schema: a map key outside the allowed names.'),
  rule('schema-type', 'error', 'JSON Schema: a value of the wrong type.'),
  rule('schema-enum', 'error', 'JSON Schema: a value outside its list of allowed values.'),
  rule('schema-const', 'error', 'JSON Schema: a value other than the one allowed.'),
  rule('schema-pattern', 'error', 'JSON Schema: a string that does not match its pattern.'),
  rule('schema-unknown-type', 'error', 'JSON Schema: an unknown `type:` of a discriminated form.'),
  rule('schema-min-items', 'error', 'JSON Schema: a list with too few items.'),
  rule('schema-range', 'error', 'JSON Schema: a number out of its bounds.'),
  rule('schema-format', 'error', 'JSON Schema: a string not in its format (URI, email, ...).'),
  rule('schema-not-allowed', 'error', 'JSON Schema: a combination of properties the schema forbids.'),
  rule('schema-ambiguous', 'error', 'JSON Schema: a value that matches several forms where exactly one is allowed.'),
  rule('schema-no-match', 'error', 'JSON Schema: a value that matches none of the allowed forms.'),
  rule('schema-other', 'error', 'JSON Schema: any other keyword (length bounds, unique items, ...), named in the message.'),
  rule('relaxed-rest-description', ['warning', 'error'], '`description` on a REST adapter (used in the generated README).', STRICT),
  rule('relaxed-consumed-input-annotations', ['warning', 'error'], '`type`, `description`, `required` on a consumed input parameter (used to type the inferred inputs).', STRICT),
  rule('relaxed-object-output-mapping', ['warning', 'error'], 'An output parameter of type object mapped from one JSONPath.', STRICT),
  rule('relaxed-name-pattern', ['warning', 'error'], 'Names outside the official patterns (`$select`, `filter[status]`): sent as written, safe identifiers derived.', STRICT),
  rule('relaxed-head-method', ['warning', 'error'], 'The `HEAD` method.', STRICT),
  rule('relaxed-form-data', ['warning', 'error'], '`in: formData` (sent as a form body).', STRICT),
  rule('relaxed-input-constraints', ['warning', 'error'], '`enum`, `default`, `format`, `pattern`, bounds and `items` on an input (checked at the door).', STRICT),
  rule('relaxed-empty-base-uri', ['warning', 'error'], '`baseUri: \'\'`: the server requires `<CONSUMES NAMESPACE>_BASE_URI` at start.', STRICT),
  rule('relaxed-file-input', ['warning', 'error'], 'An input of `type: file`: a binary upload, the whole body or a multipart part (REST: the raw body; MCP: base64).', STRICT),
  rule('relaxed-unbound-env', ['warning', 'error'], '`{{env.X}}` with no `binds` entry: read from the variable X, required at start.', STRICT),
  rule('call-target-missing', 'error', 'A `call` to a namespace or operation that does not exist.'),
  rule('operation-duplicate', 'error', 'A `call` that is ambiguous: two operations of one consumed API with the same name.'),
  rule('ref-target-missing', 'error', 'A `ref` to an aggregate function that does not exist (the engine refuses to start).'),
  rule('function-duplicate', 'error', 'Two functions of one aggregate with the same name.'),
  rule('resource-duplicate', 'error', 'Two MCP resources with one URI or name.'),
  rule('prompt-duplicate', 'error', 'Two MCP prompts with one name.'),
  rule('step-call-unresolved', 'warning', 'A `call` step to an operation no consumed API declares: every request reaching it is refused.'),
  rule('construct-ignored', 'warning', 'Both `call` and `steps` on one item: REST runs the `call`, MCP the `steps`, as the engine does.'),
  rule('namespace-duplicate', 'error', 'The same namespace twice across consumes, exposes and binds.'),
  rule('environment-name-collision', 'error', 'Two namespaces that give the same `<NAMESPACE>_*` environment variables.'),
  rule('tool-name-duplicate', 'error', 'Two MCP tools with one name (a name taken from a `ref` included).'),
  rule('tool-name-shortened', 'warning', 'A tool name MCP clients would refuse: exposed under a shortened name with a hash.'),
  rule('port-conflict', 'error', 'Two adapters on one port.'),
  rule('route-duplicate', 'error', 'Two REST operations answering the same requests.'),
  rule('route-reserved', 'warning', 'A REST path that `/health/live`, `/health/ready` or `/metrics` would hide.'),
  rule('template-variable-unbound', 'error', 'A template variable no `binds` entry declares (it would be sent empty).'),
  rule('expression-unsupported', 'error', '`${input.x}` and other expressions of other dialects, which would be sent as text.'),
  rule('path-placeholder-malformed', 'error', '`{id` and other broken placeholders in a consumed path.'),
  rule('name-case-mismatch', 'warning', 'Names matched only when case or separators are ignored.'),
  rule('path-query', 'warning', 'A consumed path with a fixed query (sent before the parameters).'),
  rule('path-fragment', 'warning', 'A consumed path with a fragment `#Name=Value` (sent as a header).'),
  rule('path-repeats-base', 'warning', 'A consumed path that repeats the base URI\'s path (sent once).'),
  rule('header-name-invalid', 'error', 'A header or cookie parameter whose name HTTP cannot carry.'),
  rule('jsonpath-unsupported', 'warning', 'An output mapping outside the JSONPath subset naftiko-gen evaluates (`$`, `.name`, `[\'name\']`, `[0]`, `[*]`).'),
  rule('path-parameter-unused', 'warning', 'A path parameter missing from its path.'),
  rule('identifier-collision', 'warning', 'Two names that give one identifier in the generated code.'),
  rule('binary-size-shared', 'warning', 'Adapters with different `maxBinarySize` call one binary operation without a cap of its own: the smallest cap applies to all.'),
  rule('binary-resource-mapped', 'warning', 'A `binary: true` MCP resource whose steps map their answers: the mapped JSON is served as text, not as a blob.'),
  rule('ref-local-ignored', 'warning', 'A `with` or `mappings` on an item whose `ref` lends it the function\'s call: the function\'s are used, the item\'s are not.'),
  rule('construct-unsupported', 'warning', 'A valid construct naftiko-gen does not generate yet (the message says what happens instead).'),
  rule('auth-unsupported', 'warning', 'A consumed API\'s authentication the generated client cannot send.'),
  rule('inbound-auth-unsupported', 'error', 'An exposed adapter\'s `authentication` the server could not enforce (`digest`, `oauth2`): not built.'),
  rule('inbound-auth-incomplete', 'error', 'An exposed adapter\'s `authentication` with nothing to check against: not built.'),
  rule('mcp-auth-stdio-conflict', 'warning', '`authentication` on an MCP adapter with `transport: stdio`, where no request carries credentials.'),
  rule('input-unused', 'warning', 'A declared input that no consumed parameter takes.'),
  rule('with-key-unmatched', 'warning', 'A `with` key that feeds no parameter, placeholder or template of the called operation.'),
  rule('input-near-miss', 'warning', 'An inferred input one typo away from a declared one (`limitt` next to `limit`).'),
  rule('input-pattern-invalid', 'error', 'An input `pattern` that is not a valid regular expression.'),
  rule('skill-tool-source-missing', 'error', 'A skill tool taken `from` an adapter or action that does not exist.'),
  rule('skill-file-missing', 'error', 'A skill `instruction` file that is not in the skill\'s folder.'),
  rule('skill-location-unreadable', 'error', 'A skill `location` that cannot be read.'),
  rule('control-adapter-duplicate', 'error', 'A second `type: control` adapter (there is at most one).'),
  rule('binds-location-unsupported', 'error', 'A `binds` location that is not a file (`vault://...`).'),
  rule('baseuri-trailing-slash', 'warning', 'A `baseUri` ending in `/` (the engine refuses it): the slash is removed.'),
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return BY_ID.get(id);
}

/** `warning, error (error with --strict)`: the severity column of the table and of `naftiko-gen rules`. */
export function severityText(r: RuleInfo): string {
  return r.severities.join(', ') + (r.severityNote ? ` (${r.severityNote})` : '');
}

/** The README's rule table, one row per rule. */
export function rulesMarkdownTable(rules: readonly RuleInfo[] = RULES): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = rules.map((r) => `| \`${r.id}\` | ${cell(severityText(r))} | ${cell(r.summary)} |`);
  return ['| rule | severity | what it catches |', '| --- | --- | --- |', ...rows].join('\n');
}
