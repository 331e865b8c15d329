/**
 * What answers when an exposed item has no plain `call` (src/model/transform-handler.ts): steps (call,
 * lookup, script), step mappings, mocks built from output values, and `ref`s to aggregate functions
 * that lend their fields and hints; plus the output mappings (transform-output.ts). Given and wanted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_HEAD, BOUND_TOKEN_AND_SECRET, cap, modelOf } from './helpers/model-build.js';
import type { ExposedHandler, StepModel } from '../src/model/handler-types.js';

const HEAD = BOUND_TOKEN_AND_SECRET;

const CONSUMES = [
  ...API_HEAD,
  '      - name: ships',
  '        path: /ships/{imo}',
  '        operations:',
  '          - name: get-ship',
  '            method: GET',
  "            inputParameters: [{ name: q, in: query }, { name: k, in: header, value: '{{env.TOKEN}}' }, { name: HOME, in: environment }, { name: t, in: query, value: 'x{{imo}}' }, { name: f, in: query, value: fixed }]",
  "            outputParameters: [{ name: name, value: '$.name' }, { name: bad, value: '$..x' }, { value: '$.y' }, { name: nv }]",
  '          - name: list',
  '            method: GET',
];

/** An MCP adapter `tools-ns` with `tools` lines, optional aggregates and extra exposes (after the MCP adapter). */
function mcp(tools: string[], opts: { aggregates?: string[]; exposes?: string[]; adapter?: string[] } = {}): string {
  return cap(
    [
      ...CONSUMES,
      ...(opts.aggregates ? ['aggregates:', ...opts.aggregates.map((l) => `  ${l}`)] : []),
      'exposes:',
      '  - type: mcp',
      '    namespace: tools-ns',
      ...(opts.adapter ?? []).map((l) => `    ${l}`),
      '    tools:',
      ...tools.map((l) => `      ${l}`),
      ...(opts.exposes ?? []).map((l) => `  ${l}`),
    ].join('\n'),
    HEAD,
  );
}

const tool0 = (yaml: string, dir?: string) => {
  const built = modelOf(yaml, dir);
  return { tool: built.model.mcp[0]!.tools[0], notes: built.notes, raw: built.raw, model: built.model };
};
const stepsOf = (h: ExposedHandler | undefined): StepModel[] => (h?.kind === 'steps' ? h.steps : []);
const T0 = 'capability/exposes/0/tools/0';

describe('call steps', () => {
  it('with values, parameters on the wire with their own values, and the named outputs kept', () => {
    const { tool, notes } = tool0(
      mcp([
        '- name: t',
        '  description: T',
        '  inputParameters: [{ name: imo, type: string, description: I }]',
        '  steps:',
        "    - { type: call, name: s1, call: api.get-ship, with: { imo: tools.imo, q: 3, x: 'a{{tools.imo}}', y: '{{env.TOKEN}}', z: plain, w: tools-ns.imo, u: other.imo, v: true } }",
        '    - { type: call, name: s2, call: api.list }',
        '  mappings: [{ targetName: out.name, value: $.s1.name }, { targetName: bad, value: $..x }]',
      ]),
    );
    const [s1, s2] = stepsOf(tool!.handler);
    expect(s1).toMatchObject({ kind: 'call', name: 's1' });
    if (s1?.kind !== 'call') throw new Error('call step');
    expect(s1.operation.name).toBe('get-ship');
    expect(s1.with).toEqual([
      { key: 'imo', value: { kind: 'variable', name: 'imo' } },
      { key: 'q', value: { kind: 'literal', value: 3 } },
      { key: 'x', value: { kind: 'template', parts: [{ kind: 'text', text: 'a' }, { kind: 'variable', path: ['imo'] }] } },
      { key: 'y', value: { kind: 'template', parts: [{ kind: 'secret', variable: 'TOKEN' }] } },
      { key: 'z', value: { kind: 'literal', value: 'plain' } },
      { key: 'w', value: { kind: 'variable', name: 'imo' } },
      { key: 'u', value: { kind: 'literal', value: 'other.imo' } },
      { key: 'v', value: { kind: 'literal', value: true } },
    ]);
    expect(s1.parameters).toEqual([
      { name: 'q' },
      { name: 'k', value: { kind: 'template', parts: [{ kind: 'secret', variable: 'TOKEN' }] } },
      { name: 't', value: { kind: 'template', parts: [{ kind: 'text', text: 'x' }, { kind: 'variable', path: ['imo'] }] } },
      { name: 'f', value: { kind: 'literal', value: 'fixed' } },
      { name: 'imo' },
    ]);
    expect(s1.outputs).toEqual([{ name: 'name', path: ['name'] }]);
    expect(s2).toMatchObject({ kind: 'call', name: 's2', with: [], parameters: [{ name: 'imo' }], outputs: [] });
    expect(tool!.handler.kind === 'steps' && tool!.handler.mappings).toEqual([
      { target: ['out', 'name'], source: ['s1', 'name'] },
      { target: ['bad'], source: ['\u0000unsupported-path'] },
    ]);
    expect(tool!.inputs.map((i) => `${i.name}:${i.required}:${i.origin}`)).toEqual(['imo:true:declared']);
    expect(notes).toEqual([]);
  });

  it('step values that only look like references are text', () => {
    const { tool } = tool0(mcp(['- name: t', '  description: T', "  steps: [{ type: call, name: s, call: api.list, with: { a: toolsy, b: 'tools.{{x}}', c: .x } }]"]));
    const s = stepsOf(tool!.handler)[0];
    expect(s?.kind === 'call' && s.with).toEqual([
      { key: 'a', value: { kind: 'literal', value: 'toolsy' } },
      { key: 'b', value: { kind: 'template', parts: [{ kind: 'text', text: 'tools.' }, { kind: 'variable', path: ['x'] }] } },
      { key: 'c', value: { kind: 'literal', value: '.x' } },
    ]);
  });

  it('an unbound secret in a step is an error at its with key', () => {
    const { notes, raw } = tool0(mcp(['- name: t', '  description: T', "  steps: [{ type: call, name: s, call: api.list, with: { a: '{{vault.NOPE}}' } }]"]));
    expect(notes).toEqual([`error template-variable-unbound ${T0}/steps/0/with/a`]);
    expect(raw[0]!.message).toBe('The template refers to the variable `NOPE`, which no `binds` entry declares.');
    expect(raw[0]!.hint).toBe('Declare `NOPE` under `binds`, or fix the name.');
  });

  const unresolved: Array<[string, string]> = [
    ['api.nothing', 'api.nothing'],
    ['nope.list', 'nope.list'],
    ['apilist', 'apilist'],
  ];
  it.each(unresolved)('a step calling %s is kept as unresolved, with a warning', (call, want) => {
    const { tool, notes, raw } = tool0(mcp(['- name: t', '  description: T', `  steps: [{ type: call, name: s, call: ${call} }]`]));
    expect(stepsOf(tool!.handler)).toEqual([{ kind: 'unresolved', name: 's', call: want }]);
    expect(notes).toEqual([`warning step-call-unresolved ${T0}/steps/0/call`]);
    expect(raw[0]!.message).toContain(`\`${want}\``);
  });

  it('an unbound secret in a script step or a nested mock value is an error there; untyped inputs are strings', () => {
    const mock = tool0(mcp(['- name: t', '  description: T', '  inputParameters: [{ name: x, description: X }]', "  outputParameters: [{ name: o, type: object, properties: { a: { type: string, value: '{{vault.NOPE}}' } } }, { name: s, type: object, properties: ab }]"]));
    expect(mock.notes).toEqual([`error template-variable-unbound ${T0}/outputParameters/0/properties/a/value`]);
    expect(mock.tool!.handler.kind === 'mock' && mock.tool!.handler.fields.map((f) => f.name)).toEqual(['o']);
    expect(mock.tool!.inputs.map((i) => `${i.name}:${i.type}:${i.required}`)).toEqual(['x:string:true']);
  });

  it('steps without mappings map nothing', () => {
    const { tool } = tool0(mcp(['- name: t', '  description: T', '  steps: [{ type: call, name: s, call: api.list }]']));
    expect(tool!.handler).toMatchObject({ kind: 'steps', mappings: [] });
  });

  it('a REST operation with steps only runs them, with declared inputs and path placeholders', () => {
    const yaml = cap(
      [
        ...CONSUMES,
        'exposes:',
        '  - type: rest',
        '    namespace: r',
        '    port: 1',
        '    resources:',
        '      - path: /ships/{imo}',
        '        description: Ships.',
        '        inputParameters: [{ name: a, type: string, description: A }]',
        '        operations:',
        '          - method: GET',
        '            inputParameters: [{ name: imo, in: header, type: string, description: I }, { name: b, type: number, description: B, required: true }]',
        '            steps: [{ type: call, name: s, call: api.list }]',
        '            outputParameters: [{ type: string, mapping: $.s.name }]',
      ].join('\n'),
      HEAD,
    );
    const built = modelOf(yaml);
    const o = built.model.rest[0]!.operations[0]!;
    expect(o.handler.kind).toBe('steps');
    expect(o).not.toHaveProperty('call');
    expect(o).toMatchObject({ name: 'get-/ships/{imo}', description: 'Ships.' });
    expect(o.inputs.map((i) => `${i.name}:${i.type}:${i.location}:${i.required}:${i.origin}`)).toEqual(['a:string:query:false:declared', 'imo:string:header:true:declared', 'b:number:query:true:declared']);
    expect(o.output.parameters).toEqual([{ type: 'string', mapping: { source: '$.s.name', steps: ['s', 'name'] } }]);
    const placeholder = modelOf(yaml.replace("[{ name: imo, in: header, type: string, description: I }, { name: b, type: number, description: B, required: true }]", '[{ name: x, type: string, description: X }]')).model.rest[0]!.operations[0]!;
    expect(placeholder.inputs.map((i) => `${i.name}:${i.type}:${i.location}:${i.required}:${i.origin}:${i.description}`)).toEqual(['a:string:query:false:declared:A', 'x:string:query:false:declared:X', 'imo:string:path:true:exposed-path:The {imo} segment of /ships/{imo}.']);
    const declaredPath = modelOf(yaml.replace("[{ name: imo, in: header, type: string, description: I }, { name: b, type: number, description: B, required: true }]", '[{ name: imo, type: string, description: I }]')).model.rest[0]!.operations[0]!;
    expect(declaredPath.inputs.map((i) => `${i.name}:${i.location}:${i.required}:${i.origin}`)).toEqual(['a:query:false:declared', 'imo:path:true:declared']);
  });
});

describe('lookup steps', () => {
  const rows: Array<[string, unknown]> = [
    ["{ type: lookup, name: l, index: s, match: id, lookupValue: '$.tools.id', outputParameters: [a, b] }", { kind: 'lookup', name: 'l', index: 's', match: 'id', value: { kind: 'path', path: ['tools', 'id'] }, fields: ['a', 'b'] }],
    ["{ type: lookup, name: l, index: s, match: id, lookupValue: '  $.x' }", { kind: 'lookup', name: 'l', index: 's', match: 'id', value: { kind: 'path', path: ['x'] }, fields: [] }],
    ["{ type: lookup, name: l, lookupValue: '{{tools.id}}-{{env.TOKEN}}' }", { kind: 'lookup', name: 'l', index: '', match: '', value: { kind: 'template', parts: [{ kind: 'variable', path: ['id'] }, { kind: 'text', text: '-' }, { kind: 'secret', variable: 'TOKEN' }] }, fields: [] }],
    ["{ type: lookup, name: l, lookupValue: '$..x' }", { kind: 'lookup', name: 'l', index: '', match: '', value: { kind: 'template', parts: [{ kind: 'text', text: '$..x' }] }, fields: [] }],
    ['{ type: lookup, name: l }', { kind: 'lookup', name: 'l', index: '', match: '', value: { kind: 'template', parts: [] }, fields: [] }],
  ];
  it.each(rows)('%s', (step, want) => {
    const { tool, notes } = tool0(mcp(['- name: t', '  description: T', `  steps: [${step}]`]));
    expect(stepsOf(tool!.handler)).toEqual([want]);
    expect(notes).toEqual([]);
  });
  it('an unbound secret in a lookup value is an error there', () => {
    expect(tool0(mcp(['- name: t', '  description: T', "  steps: [{ type: lookup, name: l, lookupValue: '{{vault.X}}' }]"])).notes).toEqual([`error template-variable-unbound ${T0}/steps/0/lookupValue`]);
  });
});

describe('script steps', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'model-scripts-'));
    mkdirSync(join(dir, 'scripts'));
    writeFileSync(join(dir, 'scripts', 'lib.js'), 'const twice = (x) => x * 2;');
    writeFileSync(join(dir, 'scripts', 'main.js'), 'result = twice(context.n);');
    writeFileSync(join(dir, 'scripts', 'bad.js'), 'result = ;');
    writeFileSync(join(dir, 'scripts', 'bin.js'), Buffer.from([0xff, 0xfe, 0x00]));
    writeFileSync(join(dir, 'scripts', 'weird\nname.js'), 'result = 1;');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const script = (step: string, control: string[] = []) =>
    tool0(mcp(['- name: t', '  description: T', `  steps: [${step}]`], { exposes: control.length ? ['- type: control', '  port: 9999', ...control.map((l) => `  ${l}`)] : [] }), dir);

  it('reads its files, dependencies first, and keeps them with the code', () => {
    const { tool, notes, model } = script("{ type: script, name: s, location: 'file:///./scripts', file: main.js, dependencies: [lib.js], with: { n: tools.n, m: 2 } }");
    expect(stepsOf(tool!.handler)).toEqual([
      {
        kind: 'script',
        name: 's',
        with: [
          { key: 'n', value: { kind: 'variable', name: 'n' } },
          { key: 'm', value: { kind: 'literal', value: 2 } },
        ],
        files: ['lib.js', 'main.js'],
        code: '// lib.js\nconst twice = (x) => x * 2;\n// main.js\nresult = twice(context.n);',
      },
    ]);
    expect(notes).toEqual([]);
    expect(model.embeddedFiles).toEqual([join(dir, 'scripts', 'lib.js'), join(dir, 'scripts', 'main.js')]);
  });

  it('takes its location and language from the control adapter', () => {
    const { tool, notes } = script('{ type: script, name: s, file: main.js, dependencies: [lib.js] }', ['management: { scripting: { defaultLocation: "file:///./scripts", defaultLanguage: javascript } }']);
    expect(stepsOf(tool!.handler)[0]).toMatchObject({ kind: 'script', files: ['lib.js', 'main.js'] });
    expect(notes).toEqual([]);
  });

  it('an allowed language runs; scripting on by default or when said', () => {
    for (const control of [['management: { scripting: { allowedLanguages: [groovy, javascript], enabled: true } }'], ['management: { scripting: {} }']]) {
      const { tool, notes } = script("{ type: script, name: s, language: javascript, location: 'file:///./scripts', file: main.js }", control);
      expect(stepsOf(tool!.handler)[0]).toMatchObject({ kind: 'script', files: ['main.js'], with: [] });
      expect(notes).toEqual([]);
    }
  });

  it('an unbound secret in a script step is an error at its with key', () => {
    const { notes } = script("{ type: script, name: s, location: 'file:///./scripts', file: main.js, with: { a: '{{vault.NOPE}}' } }");
    expect(notes).toEqual([`error template-variable-unbound ${T0}/steps/0/with/a`]);
  });

  it('a file name with a line break is one comment line', () => {
    const { tool } = script("{ type: script, name: s, location: 'file:///./scripts', file: \"weird\\nname.js\" }");
    const step = stepsOf(tool!.handler)[0];
    expect(step?.kind === 'script' && step.code).toBe('// weird name.js\nresult = 1;');
  });

  const left: Array<[string, string, string[], string, string]> = [
    ['switched off', "{ type: script, name: s, location: 'file:///./scripts', file: main.js }", ['management: { scripting: { enabled: false } }'], `${T0}/steps/0/type`, 'switched off'],
    ['a language not allowed', "{ type: script, name: s, language: python, location: 'file:///./scripts', file: main.js }", ['management: { scripting: { allowedLanguages: [javascript] } }'], `${T0}/steps/0/language`, 'does not allow python'],
    ['the default language not allowed', "{ type: script, name: s, location: 'file:///./scripts', file: main.js }", ['management: { scripting: { allowedLanguages: [groovy] } }'], `${T0}/steps/0/type`, 'does not allow javascript'],
    ['python', "{ type: script, name: s, language: python, location: 'file:///./scripts', file: main.js }", [], `${T0}/steps/0/language`, 'A python script step'],
    ['a default groovy', "{ type: script, name: s, location: 'file:///./scripts', file: main.js }", ['management: { scripting: { defaultLanguage: groovy } }'], `${T0}/steps/0/type`, 'A groovy script step'],
    ['no location', '{ type: script, name: s, file: main.js }', [], `${T0}/steps/0/file`, 'without a `location`'],
    ['a missing file', "{ type: script, name: s, location: 'file:///./scripts', file: nope.js }", [], `${T0}/steps/0/file`, '`nope.js`'],
    ['no file', "{ type: script, name: s, location: 'file:///./scripts' }", [], `${T0}/steps/0/file`, 'The script file ``'],
    ['binary', "{ type: script, name: s, location: 'file:///./scripts', file: bin.js }", [], `${T0}/steps/0/file`, '`bin.js`'],
    ['a syntax error', "{ type: script, name: s, location: 'file:///./scripts', file: bad.js }", [], `${T0}/steps/0/file`, 'does not parse as JavaScript'],
  ];
  it.each(left)('%s: the tool is left out', (_, step, control, at, says) => {
    const { tool, notes, raw } = script(step, control);
    expect(tool).toBeUndefined();
    expect(notes).toEqual([`warning construct-unsupported ${at}`]);
    expect(raw[0]!.message).toContain(says);
    expect(raw[0]!.message).toContain('the operation or tool that holds it is left out of the generated server');
    expect(raw[0]!.hint).toBeTruthy();
  });

  it('script limits are reported once, when a script is generated', () => {
    const step = "{ type: script, name: s, location: 'file:///./scripts', file: main.js }";
    const yaml = mcp(['- name: t', '  description: T', `  steps: [${step}, ${step.replace('name: s', 'name: s2')}]`, '- name: u', '  description: U', `  steps: [${step}]`], {
      exposes: ['- type: control', '  port: 9999', '  management: { scripting: { timeout: 100, statementLimit: 5 } }'],
    });
    const built = modelOf(yaml, dir);
    expect(built.notes).toEqual(['warning construct-unsupported capability/exposes/1/management/scripting/timeout (key)', 'warning construct-unsupported capability/exposes/1/management/scripting/statementLimit (key)']);
    expect(built.raw[0]!.message).toContain('`management.scripting.timeout` is not applied');
    expect(built.raw[0]!.hint).toBeTruthy();
    const none = modelOf(mcp(['- name: t', '  description: T', '  steps: [{ type: call, name: c, call: api.list }]'], { exposes: ['- type: control', '  port: 9999', '  management: { scripting: { timeout: 100 } }'] }), dir);
    expect(none.notes).toEqual([]);
  });
});

describe('mocks', () => {
  it('outputs with a value answer; nested properties make objects; others are left out', () => {
    const { tool, notes } = tool0(
      mcp([
        '- name: t',
        '  description: T',
        '  inputParameters: [{ name: id, type: string, description: I }]',
        '  outputParameters:',
        "    - { name: greeting, type: string, value: 'Hi {{id}} {{env.TOKEN}}' }",
        '    - { type: string, value: plain }',
        '    - { name: nested, type: object, properties: { a: { type: string, value: x }, b: { type: string }, c: { type: object, properties: { d: { type: string, value: y } } } } }',
        '    - { name: none, type: string }',
        '    - { name: list, type: object, properties: [] }',
      ]),
    );
    expect(tool!.handler).toEqual({
      kind: 'mock',
      fields: [
        { name: 'greeting', node: { kind: 'template', parts: [{ kind: 'text', text: 'Hi ' }, { kind: 'variable', path: ['id'] }, { kind: 'text', text: ' ' }, { kind: 'secret', variable: 'TOKEN' }] } },
        { name: 'value', node: { kind: 'template', parts: [{ kind: 'text', text: 'plain' }] } },
        {
          name: 'nested',
          node: {
            kind: 'object',
            fields: [
              { name: 'a', node: { kind: 'template', parts: [{ kind: 'text', text: 'x' }] } },
              { name: 'c', node: { kind: 'object', fields: [{ name: 'd', node: { kind: 'template', parts: [{ kind: 'text', text: 'y' }] } }] } },
            ],
          },
        },
      ],
    });
    expect(notes).toEqual([]);
  });

  it('a value only deep in properties still makes a mock', () => {
    const { tool } = tool0(mcp(['- name: t', '  description: T', '  outputParameters: [{ name: o, type: object, properties: { p: { type: object, properties: { q: { type: string, value: z } } } } }]']));
    expect(tool!.handler.kind).toBe('mock');
  });

  const nothing: Array<[string]> = [['[{ name: o, type: string }]'], ['[{ name: o, type: object, properties: [{ type: string, value: x }] }]'], ['[]']];
  it.each(nothing)('outputs %s: nothing to answer with, left out', (outputs) => {
    const { tool, notes, raw } = tool0(mcp(['- name: t', '  description: T', `  outputParameters: ${outputs}`]));
    expect(tool).toBeUndefined();
    expect(notes).toEqual([`warning construct-unsupported ${T0}`]);
    expect(raw[0]!.message).toContain('no `call`, no `steps` and no output `value`');
    expect(raw[0]!.hint).toBeTruthy();
  });
  it('an unbound secret in a mock value is an error at the value', () => {
    expect(tool0(mcp(['- name: t', '  description: T', "  outputParameters: [{ name: o, type: string, value: '{{vault.X}}' }]"])).notes).toEqual([`error template-variable-unbound ${T0}/outputParameters/0/value`]);
  });
});

describe('refs to aggregate functions', () => {
  const AGG = [
    '- namespace: agg',
    '  functions:',
    '    - name: find',
    '      description: Finds a ship.',
    '      semantics: { safe: true, idempotent: false }',
    '      inputParameters: [{ name: imo, type: string, description: I }]',
    '      call: api.get-ship',
    '      with: { q: agg.imo }',
    '      outputParameters: [{ name: n, type: string, mapping: $.name }]',
    '    - name: steps',
    '      description: Steps.',
    '      semantics: { idempotent: true }',
    '      steps: [{ type: call, name: s, call: api.list, with: { x: agg.v } }]',
    '    - name: plain',
    '      description: Plain.',
    '      semantics: { safe: false }',
    '      call: api.list',
  ];

  it('a tool lends the function its name, description, inputs, call and outputs; hints from semantics', () => {
    const built = modelOf(mcp(['- { ref: agg.find }', '- { ref: agg.find, name: own, description: Own., hints: { readOnly: false } }'], { aggregates: AGG }));
    const [a, b] = built.model.mcp[0]!.tools;
    expect(a).toMatchObject({ name: 'find', declaredName: 'find', description: 'Finds a ship.', hints: { readOnly: true, destructive: false, idempotent: false } });
    expect(a!.inputs.map((i) => `${i.name}:${i.origin}:${i.required}`)).toEqual(['imo:declared:true']);
    expect(a!.call!.arguments.map((x) => `${x.parameter.name}<-${JSON.stringify(x.source)}`).slice(0, 1)).toEqual(['q<-{"kind":"input","name":"imo"}']);
    expect(a!.output.parameters).toEqual([{ name: 'n', type: 'string', mapping: { source: '$.name', steps: ['name'] } }]);
    expect(b).toMatchObject({ name: 'own', description: 'Own.', hints: { readOnly: false, destructive: false, idempotent: false } });
    expect(built.notes).toEqual([]);
  });

  it('hints: only safe: true and a written idempotent count', () => {
    const built = modelOf(mcp(['- { ref: agg.steps }', '- { ref: agg.plain }'], { aggregates: AGG }));
    const [a, b] = built.model.mcp[0]!.tools;
    expect(a!.hints).toEqual({ idempotent: true });
    expect(b!.hints).toEqual({});
    const s = stepsOf(a!.handler)[0];
    expect(s?.kind === 'call' && s.with).toEqual([{ key: 'x', value: { kind: 'variable', name: 'v' } }]);
  });

  it('a local call wins over the function; notes of the function point at it', () => {
    const built = modelOf(mcp(['- { ref: agg.find, call: api.list, with: { z: "{{vault.N}}" } }', '- { ref: agg.find, with: { q: "{{vault.M}}" } }'], { aggregates: AGG }));
    const [a, b] = built.model.mcp[0]!.tools;
    expect(a!.call!.operation.name).toBe('list');
    expect(b!.call!.operation.name).toBe('get-ship');
    // Without a local call or steps, the item's own `with` is not read (the function's is), and a
    // warning at that `with` says so.
    expect(built.notes).toEqual(['warning ref-local-ignored capability/exposes/0/tools/1/with', `error template-variable-unbound ${T0}/with/z`]);
    expect(b!.call!.arguments[0]!.source).toEqual({ kind: 'input', name: 'imo' });
  });

  it('local steps win over the function, and own inputs over its inputs', () => {
    const built = modelOf(mcp(['- { ref: agg.find, steps: [{ type: call, name: mine, call: api.list }], inputParameters: [{ name: own, type: string, description: O }] }'], { aggregates: AGG }));
    const t = built.model.mcp[0]!.tools[0]!;
    expect(stepsOf(t.handler).map((s) => s.name)).toEqual(['mine']);
    expect(t.inputs.map((i) => i.name)).toEqual(['own']);
    expect(t).toMatchObject({ name: 'find', description: 'Finds a ship.' });
    expect(built.notes).toEqual([]);
  });

  it('a finding inside a function used by several items is said once, at the function', () => {
    const fn = ['- namespace: agg', '  functions:', "    - { name: f, description: F, call: api.list, with: { imo: '{{vault.NOPE}}' } }"];
    const built = modelOf(mcp(['- { ref: agg.f }', '- { ref: agg.f, name: g }'], { aggregates: fn }));
    expect(built.model.mcp[0]!.tools.map((t) => t.name)).toEqual(['f', 'g']);
    expect(built.notes).toEqual(['error template-variable-unbound capability/aggregates/0/functions/0/with/imo']);
  });

  it('a ref to nothing leaves the item out', () => {
    const built = modelOf(mcp(['- { ref: agg.none }', '- { name: ok, description: Ok, call: api.list }'], { aggregates: AGG }));
    expect(built.model.mcp[0]!.tools.map((t) => t.name)).toEqual(['ok']);
  });

  it('outputs written on the item win, and their notes point at the item', () => {
    const built = modelOf(mcp(['- { ref: agg.find, outputParameters: [{ name: x, type: string, mapping: "$..bad" }] }', '- { ref: agg.plain, outputParameters: [] }'], { aggregates: AGG.map((l) => l.replace('mapping: $.name', 'mapping: $..bad')) }));
    expect(built.model.mcp[0]!.tools[0]!.output.parameters).toEqual([{ name: 'x', type: 'string', mapping: { source: '$..bad' } }]);
    expect(built.notes).toEqual(['warning jsonpath-unsupported capability/exposes/0/tools/0/outputParameters/0/mapping']);
    const fromFn = modelOf(mcp(['- { ref: agg.find }'], { aggregates: AGG.map((l) => l.replace('mapping: $.name', 'mapping: $..bad')) }));
    expect(fromFn.notes).toEqual(['warning jsonpath-unsupported capability/aggregates/0/functions/0/outputParameters/0/mapping']);
  });

  it('a REST operation takes no inputs from the function: it says where its own are', () => {
    const yaml = cap(
      [
        ...CONSUMES,
        'aggregates:',
        ...AGG.map((l) => `  ${l}`),
        'exposes:',
        '  - type: rest',
        '    namespace: r',
        '    port: 1',
        '    resources:',
        '      - path: /s',
        '        operations:',
        '          - { method: GET, ref: agg.find }',
        '          - { method: POST, ref: agg.steps }',
      ].join('\n'),
      HEAD,
    );
    const built = modelOf(yaml);
    const [get, post] = built.model.rest[0]!.operations;
    expect(get!.name).toBe('find');
    expect(get!.inputs.map((i) => `${i.name}:${i.origin}:${i.location}`)).toEqual(['imo:with:query']);
    expect(post!.handler.kind).toBe('steps');
    expect(post!.inputs).toEqual([]);
    expect(built.notes).toEqual([]);
  });
});

describe('output mappings', () => {
  it('compiles mappings and keeps names, values, lengths and nested shapes', () => {
    const { tool, notes } = tool0(
      mcp([
        '- name: t',
        '  description: T',
        '  call: api.list',
        '  outputParameters:',
        '    - { name: a, type: string, mapping: $.a, maxLength: 5 }',
        '    - { type: object, mapping: $.o, properties: { x: { type: string, mapping: $.x }, y: { type: number, mapping: "$..y" } } }',
        '    - { name: l, type: array, mapping: "$.items[*]", items: { type: object, properties: { id: { type: string, mapping: $.id } } } }',
        '    - { name: m, type: object, values: { type: string, mapping: $.v } }',
        '    - { name: c, type: string, value: fixed, const: 1 }',
        '    - { name: arr, type: array, items: [{ type: string }], properties: [] }',
      ]),
    );
    expect(tool!.output.parameters).toEqual([
      { name: 'a', type: 'string', mapping: { source: '$.a', steps: ['a'] }, maxLength: 5 },
      {
        type: 'object',
        mapping: { source: '$.o', steps: ['o'] },
        properties: { x: { type: 'string', mapping: { source: '$.x', steps: ['x'] } }, y: { type: 'number', mapping: { source: '$..y' } } },
      },
      { name: 'l', type: 'array', mapping: { source: '$.items[*]', steps: ['items', { all: true }] }, items: { type: 'object', properties: { id: { type: 'string', mapping: { source: '$.id', steps: ['id'] } } } } },
      { name: 'm', type: 'object', values: { type: 'string', mapping: { source: '$.v', steps: ['v'] } } },
      { name: 'c', type: 'string', value: 'fixed' },
      { name: 'arr', type: 'array' },
    ]);
    expect(notes).toEqual([`warning jsonpath-unsupported ${T0}/outputParameters/1/properties/y/mapping`]);
  });
  it('outputs carry only what is written; scalars where objects belong are dropped; nested notes point inside', () => {
    const { tool, notes } = tool0(
      mcp([
        '- name: t',
        '  description: T',
        '  call: api.list',
        '  outputParameters:',
        '    - { type: string }',
        "    - { name: s, type: object, properties: ab, items: x, values: y }",
        '    - { name: i, type: array, items: { type: string, mapping: "$..a" } }',
        '    - { name: v, type: object, values: { type: string, mapping: "$..b" } }',
      ]),
    );
    expect(tool!.output.parameters).toStrictEqual([
      { type: 'string' },
      { name: 's', type: 'object' },
      { name: 'i', type: 'array', items: { type: 'string', mapping: { source: '$..a' } } },
      { name: 'v', type: 'object', values: { type: 'string', mapping: { source: '$..b' } } },
    ]);
    expect(notes).toEqual([`warning jsonpath-unsupported ${T0}/outputParameters/2/items/mapping`, `warning jsonpath-unsupported ${T0}/outputParameters/3/values/mapping`]);
    expect(tool0(mcp(['- { name: t, description: T, call: api.list }'])).tool!.output).toStrictEqual({ parameters: [] });
  });

  it('an unsupported mapping says what is supported', () => {
    const { raw } = tool0(mcp(['- name: t', '  description: T', '  call: api.list', '  outputParameters: [{ type: string, mapping: "$[?(@.a)]" }]']));
    expect(raw[0]!.message).toContain('The JSONPath `$[?(@.a)]` is not supported');
    expect(raw[0]!.hint).toContain('$.items[*].id');
  });
});
