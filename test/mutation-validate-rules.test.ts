/**
 * The cross-check rules of src/validate/rules, one table per rule: a small inline capability, the exact
 * findings it gives (rule, severity, line:column, words). In process and cheap: the mutation set of
 * src/validate/rules runs these (vitest.mutation.config.ts, part validate-rules).
 */
import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from '../src/validate/rules/suggest.js';
import { check, y, type Case } from './helpers/validate-cases.js';

const indent = (text: string, n: number): string =>
  text
    .split('\n')
    .map((l) => (l.trim() === '' ? l : ' '.repeat(n) + l))
    .join('\n');

/** A naftiko 1.0.0-alpha2 capability from its blocks (each written from column 0). */
function a2(parts: { consumes?: string; exposes?: string; aggregates?: string; binds?: string }): string {
  return [
    'naftiko: 1.0.0-alpha2',
    'info:',
    '  label: T',
    '  description: D',
    ...(parts.binds ? ['binds:', indent(parts.binds, 2)] : []),
    'capability:',
    '  consumes:',
    indent(parts.consumes ?? API, 4),
    '  exposes:',
    indent(parts.exposes ?? TOOLS, 4),
    ...(parts.aggregates ? ['  aggregates:', indent(parts.aggregates, 4)] : []),
    '',
  ].join('\n');
}

/** An ikanos 1.0.0-beta5 capability from its blocks. */
function b5(parts: { consumes: string; exposes: string }): string {
  return ['ikanos: 1.0.0-beta5', 'info:', '  display: T', '  description: D', 'capability:', '  consumes:', indent(parts.consumes, 4), '  exposes:', indent(parts.exposes, 4), ''].join('\n');
}

const API = y`
  - type: http
    namespace: api
    baseUri: https://api.example
    resources:
      - name: items
        path: /items/{{id}}
        operations:
          - name: get-item
            method: GET
          - name: list-items
            method: GET
`;

const TOOLS = y`
  - type: mcp
    namespace: tools
    port: 9000
    tools:
      - name: get
        description: d
        call: api.get-item
        with:
          id: tools.id
`;

/** The `resources` of a REST adapter with one route, which calls `api.list-items`. */
const ONE_ROUTE = 'resources:\n    - path: /r\n      name: r\n      operations:\n        - method: GET\n          name: r\n          call: api.list-items';

/** A tool of the `tools` adapter calling `call`, with its `with` lines. */
const tool = (name: string, call: string, withLines = '  id: tools.id'): string => `- name: ${name}\n  description: d\n  call: ${call}\n  with:\n${indent(withLines, 2)}`;
const mcp = (tools: string[], extra = ''): string => `- type: mcp\n  namespace: tools\n  port: 9000\n${extra}  tools:\n${indent(tools.join('\n'), 4)}`;

function table(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) it(c.name, () => void check(c));
  });
}

table('call-targets', [
  {
    name: 'an unknown namespace one typo away: the guess keeps the operation',
    yaml: a2({ exposes: mcp([tool('get', 'apj.get-item')]) }),
    want: [
      {
        rule: 'call-target-missing',
        at: 'call: |apj.get-item',
        message: '`call: apj.get-item` refers to the namespace `apj`, but no consumed API has that namespace.',
        hint: 'Did you mean `api.get-item`?',
        pointer: '/capability/exposes/0/tools/0/call',
      },
    ],
    model: false,
  },
  {
    name: 'an unknown namespace far from every one: the consumed namespaces are listed',
    yaml: a2({
      consumes: `${API}\n${API.replace('namespace: api', 'namespace: other')}`,
      exposes: mcp([tool('get', 'zzzzzz.get-item')]),
    }),
    want: [{ rule: 'call-target-missing', at: 'call: |zzzzzz', message: '`call: zzzzzz.get-item` refers to the namespace `zzzzzz`, but no consumed API has that namespace.', hint: 'Consumed namespaces: api, other.' }],
  },
  {
    name: 'an unknown operation one typo away',
    yaml: a2({ exposes: mcp([tool('get', 'api.get-itme')]) }),
    want: [
      {
        rule: 'call-target-missing',
        at: 'call: |api.get-itme',
        message: '`call: api.get-itme` refers to the operation `get-itme`, which the consumed API `api` does not declare.',
        hint: 'Did you mean `api.get-item`?',
      },
    ],
  },
  {
    name: 'an unknown operation far from every one: the first twelve operations are listed',
    yaml: a2({
      consumes: `${API}${Array.from({ length: 12 }, (_, k) => `        - name: op-${k}\n          method: GET`).join('\n')}`,
      exposes: mcp([tool('get', 'api.zzzzzzzz')]),
    }),
    want: [
      {
        rule: 'call-target-missing',
        at: 'call: |api.zzzzzzzz',
        message: '`call: api.zzzzzzzz` refers to the operation `zzzzzzzz`, which the consumed API `api` does not declare.',
        hint: 'Operations of `api`: get-item, list-items, op-0, op-1, op-2, op-3, op-4, op-5, op-6, op-7, op-8, op-9.',
      },
    ],
  },
  {
    name: 'a REST operation and an aggregate function are checked like tools',
    yaml: a2({
      exposes: `${TOOLS}\n- type: rest\n  namespace: web\n  port: 9001\n  resources:\n    - path: /x\n      name: x\n      operations:\n        - method: GET\n          name: get-x\n          call: api.list-itemz`,
      aggregates: '- label: A\n  namespace: agg\n  functions:\n    - name: f\n      description: d\n      call: api.get-itemz',
    }),
    want: [
      { rule: 'call-target-missing', at: 'call: |api.list-itemz', hint: 'Did you mean `api.list-items`?' },
      { rule: 'call-target-missing', at: 'call: |api.get-itemz', hint: 'Did you mean `api.get-item`?', pointer: '/capability/aggregates/0/functions/0/call' },
    ],
  },
  {
    name: 'two consumed APIs under one namespace: the operations of both can be called',
    yaml: a2({
      consumes: `${API}${API.replace('- name: get-item', '- name: get-other').replace('- name: list-items', '- name: list-other')}`,
      exposes: mcp([tool('get', 'api.get-item'), tool('other', 'api.get-other')]),
    }),
    want: [{ rule: 'namespace-duplicate', at: ['namespace: |api', 2] }],
  },
  {
    name: 'a call with no consumed API at all',
    yaml: b5({ consumes: '', exposes: '- type: mcp\n  namespace: tools\n  port: 9000\n  tools:\n    get:\n      description: d\n      call: api.get-item' }).replace('  consumes:\n\n', ''),
    want: [{ rule: 'call-target-missing', at: 'call: |api.get-item', hint: 'Declare the API under `capability.consumes`.' }],
  },
  {
    name: 'operation-duplicate: every occurrence, numbered; one name in two APIs is no duplicate',
    yaml: a2({
      consumes: `${API}    - name: more\n      path: /more\n      operations:\n        - name: get-item\n          method: GET\n${API.replace('namespace: api', 'namespace: other')}`,
    }),
    want: [
      {
        rule: 'operation-duplicate',
        at: '- name: |get-item',
        message: 'The consumed API `api` has 2 operations named `get-item` (this is #1), so `call: api.get-item` would be ambiguous.',
        hint: 'Give each consumed operation a distinct name.',
        pointer: '/capability/consumes/0/resources/0/operations/0/name',
      },
      { rule: 'operation-duplicate', at: ['- name: |get-item', 2], message: 'The consumed API `api` has 2 operations named `get-item` (this is #2), so `call: api.get-item` would be ambiguous.' },
      // The call is read against the last `get-item`, whose path has no `{{id}}`.
      { rule: 'with-key-unmatched', severity: 'warning', at: '|id: tools.id' },
    ],
    model: false,
  },
]);

table('namespaces, environment names and identifiers', [
  {
    name: 'namespace-duplicate: a consumed API and an MCP adapter',
    yaml: a2({ exposes: TOOLS.replace('namespace: tools', 'namespace: api') }),
    want: [
      {
        rule: 'namespace-duplicate',
        at: ['namespace: |api', 2],
        message: 'The namespace `api` of the mcp adapter is already used by a consumed API; namespaces must be unique across consumes, exposes and binds.',
        hint: 'Rename one of them, e.g. `api-2`, and update the `call:` values that refer to it.',
      },
    ],
  },
  {
    name: 'namespace-duplicate: a binding after an adapter, the first user named',
    yaml: a2({ binds: '- namespace: tools\n  keys:\n    TOKEN: TOKEN' }),
    want: [{ rule: 'namespace-duplicate', at: 'namespace: |tools', message: 'The namespace `tools` of a binding is already used by the mcp adapter; namespaces must be unique across consumes, exposes and binds.' }],
  },
  {
    name: 'environment-name-collision: three namespaces, each later one against the first',
    yaml: a2({
      exposes: `${TOOLS}\n- type: rest\n  namespace: tools-x\n  port: 9001\n  ${ONE_ROUTE}\n- type: rest\n  namespace: TOOLS_X\n  port: 9002\n  ${ONE_ROUTE}\n- type: rest\n  namespace: tools_x\n  port: 9003\n  ${ONE_ROUTE}`,
    }),
    want: [
      {
        rule: 'environment-name-collision',
        at: 'namespace: |TOOLS_X',
        message: 'The namespaces `tools-x` and `TOOLS_X` would both be configured by the environment variables `TOOLS_X_*`.',
        hint: 'Rename one of them so that they differ in letters or digits.',
      },
      { rule: 'environment-name-collision', at: 'namespace: |tools_x', message: 'The namespaces `tools-x` and `tools_x` would both be configured by the environment variables `TOOLS_X_*`.' },
      { rule: 'relaxed-name-pattern', severity: 'warning', at: 'namespace: |TOOLS_X' },
      { rule: 'relaxed-name-pattern', severity: 'warning', at: 'namespace: |tools_x' },
    ],
  },
  {
    name: 'identifier-collision: consumed namespaces and operations that give one identifier',
    yaml: a2({
      consumes: `${API.replace('- name: list-items', '- name: getItem').replace('namespace: api', 'namespace: my-api')}\n${API.replace('namespace: api', 'namespace: myApi')}\n${API.replace('namespace: api', 'namespace: MyApi')}`,
      exposes: mcp([tool('get', 'myApi.get-item')]),
    }),
    want: [
      {
        rule: 'identifier-collision',
        severity: 'warning',
        at: '- name: |getItem',
        message: 'The operations `getItem` and `get-item` both become the identifier `getItem` in generated code; the second gets a numeric suffix.',
        hint: 'Rename one of them so that the generated names are easy to tell apart.',
      },
      { rule: 'identifier-collision', severity: 'warning', at: 'namespace: |myApi', message: 'The namespaces `myApi` and `my-api` both become the identifier `myApi` in generated code; the second gets a numeric suffix.' },
      { rule: 'identifier-collision', severity: 'warning', at: 'namespace: |MyApi', says: ['`MyApi` and `my-api`'] },
      { rule: 'environment-name-collision', at: 'namespace: |MyApi', says: ['`myApi` and `MyApi`', '`MYAPI_*`'] },
    ],
  },
]);

table('tool names and MCP names', [
  {
    name: 'tool-name-shortened and tool-name-duplicate, at the name',
    yaml: a2({ exposes: mcp([tool('get', 'api.get-item'), tool('a'.repeat(65), 'api.get-item'), tool('get', 'api.get-item'), tool('list', 'api.list-items', '  x: tools.x')]) }),
    want: [
      {
        rule: 'tool-name-shortened',
        severity: 'warning',
        at: '- name: |aaaa',
        says: ['MCP clients accept tool names of at most 64 characters from letters, digits, `_` and `-`; this tool is exposed as `aaaa'],
        hint: 'Give the tool a shorter name to choose the exposed name yourself.',
      },
      {
        rule: 'tool-name-duplicate',
        at: ['- name: |get\n', 2],
        message: 'The tool name `get` is already used by tool #1 of this MCP adapter; clients could call only one of them.',
        hint: 'Give each tool a distinct name.',
        pointer: '/capability/exposes/0/tools/2/name',
      },
      { rule: 'with-key-unmatched', severity: 'warning', at: '|x: tools.x' },
    ],
  },
  {
    name: 'tool names are checked per adapter',
    yaml: a2({ exposes: `${TOOLS}\n${TOOLS.replace('namespace: tools', 'namespace: more').replace('port: 9000', 'port: 9001')}` }),
    want: [],
    model: true,
  },
  {
    name: 'a tool name taken from its ref that another tool has; a ref-named tool before a named one',
    yaml: a2({
      exposes: mcp(['- ref: agg.welcome', '- name: welcome\n  description: d\n  call: api.get-item\n  with:\n    id: tools.id', '- name: f2\n  ref: agg.f2', '- ref: agg.f2']),
      aggregates: '- label: A\n  namespace: agg\n  functions:\n    - name: welcome\n      description: d\n      call: api.list-items\n    - name: f2\n      description: d\n      call: api.list-items',
    }),
    want: [
      {
        rule: 'tool-name-duplicate',
        at: '- name: |welcome',
        message: 'This tool is named `welcome`, like tool #1 of this MCP adapter; clients could call only one of them.',
        hint: 'Give the tool its own `name`.',
        pointer: '/capability/exposes/0/tools/1/name',
      },
      {
        rule: 'tool-name-duplicate',
        at: ['- ref: |agg.f2', 1],
        message: 'This tool is named `f2` (taken from its ref), like tool #3 of this MCP adapter; clients could call only one of them.',
        pointer: '/capability/exposes/0/tools/3/ref',
      },
    ],
  },
  {
    name: 'a tool with both a name and a ref is named by its name; a ref-named tool after two declared ones points at the first',
    yaml: a2({
      exposes: mcp(['- ref: agg.f2', '- name: renamed\n  ref: agg.f2', '- name: g\n  ref: agg.f2', '- name: g\n  ref: agg.f2', '- ref: agg.g']),
      aggregates: '- label: A\n  namespace: agg\n  functions:\n    - name: f2\n      description: d\n      call: api.list-items\n    - name: g\n      description: d\n      call: api.list-items',
    }),
    want: [
      { rule: 'tool-name-duplicate', at: ['- name: |g\n', 2], message: 'The tool name `g` is already used by tool #3 of this MCP adapter; clients could call only one of them.' },
      { rule: 'tool-name-duplicate', at: '- ref: |agg.g', message: 'This tool is named `g` (taken from its ref), like tool #3 of this MCP adapter; clients could call only one of them.' },
    ],
  },
  {
    name: 'resource-duplicate (uri and name) and prompt-duplicate',
    yaml: a2({
      exposes: mcp(
        [tool('get', 'api.get-item')],
        '  resources:\n    - name: r\n      label: R\n      uri: docs://a\n      description: d\n      call: api.list-items\n    - name: r\n      label: R\n      uri: docs://a\n      description: d\n      call: api.list-items\n    - name: s\n      label: S\n      uri: docs://s\n      description: d\n      call: api.list-items\n  prompts:\n    - name: p\n      label: P\n      description: d\n      template:\n        - role: user\n          content: hi\n    - name: p\n      label: P\n      description: d\n      template:\n        - role: user\n          content: ho\n',
      ),
    }),
    want: [
      {
        rule: 'resource-duplicate',
        at: ['uri: |docs://a', 2],
        message: '`docs://a` is already the uri of resource #1 of this MCP adapter; the MCP server cannot offer both.',
        hint: "Give each of the adapter's resources a distinct uri.",
      },
      { rule: 'resource-duplicate', at: ['- name: |r', 2], message: '`r` is already the name of resource #1 of this MCP adapter; the MCP server cannot offer both.', hint: "Give each of the adapter's resources a distinct name." },
      { rule: 'prompt-duplicate', at: ['- name: |p', 2], message: '`p` is already the name of prompt #1 of this MCP adapter; the MCP server cannot offer both.', hint: "Give each of the adapter's prompts a distinct name." },
    ],
  },
]);

table('ref-targets', [
  {
    name: 'function-duplicate, and a ref one typo away',
    yaml: a2({
      exposes: mcp(['- name: w\n  ref: agg.welcom']),
      aggregates: '- label: A\n  namespace: agg\n  functions:\n    - name: welcome\n      description: d\n      call: api.list-items\n    - name: welcome\n      description: d\n      call: api.get-item\n- label: B\n  namespace: bgg\n  functions:\n    - name: welcome\n      description: d\n      call: api.list-items',
    }),
    want: [
      {
        rule: 'function-duplicate',
        at: ['- name: |welcome', 2],
        message: 'The aggregate `agg` already has a function named `welcome`, so `ref: agg.welcome` would be ambiguous.',
        hint: 'Give each function of an aggregate a distinct name.',
        pointer: '/capability/aggregates/0/functions/1/name',
      },
      {
        rule: 'ref-target-missing',
        at: 'ref: |agg.welcom',
        message: '`ref: agg.welcom` names no aggregate function; the engine refuses to start with it.',
        hint: 'Did you mean `agg.welcome`?',
      },
    ],
  },
  {
    name: 'a ref far from every function: the first twelve are listed',
    yaml: a2({
      exposes: mcp(['- name: w\n  ref: zzz.zzzzzzzzzzzz']),
      aggregates: `- label: A\n  namespace: agg\n  functions:\n${Array.from({ length: 13 }, (_, k) => `    - name: f${k}\n      description: d\n      call: api.list-items`).join('\n')}`,
    }),
    want: [{ rule: 'ref-target-missing', at: 'ref: |zzz', hint: 'Functions: agg.f0, agg.f1, agg.f2, agg.f3, agg.f4, agg.f5, agg.f6, agg.f7, agg.f8, agg.f9, agg.f10, agg.f11.' }],
  },
  {
    name: 'a ref without its own call: its with and mappings are not used, and a warning says so at each',
    yaml: a2({
      exposes: mcp(["- name: w\n  ref: agg.welcome\n  with:\n    q: x\n  mappings:\n    - targetName: a\n      value: $.b"]),
      aggregates: '- label: A\n  namespace: agg\n  functions:\n    - name: welcome\n      description: d\n      call: api.list-items',
    }),
    want: [
      {
        rule: 'ref-local-ignored',
        severity: 'warning',
        at: '|q: x',
        message: "This item runs the function `agg.welcome` (its `ref`) and has no `call` or `steps` of its own, so its `with` is not used: the function's is.",
        hint: "Move these entries into the function `agg.welcome`, or give the item its own `call` or `steps` (they then replace the function's).",
        pointer: '/capability/exposes/0/tools/0/with',
      },
      { rule: 'ref-local-ignored', severity: 'warning', at: '|- targetName: a', says: ['its `mappings` is not used'] },
    ],
  },
  {
    name: 'a ref with no aggregate at all',
    yaml: a2({ exposes: `${TOOLS}\n${indent("- name: w\n  ref: agg.f", 4)}` }),
    want: [{ rule: 'ref-target-missing', at: 'ref: |agg.f', hint: 'Declare the function under `capability.aggregates[].functions`.' }],
  },
]);

table('ports, routes and reserved routes', [
  {
    name: 'port-conflict: one port twice, once more on another address; different addresses or stdio do not clash',
    yaml: a2({
      exposes: `${TOOLS}\n- type: rest\n  namespace: w1\n  port: 9000\n  ${ONE_ROUTE}\n- type: rest\n  namespace: w2\n  address: 127.0.0.1\n  port: 9100\n  ${ONE_ROUTE}\n- type: rest\n  namespace: w3\n  address: 127.0.0.2\n  port: 9100\n  ${ONE_ROUTE}\n- type: rest\n  namespace: w4\n  port: 9100\n  ${ONE_ROUTE}\n- type: rest\n  namespace: w5\n  address: 127.0.0.2\n  port: 9100\n  ${ONE_ROUTE}\n- type: mcp\n  namespace: io\n  transport: stdio\n  tools:\n    - name: get\n      description: d\n      call: api.get-item\n      with:\n        id: tools.id\n- type: mcp\n  namespace: io2\n  transport: stdio\n  tools:\n    - name: get\n      description: d\n      call: api.get-item\n      with:\n        id: tools.id\n- type: mcp\n  namespace: web-mcp\n  transport: http\n  port: 9000\n  tools:\n    - name: get\n      description: d\n      call: api.get-item\n      with:\n        id: tools.id`,
    }),
    want: [
      {
        rule: 'port-conflict',
        at: ['port: |9000', 2],
        message: 'Port 9000 is already used by the adapter `tools`; both cannot listen on it.',
        hint: 'Choose another port, e.g. 9001.',
      },
      { rule: 'port-conflict', at: ['port: |9100', 3], message: 'Port 9100 is already used by the adapter `w2`; both cannot listen on it.', hint: 'Choose another port, e.g. 9101.' },
      { rule: 'port-conflict', at: ['port: |9100', 4], message: 'Port 9100 is already used by the adapter `w3`; both cannot listen on it.' },
      { rule: 'port-conflict', at: ['port: |9000', 3], message: 'Port 9000 is already used by the adapter `tools`; both cannot listen on it.' },
    ],
  },
  {
    name: 'port-conflict: an adapter with an address after one listening everywhere',
    yaml: a2({ exposes: `${TOOLS}\n- type: rest\n  namespace: w1\n  address: 127.0.0.1\n  port: 9000\n  ${ONE_ROUTE}` }),
    want: [{ rule: 'port-conflict', at: ['port: |9000', 2], message: 'Port 9000 is already used by the adapter `tools`; both cannot listen on it.' }],
  },
  {
    name: 'route-duplicate and route-reserved',
    yaml: a2({
      exposes: `${TOOLS}\n- type: rest\n  namespace: web\n  port: 9001\n  resources:\n${indent(
        [
          ['/a/{x}', 'GET', 'r1'],
          ['/a/{x}', 'GET', 'r2'],
          ['/a/{y}', 'GET', 'r3'],
          ['/a/{y}', 'PUT', 'r4'],
          ['/metrics/', 'GET', 'r5'],
          ['/health/{part}', 'GET', 'r6'],
          ['/{any}', 'GET', 'r7'],
          ['/metrics/more', 'GET', 'r8'],
          ['/health', 'GET', 'r9'],
          ['/metrics//', 'GET', 'r10'],
        ]
          .map(([p, m, n]) => `- path: ${p}\n  name: ${n}\n  operations:\n    - method: ${m}\n      name: op-${n}\n      call: api.list-items`)
          .join('\n'),
        4,
      )}\n- type: rest\n  namespace: web2\n  port: 9002\n  resources:\n    - path: /a/{x}\n      name: again\n      operations:\n        - method: GET\n          name: again\n          call: api.list-items`,
    }),
    want: [
      {
        rule: 'route-duplicate',
        at: ['- method: |GET', 2],
        message: '`GET /a/{x}` is already served by another operation (resource #1); only one can answer.',
        hint: 'Merge the two operations, or give one of them another method or path.',
        pointer: '/capability/exposes/1/resources/1/operations/0/method',
      },
      {
        rule: 'route-duplicate',
        at: ['- method: |GET', 3],
        message: '`GET /a/{y}` matches the same requests as `GET /a/{x}` (resource #1): paths that differ only in placeholder names are one route.',
      },
      {
        rule: 'route-reserved',
        severity: 'warning',
        at: 'path: |/metrics/',
        message: '`/metrics/` clashes with `/metrics`, which the generated server answers itself (health and metrics); requests there never reach this resource.',
        hint: 'Give the resource another path.',
      },
      { rule: 'route-reserved', severity: 'warning', at: 'path: |/health/{part}', says: ['`/health/{part}` clashes with `/health/live`, `/health/ready`, which'] },
      { rule: 'route-reserved', severity: 'warning', at: 'path: |/{any}', says: ['`/{any}` clashes with `/metrics`, which'] },
      { rule: 'route-reserved', severity: 'warning', at: 'path: |/metrics//', says: ['`/metrics//` clashes with `/metrics`, which'] },
    ],
  },
]);

table('expressions', [
  {
    name: 'expression-unsupported: ${...} in with values, parameter values, paths and authentication',
    yaml: a2({
      consumes: y`
        - type: http
          namespace: api
          baseUri: https://api.example
          authentication:
            type: bearer
            token: '\${secrets.token}'
          inputParameters:
            - name: X-A
              in: header
              value: 'a \${inputs.a_b} b'
          resources:
            - name: items
              path: /items/\${ params.id }
              inputParameters:
                - name: X-B
                  in: header
                  value: ' \${anything at all} '
              operations:
                - name: get-item
                  method: GET
                  inputParameters:
                    - name: X-C
                      in: header
                      value: '\${_a$.b$.c}'
                    - name: X-D
                      in: header
                      value: 'x\${1a.b} \${a} \${a.} \${input.} \${ x . y }'
      `,
      exposes: mcp([
        tool(
          'get',
          'api.get-item',
          "  id: tools.id\n  a: '${input.x}'\n  b: '${parameters.y}'\n  c: '${args.z}'\n  d: '${arguments.w}'\n  e: 'x${v}'\n  f: '${ $one }'\n  g: '${a.b}${c.d}'\n  h: '${a.input.b}'",
        ),
      ]),
    }),
    want: [
      {
        rule: 'expression-unsupported',
        at: "token: |'",
        message: '`${secrets.token}` is not a Naftiko expression; it would be sent as this very text.',
        hint: 'Write `{{secrets.token}}` in a template, or `rest.secrets.token` / `tools.secrets.token` to pass an input on.',
        pointer: '/capability/consumes/0/authentication/token',
      },
      { rule: 'expression-unsupported', at: "value: |'a ", message: '`${inputs.a_b}` is not a Naftiko expression; it would be sent as this very text.', hint: 'Write `{{a_b}}` in a template, or `rest.a_b` / `tools.a_b` to pass an input on.' },
      { rule: 'expression-unsupported', at: 'path: |/items/', says: ['`${ params.id }` is not'], hint: 'Write `{{id}}` in a template, or `rest.id` / `tools.id` to pass an input on.' },
      { rule: 'expression-unsupported', at: "value: |' ${anything", says: ['`${anything at all}` is not'], hint: 'Write `{{anything at all}}` in a template, or `rest.anything at all` / `tools.anything at all` to pass an input on.' },
      { rule: 'expression-unsupported', at: "value: |'${_a$", says: ['`${_a$.b$.c}` is not'], hint: 'Write `{{_a$.b$.c}}` in a template, or `rest._a$.b$.c` / `tools._a$.b$.c` to pass an input on.' },
      { rule: 'expression-unsupported', at: "a: |'${input.x}'", hint: 'Write `{{x}}` in a template, or `rest.x` / `tools.x` to pass an input on.', pointer: '/capability/exposes/0/tools/0/with/a' },
      { rule: 'expression-unsupported', at: "b: |'", hint: 'Write `{{y}}` in a template, or `rest.y` / `tools.y` to pass an input on.' },
      { rule: 'expression-unsupported', at: "c: |'", hint: 'Write `{{z}}` in a template, or `rest.z` / `tools.z` to pass an input on.' },
      { rule: 'expression-unsupported', at: "d: |'", hint: 'Write `{{w}}` in a template, or `rest.w` / `tools.w` to pass an input on.' },
      { rule: 'expression-unsupported', at: "f: |'", says: ['`${ $one }` is not'], hint: 'Write `{{$one}}` in a template, or `rest.$one` / `tools.$one` to pass an input on.' },
      { rule: 'expression-unsupported', at: "g: |'", says: ['`${a.b}` is not'] },
      // Only a leading input. is taken off.
      { rule: 'expression-unsupported', at: "h: |'", hint: 'Write `{{a.input.b}}` in a template, or `rest.a.input.b` / `tools.a.input.b` to pass an input on.' },
      // a, b and c match the names `{a}`, `{1a.b}` and `{_a$.b$.c}` the parameter values show as placeholders.
      ...['d', 'e', 'f', 'g', 'h'].map((k) => ({ rule: 'with-key-unmatched', severity: 'warning' as const, at: `  |${k}: '` })),
    ],
  },
]);

table('with keys and input patterns', [
  {
    name: 'with-key-unmatched: keys no parameter, placeholder or template takes; a near miss named',
    yaml: a2({
      consumes: y`
        - type: http
          namespace: api
          baseUri: https://api.example
          authentication:
            type: bearer
            token: '{{ env.API_TOKEN }}'
          inputParameters:
            - name: Tenant
              in: header
              value: '{tenant_id}'
          resources:
            - name: items
              path: /items/{{itemId}}
              inputParameters:
                - name: shelf
                  in: query
              operations:
                - name: get-item
                  method: POST
                  body:
                    type: json
                    data:
                      note: '{{ comment }}'
                  inputParameters:
                    - name: limit
                      in: query
      `,
      binds: '- namespace: env\n  keys:\n    API_TOKEN: API_TOKEN',
      exposes: mcp([
        tool(
          'get',
          'api.get-item',
          '  ITEM_ID: tools.a\n  tenantId: tools.b\n  Tenant: tools.c\n  shelf: tools.d\n  limit: tools.e\n  comment: tools.f\n  API_TOKEN: tools.g\n  env.API_TOKEN: tools.h\n  limitt: tools.i\n  zzzzzzzz: tools.j',
        ),
        tool('other', 'api.nope', '  anything: tools.x'),
      ]),
    }),
    want: [
      {
        rule: 'with-key-unmatched',
        severity: 'warning',
        at: '|limitt:',
        message: 'The `with` key `limitt` matches no parameter, path placeholder or template variable of `api.get-item`, so its value is never sent. Did you mean `limit`?',
        hint: 'Rename it to `limit`.',
        pointer: '/capability/exposes/0/tools/0/with/limitt',
      },
      {
        rule: 'with-key-unmatched',
        severity: 'warning',
        at: '|zzzzzzzz:',
        message: 'The `with` key `zzzzzzzz` matches no parameter, path placeholder or template variable of `api.get-item`, so its value is never sent.',
        hint: 'Declare `zzzzzzzz` as an input parameter of the consumed operation, or remove it.',
      },
      { rule: 'name-case-mismatch', severity: 'warning', at: '|ITEM_ID:', says: ['`ITEM_ID` matches `itemId` only when case and separators are ignored'] },
      { rule: 'call-target-missing', at: 'call: |api.nope' },
    ],
  },
  {
    name: 'input-pattern-invalid on a REST resource input and a tool input; a valid pattern passes',
    yaml: b5({
      consumes: y`
        - type: http
          namespace: api
          baseUri: https://api.example
          resources:
            items:
              path: /items
              operations:
                list-items:
                  method: GET
      `,
      exposes: y`
        - type: rest
          namespace: web
          port: 9001
          resources:
            items:
              path: /items
              inputParameters:
                q:
                  in: query
                  type: string
                  description: d
                  pattern: 'a++'
              operations:
                list:
                  method: GET
                  call: api.list-items
        - type: mcp
          namespace: tools
          port: 9000
          tools:
            list:
              description: d
              call: api.list-items
              inputParameters:
                q:
                  type: string
                  description: d
                  pattern: '(?<x>'
                ok:
                  type: string
                  description: d
                  pattern: '^[a-z]+$'
                plain:
                  type: string
                  description: d
      `,
    }),
    want: [
      {
        rule: 'input-pattern-invalid',
        severity: 'warning',
        at: "pattern: |'a++'",
        message: 'The pattern `a++` is not a regular expression JavaScript can compile (Unicode mode): the input is accepted without this check.',
        hint: 'Write the pattern in the ECMAScript syntax that JSON Schema uses.',
      },
      { rule: 'input-pattern-invalid', severity: 'warning', at: "pattern: |'(?<x>'", says: ['`(?<x>`'] },
      // Inputs are checked at the door of the tool (a relaxation there), and nothing consumes them.
      { rule: 'relaxed-input-constraints', severity: 'warning', at: "|pattern: '(?<x>'", says: ['2 inputs carry'] },
      { rule: 'input-unused', severity: 'warning', at: '|in: query' },
      { rule: 'input-unused', severity: 'warning', at: ['|type: string', 2] },
      { rule: 'input-unused', severity: 'warning', at: ['|type: string', 3] },
      { rule: 'input-unused', severity: 'warning', at: ['|type: string', 4] },
    ],
  },
]);

const BINARY_API = y`
  - type: http
    namespace: api
    baseUri: https://api.example
    resources:
      photo:
        path: /photo
        operations:
          get-photo:
            method: GET
            outputRawFormat: binary
`;

table('later constructs', [
  {
    name: 'tunnel-unsupported: an error by default, a warning with fallback: direct',
    yaml: b5({
      consumes: `${BINARY_API}\n  tunnel:\n    type: ziti\n    service: svc-a\n    identity: id.json\n${BINARY_API.replace('namespace: api', 'namespace: api2')}\n  tunnel:\n    type: ziti\n    service: svc-b\n    identity: id.json\n    fallback: direct`,
      exposes: '- type: mcp\n  namespace: tools\n  port: 9000\n  tools:\n    get:\n      description: d\n      call: api.get-photo',
    }),
    want: [
      {
        rule: 'tunnel-unsupported',
        at: '|tunnel:',
        message: 'naftiko-gen has no OpenZiti client, so the generated server could only reach `api` directly, which this tunnel forbids (`fallback: fail`).',
        hint: 'Set `fallback: direct` and run the server behind a Ziti tunneller (ziti-edge-tunnel) on the host, or use the engine.',
      },
      {
        rule: 'tunnel-unsupported',
        severity: 'warning',
        at: ['|tunnel:', 2],
        message: 'naftiko-gen has no OpenZiti client: the generated server reaches `api2` directly at its baseUri, as `fallback: direct` allows, never through the service `svc-b`.',
        hint: 'Run the server where the API is reachable, or through a Ziti tunneller (ziti-edge-tunnel) on the host.',
      },
    ],
  },
  {
    name: 'binary-resource-mapped: only a binary resource with steps that map their answers',
    yaml: b5({
      consumes: BINARY_API,
      exposes: y`
        - type: rest
          namespace: web
          port: 9001
          resources:
            photo:
              path: /photo
              operations:
                get:
                  method: GET
                  call: api.get-photo
        - type: mcp
          namespace: tools
          port: 9000
          tools:
            get:
              description: d
              call: api.get-photo
          resources:
            mapped:
              display: M
              uri: x://mapped
              description: d
              binary: true
              steps:
                fetch:
                  type: call
                  call: api.get-photo
              mappings:
                - target: out
                  value: $.fetch
            direct:
              display: D
              uri: x://direct
              description: d
              binary: true
              call: api.get-photo
            text:
              display: T
              uri: x://text
              description: d
              binary: false
              steps:
                fetch:
                  type: call
                  call: api.get-photo
              mappings:
                - target: out
                  value: $.fetch
            empty:
              display: E
              uri: x://empty
              description: d
              binary: true
              steps:
                fetch:
                  type: call
                  call: api.get-photo
              mappings: []
            bytes:
              display: B
              uri: x://bytes
              description: d
              binary: true
              steps:
                fetch:
                  type: call
                  call: api.get-photo
      `,
    }),
    want: [
      {
        rule: 'binary-resource-mapped',
        severity: 'warning',
        at: '|binary: true',
        message:
          "`binary: true` on a resource whose steps map their answers: the mapped object is JSON, served as text; only a read where no mapping gives a value serves the last call's bytes as a blob.",
        hint: "Remove `mappings` to serve the last step's bytes, or `binary: true` to serve the mapped JSON.",
      },
    ],
  },
]);

describe('suggest: the closest name within a small edit distance', () => {
  const cases: Array<[word: string, candidates: string[], want: string | undefined]> = [
    ['abc', ['xyz', 'abd'], 'abd'],
    ['abc', ['ab', 'abd'], 'ab'],
    ['ABC', ['abd'], 'abd'],
    ['abcd', ['abXY'], 'abXY'],
    ['abcd', ['aXYZ'], undefined],
    ['abcdefghijkl', ['abcdefghWXYZ'], 'abcdefghWXYZ'],
    ['abcdefghijkl', ['abcdefgVWXYZ'], undefined],
    ['abcdefghijklmno', ['abcdefghijVWXYZ'], 'abcdefghijVWXYZ'],
    ['abcdefghijklmno', ['abcdefghiUVWXYZ'], undefined],
    ['kitten', ['sitting'], undefined],
    ['kitten', ['sittin'], 'sittin'],
    ['flaw', ['lawn'], 'lawn'],
    ['get-item', ['get-items', 'get-iten'], 'get-items'],
    ['get-item', ['xx', 'get-iten', 'get-items'], 'get-iten'],
    ['a', ['abcdefghijk'], undefined],
    ['', ['a', 'ab'], 'a'],
    ['abc', [], undefined],
    // Long names: a difference in length alone is no measure of closeness (30 letters against 39 others).
    ['a'.repeat(30), ['b'.repeat(39)], undefined],
    ['a'.repeat(30), ['b'.repeat(38), 'a'.repeat(39)], 'a'.repeat(39)],
    ['a'.repeat(30), ['a'.repeat(41)], undefined],
    ['a'.repeat(30), ['a'.repeat(40)], 'a'.repeat(40)],
  ];
  it.each(cases)('%s among %j: %s', (word, candidates, want) => expect(closest(word, candidates)).toBe(want));
  it('didYouMean says so, or nothing', () => {
    expect(didYouMean('lable', ['label', 'description'])).toBe(' Did you mean `label`?');
    expect(didYouMean('zzzzz', ['label'])).toBe('');
  });
});
