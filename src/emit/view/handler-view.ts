/**
 * The part of a REST operation's or an MCP tool's view that says what answers it: a consumed call
 * (call-view.ts), steps or a mock. Values are printed with the escaping printer; a secret in a step
 * template is the only code among them (`secrets.TOKEN`), since the steps are built with the secrets.
 */
import type { ExposedHandler, HandlerTemplatePart, MockNode, StepModel, StepSource } from '../../model/handler-types.js';
import type { CallBinding, ExposedInput, ExposedOutput } from '../../model/types.js';
import { code, lineComment, tsString } from '../../names/escape.js';
import { member, zodObject } from '../code/expressions.js';
import type { ImportSet } from '../code/imports.js';
import { printLiteral } from '../code/layout.js';
import { callView } from './call-view.js';
import { apiFor, type ProjectNames } from './naming.js';
import { outputSpecLiteral } from './output-spec.js';

interface HandledItem {
  handler: ExposedHandler;
  call?: CallBinding;
  inputs: readonly ExposedInput[];
  output: ExposedOutput;
}

/** A template as the runtime's pieces; secrets are read from `secrets` in steps, and are empty in mocks (as the engine renders them). */
export function templateData(parts: readonly HandlerTemplatePart[], withSecrets: boolean): unknown[] {
  return parts.flatMap((p): unknown[] => {
    if (p.kind === 'text') return [p.text];
    if (p.kind === 'variable') return [{ variable: p.path }];
    return withSecrets ? [code(member('secrets', p.variable))] : [];
  });
}

function stepValue(value: StepSource): unknown {
  switch (value.kind) {
    case 'variable':
      return { variable: value.name };
    case 'template':
      return { template: templateData(value.parts, true) };
    case 'literal':
      return { literal: value.value };
    case 'secret':
      return { literal: code(member('secrets', value.variable)) };
  }
}

function mockData(fields: ReadonlyArray<{ name: string; node: MockNode }>): Record<string, unknown> {
  const node = (n: MockNode): unknown => (n.kind === 'template' ? { template: templateData(n.parts, false) } : { fields: mockData(n.fields) });
  return Object.fromEntries(fields.map((f) => [f.name, node(f.node)]));
}

/** A step's `with`, as data (`{}` when empty). */
function withData(entries: ReadonlyArray<{ key: string; value: StepSource }>): Record<string, unknown> {
  return Object.fromEntries(entries.map((w) => [w.key, stepValue(w.value)]));
}

/** Step fields are printed inside the steps array: four spaces in, after `key: `. */
const STEP = '    ';
const stepField = (value: unknown, key: string) => printLiteral(value, STEP, key.length + 2);

function stepView(step: StepModel, project: ProjectNames, scriptName: string) {
  const base = { name: tsString(step.name), call: false, lookup: false, unresolved: false, script: false };
  switch (step.kind) {
    case 'call': {
      const target = apiFor(project, step.operation);
      return {
        ...base,
        call: true,
        withValues: stepField(withData(step.with), 'with'),
        parameters: stepField(step.parameters.map((p) => ({ name: p.name, value: p.value ? stepValue(p.value) : undefined })), 'parameters'),
        outputs: stepField(Object.fromEntries(step.outputs.map((o) => [o.name, o.path])), 'outputs'),
        client: `apis.${target.api.key}`,
        operation: tsString(target.method),
      };
    }
    case 'lookup':
      return {
        ...base,
        lookup: true,
        index: tsString(step.index),
        match: tsString(step.match),
        value: stepField(step.value.kind === 'path' ? { path: step.value.path } : { template: templateData(step.value.parts, true) }, 'value'),
        fields: stepField(step.fields, 'fields'),
      };
    case 'unresolved':
      return { ...base, unresolved: true, target: tsString(step.call) };
    case 'script':
      return {
        ...base,
        script: true,
        withValues: stepField(withData(step.with), 'with'),
        run: scriptName,
      };
  }
}

/** The view of what answers an item; `isCall` keeps the call's fields where the templates always had them. */
export function handlerView(item: HandledItem, project: ProjectNames, imports: ImportSet, base: string) {
  const common = { schema: zodObject(item.inputs, ''), output: outputSpecLiteral(item.output), isCall: false, mock: undefined as string | undefined, steps: undefined as unknown, scripts: [] as unknown[] };
  switch (item.handler.kind) {
    case 'call':
      return { ...common, isCall: true, mappings: undefined, ...callView({ call: item.handler.call, inputs: item.inputs, output: item.output }, project, imports) };
    case 'mock':
      return { ...common, mock: printLiteral(mockData(item.handler.fields), '', 50), mappings: undefined };
    case 'steps':
      return {
        ...common,
        steps: item.handler.steps.map((s, i) => stepView(s, project, `${base}Script${i + 1}`)),
        // The author's code as the body of a function, printed as a string literal: it cannot reach outside it.
        scripts: item.handler.steps.flatMap((s, i) =>
          s.kind === 'script' ? [{ constName: `${base}Script${i + 1}`, files: lineComment(s.files.join(', ')), body: tsString(`let result;\n${s.code}\nreturn result;`) }] : [],
        ),
        mappings: printLiteral(item.handler.mappings.map((m) => ({ target: m.target, source: m.source })), '', 45),
      };
  }
}

/** A short description of what answers, for comments and the README: `ns.op`, `steps a, b`, or `mock`. */
export function handlerSummary(handler: ExposedHandler): string {
  switch (handler.kind) {
    case 'call':
      return `${handler.call.operation.namespace}.${handler.call.operation.name}`;
    case 'mock':
      return 'mock';
    case 'steps':
      return `steps ${handler.steps.map((s) => s.name).join(', ')}`;
  }
}
