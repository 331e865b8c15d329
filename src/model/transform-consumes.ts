/** Transform of one `consumes` entry (an HTTP API) into the model's ConsumedApi. */
import { binarySizeBytes } from './binary-caps.js';
import { classifyVariable, defaultParameterType, type SecretScope } from './bind-call.js';
import type { RawAuthentication, RawConsumedInput, RawConsumes } from './raw.js';
import { splitConsumedPath } from './consumed-path.js';
import { transformBody } from './request-body.js';
import { envVarName } from '../names/identifiers.js';
import { parseMustache, parsePath } from './template.js';
import type { Note } from '../validate/finding.js';
import type { Authentication, ConsumedApi, ConsumedOperation, ConsumedParameter, ResolvedPart, ValueSource } from './types.js';


/** Resolves a consumes-level template: variables are bound secrets or parameters of the call. */
export function resolveConsumesTemplate(
  source: string,
  secrets: SecretScope,
  at: (string | number)[],
  notes: Note[],
): ResolvedPart[] {
  return parseMustache(source).map((p): ResolvedPart => {
    if (p.kind === 'text') return p;
    const v = classifyVariable(p.name, secrets, []);
    if (v.kind === 'secret') {
      if (!secrets.variables.has(v.variable)) {
        notes.push({
          rule: 'template-variable-unbound',
          severity: 'error',
          path: at,
          message: `\`{{${p.name}}}\` refers to the variable \`${v.variable}\`, which no \`binds\` entry declares, so it would be sent empty.`,
          hint: `Declare it under \`binds\` (for example \`keys: { ${v.variable}: ${v.variable} }\` in the \`env\` namespace) or fix the name.`,
        });
      }
      return { kind: 'secret', variable: v.variable };
    }
    return { kind: 'parameter', name: v.name };
  });
}

function transformAuth(auth: RawAuthentication | undefined, namespace: string, secrets: SecretScope, notes: Note[]): Authentication | undefined {
  if (!auth) return undefined;
  const at = ['authentication'];
  const t = (value: string | undefined, key: string) => resolveConsumesTemplate(value ?? '', secrets, [...at, key], notes);
  switch (auth.type) {
    case 'bearer':
      return { kind: 'bearer', token: t(auth.token, 'token') };
    case 'basic':
      return { kind: 'basic', username: t(auth.username, 'username'), password: t(auth.password, 'password') };
    case 'apikey':
      return { kind: 'apikey', key: auth.key ?? '', value: t(auth.value, 'value'), placement: auth.placement ?? 'header' };
    case 'digest': {
      const username = t(auth.username, 'username');
      const password = t(auth.password, 'password');
      if ([...username, ...password].some((p) => p.kind === 'parameter')) {
        notes.push({
          rule: 'auth-unsupported',
          severity: 'warning',
          path: at,
          message: 'Digest credentials that depend on the call\'s values are not generated: requests go out without credentials.',
          hint: 'Take the user name and password from bound variables (`{{env.API_USER}}`).',
        });
        return { kind: 'unsupported', type: auth.type };
      }
      return { kind: 'digest', username, password };
    }
    case 'oauth2': {
      // The client id and secret are not part of the spec: they come from <NAMESPACE>_CLIENT_ID and _CLIENT_SECRET.
      const prefix = envVarName(namespace);
      const o = auth as { authorizationServerUri?: string; tokenEndpoint?: string; scopes?: string[]; audience?: string; resource?: string };
      return {
        kind: 'oauth2',
        clientIdVariable: `${prefix}_CLIENT_ID`,
        clientSecretVariable: `${prefix}_CLIENT_SECRET`,
        issuer: o.authorizationServerUri ?? '',
        ...(o.tokenEndpoint !== undefined ? { tokenEndpoint: o.tokenEndpoint } : {}),
        scopes: o.scopes ?? [],
        ...(o.audience !== undefined ? { audience: o.audience } : {}),
        ...(o.resource !== undefined ? { resource: o.resource } : {}),
      };
    }
    default: {
      // Only a type the schema does not know reaches here.
      const type = (auth as { type: string }).type;
      notes.push({
        rule: 'auth-unsupported',
        severity: 'warning',
        path: [...at, 'type'],
        message: `Authentication \`${type}\` on a consumed API is not generated: requests go out without credentials.`,
        hint: 'Use bearer, basic, apikey, digest or oauth2, or add the credentials in the generated hooks file.',
      });
      return { kind: 'unsupported', type };
    }
  }
}

/** What HTTP allows as a header (or cookie) name: a token. */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function transformParameter(raw: RawConsumedInput, secrets: SecretScope, at: (string | number)[], notes: Note[]): ConsumedParameter {
  if ((raw.in === 'header' || raw.in === 'cookie') && !HTTP_TOKEN.test(raw.name)) {
    notes.push({
      rule: 'header-name-invalid',
      severity: 'error',
      path: [...at, 'name'],
      message: `\`${raw.name}\` cannot be sent as a ${raw.in} name: HTTP allows only letters, digits and !#$%&'*+.^_\`|~- there.`,
      hint: 'Use the exact header name the API documents.',
    });
  }
  let value: ValueSource | undefined;
  if (raw.value !== undefined) {
    const parts = resolveConsumesTemplate(raw.value, secrets, [...at, 'value'], notes);
    value = parts.every((p) => p.kind === 'text') ? { kind: 'literal', value: raw.value } : { kind: 'template', parts };
  }
  return {
    name: raw.name,
    in: raw.in,
    type: defaultParameterType(raw.type, raw.in),
    ...(raw.description ? { description: raw.description } : {}),
    required: raw.required ?? raw.in === 'path',
    ...(value ? { value } : {}),
  };
}

/** Later declarations of the same name and location replace earlier ones (consumes, then resource, then operation). */
function mergeParameters(lists: ConsumedParameter[][]): ConsumedParameter[] {
  const out: ConsumedParameter[] = [];
  for (const list of lists) {
    for (const p of list) {
      const i = out.findIndex((q) => q.name === p.name && q.in === p.in);
      if (i >= 0) out[i] = p;
      else out.push(p);
    }
  }
  return out;
}

/** Its notes' paths are relative to the consumes entry; the model builder prefixes them. */
export function transformConsumes(raw: RawConsumes, secrets: SecretScope): { api: ConsumedApi; notes: Note[] } {
  const notes: Note[] = [];
  const namespace = raw.namespace ?? '';
  let baseUri = raw.baseUri ?? '';
  if (/[^/]\/+$/.test(baseUri)) {
    // The engine refuses to start; the author plainly meant the URI without the slash.
    const trimmed = baseUri.replace(/\/+$/, '');
    notes.push({
      rule: 'baseuri-trailing-slash',
      severity: 'warning',
      path: ['baseUri'],
      message: `The base URI \`${baseUri}\` ends with \`/\`, which the Naftiko engine refuses; naftiko-gen uses \`${trimmed}\`.`,
      hint: `Write \`baseUri: ${trimmed}\`: resource paths start with \`/\`.`,
    });
    baseUri = trimmed;
  }
  const common = (raw.inputParameters ?? []).map((p, i) => transformParameter(p, secrets, ['inputParameters', i], notes));
  const operations: ConsumedOperation[] = [];
  (raw.resources ?? []).forEach((resource, ri) => {
    const split = splitConsumedPath(resource.path, baseUri);
    for (const n of split.notes) notes.push({ ...n, path: ['resources', ri, 'path'] });
    const parsed = parsePath(split.path);
    for (const problem of parsed.problems) {
      notes.push({
        rule: 'path-placeholder-malformed',
        severity: 'error',
        path: ['resources', ri, 'path'],
        message: `The path \`${resource.path}\` has a malformed placeholder: ${problem}.`,
        hint: 'Write placeholders as `{name}` or `{{name}}`, with matching braces.',
      });
    }
    const resourceParams = (resource.inputParameters ?? []).map((p, i) => transformParameter(p, secrets, ['resources', ri, 'inputParameters', i], notes));
    resource.operations.forEach((op, oi) => {
      const opAt = ['resources', ri, 'operations', oi];
      const opParams = (op.inputParameters ?? []).map((p, i) => transformParameter(p, secrets, [...opAt, 'inputParameters', i], notes));
      const declared = mergeParameters([common, resourceParams, opParams]);
      for (const p of declared) {
        if (p.in === 'path' && !parsed.params.includes(p.name) && !parsed.params.some((q) => q.toLowerCase() === p.name.toLowerCase())) {
          const idx = (op.inputParameters ?? []).findIndex((q) => q.name === p.name);
          notes.push({
            rule: 'path-parameter-unused',
            severity: 'warning',
            path: idx >= 0 ? [...opAt, 'inputParameters', idx] : opAt,
            message: `The path parameter \`${p.name}\` does not appear in the path \`${resource.path}\`, so its value is never sent.`,
            hint: `Add \`{${p.name}}\` to the resource path, or change \`in:\` to where the API expects it.`,
          });
        }
      }
      // A placeholder declared under another case (`{organizationid}` and `organizationId`) is the same parameter (D5);
      // placeholders not declared at all become required string parameters.
      const pathParams = declared.filter((p) => p.in === 'path');
      const canonical = (name: string): string =>
        pathParams.find((p) => p.name === name)?.name ?? pathParams.find((p) => p.name.toLowerCase() === name.toLowerCase())?.name ?? name;
      const format = (op.outputRawFormat ?? 'json').toLowerCase();
      if (format === 'protobuf' || format === 'avro') {
        notes.push({
          rule: 'construct-unsupported',
          severity: 'warning',
          path: [...opAt, 'outputRawFormat'],
          message: `Answers in ${format} are not converted by the generated server: its body is passed on as received and output mappings find nothing in it.`,
          hint: 'Convert the answer in the `afterUpstream` hook of src/hooks.ts (it may set `text` to JSON), or ask the API for JSON.',
        });
      }
      if (op.outputSchema !== undefined && !['html', 'markdown', 'protobuf', 'avro'].includes(format)) {
        notes.push({
          rule: 'construct-unsupported',
          severity: 'warning',
          path: [...opAt, 'outputSchema'],
          message: `\`outputSchema\` has no meaning for answers in ${format}, so it is not used.`,
          hint: 'It is a CSS selector for html, a heading for markdown, or a schema file for protobuf and avro; remove it here.',
        });
      }
      // Values a `body:` template uses and no parameter declares are parameters of the call too (filled like the others).
      const body = op.body === undefined ? undefined : transformBody(op.body, secrets);
      for (const variable of body?.unbound ?? []) {
        notes.push({
          rule: 'template-variable-unbound',
          severity: 'error',
          path: [...opAt, 'body'],
          message: `The body refers to the variable \`${variable}\`, which no \`binds\` entry declares, so it would be sent empty.`,
          hint: `Declare \`${variable}\` under \`binds\`, or fix the name.`,
        });
      }
      const bodyValues: ConsumedParameter[] = (body?.parameters ?? [])
        .filter((name) => !declared.some((p) => p.name === name) && !parsed.params.includes(name))
        .map((name) => ({ name, in: 'template', type: 'string', required: false, untyped: true }));
      const placeholders: ConsumedParameter[] = parsed.params
        .filter((name) => !pathParams.some((p) => p.name === canonical(name)))
        .map((name) => ({ name, in: 'path', type: 'string', required: true }));
      operations.push({
        namespace,
        name: op.name,
        method: op.method,
        ...(op.description ? { description: op.description } : {}),
        resourceName: resource.name,
        path: resource.path,
        fixedQuery: split.query,
        fixedHeaders: split.headers,
        pathParts: parsed.parts.map((part) => (part.kind === 'param' ? { kind: 'param', name: canonical(part.name) } : part)),
        parameters: [...declared, ...placeholders, ...bodyValues],
        outputFormat: (op.outputRawFormat ?? 'json').toLowerCase(),
        ...(op.outputSchema !== undefined ? { outputSchema: op.outputSchema } : {}),
        ...(body ? { body: body.body } : {}),
        ...(format === 'binary' ? { binary: binaryAnswer(op) } : {}),
      });
    });
  });
  const fixedHeaders = common.flatMap((p) => {
    if (p.in !== 'header' || !p.value) return [];
    if (p.value.kind === 'literal') return [{ name: p.name, value: [{ kind: 'text' as const, text: String(p.value.value) }] }];
    if (p.value.kind === 'secret') return [{ name: p.name, value: [{ kind: 'secret' as const, variable: p.value.variable }] }];
    if (p.value.kind === 'template' && p.value.parts.every((q) => q.kind === 'text' || q.kind === 'secret')) return [{ name: p.name, value: p.value.parts }];
    return [];
  });
  const authentication = transformAuth(raw.authentication, namespace, secrets, notes);
  const api: ConsumedApi = {
    namespace,
    baseUri,
    baseUriParams: parsePath(baseUri).params,
    ...(raw.description ? { description: raw.description } : {}),
    ...(authentication ? { authentication } : {}),
    operations,
    ...(fixedHeaders.length ? { fixedHeaders } : {}),
  };
  return { api, notes };
}

/** `outputMediaType` and `maxBinarySize` (`512KiB`, `5MiB`) of a binary answer. */
function binaryAnswer(op: { outputMediaType?: string; maxBinarySize?: string }): { mediaType?: string; maxBytes?: number } {
  const maxBytes = binarySizeBytes(op.maxBinarySize);
  return {
    ...(typeof op.outputMediaType === 'string' ? { mediaType: op.outputMediaType } : {}),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
  };
}
