/**
 * Schema errors as the validator explains them (src/validate/explain-schema-errors.ts): one edit of the
 * weather fixture per case, and the exact findings it gives (rule, place, message, hint). Also the
 * relaxations under --strict, alone and mixed with a real error. In process; the mutation set of
 * src/validate runs these (vitest.mutation.config.ts, part validate).
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { explainSchemaErrors } from '../src/validate/explain-schema-errors.js';
import { compileSchema } from '../src/validate/schema-validator.js';
import { findSpecVersion } from '../src/validate/versions.js';
import { weatherWith } from './helpers/fixtures.js';
import { check, type Want } from './helpers/validate-cases.js';

const TOOLS = '      tools:\n        - name: list-stations';
/** Adds `block` (indented for an item of the MCP adapter) before its tools. */
const beforeTools = (block: string): [string, string] => [TOOLS, `${block}\n${TOOLS}`];

type Row = [name: string, edits: Array<[string, string]>, want: Want[], strict?: boolean];

const ROWS: Row[] = [
  [
    'schema-required: a missing property, described from the schema',
    [['      baseUri: https://api.weather.example\n', '']],
    [
      {
        rule: 'schema-required',
        at: '    - |type: http',
        message: '`capability.consumes[0]` is missing the required property `baseUri` (Scheme, host and optional fixed path; no placeholders allowed).',
        hint: 'Add `baseUri:` to this mapping.',
        pointer: '/capability/consumes/0',
      },
    ],
  ],
  [
    'schema-unknown-property: at the key, a near miss named, the allowed keys listed',
    [['  label: Weather stations', '  lable: Weather stations']],
    [
      { rule: 'schema-required', at: '  |lable', message: '`info` is missing the required property `label` (Short display name).' },
      {
        rule: 'schema-unknown-property',
        at: '  |lable',
        message: '`lable` is not a property of `info`. Did you mean `label`?',
        hint: 'Allowed here: label, description, tags, created, modified, stakeholders.',
        pointer: '/info/lable',
      },
    ],
  ],
  [
    'schema-unknown-property: no near miss, a key with a slash escaped in the pointer',
    [['  tags: [weather]', '  tags: [weather]\n  x/y~: 1']],
    [{ rule: 'schema-unknown-property', at: '  |x/y~', message: '`x/y~` is not a property of `info`.', pointer: '/info/x~1y~0' }],
  ],
  [
    'schema-type: an integer written as text; no hint to quote',
    [['port: 8081', "port: '8081'"]],
    [{ rule: 'schema-type', at: "port: |'8081'", message: '`capability.exposes[0].port` must be an integer, not a string (`8081`).', hint: null }],
  ],
  [
    'schema-type: text written as a number: quote it',
    [['label: Get a station', 'label: 12']],
    [{ rule: 'schema-type', at: 'label: |12', message: '`capability.exposes[1].tools[1].label` must be a string, not an integer (`12`).', hint: 'Quote the value to make it a string.' }],
  ],
  [
    'schema-type: a number with a fraction is a number, not an integer',
    [['port: 8081', 'port: 80.5']],
    [{ rule: 'schema-type', at: 'port: |80.5', message: '`capability.exposes[0].port` must be an integer, not a number (`80.5`).' }],
  ],
  [
    'schema-type: a mapping for a list, and null for text',
    [
      [TOOLS, '      tools: {}\n      x:\n        - name: list-stations'],
      ['label: Get a station', 'label: null'],
    ],
    [
      { rule: 'schema-type', at: 'tools: |{}', message: '`capability.exposes[1].tools` must be a list, not a mapping.', hint: null },
      { rule: 'schema-unknown-property', at: '      |x:', says: ['`x` is not a property of `capability.exposes[1]`.'], hint: 'Allowed here: type, transport, address, port, namespace, description, authentication, tools, resources, prompts.' },
    ],
  ],
  [
    'schema-type: a list for a mapping; a list for text',
    [
      ['info:\n  label: Weather stations\n  description: Reads stations and observations from a weather API.\n  tags: [weather]', 'info: []'],
      ['country: rest.country', 'country: [1]'],
    ],
    [
      { rule: 'schema-type', at: 'info: |[]', message: '`info` must be a mapping, not a list.' },
      { rule: 'schema-type', at: 'country: |[1]', message: '`capability.exposes[0].resources[0].operations[0].with.country` must be a string or a number, not a list.', hint: null },
    ],
  ],
  [
    'schema-type: a boolean written as text',
    [['readOnly: true', 'readOnly: yes']],
    [{ rule: 'schema-type', at: 'readOnly: |yes', message: '`capability.exposes[1].tools[0].hints.readOnly` must be a boolean, not a string (`yes`).', hint: null }],
  ],
  [
    'schema-enum: the allowed values and a near miss',
    [['method: PUT', 'method: PUTT']],
    [{ rule: 'schema-enum', at: 'method: |PUTT', message: '`PUTT` is not a valid `method`; expected one of GET, POST, PUT, PATCH, DELETE. Did you mean `PUT`?', hint: null }],
  ],
  [
    'schema-enum and schema-type: a number where a method is expected; no near miss for a number',
    [['method: PUT', 'method: 5']],
    [
      { rule: 'schema-enum', at: 'method: |5', message: '`5` is not a valid `method`; expected one of GET, POST, PUT, PATCH, DELETE.' },
      { rule: 'schema-type', at: 'method: |5', says: ['must be a string, not an integer (`5`)'] },
    ],
  ],
  [
    'a long value is cut at 57 characters',
    [['method: PUT', `method: ${'X'.repeat(61)}`]],
    [{ rule: 'schema-enum', at: 'method: |XXX', message: `\`${'X'.repeat(57)}...\` is not a valid \`method\`; expected one of GET, POST, PUT, PATCH, DELETE.` }],
  ],
  [
    'a value of 60 characters is shown whole',
    [['method: PUT', `method: ${'X'.repeat(60)}`]],
    [{ rule: 'schema-enum', at: 'method: |XXX', says: [`\`${'X'.repeat(60)}\` is not`] }],
  ],
  [
    'schema-unknown-type: an unknown adapter type, at the type',
    [['type: rest', 'type: rst']],
    [{ rule: 'schema-unknown-type', at: 'type: |rst', message: '`rst` is not a known `type` for `capability.exposes[0]`; expected one of rest, mcp, skill, control. Did you mean `rest`?', pointer: '/capability/exposes/0/type' }],
  ],
  [
    'schema-unknown-type: a number as a type',
    [['type: bearer', 'type: 7']],
    [{ rule: 'schema-unknown-type', at: 'type: |7', message: '`7` is not a known `type` for `capability.consumes[0].authentication`; expected one of basic, apikey, bearer, digest, oauth2.' }],
  ],
  [
    'schema-required: a discriminated form without its type',
    [['    - type: rest\n      namespace: weather-rest', '    - namespace: weather-rest']],
    [{ rule: 'schema-required', at: '    - |namespace: weather-rest', message: '`capability.exposes[0]` is missing `type`; it must be one of rest, mcp, skill, control.', hint: 'Add `type: rest`.' }],
  ],
  [
    'schema-pattern: a known pattern in plain words',
    [['call: weather.get-station', 'call: nodot']],
    [
      { rule: 'schema-pattern', at: 'call: |nodot', message: '`nodot` is not a valid `call`: it must have the form `<namespace>.<operation>`.', hint: 'Write the consumed namespace, a dot, and the operation name, e.g. `my-api.list-items`.' },
      { rule: 'relaxed-name-pattern', severity: 'warning', at: 'call: |nodot' },
    ],
  ],
  [
    'schema-pattern: a base URI that is not http(s)',
    [['baseUri: https://api.weather.example', 'baseUri: ftp://x']],
    [{ rule: 'schema-pattern', at: 'baseUri: |ftp', message: '`ftp://x` is not a valid `baseUri`: it must be an absolute http:// or https:// URL.', hint: 'Write the API root, e.g. `https://api.example.com` (placeholders are not allowed after the host).' }],
  ],
  [
    'schema-range: above the maximum and below the minimum',
    [
      ['port: 8081', 'port: 70000'],
      ['port: 9091', 'port: 0'],
    ],
    [
      { rule: 'schema-range', at: 'port: |70000', message: '`capability.exposes[0].port` is `70000` but must be <= 65535.' },
      { rule: 'schema-range', at: 'port: |0', message: '`capability.exposes[1].port` is `0` but must be >= 1.' },
    ],
  ],
  [
    'schema-min-items: an empty list',
    [beforeTools('      resources: []')],
    [{ rule: 'schema-min-items', at: 'resources: |[]', message: '`capability.exposes[1].resources` must have at least 1 item.', hint: 'Add an entry, or remove the empty list.' }],
  ],
  [
    'schema-not-allowed: a port on a stdio adapter, at the key',
    [['      namespace: weather-mcp\n      port: 9091', '      namespace: weather-mcp\n      transport: stdio\n      port: 9091']],
    [
      {
        rule: 'schema-not-allowed',
        at: '      |port: 9091',
        message: '`port` must not be set on `capability.exposes[1]` here.',
        hint: 'Remove it: it does not apply to this form (for example a stdio MCP adapter has no port).',
        pointer: '/capability/exposes/1/port',
      },
    ],
  ],
  [
    'schema-required: equally likely forms that each miss a key are named together',
    [beforeTools('      resources:\n        - name: r\n          label: R\n          uri: x://r\n          description: d')],
    [{ rule: 'schema-required', at: '        - |name: r', message: '`capability.exposes[1].resources[0]` needs `call`, or `steps`, or `location`.', hint: 'Add whichever fits what this entry is for.' }],
  ],
  [
    'schema-required: a prompt with neither template nor location',
    [beforeTools('      prompts:\n        - name: p\n          label: P\n          description: d')],
    [{ rule: 'schema-required', at: '        - |name: p\n', message: '`capability.exposes[1].prompts[0]` needs `template`, or `location`.' }],
  ],
  [
    'schema-format: a location that is not a URI',
    [beforeTools('      resources:\n        - name: r\n          label: R\n          uri: x://r\n          description: d\n          location: "file:///a b"')],
    [{ rule: 'schema-format', at: 'location: |"file', message: '`file:///a b` is not a valid uri for `capability.exposes[1].resources[0].location`.', hint: null }],
  ],
  [
    'schema-key: a key outside the allowed names, in plain words',
    [['WEATHER_TOKEN: WEATHER_TOKEN', 'weather-token: WEATHER_TOKEN']],
    [{ rule: 'schema-key', at: '      |weather-token', message: '`weather-token` is not a valid key of `binds[0].keys`: it must be written in capitals, digits and `_`, starting with a letter.', hint: 'For example `API_KEY`.', pointer: '/binds/0/keys/weather-token' }],
  ],
  [
    'schema-enum: a parameter location, with a near miss',
    [['                - name: country\n                  in: query', '                - name: country\n                  in: quer']],
    [{ rule: 'schema-enum', at: 'in: |quer', message: '`quer` is not a valid `in`; expected one of query, header, path, cookie, body, environment. Did you mean `query`?' }],
  ],
  [
    'relaxations under --strict: each an error at its place, with the strict hint',
    [
      ['method: PUT', 'method: HEAD'],
      ['namespace: weather-mcp', 'namespace: weather_mcp'],
      ['                - name: country\n                  in: query', '                - name: country\n                  in: query\n                  type: string\n                  description: d'],
      ['baseUri: https://api.weather.example', "baseUri: ''"],
    ],
    [
      { rule: 'relaxed-head-method', at: 'method: |HEAD', message: '`HEAD` is not a method the official schema allows; naftiko-gen sends it as a HEAD request.', hint: 'Use GET, or validate without --strict.' },
      { rule: 'relaxed-name-pattern', at: 'namespace: |weather_mcp', hint: 'Use letters, digits and `-` (and `_`, `*` in parameter names), or validate without --strict.' },
      { rule: 'relaxed-consumed-input-annotations', at: '                  |type: string', message: '`type`, `description` are not properties of a consumed input parameter in the official schema; naftiko-gen uses them to type and describe the inputs it infers.' },
      { rule: 'relaxed-empty-base-uri', at: "baseUri: |''", says: ['from `WEATHER_BASE_URI` and'], hint: "Write the API's URL (https://...), or validate without --strict." },
    ],
    true,
  ],
  [
    'the same relaxations, relaxed: warnings with the relaxed hint',
    [
      ['method: PUT', 'method: HEAD'],
      ['baseUri: https://api.weather.example', "baseUri: ''"],
    ],
    [
      { rule: 'relaxed-head-method', severity: 'warning', at: 'method: |HEAD', hint: '--strict turns this warning into an error.' },
      { rule: 'relaxed-empty-base-uri', severity: 'warning', at: "baseUri: |''", says: ['from `WEATHER_BASE_URI` and'], hint: "Write the API's URL here (https://...) to make it the default; --strict turns this warning into an error." },
    ],
  ],
  [
    'a relaxation under --strict next to a real error: both reported',
    [['method: PUT', 'method: HEAD\n              bogus: 1']],
    [
      { rule: 'relaxed-head-method', at: 'method: |HEAD', hint: 'Use GET, or validate without --strict.' },
      { rule: 'schema-unknown-property', at: '              |bogus', message: '`bogus` is not a property of `capability.consumes[0].resources[1].operations[1]`.' },
    ],
    true,
  ],
];

describe('schema errors, explained', () => {
  for (const [name, edits, want, strict] of ROWS) {
    it(name, () => {
      const yaml = weatherWith(...edits);
      check({ name, yaml, want, strict: strict ?? false, model: !want.some((w) => (w.severity ?? 'error') === 'error') });
    });
  }
});

/**
 * The explainer's last resorts, which the published schemas never reach from a document: given ajv errors
 * written by hand, what each becomes.
 */
describe('errors the schemas do not produce from a document, explained', () => {
  const compiled = () => compileSchema(findSpecVersion('1.0.0-alpha2')!, 'relaxed');
  const error = (e: Partial<ErrorObject> & { keyword: string; instancePath: string }): ErrorObject => ({ schemaPath: '#/x', params: {}, ...e }) as ErrorObject;
  const explain = (errors: ErrorObject[], root: unknown) => explainSchemaErrors(compiled(), errors, root).map((i) => ({ rule: i.rule, pointer: i.pointer, atKey: i.atKey, message: i.message, hint: i.hint }));
  const root = { a: { n: 3, s: 'text', m: { k: 1 } } };
  const cases: Array<[name: string, errors: ErrorObject[], want: Array<Record<string, unknown>>]> = [
    [
      'alternatives that are all typed: the types named',
      [error({ keyword: 'anyOf', instancePath: '/a/n', schema: [{ type: 'string' }, { type: 'array' }] })],
      [{ rule: 'schema-type', pointer: '/a/n', atKey: false, message: '`a.n` must be a string or an array, not an integer.', hint: undefined }],
    ],
    [
      'alternatives not all typed: no match',
      [error({ keyword: 'anyOf', instancePath: '/a/m', schema: [{ type: 'object', required: ['x'] }, { required: ['y'] }] })],
      [{ rule: 'schema-no-match', pointer: '/a/m', atKey: false, message: '`a.m` does not match any of its allowed forms.', hint: undefined }],
    ],
    [
      'a oneOf that more than one form passes, forms with required keys',
      [error({ keyword: 'oneOf', instancePath: '/a', schema: [{ required: ['n'] }, { required: ['s'] }], params: { passingSchemas: [0, 1] } })],
      [{ rule: 'schema-ambiguous', pointer: '/a', atKey: false, message: '`a` has both `n` and `s`; use only one of them.', hint: 'Keep the one you mean and delete the other.' }],
    ],
    [
      'a oneOf that more than one form passes, forms without required keys',
      [error({ keyword: 'oneOf', instancePath: '/a', schema: [{ type: 'object' }, { required: ['s'] }], params: { passingSchemas: [0, 1] } })],
      [{ rule: 'schema-ambiguous', pointer: '/a', atKey: false, message: '`a` matches more than one of its allowed forms.', hint: 'Remove the keys that belong to the other form.' }],
    ],
    [
      'a keyword without a sentence, with and without ajv\'s message',
      [error({ keyword: 'maxLength', instancePath: '/a/s', message: 'must NOT have more than 2 characters' }), error({ keyword: 'uniqueItems', instancePath: '/a/n' })],
      [
        { rule: 'schema-other', pointer: '/a/s', atKey: false, message: '`a.s` must NOT have more than 2 characters (`maxLength`).', hint: undefined },
        { rule: 'schema-other', pointer: '/a/n', atKey: false, message: '`a.n` is invalid (`uniqueItems`).', hint: undefined },
      ],
    ],
    [
      'a range without ajv\'s message; a not without required keys',
      [error({ keyword: 'exclusiveMaximum', instancePath: '/a/n' }), error({ keyword: 'not', instancePath: '/a/m', schema: { type: 'object' } })],
      [
        { rule: 'schema-range', pointer: '/a/n', atKey: false, message: '`a.n` is `3` but is out of range.', hint: undefined },
        { rule: 'schema-not-allowed', pointer: '/a/m', atKey: false, message: '`a.m` has a form that is not allowed here.', hint: undefined },
      ],
    ],
    [
      'keys a mapping refuses: a plain-words pattern, a pattern shown, another keyword; the summaries left out',
      [
        error({ keyword: 'pattern', instancePath: '/a/m', propertyName: 'bad key', params: { pattern: '^[a-zA-Z0-9-]+$' } } as Partial<ErrorObject> & { keyword: string; instancePath: string }),
        error({ keyword: 'pattern', instancePath: '/a/m', propertyName: 'x/y', params: { pattern: '^z+$' } } as Partial<ErrorObject> & { keyword: string; instancePath: string }),
        error({ keyword: 'minLength', instancePath: '/a/m', propertyName: 'k~' } as Partial<ErrorObject> & { keyword: string; instancePath: string }),
        error({ keyword: 'propertyNames', instancePath: '/a/m', params: { propertyName: 'bad key' } }),
        error({ keyword: 'propertyNames', instancePath: '/a/m', params: { propertyName: 'other' } }),
        error({ keyword: 'if', instancePath: '/a/m' }),
      ],
      [
        { rule: 'schema-key', pointer: '/a/m/bad key', atKey: true, message: '`bad key` is not a valid key of `a.m`: it may contain only letters, digits and `-`.', hint: 'Replace other characters with `-`, e.g. `my-name`.' },
        { rule: 'schema-key', pointer: '/a/m/x~1y', atKey: true, message: '`x/y` is not a valid key of `a.m`: it must match the pattern `^z+$`.', hint: undefined },
        { rule: 'schema-key', pointer: '/a/m/k~0', atKey: true, message: '`k~` is not a valid key of `a.m`: it is not allowed here.', hint: undefined },
        { rule: 'schema-key', pointer: '/a/m/other', atKey: true, message: '`other` is not a valid key of `a.m`: it is not allowed here.', hint: undefined },
      ],
    ],
    [
      'one problem reported twice is reported once',
      [error({ keyword: 'uniqueItems', instancePath: '/a/n' }), error({ keyword: 'uniqueItems', instancePath: '/a/n' }), error({ keyword: 'uniqueItems', instancePath: '/a/s' })],
      [
        { rule: 'schema-other', pointer: '/a/n', atKey: false, message: '`a.n` is invalid (`uniqueItems`).', hint: undefined },
        { rule: 'schema-other', pointer: '/a/s', atKey: false, message: '`a.s` is invalid (`uniqueItems`).', hint: undefined },
      ],
    ],
    [
      'an unknown property where the schema lists no properties',
      [error({ keyword: 'additionalProperties', instancePath: '/a', params: { additionalProperty: 'zz' }, parentSchema: { type: 'object' } })],
      [{ rule: 'schema-unknown-property', pointer: '/a/zz', atKey: true, message: '`zz` is not a property of `a`.', hint: 'Remove it.' }],
    ],
    [
      'an unevaluated property, a property the schema sets to false is not offered',
      [error({ keyword: 'unevaluatedProperties', instancePath: '/a', params: { unevaluatedProperty: 'nn' }, parentSchema: { properties: { n: true, off: false, m: {} } } })],
      [{ rule: 'schema-unknown-property', pointer: '/a/nn', atKey: true, message: '`nn` is not a property of `a`. Did you mean `n`?', hint: 'Allowed here: n, m.' }],
    ],
    [
      'a required property without a description; the minimum of one item',
      [error({ keyword: 'required', instancePath: '/a', params: { missingProperty: 'q' }, parentSchema: { properties: { q: { type: 'string' } } } }), error({ keyword: 'minItems', instancePath: '/a/n', params: { limit: 2 } })],
      [
        { rule: 'schema-required', pointer: '/a', atKey: false, message: '`a` is missing the required property `q`.', hint: 'Add `q:` to this mapping.' },
        { rule: 'schema-min-items', pointer: '/a/n', atKey: false, message: '`a.n` must have at least 2 items.', hint: 'Add an entry, or remove the empty list.' },
      ],
    ],
  ];
  it.each(cases)('%s', (_name, errors, want) => expect(explain(errors, root)).toEqual(want));
});
