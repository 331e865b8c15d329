/**
 * How src/validate/explain-schema-errors.ts picks the form an author meant when an `anyOf`/`oneOf` of the
 * published schema fails (each form is validated again and scored: a wrong kind costs most, a missing key
 * less, a problem deeper down least, and each required key the author wrote counts for its form), and
 * the words of the messages that depend on the value. Each case is a small capability and the findings it
 * must give: rule, place, words. In process; part `validate` of the mutation sets.
 */
import { describe, it } from 'vitest';
import { type Case, check, y } from './helpers/validate-cases.js';

/** A capability with one consumed operation (`op` adds lines to it) and an MCP adapter with `tools`. */
const doc = (op: string, tools: string): string =>
  [
    'naftiko: 1.0.0-alpha2',
    'info:',
    '  label: T',
    '  description: d',
    'capability:',
    '  consumes:',
    '    - type: http',
    '      namespace: api',
    '      baseUri: https://api.example',
    '      resources:',
    '        - name: items',
    '          path: /items',
    '          operations:',
    '            - name: list',
    '              method: GET',
    ...(op ? op.split('\n').map((l) => `              ${l}`) : []),
    '  exposes:',
    '    - type: mcp',
    '      namespace: m',
    '      port: 9091',
    '      description: d',
    '      tools:',
    ...tools.split('\n').map((l) => `        ${l}`),
    '',
  ].join('\n');
/** The capability with a control adapter whose `logs` is a mapping of `n` keys it does not know. */
const withLogs = (n: number): string =>
  doc('', TOOL).replace('  exposes:\n', `  exposes:\n    - type: control\n      port: 9092\n      management:\n        logs: {${Array.from({ length: n }, (_, k) => `k${k}: 1`).join(', ')}}\n`);
const TOOL = '- name: t\n  description: d\n  call: api.list';

const CASES: Case[] = [
  {
    name: 'a body of a known type without its data: the object form, not the text form',
    yaml: doc('body:\n  type: json', TOOL),
    want: [{ rule: 'schema-required', at: '  |type: json', message: '`capability.consumes[0].resources[0].operations[0].body` is missing the required property `data` (Template string, object or array to serialize).' }],
  },
  {
    name: 'a body of a known type without its data and with a stray key: still the object form',
    yaml: doc('body:\n  type: json\n  bogus: 1', TOOL),
    want: [
      { rule: 'schema-required', at: '  |type: json', says: ['is missing the required property `data`'] },
      { rule: 'schema-unknown-property', at: '  |bogus', message: '`bogus` is not a property of `capability.consumes[0].resources[0].operations[0].body`.' },
    ],
  },
  {
    name: 'a tool with a call and an output of an unknown type: the call form, at the type',
    yaml: doc('', `${TOOL}\n  outputParameters:\n    - type: strin\n      mapping: $.x`),
    want: [{ rule: 'schema-unknown-type', at: 'type: |strin', says: ['`strin` is not a known `type` for `capability.exposes[0].tools[0].outputParameters[0]`'] }],
  },
  {
    name: 'a tool with steps whose outputs are written as for a call: the steps form',
    yaml: doc('', '- name: t\n  description: d\n  steps:\n    - type: call\n      name: s\n      call: api.list\n  outputParameters:\n    - name: a\n      type: string\n      mapping: $.a\n    - name: b\n      type: string\n      mapping: $.b\n    - name: c\n      type: string\n      mapping: $.c'),
    want: [
      { rule: 'schema-unknown-property', at: ['|mapping:', 1], message: '`mapping` is not a property of `capability.exposes[0].tools[0].outputParameters[0]`.' },
      { rule: 'schema-unknown-property', at: ['|mapping:', 2], says: ['outputParameters[1]'] },
      { rule: 'schema-unknown-property', at: ['|mapping:', 3], says: ['outputParameters[2]'] },
    ],
  },
  {
    name: 'a tool with a call and no description: the one missing key, described',
    yaml: doc('', '- name: t\n  call: api.list'),
    want: [{ rule: 'schema-required', at: '- |name: t', message: '`capability.exposes[0].tools[0]` is missing the required property `description`.', hint: 'Add `description:` to this mapping.' }],
  },
  {
    name: 'a tool with a name and a description only: the keys of each form named',
    yaml: doc('', '- name: t\n  description: d'),
    want: [{ rule: 'schema-required', at: '- |name: t', message: '`capability.exposes[0].tools[0]` needs `call`, or `steps`, or `outputParameters`.', hint: 'Add whichever fits what this entry is for.' }],
  },
  {
    name: 'a tool with a call and an output without its mapping: the form whose outputs are nearest (a fixed value), not the call\'s four problems',
    yaml: doc('', `${TOOL}\n  outputParameters:\n    - name: o\n      type: string`),
    want: [{ rule: 'schema-required', at: '- |name: o', message: '`capability.exposes[0].tools[0].outputParameters[0]` is missing the required property `value` (Literal text or a Mustache template over the inputs).' }],
  },
  {
    name: 'a tool with steps whose outputs have a mapping and no name: the steps form, each output\'s problems',
    yaml: doc('', '- name: t\n  description: d\n  steps:\n    - type: call\n      name: s\n      call: api.list\n  outputParameters:\n    - type: string\n      mapping: $.a\n    - type: string\n      mapping: $.b\n    - type: string\n      mapping: $.c'),
    want: [0, 1, 2].flatMap((k) => [
      { rule: 'schema-required', at: ['- |type: string', k + 1] as [string, number], message: `\`capability.exposes[0].tools[0].outputParameters[${k}]\` is missing the required property \`name\` (Letters, digits, hyphens, underscores and the star wildcard).` },
      { rule: 'schema-unknown-property', at: ['|mapping:', k + 1] as [string, number], message: `\`mapping\` is not a property of \`capability.exposes[0].tools[0].outputParameters[${k}]\`.` },
    ]),
  },
  {
    name: 'null where text is expected: the kind named `null`; where a text or a number is expected, both named',
    yaml: doc('', '- name: t\n  description: d\n  call: api.list\n  with:\n    x: null\n  label: null'),
    want: [
      { rule: 'schema-type', at: 'x: |null', message: '`capability.exposes[0].tools[0].with.x` must be a string or a number, not a null.', hint: null },
      { rule: 'schema-type', at: 'label: |null', message: '`capability.exposes[0].tools[0].label` must be a string, not a null.' },
    ],
  },
  {
    name: 'a list where a method is expected: the list shown as written, not flattened',
    yaml: doc('', TOOL).replace('method: GET', 'method: [GET]'),
    want: [
      { rule: 'schema-enum', at: 'method: |[GET]', message: '`["GET"]` is not a valid `method`; expected one of GET, POST, PUT, PATCH, DELETE.' },
      { rule: 'schema-type', at: 'method: |[GET]', says: ['must be a string, not a list.'] },
    ],
  },
  {
    name: 'a call step without its call: the description keeps its inner dot, loses the last',
    yaml: doc('', '- name: t\n  description: d\n  steps:\n    - type: call\n      name: s'),
    want: [{ rule: 'schema-required', at: '- |type: call', message: '`capability.exposes[0].tools[0].steps[0]` is missing the required property `call` (Consumed operation to invoke, as namespace.operation).' }],
  },
  {
    name: 'a default that is a list: every allowed kind named',
    yaml: doc('', `${TOOL}\n  inputParameters:\n    - name: q\n      type: string\n      description: d\n      default: [1]`),
    want: [
      { rule: 'relaxed-input-constraints', severity: 'warning', at: '|default: [1]' },
      { rule: 'schema-type', at: 'default: |[1]', message: '`capability.exposes[0].tools[0].inputParameters[0].default` must be a string or a number or a boolean, not a list.' },
    ],
  },
  {
    name: 'a media type outside the known patterns: the pattern shown; a resource written as text: only that it must be a mapping',
    yaml: doc('', TOOL).replace('      tools:', '      resources:\n        - name: r\n          label: R\n          uri: x://r\n          description: d\n          mimeType: text\n          call: api.list\n        - plain\n      tools:'),
    want: [
      { rule: 'schema-pattern', at: 'mimeType: |text', says: ['`text` is not a valid `mimeType`: it must match the pattern `^[a-zA-Z0-9!#$&^_.+-]+\\/'], hint: null },
      { rule: 'schema-type', at: '- |plain', message: '`capability.exposes[0].resources[1]` must be a mapping, not a string (`plain`).' },
    ],
  },
  {
    name: 'an authentication without its type: at its first key, not at `authentication:`',
    yaml: doc('', TOOL).replace('      baseUri: https://api.example', '      baseUri: https://api.example\n      authentication:\n        token: x'),
    want: [{ rule: 'schema-required', at: '        |token: x', message: '`capability.consumes[0].authentication` is missing `type`; it must be one of basic, apikey, bearer, digest, oauth2.', hint: 'Add `type: basic`.' }],
  },
  {
    name: 'a capability that neither exposes nor consumes: both named, at its first key',
    yaml: 'naftiko: 1.0.0-alpha2\ninfo:\n  label: T\n  description: d\ncapability:\n  label: x\n',
    want: [
      { rule: 'schema-required', at: '  |label: x', message: '`capability` needs `exposes`, or `consumes`.', hint: 'Add whichever fits what this entry is for.' },
      { rule: 'schema-unknown-property', at: '  |label: x', says: ['`label` is not a property of `capability`.'] },
    ],
  },
  {
    name: 'logs as a mapping of a dozen keys it does not know: each key named (the mapping form is meant)',
    yaml: withLogs(12),
    want: Array.from({ length: 12 }, (_, k) => ({ rule: 'schema-unknown-property', at: `|k${k}: 1`, message: `\`k${k}\` is not a property of \`capability.exposes[0].management.logs\`.` })),
  },
  {
    name: 'logs as a number: both kinds it may be named, the value shown',
    yaml: withLogs(0).replace('logs: {}', 'logs: 5'),
    want: [{ rule: 'schema-type', at: 'logs: |5', message: '`capability.exposes[0].management.logs` must be a boolean or a mapping, not an integer (`5`).', hint: null }],
  },
  {
    name: 'a tool input given as true: text or a number, quote it',
    yaml: doc('', `${TOOL}\n  with:\n    x: true`),
    want: [{ rule: 'schema-type', at: 'x: |true', message: '`capability.exposes[0].tools[0].with.x` must be a string or a number, not a boolean (`true`).', hint: 'Quote the value to make it a string.' }],
  },
  {
    name: 'logs as a mapping of 21 keys it does not know: taken as the other form, a boolean (unknown keys cost 5 each, the wrong kind 100)',
    yaml: withLogs(21),
    want: [{ rule: 'schema-type', at: 'logs: |{k0', message: '`capability.exposes[0].management.logs` must be a boolean, not a mapping.' }],
  },
  {
    name: '--strict with a real error: two names outside the pattern as keys of one mapping are two findings, each at its key',
    yaml: y`
      ikanos: 1.0.0-beta5
      info:
        display: T
        description: D
      capability:
        consumes:
          - type: http
            namespace: api
            baseUri: https://api.example
            resources:
              items:
                path: /items
                operations:
                  get_items:
                    method: GET
                  put_items:
                    method: PUT
        exposes:
          - type: mcp
            namespace: tools
            port: 9000
            bogus: 1
            tools:
              list:
                description: d
                call: api.get-items
      `,
    strict: true,
    want: [
      { rule: 'relaxed-name-pattern', at: '|get_items:', pointer: '/capability/consumes/0/resources/items/operations/get_items' },
      { rule: 'relaxed-name-pattern', at: '|put_items:', pointer: '/capability/consumes/0/resources/items/operations/put_items' },
      { rule: 'schema-unknown-property', at: '|bogus: 1' },
    ],
  },
  {
    name: 'a skill tool written as text: only that it must be a mapping (both of its forms would accept text, a oneOf that says nothing more)',
    yaml: doc('', TOOL).replace('  exposes:\n', '  exposes:\n    - type: skill\n      namespace: s\n      port: 9093\n      skills:\n        - name: k\n          description: d\n          tools:\n            - plain\n'),
    want: [{ rule: 'schema-type', at: '- |plain', message: '`capability.exposes[0].skills[0].tools[0]` must be a mapping, not a string (`plain`).' }],
  },
];

describe('explain-schema-errors: the form meant, and the words that depend on the value', () => {
  for (const c of CASES) it(c.name, () => check(c));
});
