/**
 * The part of a REST operation's or an MCP tool's view that says what answers it: a consumed call
 * (call-view.ts), steps or a mock. Values are printed with the escaping printer; a secret in a step
 * template is the only code among them (`secrets.TOKEN`), since the steps are built with the secrets.
 */
import type { ExposedHandler, HandlerTemplatePart, MockNode, StepModel, StepSource } from '../../model/handler-types.js';
import type { CallBinding, ExposedInput, ExposedOutput } from '../../model/types.js';
import { lineComment, tsLiteral, tsPropertyKey, tsString } from '../../names/escape.js';
import { member, zodObject } from '../code/expressions.js';
import type { ImportSet } from '../code/imports.js';
import { wrapped } from '../code/layout.js';
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
export function templateCode(parts: readonly HandlerTemplatePart[], withSecrets: boolean): string {
  const pieces = parts.flatMap((p) => {
    if (p.kind === 'text') return [tsString(p.text)];
    if (p.kind === 'variable') return [tsLiteral({ variable: p.path })];
    return withSecrets ? [member('secrets', p.variable)] : [];
  });
  return `[${pieces.join(', ')}]`;
}

function stepValueCode(value: StepSource): string {
  switch (value.kind) {
    case 'variable':
      return tsLiteral({ variable: value.name });
    case 'template':
      return `{ template: ${templateCode(value.parts, true)} }`;
    case 'literal':
      return tsLiteral({ literal: value.value });
    case 'secret':
      return `{ literal: ${member('secrets', value.variable)} }`;
  }
}

function mockCode(fields: ReadonlyArray<{ name: string; node: MockNode }>, indent?: string): string {
  const node = (n: MockNode): string => (n.kind === 'template' ? `{ template: ${templateCode(n.parts, false)} }` : `{ fields: ${mockCode(n.fields)} }`);
  const entries = fields.map((f) => `${tsPropertyKey(f.name)}: ${node(f.node)}`);
  // The top level is wrapped when long (it follows `const xMock: ... = `); nested values stay on their line.
  return indent === undefined ? (entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`) : wrapped('{', entries, indent, 50);
}

function stepView(step: StepModel, project: ProjectNames, scriptName: string) {
  const base = { name: tsString(step.name), call: false, lookup: false, unresolved: false, script: false };
  switch (step.kind) {
    case 'call': {
      const target = apiFor(project, step.operation);
      return {
        ...base,
        call: true,
        withValues: withCode(step.with),
        parameters: wrapped('[', step.parameters.map((p) => (p.value ? `{ name: ${tsString(p.name)}, value: ${stepValueCode(p.value)} }` : tsLiteral({ name: p.name }))), '    ', 16),
        outputs: tsLiteral(Object.fromEntries(step.outputs.map((o) => [o.name, o.path]))),
        method: member(`apis.${target.api.key}`, target.method),
      };
    }
    case 'lookup':
      return {
        ...base,
        lookup: true,
        index: tsString(step.index),
        match: tsString(step.match),
        value: step.value.kind === 'path' ? tsLiteral({ path: step.value.path }) : `{ template: ${templateCode(step.value.parts, true)} }`,
        fields: tsLiteral(step.fields),
      };
    case 'unresolved':
      return { ...base, unresolved: true, target: tsString(step.call) };
    case 'script':
      return {
        ...base,
        script: true,
        withValues: withCode(step.with),
        run: scriptName,
      };
  }
}

function withCode(entries: ReadonlyArray<{ key: string; value: StepSource }>): string {
  return entries.length === 0 ? '{}' : `{ ${entries.map((w) => `${tsPropertyKey(w.key)}: ${stepValueCode(w.value)}`).join(', ')} }`;
}

/** The view of what answers an item; `isCall` keeps the call's fields where the templates always had them. */
export function handlerView(item: HandledItem, project: ProjectNames, imports: ImportSet, base: string) {
  const common = { schema: zodObject(item.inputs, ''), output: outputSpecLiteral(item.output), isCall: false, mock: undefined as string | undefined, steps: undefined as unknown, scripts: [] as unknown[] };
  switch (item.handler.kind) {
    case 'call':
      return { ...common, isCall: true, mappings: undefined, ...callView({ call: item.handler.call, inputs: item.inputs, output: item.output }, project, imports) };
    case 'mock':
      imports.add('../runtime/mock.js', 'mockAnswer').add('../runtime/mock.js', 'MockValue', { type: true });
      return { ...common, mock: mockCode(item.handler.fields, ''), mappings: undefined };
    case 'steps':
      imports.add('../runtime/steps.js', 'runSteps').add('../runtime/steps.js', 'Step', { type: true }).add('../runtime/steps.js', 'StepMapping', { type: true });
      if (item.handler.steps.some((s) => s.kind === 'script')) imports.add('../runtime/steps.js', 'ScriptFunction', { type: true });
      return {
        ...common,
        steps: item.handler.steps.map((s, i) => stepView(s, project, `${base}Script${i + 1}`)),
        // The author's code as the body of a function, printed as a string literal: it cannot reach outside it.
        scripts: item.handler.steps.flatMap((s, i) =>
          s.kind === 'script' ? [{ constName: `${base}Script${i + 1}`, files: lineComment(s.files.join(', ')), body: tsString(`let result;\n${s.code}\nreturn result;`) }] : [],
        ),
        mappings: wrapped('[', item.handler.mappings.map((m) => tsLiteral({ target: m.target, source: m.source })), '', 45),
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
