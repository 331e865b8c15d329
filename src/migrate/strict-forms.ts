/**
 * Relaxations that have an official form in ikanos, rewritten by `migrate` so that the file says the same
 * thing in the official schema (and naftiko-gen generates the same server from it):
 *
 * - `type`, `description`, `required` on a consumed input parameter (relaxed-consumed-input-annotations)
 *   type and describe the input an exposed operation or tool passes through `with: {p: rest.x}`: they
 *   become that input's declaration (`inputParameters`) on each REST operation and MCP tool that calls the
 *   operation. A REST path value keeps coming from its path placeholder.
 * - An object output `mapping: $.` without `properties` (relaxed-object-output-mapping) returns the whole
 *   answer, which is what a call without `outputParameters` returns.
 *
 * With `strict` (`migrate --strict`), also what has an official form only at a small cost, named in the notes:
 * a REST input the consumed parameter says is required is declared anyway (ikanos REST inputs cannot be
 * required, so the server stops refusing requests without it), an MCP tool's whole-answer object output is
 * removed (its result loses `structuredContent`), a REST adapter's
 * `description` becomes a comment (the generated README loses it). What has no official form at all is left as
 * it is and named in the notes: an annotated parameter some caller does not pass through `with`, an object
 * output of a part of the answer.
 * Works on the ikanos (keyed) shape.
 */
import { isMap, isScalar, isSeq, Scalar, YAMLMap, type Document, type Pair } from 'yaml';

const ANNOTATIONS = ['type', 'description', 'required'] as const;

interface Unit {
  kind: 'rest' | 'mcp';
  map: YAMLMap;
}

interface Tally {
  moved: number;
  dropped: number;
  kept: Set<string>;
  /** Required non-path inputs of REST callers: kept, or (strict) moved, the REST check lost. */
  requiredKept: Set<string>;
  requiredMoved: Set<string>;
  outputs: number;
  partialOutputs: number;
  /** MCP tools' whole-answer object outputs: kept, or (strict) removed. */
  toolOutputs: number;
  droppedToolOutputs: number;
  restDescriptions: number;
  keptRestDescriptions: number;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number' || typeof node.value === 'boolean') ? String(node.value) : undefined;
}

function mapsOf(node: unknown): YAMLMap[] {
  if (isMap(node)) return node.items.flatMap((p) => (isMap(p.value) ? [p.value] : []));
  if (isSeq(node)) return node.items.filter((i): i is YAMLMap => isMap(i));
  return [];
}

function entriesOf(node: unknown): Array<[string, YAMLMap]> {
  if (!isMap(node)) return [];
  return node.items.flatMap((p) => {
    const key = scalarText(p.key) ?? (typeof p.key === 'string' ? p.key : undefined);
    return key !== undefined && isMap(p.value) ? [[key, p.value] as [string, YAMLMap]] : [];
  });
}

/** Puts `key: value` just before `before` (or at the end), so the new declaration reads where inputs usually are. */
function insertBefore(map: YAMLMap, doc: Document, key: string, value: unknown, before: string): void {
  const pair = doc.createPair(key, value) as Pair<unknown, unknown>;
  const at = map.items.findIndex((p) => scalarText(p.key) === before);
  if (at < 0) map.items.push(pair);
  else map.items.splice(at, 0, pair);
}

/** The units that call operations: REST operations and MCP tools (resources read their inputs from the URI). */
function callers(root: YAMLMap): { units: Unit[]; others: YAMLMap[]; restAdapters: YAMLMap[] } {
  const units: Unit[] = [];
  const others: YAMLMap[] = [];
  const restAdapters: YAMLMap[] = [];
  for (const owner of [root, root.get('capability', true)]) {
    if (!isMap(owner)) continue;
    for (const adapter of mapsOf(owner.get('exposes', true))) {
      const type = adapter.get('type');
      if (type === 'rest') {
        restAdapters.push(adapter);
        for (const res of mapsOf(adapter.get('resources', true))) for (const op of mapsOf(res.get('operations', true))) units.push({ kind: 'rest', map: op });
      } else if (type === 'mcp') {
        for (const tool of mapsOf(adapter.get('tools', true))) units.push({ kind: 'mcp', map: tool });
        others.push(...mapsOf(adapter.get('resources', true)));
      }
    }
    for (const agg of mapsOf(owner.get('aggregates', true))) others.push(...mapsOf(agg.get('flows', true)));
  }
  return { units, others, restAdapters };
}

/** Every `call:` a unit makes, directly or in its steps. */
function callsOf(unit: YAMLMap): string[] {
  const direct = scalarText(unit.get('call', true));
  const steps = mapsOf(unit.get('steps', true)).flatMap((s) => scalarText(s.get('call', true)) ?? []);
  return direct !== undefined ? [direct, ...steps] : steps;
}

/** `rest.x` / `tools.x`: the input a `with` value passes as it is, or undefined for anything else. */
function passedInput(unit: Unit, value: unknown): string | undefined {
  const text = scalarText(value);
  const m = text === undefined ? null : /^(rest|tools)\.([A-Za-z0-9_-]+)$/.exec(text);
  return m && m[1] === (unit.kind === 'rest' ? 'rest' : 'tools') ? m[2] : undefined;
}

function moveAnnotations(doc: Document, root: YAMLMap, tally: Tally, strict: boolean): void {
  const { units, others } = callers(root);
  for (const owner of [root, root.get('capability', true)]) {
    if (!isMap(owner)) continue;
    for (const api of mapsOf(owner.get('consumes', true))) {
      const namespace = scalarText(api.get('namespace', true));
      for (const res of mapsOf(api.get('resources', true))) {
        for (const [opName, op] of entriesOf(res.get('operations', true))) {
          const target = `${namespace}.${opName}`;
          const calling = units.filter((u) => scalarText(u.map.get('call', true)) === target);
          // Called from steps, flows or resources: their inputs are not declared in one place; leave it be.
          const elsewhere = [...units.filter((u) => u.map.has('steps')), ...others.map((m) => ({ kind: 'mcp' as const, map: m }))].some((u) => callsOf(u.map).includes(target));
          for (const [paramName, param] of entriesOf(op.get('inputParameters', true))) {
            const annotated = ANNOTATIONS.filter((a) => param.has(a));
            if (annotated.length === 0) continue;
            const where = scalarText(param.get('in', true)) ?? 'query';
            const plans = calling.map((u) => ({ unit: u, input: withInput(u, paramName) }));
            if (elsewhere || where === 'environment' || plans.some((p) => p.input === undefined)) {
              tally.kept.add(`${target} ${paramName}`);
              continue;
            }
            const type = scalarText(param.get('type', true)) ?? 'string';
            if (where === 'path' && type !== 'string' && plans.some((p) => p.unit.kind === 'rest')) {
              tally.kept.add(`${target} ${paramName}`);
              continue;
            }
            const description = scalarText(param.get('description', true)) ?? `The \`${paramName}\` of ${opName}.`;
            const required = param.has('required') ? param.get('required') === true : where === 'path';
            // An ikanos REST input cannot say it is required (only path values are): the server would stop refusing requests without it.
            if (required && where !== 'path' && plans.some((p) => p.unit.kind === 'rest')) {
              if (!strict) {
                tally.requiredKept.add(`${target} ${paramName}`);
                continue;
              }
              tally.requiredMoved.add(`${target} ${paramName}`);
            }
            for (const { unit, input } of plans) declare(doc, unit, input!, { where, type, description, required });
            for (const a of annotated) param.delete(a);
            // With no caller, they typed nothing: dropped, and said so.
            if (calling.length === 0) tally.dropped += 1;
            else tally.moved += 1;
          }
        }
      }
    }
  }
}

/** The input a unit passes to consumed parameter `param` through its `with`, when it passes one as it is. */
function withInput(unit: Unit, param: string): string | undefined {
  const w = unit.map.get('with', true);
  if (!isMap(w)) return undefined;
  const pair = w.items.find((p) => scalarText(p.key) === param);
  return pair ? passedInput(unit, pair.value) : undefined;
}

function declare(doc: Document, unit: Unit, input: string, p: { where: string; type: string; description: string; required: boolean }): void {
  // A REST path value comes from the path's own placeholder, typed string and required already.
  if (unit.kind === 'rest' && p.where === 'path') return;
  let inputs: unknown = unit.map.get('inputParameters', true);
  if (!isMap(inputs)) {
    if (inputs !== undefined) return;
    inputs = new YAMLMap();
    insertBefore(unit.map, doc, 'inputParameters', inputs, 'call');
  }
  const declared = inputs as YAMLMap;
  if (declared.has(input)) return;
  const entry = new YAMLMap();
  if (unit.kind === 'rest') entry.set('in', p.where);
  entry.set('type', p.type);
  entry.set('description', new Scalar(p.description));
  if (unit.kind === 'mcp' && !p.required) entry.set('required', false);
  declared.set(input, entry);
}

/**
 * `outputParameters: [{type: object, mapping: $.}]` on a call: the whole answer, as with no outputs at all. On
 * an MCP tool the object output also gives the result's `structuredContent` and the tool's output schema, which
 * a tool without outputs lacks: removed there only with `strict`.
 */
function dropWholeAnswerOutputs(root: YAMLMap, tally: Tally, strict: boolean): void {
  for (const { kind, map } of callers(root).units) {
    if (!map.has('call')) continue;
    const outputs = map.get('outputParameters', true);
    if (!isSeq(outputs)) continue;
    const objects = outputs.items.filter((o): o is YAMLMap => isMap(o) && o.get('type') === 'object' && !o.has('properties'));
    if (objects.length === 0) continue;
    const whole = outputs.items.length === 1 && objects.length === 1 && ['$', '$.'].includes(String(objects[0]!.get('mapping') ?? ''));
    if (whole && kind === 'mcp' && !strict) tally.toolOutputs += 1;
    else if (whole) {
      map.delete('outputParameters');
      if (kind === 'mcp') tally.droppedToolOutputs += 1;
      else tally.outputs += 1;
    } else tally.partialOutputs += 1;
  }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Rewrites the relaxations that have an official form; returns notes on what it rewrote and on what it
 * left as it is (a relaxation without an official form), for `migrate` to print. With `strict`, also those
 * whose official form changes a little of what the server gives (each named in the notes), so that the
 * file validates under --strict.
 */
export function rewriteRelaxations(doc: Document, root: YAMLMap, strict = false): string[] {
  const tally: Tally = { moved: 0, dropped: 0, kept: new Set(), requiredKept: new Set(), requiredMoved: new Set(), outputs: 0, partialOutputs: 0, toolOutputs: 0, droppedToolOutputs: 0, restDescriptions: 0, keptRestDescriptions: 0 };
  moveAnnotations(doc, root, tally, strict);
  dropWholeAnswerOutputs(root, tally, strict);
  for (const adapter of callers(root).restAdapters) {
    const text = scalarText(adapter.get('description', true));
    if (text === undefined) continue;
    if (!strict) {
      tally.keptRestDescriptions += 1;
      continue;
    }
    // No official form: kept as a comment on the adapter, for its readers.
    const words = `description: ${text}`.split(/\s+/);
    const lines: string[] = [];
    for (const word of words) {
      if (lines.length > 0 && `${lines[lines.length - 1]} ${word}`.length <= 100) lines[lines.length - 1] += ` ${word}`;
      else lines.push(word);
    }
    const comment = lines.map((l) => ` ${l}`).join('\n');
    adapter.commentBefore = adapter.commentBefore ? `${adapter.commentBefore}\n${comment}` : comment;
    adapter.delete('description');
    tally.restDescriptions += 1;
  }
  const notes: string[] = [];
  if (tally.moved > 0) notes.push(`rewrote: the \`type\`/\`description\`/\`required\` of ${plural(tally.moved, 'consumed input parameter')} now declare the inputs of the REST operations and MCP tools that pass them; one without a description gets one naming it (relaxed-consumed-input-annotations)`);
  if (tally.dropped > 0) notes.push(`rewrote: the annotations of ${plural(tally.dropped, 'consumed input parameter')} that no REST operation or MCP tool passes removed: they typed no input (relaxed-consumed-input-annotations)`);
  if (tally.outputs > 0) notes.push(`rewrote: ${plural(tally.outputs, 'object output')} \`mapping: $.\` without \`properties\` removed: a call without outputs returns the whole answer (relaxed-object-output-mapping)`);
  if (tally.kept.size > 0) notes.push(`kept (no official form): the annotations of ${[...tally.kept].sort().join(', ')}, which some caller does not pass through \`with\` as it is (relaxed-consumed-input-annotations)`);
  if (tally.toolOutputs > 0) notes.push(`kept (its official form, no outputs, gives no structured content): ${plural(tally.toolOutputs, 'MCP tool object output')} \`mapping: $.\` without \`properties\`; --strict removes them (relaxed-object-output-mapping)`);
  if (tally.droppedToolOutputs > 0) notes.push(`rewrote (--strict): ${plural(tally.droppedToolOutputs, 'MCP tool object output')} \`mapping: $.\` without \`properties\` removed: the tools answer the same JSON as text, without \`structuredContent\` nor an output schema (relaxed-object-output-mapping)`);
  if (tally.keptRestDescriptions > 0) notes.push(`kept (no official form): the \`description\` of ${plural(tally.keptRestDescriptions, 'REST adapter')}; --strict moves it into a comment (relaxed-rest-description)`);
  if (tally.requiredKept.size > 0) notes.push(`kept (no official form): the annotations of ${[...tally.requiredKept].sort().join(', ')}, required inputs of a REST operation, which ikanos cannot declare required; --strict moves them (the REST server then sends requests without them on) (relaxed-consumed-input-annotations)`);
  if (tally.requiredMoved.size > 0) notes.push(`rewrote (--strict): ${[...tally.requiredMoved].sort().join(', ')} are optional inputs of their REST operations now: ikanos cannot declare them required, so a request without them is sent on (relaxed-consumed-input-annotations)`);
  if (tally.partialOutputs > 0) notes.push(`kept (no official form): ${plural(tally.partialOutputs, 'object output')} mapping part of the answer without \`properties\` (relaxed-object-output-mapping)`);
  if (tally.restDescriptions > 0) notes.push(`moved into a comment (--strict; no official form): the \`description\` of ${plural(tally.restDescriptions, 'REST adapter')}, which ikanos REST adapters do not have; the generated README no longer shows it (relaxed-rest-description)`);
  return notes;
}
