/**
 * `openapi.json`: an OpenAPI 3.1 description of one REST adapter, built from the same model as its
 * routes (paths, methods, path/query/header/cookie inputs, the JSON body), so that users can load it
 * in Swagger UI or feed it to another client generator. The REST adapter serves it at `/openapi.json`.
 * Serialised with JSON.stringify: JSON's own escaping applies to every string from the capability.
 */
import type { CapabilityModel, ExposedInput, JsonTypeName, RestAdapter, RestOperation } from '../../model/types.js';
import type { AdapterNames } from './naming.js';
import { generatedNotice, tsHeader } from './header.js';
import { lineComment, templateLiteralText } from '../../names/escape.js';

type Schema = Record<string, unknown>;

/** The module that holds the document for the server, and the constant it exports. */
export function openapiModule(adapter: AdapterNames<RestAdapter>): { module: string; constName: string } {
  return { module: `${adapter.module}.openapi`, constName: `${adapter.factory.replace(/Routes$/, '')}OpenApi` };
}

export function openapiModuleView(model: CapabilityModel, adapter: AdapterNames<RestAdapter>, text: string) {
  return {
    header: tsHeader(model.sourceName),
    doc: lineComment(`The OpenAPI description of the REST adapter ${adapter.adapter.namespace}, served at GET /openapi.json.`),
    constName: openapiModule(adapter).constName,
    text: templateLiteralText(text),
  };
}

/** The project file of each REST adapter's document: `openapi.json`, or one per adapter when there are several. */
export function openapiFile(names: readonly AdapterNames<RestAdapter>[], adapter: AdapterNames<RestAdapter>): string {
  return names.length === 1 ? 'openapi.json' : `openapi.${adapter.module.replace(/^rest\//, '')}.json`;
}

function schemaOf(type: JsonTypeName, description?: string): Schema {
  const base: Schema = type === 'array' ? { type, items: {} } : type === 'file' ? { type: 'string', format: 'binary' } : { type };
  return description ? { ...base, description } : base;
}

function parameter(input: ExposedInput): Schema {
  return {
    name: input.name,
    in: input.location,
    // OpenAPI requires path parameters; the route only matches when the segment is there.
    required: input.location === 'path' ? true : input.required,
    ...(input.description ? { description: input.description } : {}),
    schema: schemaOf(input.type),
  };
}

function requestBody(op: RestOperation): Schema | undefined {
  const body = op.inputs.filter((i) => i.location === 'body');
  if (body.length === 0) return undefined;
  const file = body.find((i) => i.type === 'file');
  if (file) return { required: file.required, content: { 'application/octet-stream': { schema: schemaOf(file.type, file.description) } } };
  const whole = body.find((i) => i.wholeBody);
  const fields = body.filter((i) => i !== whole);
  // A whole-body input and fields of the same body cannot both hold; the route reads the whole one.
  const schema: Schema = whole
    ? schemaOf(whole.type, whole.description)
    : {
        type: 'object',
        properties: Object.fromEntries(fields.map((i) => [i.name, schemaOf(i.type, i.description)])),
        ...(fields.some((i) => i.required) ? { required: fields.filter((i) => i.required).map((i) => i.name) } : {}),
      };
  return { required: body.some((i) => i.required), content: { 'application/json': { schema } } };
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };

/** The answers every operation shares, described once under components.responses. */
const ERROR_ANSWERS: Record<string, [name: string, description: string]> = {
  '400': ['InvalidInput', 'The request does not fit the inputs; nothing was sent upstream.'],
  '502': ['UpstreamUnavailable', 'The upstream API could not be reached.'],
  '504': ['UpstreamTimeout', 'The upstream API did not answer in time.'],
};

/** How the operation is answered, in words, for the description. */
function answeredBy(op: RestOperation): string {
  const h = op.handler;
  if (h.kind === 'call') return `Calls ${h.call.operation.namespace}.${h.call.operation.name}.`;
  if (h.kind === 'steps') return `Runs the steps ${h.steps.map((s) => s.name).join(', ')}.`;
  return 'Answers with fixed values (a mock); nothing is called.';
}

function operation(op: RestOperation): Schema {
  const body = requestBody(op);
  const summary = op.description?.split('\n')[0]?.trim();
  return {
    operationId: op.name,
    ...(summary ? { summary } : {}),
    description: `${op.description ? `${op.description}\n\n` : ''}${answeredBy(op)}`,
    parameters: op.inputs.filter((i) => i.location !== 'body').map(parameter),
    ...(body ? { requestBody: body } : {}),
    responses: {
      ...Object.fromEntries(Object.entries(ERROR_ANSWERS).map(([status, [name]]) => [status, { $ref: `#/components/responses/${name}` }])),
      default: { description: "The upstream API's answer, its status passed through, its body mapped by the capability's output parameters.", content: { 'application/json': { schema: {} } } },
    },
  };
}

export function openapiDocument(model: CapabilityModel, adapter: AdapterNames<RestAdapter>): string {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const op of adapter.adapter.operations) (paths[op.path] ??= {})[op.method.toLowerCase()] = operation(op);
  const description = [model.info.description, adapter.adapter.description].filter((d): d is string => !!d && d.trim() !== '').join('\n\n');
  const doc = {
    openapi: '3.1.0',
    'x-generated-by': generatedNotice(model.sourceName),
    info: {
      title: `${model.info.label || model.sourceName}: REST adapter ${adapter.adapter.namespace}`,
      version: '1.0.0',
      ...(description ? { description } : {}),
    },
    servers: [{ url: `http://localhost:${adapter.port}`, description: `The default port (${adapter.envPort} changes it)` }],
    paths,
    components: {
      responses: Object.fromEntries(Object.values(ERROR_ANSWERS).map(([name, description]) => [name, { description, content: { 'application/json': { schema: ERROR_REF } } }])),
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: {
            error: { type: 'string', description: 'A stable code: invalid_input, upstream_unavailable, upstream_timeout, ...' },
            message: { type: 'string' },
            fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, problem: { type: 'string' } } } },
          },
        },
      },
    },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
