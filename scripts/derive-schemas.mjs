// Derives the schema of every later version from ONE source of ours, schema/naftiko-1.0.0-alpha2.schema.json,
// plus the differences each version made (written here, in our words). Run by `npm run schemas`; the derived
// files are committed, and test/schema-versions.test.ts fails when they are stale.
//
//   naftiko 1.0.0-alpha1, alpha3   the alpha2 schema with another version constant
//   ikanos 1.0.0-alpha3, alpha4    the `ikanos` key; maps keyed by name; display; tags; from/import/as; flows; tunnel
//   ikanos 1.0.0-beta1 … beta3     binary content, REST responses, MCP binary resources
//   ikanos 1.0.0-beta4, beta5      MCP cacheScope and ttlMs; info.version
import { readFileSync, writeFileSync } from 'node:fs';

const DIR = new URL('../schema/', import.meta.url);
const read = (file) => JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));
const clone = (v) => structuredClone(v);

export const SOURCE = 'naftiko-1.0.0-alpha2.schema.json';

/** Every derived schema: file name and how it is made. */
export function deriveAll() {
  const base = read(SOURCE);
  const out = new Map();
  for (const v of ['1.0.0-alpha1', '1.0.0-alpha3']) out.set(`naftiko-${v}.schema.json`, naftikoVersion(base, v));
  const ikAlpha = ikanosAlpha(base);
  const ikBeta1 = ikanosBeta1(ikAlpha);
  const ikBeta4 = ikanosBeta4(ikBeta1);
  for (const [v, s] of [
    ['1.0.0-alpha3', ikAlpha],
    ['1.0.0-alpha4', ikAlpha],
    ['1.0.0-beta1', ikBeta1],
    ['1.0.0-beta2', ikBeta1],
    ['1.0.0-beta3', ikBeta1],
    ['1.0.0-beta4', ikBeta4],
    ['1.0.0-beta5', ikBeta4],
  ]) out.set(`ikanos-${v}.schema.json`, ikanosVersion(s, v));
  return out;
}

function naftikoVersion(base, version) {
  const s = clone(base);
  s.$id = `https://naftiko-gen.dev/schema/naftiko-${version}.schema.json`;
  s.title = `Naftiko capability ${version} (naftiko-gen)`;
  if (version === '1.0.0-alpha1') s.$comment = 'No schema was published for 1.0.0-alpha1: read with the rules of 1.0.0-alpha2. ' + s.$comment;
  s.properties.naftiko.const = version;
  return s;
}

function ikanosVersion(schema, version) {
  const s = clone(schema);
  s.$id = `https://naftiko-gen.dev/schema/ikanos-${version}.schema.json`;
  s.title = `Ikanos capability ${version} (naftiko-gen)`;
  s.properties.ikanos.const = version;
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// ikanos 1.0.0-alpha3 (alpha4 differs only by its constant)

/** Definitions whose items lost their `name`: the name became the key of a map. */
const KEYED = [
  'ConsumedInputParameter', 'ExposedInputParameter', 'ConsumedOutputParameter', 'OrchestratedOutputParameterBase',
  'OrchestratedOutputParameterScalar', 'OrchestratedOutputParameterArray', 'OrchestratedOutputParameterObject',
  'MockOutputParameter', 'AggregateFunction', 'McpTool', 'McpToolInputParameter', 'McpResource', 'McpPrompt',
  'McpPromptArgument', 'ExposedResource', 'ExposedOperation', 'ConsumedHttpResource', 'ConsumedHttpOperation',
  'OperationStepBase', 'OperationStepCall', 'OperationStepLookup', 'OperationStepScript', 'ExposedSkill', 'SkillTool',
];

/** How the keys of each kind of map are spelled (the `name` they replace). */
const KEBAB = { $ref: '#/$defs/IdentifierKebab' };
const EXTENDED = { $ref: '#/$defs/IdentifierExtended' };
const KEY_NAMES = {
  ConsumedInputParameter: EXTENDED,
  ExposedInputParameter: EXTENDED,
  McpToolInputParameter: EXTENDED,
  McpPromptArgument: EXTENDED,
  ConsumedHttpResource: KEBAB,
  ConsumedHttpOperation: KEBAB,
  ExposedResource: KEBAB,
  ExposedOperation: KEBAB,
  McpTool: KEBAB,
  McpResource: KEBAB,
  McpPrompt: KEBAB,
  OperationStep: KEBAB,
  AggregateFlow: KEBAB,
  ExposedSkill: KEBAB,
  SkillTool: KEBAB,
};

const TAGS = { type: 'array', description: 'Free keywords for grouping; carried into tool metadata and API descriptions.', items: { type: 'string' } };
const IMPORT_ENTRY = { $ref: '#/$defs/ImportEntry' };

/** `{type: array, items: X}` becomes `{type: object, additionalProperties: X}`, keys spelled as the old names. */
function toMap(prop, { min, keys } = {}) {
  const { items, minItems, type, ...rest } = prop;
  const ref = items?.$ref?.replace('#/$defs/', '');
  const map = { ...rest, type: 'object', additionalProperties: items };
  const keyName = keys === undefined ? KEY_NAMES[ref] : keys;
  if (keyName) map.propertyNames = keyName;
  const wantMin = min === undefined ? minItems : min;
  if (wantMin) map.minProperties = wantMin;
  return map;
}

/** One of the published forms, or an import of one from a shared document (`from`). */
function orImport(target, what) {
  return {
    $comment: `Equivalent to a oneOf of ${what} and an import entry (only an import has \`from\`), written as if/then/else so that a mistake is explained against the form the author used.`,
    if: { type: 'object', required: ['from'] },
    then: IMPORT_ENTRY,
    else: target,
  };
}

function renameLabel(def) {
  if (def?.properties?.label) {
    const { label, ...rest } = def.properties;
    def.properties = { display: { ...label, description: label.description ?? 'Display name.' }, ...rest };
  }
  if (Array.isArray(def?.required)) def.required = def.required.map((r) => (r === 'label' ? 'display' : r));
}

function dropName(def) {
  const strip = (node) => {
    if (!node || typeof node !== 'object') return;
    if (node.properties && 'name' in node.properties) delete node.properties.name;
    if (Array.isArray(node.required)) node.required = node.required.filter((r) => r !== 'name');
    for (const k of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(node[k])) node[k].forEach(strip);
  };
  strip(def);
}

function addTags(def) {
  def.properties.tags = clone(TAGS);
}

/**
 * The names that became map keys keep the relaxation of the names they replace (`$select`, `filter[status]`:
 * a warning at the key; an error under --strict). The key schema is written in place rather than as a `$ref`,
 * so that ajv validates it inline and knows which key it is checking (a called subschema would not).
 */
function inlineKeySchemas(schema) {
  const defs = schema.$defs;
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const ref = node.propertyNames?.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
      const { description: _d, $comment: _c, ...key } = clone(defs[ref.slice('#/$defs/'.length)]);
      node.propertyNames = key;
    }
    Object.values(node).forEach(walk);
  };
  walk(schema);
}

function ikanosAlpha(base) {
  const s = clone(base);
  const d = s.$defs;
  s.$comment = 'Mirrors the published Ikanos schema of this version, with the relaxations naftiko-gen reports (x-naftiko-relaxation) and ajv discriminators on type-keyed oneOfs.';
  s.description = 'An Ikanos document: version, metadata, and either a capability or exactly one kind of shared definitions (consumes, exposes, aggregates or binds) that capabilities import.';

  // Names become keys; label becomes display.
  for (const name of KEYED) dropName(d[name]);
  for (const def of Object.values(d)) renameLabel(def);

  // Aggregates hold flows (a map) instead of functions (a list); the namespace is optional.
  d.AggregateFlow = d.AggregateFunction;
  delete d.AggregateFunction;
  d.AggregateFlow.description = 'A reusable flow: a call, steps, or fixed outputs, that adapters target with ref.';
  const agg = d.Aggregate;
  const { functions, ...aggProps } = agg.properties;
  agg.properties = { ...aggProps, flows: toMap({ ...functions, items: { $ref: '#/$defs/AggregateFlow' } }, { keys: KEBAB }) };
  agg.properties.flows.description = 'The flows of the group, keyed by name.';
  agg.required = ['display', 'flows'];

  // Lists of named items become maps keyed by name.
  const mapProps = (def, props, opts = {}) => {
    for (const p of props) if (def.properties[p]) def.properties[p] = toMap(def.properties[p], opts[p] ?? {});
  };
  mapProps(d.ConsumesHttp, ['inputParameters', 'resources']);
  mapProps(d.ConsumedHttpResource, ['inputParameters', 'operations']);
  mapProps(d.ConsumedHttpOperation, ['inputParameters', 'outputParameters'], { outputParameters: { keys: null } });
  mapProps(d.ExposesRest, ['resources']);
  mapProps(d.ExposedResource, ['inputParameters', 'operations'], { operations: { min: 1 } });
  mapProps(d.ExposedOperation, ['inputParameters', 'steps']);
  mapProps(d.ExposesMcp, ['tools', 'resources', 'prompts']);
  mapProps(d.McpTool, ['inputParameters', 'steps']);
  mapProps(d.McpResource, ['steps']);
  mapProps(d.McpPrompt, ['arguments'], { arguments: { min: 0 } });
  mapProps(d.AggregateFlow, ['inputParameters', 'steps']);
  mapProps(d.ExposesSkill, ['skills']);
  mapProps(d.ExposedSkill, ['tools']);
  d.OrchestratedOutputParameterArray.properties.items = toMap(d.OrchestratedOutputParameterArray.properties.items, { keys: null });

  // Outputs of steps and mocks are maps keyed by name; mapped outputs stay lists.
  for (const def of [d.ExposedOperation, d.McpTool, d.McpResource, d.AggregateFlow]) {
    for (const branch of def.anyOf ?? def.oneOf ?? []) {
      const out = branch.properties?.outputParameters;
      const ref = out?.items?.$ref;
      if (ref === '#/$defs/OrchestratedOutputParameter' || ref === '#/$defs/MockOutputParameter') {
        branch.properties.outputParameters = toMap({ type: 'array', ...out }, { keys: null });
      }
    }
  }
  d.ExposedOperation.properties.outputParameters = true;
  d.McpTool.properties.outputParameters = true;
  d.AggregateFlow.properties.outputParameters = true;
  d.McpResource.properties.outputParameters = { type: ['array', 'object'] };

  // A mock output is closed against everything but its own keywords (the published schema uses unevaluatedProperties).
  delete d.MockOutputParameter.additionalProperties;
  d.MockOutputParameter.unevaluatedProperties = false;

  // Tags on operations, resources, tools and flows.
  for (const def of [d.ConsumedHttpResource, d.ConsumedHttpOperation, d.ExposedResource, d.ExposedOperation, d.McpTool, d.AggregateFlow]) addTags(def);

  // Step mappings name their target with `target`.
  const { targetName, ...mapRest } = d.StepOutputMapping.properties;
  d.StepOutputMapping.properties = { target: targetName, ...mapRest };
  d.StepOutputMapping.required = ['target', 'value'];

  // Imports: `from` a shared document, `import` a name, optionally `as` another.
  delete d.ImportedConsumesHttp;
  d.ImportEntry = {
    type: 'object',
    description: 'Takes a definition from a shared document: the consumed API, adapter, aggregate or binding named `import` in the file `from`.',
    properties: {
      from: { type: 'string', description: 'Path of the shared document, relative to this file.' },
      import: { $ref: '#/$defs/IdentifierKebab', description: 'Namespace of the definition inside that document.' },
      as: { $ref: '#/$defs/IdentifierKebab', description: 'Local namespace to use instead of the original one.' },
      description: { type: 'string', description: 'Why it is imported.' },
    },
    required: ['from', 'import'],
    additionalProperties: false,
  };
  const consumesItem = orImport({ $ref: '#/$defs/ConsumesHttp' }, 'a consumed HTTP API');
  const exposesItem = orImport(clone(d.Capability.properties.exposes.items), 'the adapters');
  const bindsItem = orImport({ $ref: '#/$defs/Binding' }, 'a binding');
  const aggregatesItem = orImport({ $ref: '#/$defs/Aggregate' }, 'an aggregate');
  const cap = d.Capability.properties;
  cap.consumes.items = clone(consumesItem);
  cap.exposes.items = clone(exposesItem);
  cap.binds.items = clone(bindsItem);
  cap.aggregates.items = clone(aggregatesItem);

  // Tunnels (OpenZiti) on consumed APIs.
  d.ConsumesHttp.properties.tunnel = { $ref: '#/$defs/TunnelConfig', description: 'Reach the API through an overlay network instead of the open internet.' };
  d.TunnelConfig = { description: 'An overlay network to reach the API through, chosen by type.', oneOf: [{ $ref: '#/$defs/TunnelZiti' }] };
  d.TunnelZiti = {
    type: 'object',
    description: 'An OpenZiti service reached with an enrolled identity.',
    properties: {
      type: { type: 'string', const: 'ziti' },
      service: { type: 'string', description: 'Name of the Ziti service to dial.' },
      identity: { type: 'string', description: 'Identity file used to join the network.' },
      fallback: { type: 'string', enum: ['fail', 'direct'], default: 'fail', description: 'What to do when the overlay is unreachable.' },
    },
    required: ['type', 'service', 'identity'],
    additionalProperties: false,
  };

  // The root: the `ikanos` key, and a shared document holds exactly one kind of definitions.
  const { naftiko, info, consumes, binds, capability } = s.properties;
  s.properties = {
    ikanos: { ...naftiko },
    info,
    capability,
    consumes: { ...consumes, items: clone(consumesItem), description: 'Consumed HTTP APIs shared with the capabilities that import them.' },
    exposes: { type: 'array', items: clone(exposesItem), minItems: 1, description: 'Adapters shared with the capabilities that import them.' },
    aggregates: { type: 'array', items: clone(aggregatesItem), minItems: 1, description: 'Aggregates shared with the capabilities that import them.' },
    binds: { ...binds, items: clone(bindsItem) },
  };
  inlineKeySchemas(s);
  const shared = (key) => ({ required: ['ikanos', key], not: { required: ['capability'] } });
  s.oneOf = [{ required: ['ikanos', 'capability'] }, shared('consumes'), shared('exposes'), shared('aggregates'), shared('binds')];
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// ikanos 1.0.0-beta1 (beta2 and beta3 differ only by their constants)

const MEDIA_TYPE = '^[a-zA-Z0-9!#$&^_.+-]+\\/[a-zA-Z0-9!#$&^_.+-]+(?:\\s*;\\s*[a-zA-Z0-9!#$&^_.+-]+=(?:[a-zA-Z0-9!#$&^_.+-]+|"[^"]*"))*$';
const ONE_RESPONSE_FORM = { not: { required: ['responses', 'responseBinary'] } };

function ikanosBeta1(alpha) {
  const s = clone(alpha);
  const d = s.$defs;
  d.BinarySize = { type: 'string', pattern: '^\\d+(\\.\\d+)?(B|KiB|MiB|GiB)$', description: 'A size such as 512KiB or 10MiB.' };
  const maxBinary = { $ref: '#/$defs/BinarySize', description: 'Largest binary body passed through; larger ones are refused.' };
  d.ExposesRest.properties.maxBinarySize = clone(maxBinary);
  d.ExposesMcp.properties.maxBinarySize = clone(maxBinary);

  const op = d.ConsumedHttpOperation;
  op.properties.outputRawFormat.enum.push('binary');
  const { outputParameters, body, outputSchema, ...before } = op.properties;
  op.properties = {
    ...before,
    outputMediaType: { type: 'string', description: 'Media type of a binary response, when the API does not say.' },
    maxBinarySize: clone(maxBinary),
    outputSchema,
    outputParameters,
    body,
  };
  // As published: the alternatives below restate the output forms; with the closed property list only the
  // first can hold, so the effect is that mapped outputs, when a list, must be mapped output parameters.
  op.anyOf = [
    { properties: { outputParameters: { items: { $ref: '#/$defs/MappedOutputParameter' } } } },
    { required: ['steps'], properties: { mappings: true, outputParameters: { type: 'object', additionalProperties: { $ref: '#/$defs/OrchestratedOutputParameter' } } } },
    { required: ['ref'] },
  ];
  Object.assign(op, clone(ONE_RESPONSE_FORM));

  d.AggregateFlow.properties.outputMediaType = { type: 'string', description: 'Media type of the binary content the flow returns.' };

  const ex = d.ExposedOperation;
  Object.assign(ex, clone(ONE_RESPONSE_FORM));
  ex.properties.responseBinary = {
    type: 'object',
    description: 'Answer with the upstream body as binary content of this media type.',
    properties: {
      mediaType: { type: 'string', pattern: MEDIA_TYPE },
      status: { type: 'integer', minimum: 100, maximum: 599, default: 200 },
      description: { type: 'string', description: 'What the response holds, for the API description.' },
    },
    required: ['mediaType'],
    additionalProperties: false,
  };
  ex.properties.responses = {
    type: 'object',
    description: 'Responses by status code (200, 4XX), each with its media types, as in OpenAPI.',
    propertyNames: { pattern: '^[1-5][0-9X]{2}$' },
    additionalProperties: {
      type: 'object',
      properties: {
        description: { type: 'string', description: 'What the response holds, for the API description.' },
        content: {
          type: 'object',
          propertyNames: { pattern: MEDIA_TYPE },
          minProperties: 1,
          additionalProperties: {
            type: 'object',
            properties: { schema: { type: 'object', additionalProperties: true }, binary: { type: 'boolean', default: false } },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
  };
  d.McpResource.properties = { binary: { type: 'boolean', default: false, description: 'The content is binary (sent base64-encoded as a blob).' }, ...d.McpResource.properties };
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// ikanos 1.0.0-beta4 (beta5 differs only by its constant)

function ikanosBeta4(beta1) {
  const s = clone(beta1);
  const d = s.$defs;
  d.CacheScope = { type: 'string', enum: ['public', 'private'], description: 'Whether a cached answer may be shared between callers (public) or kept per caller (private).' };
  d.ExposesMcp.properties.cacheScope = { $ref: '#/$defs/CacheScope' };
  d.ExposesMcp.properties.ttlMs = { type: 'integer', description: 'How long, in milliseconds, an answer may be served from the cache.' };
  d.Info.properties.version = { type: 'string', description: 'Version of the capability itself.' };
  return s;
}

// ---------------------------------------------------------------------------------------------------------

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [file, schema] of deriveAll()) writeFileSync(new URL(file, DIR), `${JSON.stringify(schema, null, 2)}\n`);
}
