/**
 * Orchestration (`steps`): the steps run in order over one table of variables seeded with the
 * inputs. A call step stores its JSON answer under its name (`{{get-ship.imo}}`), a lookup step the
 * rows it finds in an earlier step's answer. `mappings` then build the answer from the table; without
 * them, the last upstream answer goes through the output parameters as a plain call would.
 */
import { fill, record, type Template } from './mock.js';
import { currentRequest, runWith } from './ops.js';
import { parseBody, select, type PathStep } from './output.js';
import { RequestInputError, type Args, type UpstreamResponse } from './upstream.js';

/** Where a step's `with` value (or a consumed parameter's own `value`) comes from; secrets are filled in as literals. */
export type StepValue = { readonly variable: string } | { readonly template: Template } | { readonly literal: unknown };

export interface CallStep {
  readonly kind: 'call';
  readonly name: string;
  /** `with` of the step, merged into the variables before the call. */
  readonly with: Readonly<Record<string, StepValue>>;
  /** The consumed operation's parameters: each takes the variable of its name, or its own value. */
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly value?: StepValue }>;
  /** Named outputs of the consumed operation: what is kept of its answer (all of it when empty). */
  readonly outputs: Readonly<Record<string, readonly PathStep[]>>;
  readonly send: (args: Args) => Promise<UpstreamResponse>;
}

/** A call to an operation no consumed API declares: refused as invalid input, as the engine does. */
export interface UnresolvedStep {
  readonly kind: 'unresolved';
  readonly name: string;
  readonly call: string;
}

export interface LookupStep {
  readonly kind: 'lookup';
  readonly name: string;
  /** The earlier step whose answer is the table. */
  readonly index: string;
  /** The field of each row compared with the value. */
  readonly match: string;
  /** The value (or, when it is an array, the values) to find. */
  readonly value: { readonly path: readonly PathStep[] } | { readonly template: Template };
  /** The fields kept from each matching row. */
  readonly fields: readonly string[];
}

/** The capability's own JavaScript: reads the step variables from `context`, returns what it set as `result`. */
export type ScriptFunction = (context: Readonly<Record<string, unknown>>) => unknown;

export interface ScriptStep {
  readonly kind: 'script';
  readonly name: string;
  /** `with` of the step, merged into the variables before the script runs. */
  readonly with: Readonly<Record<string, StepValue>>;
  readonly run: ScriptFunction;
}

export type Step = CallStep | UnresolvedStep | LookupStep | ScriptStep;

/** `targetName: a.b` with `value: $.step.x`: the answer's field `a.b` takes the variable path. */
export interface StepMapping {
  readonly target: readonly string[];
  readonly source: readonly PathStep[];
}

export type StepsOutcome = { readonly mapped: Record<string, unknown> } | { readonly last: UpstreamResponse | undefined };

function resolve(value: StepValue, variables: Readonly<Record<string, unknown>>): unknown {
  if ('variable' in value) return variables[value.variable];
  if ('template' in value) return fill(value.template, variables);
  return value.literal;
}

function pick(row: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, unknown> {
  const out = record();
  for (const f of fields) out[f] = Object.hasOwn(row, f) ? row[f] : null;
  return out;
}

/** A row's field and a wanted value are the same when equal, or equal as text (`7` and `'7'`); a missing one matches nothing. */
function same(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return false;
  return a === b || (a !== null && b !== null && String(a) === String(b));
}

function lookup(step: LookupStep, variables: Readonly<Record<string, unknown>>): unknown {
  // A single object is a table of one row; only object rows are searched (null, scalars and arrays never match).
  const table = variables[step.index];
  const rows = (Array.isArray(table) ? table : [table]).filter((r): r is Record<string, unknown> => r !== null && typeof r === 'object' && !Array.isArray(r));
  const wanted = 'path' in step.value ? select(variables, step.value.path) : fill(step.value.template, variables);
  const find = (v: unknown): unknown => {
    const row = rows.find((r) => same(r[step.match], v));
    return row === undefined ? null : pick(row, step.fields);
  };
  // An array of values is a lookup per value; values without a row are left out.
  return Array.isArray(wanted) ? wanted.map(find).filter((r) => r !== null) : find(wanted);
}

/** What a call step keeps of a JSON answer: the answer itself, or its named outputs (per element of an array). */
function keep(body: unknown, outputs: Readonly<Record<string, readonly PathStep[]>>): unknown {
  const names = Object.keys(outputs);
  if (names.length === 0) return body;
  const project = (element: unknown): unknown => {
    const extra = record();
    for (const n of names) extra[n] = select(element, outputs[n]!);
    return element !== null && typeof element === 'object' && !Array.isArray(element) ? Object.assign(record(), element, extra) : extra;
  };
  return Array.isArray(body) ? body.map(project) : project(body);
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = next !== null && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : (node[key] = record());
  }
  node[path[path.length - 1]!] = value;
}

export async function runSteps(
  steps: readonly Step[],
  mappings: readonly StepMapping[],
  input: Readonly<Record<string, unknown>>,
): Promise<StepsOutcome> {
  // The request being answered, read while it is current (before the first await): each call runs
  // with it, so a client that goes away cancels the call in flight and every later one.
  const ctx = currentRequest();
  // A step named `__proto__` or `constructor` is an ordinary variable.
  const variables = Object.assign(record(), input);
  let last: UpstreamResponse | undefined;
  for (const step of steps) {
    // Refused as the caller's problem, as the engine does: REST 400, an MCP tool error.
    if (step.kind === 'unresolved') throw new RequestInputError(step.name, `Invalid call format: ${step.call}`);
    if (step.kind === 'lookup') {
      variables[step.name] = lookup(step, variables);
      continue;
    }
    for (const [key, value] of Object.entries(step.with)) {
      const v = resolve(value, variables);
      if (v !== undefined) variables[key] = v;
    }
    if (step.kind === 'script') {
      variables[step.name] = await step.run(variables);
      continue;
    }
    const args = record();
    for (const p of step.parameters) {
      const v = p.value !== undefined && !Object.hasOwn(step.with, p.name) ? resolve(p.value, variables) : variables[p.name];
      if (v !== undefined) args[p.name] = v;
    }
    last = await (ctx ? runWith(ctx, () => step.send(args)) : step.send(args));
    const body = parseBody(last.text, last.contentType);
    if (body !== undefined) variables[step.name] = keep(body, step.outputs);
  }
  if (mappings.length > 0) {
    const mapped = record();
    let any = false;
    for (const m of mappings) {
      const v = select(variables, m.source);
      if (v === null || v === undefined) continue;
      any = true;
      setPath(mapped, m.target, v);
    }
    if (any) return { mapped };
  }
  return { last };
}
