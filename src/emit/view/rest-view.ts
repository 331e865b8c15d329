/** View model of `src/rest/<namespace>.ts`: the routes of one REST adapter. */
import type { ExposedInput, RestAdapter, RestOperation } from '../../model/types.js';
import type { PathPart } from '../../model/template.js';
import { lineComment, tsLiteral, tsPropertyKey, tsString } from '../../names/escape.js';
import { templateExpression } from '../code/expressions.js';
import { ImportSet } from '../code/imports.js';
import { printLiteral } from '../code/layout.js';
import { constantBases } from './constant-names.js';
import { adapterUsesSecrets, handlerUsesSecrets } from '../../model/walk.js';
import { forwardsUseSecrets } from '../../model/transform-forward.js';
import { docComment, tsHeader } from './header.js';
import { handlerSummary, handlerView } from './handler-view.js';
import type { AdapterNames, ProjectNames } from './naming.js';

/** A route segment as the runtime matches it: fixed text, or a placeholder with text around it. */
type Segment = string | { param: string; prefix?: string; suffix?: string };

/** Splits an exposed path into route segments; a placeholder may have literal text around it (`{id}.json`). */
export function routeSegments(parts: readonly PathPart[]): Segment[] {
  const segments: PathPart[][] = [[]];
  for (const part of parts) {
    if (part.kind === 'param') {
      segments[segments.length - 1]!.push(part);
      continue;
    }
    part.text.split('/').forEach((piece, i) => {
      if (i > 0) segments.push([]);
      if (piece !== '') segments[segments.length - 1]!.push({ kind: 'text', text: piece });
    });
  }
  // The path starts with `/`, which opens an empty first segment.
  if (segments.length > 1 && segments[0]!.length === 0) segments.shift();
  return segments.map(segmentOf);
}

function segmentOf(parts: PathPart[]): Segment {
  const index = parts.findIndex((p) => p.kind === 'param');
  const textOf = (ps: PathPart[]) => ps.map((p) => (p.kind === 'text' ? p.text : `{${p.name}}`)).join('');
  if (index < 0) return textOf(parts);
  // A second placeholder in one segment is matched as literal text; validation warns about it.
  const prefix = textOf(parts.slice(0, index));
  const suffix = textOf(parts.slice(index + 1));
  const param = parts[index] as { kind: 'param'; name: string };
  return { param: param.name, ...(prefix ? { prefix } : {}), ...(suffix ? { suffix } : {}) };
}

/** Where the route reads each input (the runtime's field list), as data. */
function routeInputs(op: RestOperation) {
  const from = (i: ExposedInput) => (i.type === 'file' && i.location === 'body' ? 'file-body' : i.wholeBody ? 'json-body' : i.location);
  return op.inputs.map((i) => ({ name: i.name, from: from(i), type: i.type, path: i.bodyPath && !i.wholeBody ? i.bodyPath : undefined }));
}

/** What a route answers with, as rest-adapter.ts.hbs prints it (a mock answers with plain JSON). */

/** The function that lists an adapter's `forward` resources: named after its routes' factory. */
export function forwardsFactory(factory: string): string {
  return `${factory.replace(/Routes$/, '')}Forwards`;
}

export function restView(names: AdapterNames<RestAdapter>, project: ProjectNames, sourceName: string) {
  const adapter = names.adapter;
  // The template registers what it prints ({{use}}); the input schemas the views print need zod.
  const imports = new ImportSet().add('zod', 'z');
  const usesSecrets = adapterUsesSecrets(adapter);
  const forwardSecrets = forwardsUseSecrets(adapter, project.apis.map((a) => a.api));
  const bases = constantBases(adapter.operations.map((op) => op.name));
  const operations = adapter.operations.map((op, index) => ({
    const: bases[index]!,
    label: lineComment(`${op.method} ${op.path} -> ${handlerSummary(op.handler)}`),
    source: op.line !== undefined ? lineComment(`${sourceName}:${op.line}`) : undefined,
    method: tsString(op.method),
    segments: printLiteral(routeSegments(op.pathParts), '      ', 'segments: '.length),
    fields: printLiteral(routeInputs(op), '      ', 'inputs: '.length),
    binaryResponse: op.binaryResponse ? tsLiteral(op.binaryResponse) : undefined,
    usesSecrets: handlerUsesSecrets(op.handler),
    ...handlerView(op, project, imports, bases[index]!),
  }));
  const forwards = (adapter.forwards ?? []).map((f) => {
    const api = project.apis.find((a) => a.api.namespace === f.targetNamespace)!;
    const fixed = (api.api.fixedHeaders ?? []).map((h) => `${tsPropertyKey(h.name.toLowerCase())}: ${templateExpression(h.value, { input: 'input', secrets: 'secrets' })}`);
    return {
      label: lineComment(`${f.path} -> forward to ${f.targetNamespace}`),
      except: tsLiteral(f.except),
      prefix: tsLiteral(f.prefix),
      api: api.key,
      trusted: tsLiteral(f.trustedHeaders),
      fixed: fixed.length ? `{ ${fixed.join(', ')} }` : '',
    };
  });
  return {
    header: tsHeader(sourceName),
    imports,
    operations,
    forwards,
    forwardsFactory: forwardsFactory(names.factory),
    usesSecrets,
    forwardSecrets,
    factory: names.factory,
    doc: docComment(`Routes of the REST adapter ${adapter.namespace}.${adapter.description ? `\n\n${adapter.description}` : ''}`),
  };
}
