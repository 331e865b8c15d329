/** View model of `src/consumes/<namespace>.ts`: one client class per consumed API. */
import type { BodyPart, ConsumedBody } from '../../model/request-body.js';
import type { Authentication, ConsumedApi, ConsumedOperation, ConsumedParameter, ResolvedPart } from '../../model/types.js';
import { code, tsLiteral, tsPropertyKey, tsString } from '../../names/escape.js';
import { member, templateExpression, tsType, type ArgumentUse } from '../code/expressions.js';
import { ImportSet } from '../code/imports.js';
import { LINE_WIDTH, printLiteral } from '../code/layout.js';
import { docComment, tsHeader } from './header.js';
import { formatLiteral } from './response-formats.js';
import type { ApiNames } from './naming.js';

type Literal = unknown;

/** The runtime descriptor of an operation, as data: where each argument goes on the wire. */
function descriptor(op: ConsumedOperation): Literal {
  const sendable = op.parameters.filter((p) => p.in !== 'environment');
  const pairs = (loc: string) => sendable.filter((p) => p.in === loc).map((p) => ({ name: p.name, arg: p.name }));
  const bodies = sendable.filter((p) => p.in === 'body');
  const forms = sendable.filter((p) => p.in === 'formData');
  const fieldList = (ps: typeof sendable) => ps.map((p) => ({ name: p.name, arg: p.name, ...(p.type === 'file' ? { file: true } : {}) }));
  // An uploaded file (relaxed-file-input): the whole body, or a part of a multipart body beside the other form fields.
  const files = [...forms, ...bodies].filter((p) => p.type === 'file');
  const fileBody =
    files.length === 0 ? undefined : forms.length + bodies.length === 1 ? { kind: 'binary', arg: files[0]!.name } : { kind: 'multipart-args', fields: fieldList([...forms, ...bodies]) };
  // Form fields (relaxed-form-data) make a form body; otherwise one body parameter is the whole JSON body, several are its fields.
  const body = op.body
    ? bodyData(op.body)
    : (fileBody ??
      (forms.length > 0
        ? { kind: 'form', fields: fieldList(forms) }
        : bodies.length === 0
          ? undefined
          : bodies.length === 1
            ? { kind: 'whole', arg: bodies[0]!.name }
            : { kind: 'fields', fields: fieldList(bodies) }));
  const format = formatLiteral(op);
  return {
    name: op.name,
    method: op.method,
    path: op.pathParts.map((part) => (part.kind === 'text' ? part.text : { arg: part.name })),
    query: pairs('query'),
    headers: pairs('header'),
    cookies: pairs('cookie'),
    body,
    fixedQuery: op.fixedQuery.length ? op.fixedQuery : undefined,
    fixedHeaders: op.fixedHeaders.length ? op.fixedHeaders : undefined,
    format: format ? code(format.literal) : undefined,
    binary: op.binary,
  };
}

function piecesData(pieces: readonly BodyPart[]): Literal[] {
  return pieces.map((p) => {
    if (p.kind === 'text') return p.text;
    return p.from.kind === 'parameter' ? { arg: p.from.name, escape: p.escape } : { secret: p.from.variable, escape: p.escape };
  });
}

/** The runtime data of a `body:` written in the capability (runtime/body.ts). */
function bodyData(body: ConsumedBody): Literal {
  switch (body.kind) {
    case 'template':
      return { kind: 'template', contentType: body.contentType, pieces: piecesData(body.pieces) };
    case 'form-fields':
      return { kind: 'form-fields', fields: body.fields.map((f) => ({ name: f.name, pieces: piecesData(f.pieces) })) };
    case 'multipart':
      return {
        kind: 'multipart',
        parts: body.parts.map((p) => ({ name: p.name, pieces: piecesData(p.pieces), filename: p.filename, contentType: p.contentType })),
      };
  }
}

/** Whether some body of the API inserts a bound secret (the client then needs the secrets). */
function bodiesUseSecrets(ops: readonly ConsumedOperation[]): boolean {
  const pieces = (b: ConsumedBody): BodyPart[] => (b.kind === 'template' ? b.pieces : b.kind === 'form-fields' ? b.fields.flatMap((f) => f.pieces) : b.parts.flatMap((p) => p.pieces));
  return ops.some((op) => op.body !== undefined && pieces(op.body).some((p) => p.kind === 'value' && p.from.kind === 'secret'));
}

function authParts(auth: Authentication | undefined): ResolvedPart[] {
  switch (auth?.kind) {
    case 'bearer':
      return auth.token;
    case 'basic':
    case 'digest':
      return [...auth.username, ...auth.password];
    case 'apikey':
      return auth.value;
    default:
      return [];
  }
}

/** The `credentials` function of the client; it takes the call's arguments only when a template refers to them. */
function credentials(auth: Authentication | undefined, imports: ImportSet): string | undefined {
  const scope = { input: 'args', secrets: 'secrets', args: 'args', imports };
  const head = authParts(auth).some((p) => p.kind === 'parameter') ? '(args: Args) =>' : '() =>';
  switch (auth?.kind) {
    case 'bearer':
      return `${head} ({ headers: { authorization: 'Bearer ' + ${templateExpression(auth.token, scope)} } })`;
    case 'basic':
      return `${head} ({ headers: { authorization: 'Basic ' + Buffer.from(${templateExpression(auth.username, scope)} + ':' + ${templateExpression(auth.password, scope)}).toString('base64') } })`;
    case 'apikey':
      return auth.placement === 'query'
        ? `${head} ({ query: [[${tsString(auth.key)}, ${templateExpression(auth.value, scope)}]] })`
        : `${head} ({ headers: { ${tsPropertyKey(auth.key.toLowerCase())}: ${templateExpression(auth.value, scope)} } })`;
    default:
      return undefined;
  }
}

/** The `auth` of the client: authentication that takes more than fixed headers (runtime/auth-*.ts). */
function upstreamAuth(auth: Authentication | undefined, imports: ImportSet): string | undefined {
  const scope = { input: 'args', secrets: 'secrets', imports };
  if (auth?.kind === 'digest') {
    imports.add('../runtime/auth-digest.js', 'DigestAuth');
    return `new DigestAuth(() => ({ username: ${templateExpression(auth.username, scope)}, password: ${templateExpression(auth.password, scope)} }))`;
  }
  if (auth?.kind === 'oauth2') {
    imports.add('../runtime/auth-oauth2.js', 'OAuth2ClientCredentials');
    const fields = [
      `issuer: ${tsString(auth.issuer)}`,
      'tokenEndpoint: options.tokenEndpoint',
      `clientId: ${member('secrets', auth.clientIdVariable)}`,
      `clientSecret: ${member('secrets', auth.clientSecretVariable)}`,
      ...(auth.scopes.length ? [`scopes: ${tsLiteral(auth.scopes)}`] : []),
      ...(auth.audience !== undefined ? [`audience: ${tsString(auth.audience)}`] : []),
      ...(auth.resource !== undefined ? [`resource: ${tsString(auth.resource)}`] : []),
      'timeoutMs: options.timeoutMs',
    ];
    return `new OAuth2ClientCredentials({ ${fields.join(', ')} })`;
  }
  return undefined;
}

/** The TypeScript type of an argument: the parameter's, widened by what the calls pass (see argumentUses). */
function argumentType(p: ConsumedParameter, use: ArgumentUse | undefined): string {
  if (p.untyped) return 'unknown';
  const types = new Set([tsType(p.type), ...(use?.types ?? [])]);
  return types.has('unknown') ? 'unknown' : [...types].join(' | ');
}

/** Whether the client reads bound secrets: in its credentials, its authentication or a body. */
export function clientUsesSecrets(api: ConsumedApi): boolean {
  const auth = api.authentication;
  return authParts(auth).some((p) => p.kind === 'secret') || auth?.kind === 'oauth2' || bodiesUseSecrets(api.operations);
}

/**
 * `uses`: how the capability's calls fill each parameter (argumentUses), for the argument types;
 * `stepCalls`: the operations steps call, sent by name with the values the steps hold.
 */
export function consumesView(
  names: ApiNames,
  sourceName: string,
  uses: ReadonlyMap<ConsumedParameter, ArgumentUse>,
  stepCalls: ReadonlySet<ConsumedOperation> = new Set(),
) {
  const { api } = names;
  // The template registers what it prints ({{use}}); here, what the code this view prints needs.
  const imports = new ImportSet();
  const usesSecrets = clientUsesSecrets(api);
  for (const op of api.operations) {
    const format = formatLiteral(op);
    if (format) imports.add(`../runtime/${format.module}.js`, format.symbol);
  }
  const auth = upstreamAuth(api.authentication, imports);
  const credentialsCode = credentials(api.authentication, imports);
  if (authParts(api.authentication).some((p) => p.kind === 'parameter')) imports.add('../runtime/upstream.js', 'Args', { type: true });
  return {
    header: tsHeader(sourceName),
    imports,
    namespace: tsString(api.namespace),
    className: names.className,
    classDoc: docComment(`Client of the consumed API ${tsLiteral(api.namespace)} (${api.baseUri}).${api.description ? `\n\n${api.description}` : ''}`),
    credentials: credentialsCode,
    usesSecrets,
    auth,
    oauth2: api.authentication?.kind === 'oauth2',
    bodySecrets: bodiesUseSecrets(api.operations),
    stepSend: api.operations.some((op) => stepCalls.has(op)),
    operations: api.operations.map((op) => {
      const n = names.methods.get(op)!;
      return {
        method: n.method,
        argsType: n.argsType,
        // The one-line signature, when it fits: `  name(args: NameArgs, fields?: FieldNames): Promise<UpstreamResponse> {`.
        wrapSignature: 2 + n.method.length + n.argsType.length + 58 > LINE_WIDTH,
        title: `\`${op.name.replace(/`/g, "'")}\``.replace(/\*\//g, '*\\/'),
        descriptor: printLiteral(descriptor(op), '  ', n.method.length + 4),
        doc: docComment(`${op.description ?? op.name}\n\n${op.method} ${op.path}`, '  '),
        args: op.parameters
          .filter((p) => p.in !== 'environment')
          .map((p) => ({
            key: tsPropertyKey(p.name),
            optional: !p.required || (uses.get(p)?.optional ?? false),
            type: argumentType(p, uses.get(p)),
            doc: docComment(`${p.description ? `${p.description} ` : ''}(${p.in === 'template' ? 'a value of the body' : p.in}${p.required ? ', required' : ''})`, '  '),
          })),
      };
    }),
  };
}
