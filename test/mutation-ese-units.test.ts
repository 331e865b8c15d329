/**
 * The parts of src/validate/explain-schema-errors.ts that the published schemas never reach from a document:
 * schema shapes they do not have (keys with `/` or `~`, `$ref` chains and `allOf` that add properties,
 * a reference outside the document, a `null` default), and ajv errors that do not line up with what a
 * branch gives when validated again. A small schema and a stand-in for the compiled validator, whose
 * `validateAt` answers only for the branches it knows (so a branch asked for at the wrong place fails),
 * and the issues that come out: rule, place, words. In process; part `validate` of the mutation sets.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { explainSchemaErrors } from '../src/validate/explain-schema-errors.js';
import type { CompiledSchema } from '../src/validate/schema-validator.js';

type Partial2 = Partial<ErrorObject> & { keyword: string; instancePath: string };
const error = (e: Partial2): ErrorObject => ({ schemaPath: '#/x', params: {}, ...e }) as ErrorObject;

/** A chain C0 -> C1 -> ... -> C6 of `$ref`s, each adding one property. */
const chain: Record<string, unknown> = {};
for (let k = 0; k <= 6; k++) chain[`C${k}`] = { ...(k < 6 ? { $ref: `#/$defs/C${k + 1}` } : {}), properties: { [`c${k}`]: {} } };

const SCHEMA = {
  // A null anywhere in the schema (here a default) must not stop the walk that locates subschemas.
  default: null,
  $defs: {
    'a/b~c': { anyOf: [{ required: ['x'] }, { required: ['y'] }] },
    plain: { anyOf: [{ required: ['x'] }, { required: ['y'] }] },
    // Two forms for the scoring rows; each row says what validating each form again gives.
    U: { anyOf: [{ required: ['a', 'x'] }, {}] },
    // A form that is `false` (nothing passes it) next to one with a required key.
    F: { oneOf: [false, { required: ['s'] }] },
    Base: { properties: { b1: {} } },
    Extra: { properties: { e1: {} } },
    Loop: { $ref: '#/$defs/Loop', properties: { l1: {} } },
    AllLoop: { allOf: [{ $ref: '#/$defs/AllLoop' }], properties: { al: {} } },
    ...chain,
  },
} as const;
const defs = SCHEMA.$defs as unknown as Record<string, Record<string, unknown>>;

/** The compiled schema, with each branch's errors (relative to the branch's instance) given by pointer. */
function compiled(branches: Record<string, ErrorObject[]>): CompiledSchema & { asked: string[] } {
  const asked: string[] = [];
  return {
    schema: SCHEMA as unknown as Record<string, unknown>,
    schemaId: 'test',
    validate: (() => true) as unknown as CompiledSchema['validate'],
    validateAt(pointer: string) {
      asked.push(pointer);
      const errors = branches[pointer];
      if (!errors) throw new Error(`no branch at ${pointer}`);
      return errors;
    },
    asked,
  };
}

const explain = (c: CompiledSchema, errors: ErrorObject[], root: unknown) =>
  explainSchemaErrors(c, errors, root).map((i) => ({ rule: i.rule, pointer: i.pointer, atKey: i.atKey, message: i.message, hint: i.hint }));

const req = (missingProperty: string, instancePath = '') => error({ keyword: 'required', instancePath, params: { missingProperty } });
const BRANCHES_PLAIN = { '/$defs/plain/anyOf/0': [req('x')], '/$defs/plain/anyOf/1': [req('y')] };

describe('explaining an anyOf through its branches, validated again', () => {
  it('finds the branches under a key with `/` and `~` (escaped in the pointer it asks for)', () => {
    const c = compiled({ '/$defs/a~1b~0c/anyOf/0': [req('x')], '/$defs/a~1b~0c/anyOf/1': [req('y')] });
    const anyOf = error({ keyword: 'anyOf', instancePath: '/m', schema: defs['a/b~c']!.anyOf });
    expect(explain(c, [req('x', '/m'), req('y', '/m'), anyOf], { m: {} })).toEqual([
      { rule: 'schema-required', pointer: '/m', atKey: false, message: '`m` needs `x`, or `y`.', hint: 'Add whichever fits what this entry is for.' },
    ]);
    expect(c.asked).toEqual(['/$defs/a~1b~0c/anyOf/0', '/$defs/a~1b~0c/anyOf/1']);
  });

  // Each row: the errors ajv listed, and what is said when they are not the branches' errors found again.
  const rows: Array<[name: string, errors: ErrorObject[], want: Array<Record<string, unknown>>]> = [
    [
      'the error before the anyOf differs from the second branch: no branch is chosen, the other errors are explained on their own',
      [req('x', '/m'), error({ keyword: 'minItems', instancePath: '/m', params: { limit: 1 } }), error({ keyword: 'anyOf', instancePath: '/m', schema: defs.plain!.anyOf })],
      [
        { rule: 'schema-no-match', pointer: '/m', atKey: false, message: '`m` does not match any of its allowed forms.', hint: undefined },
        { rule: 'schema-required', pointer: '/m', atKey: false, message: '`m` is missing the required property `x`.', hint: 'Add `x:` to this mapping.' },
        { rule: 'schema-min-items', pointer: '/m', atKey: false, message: '`m` must have at least 1 item.', hint: 'Add an entry, or remove the empty list.' },
      ],
    ],
    [
      'the error before the anyOf is the second branch\'s keyword at another place: no branch is chosen',
      [req('x', '/m'), req('y', '/m/k'), error({ keyword: 'anyOf', instancePath: '/m', schema: defs.plain!.anyOf })],
      [
        { rule: 'schema-no-match', pointer: '/m', atKey: false, message: '`m` does not match any of its allowed forms.', hint: undefined },
        { rule: 'schema-required', pointer: '/m', atKey: false, message: '`m` is missing the required property `x`.', hint: 'Add `x:` to this mapping.' },
        { rule: 'schema-required', pointer: '/m/k', atKey: false, message: '`m.k` is missing the required property `y`.', hint: 'Add `y:` to this mapping.' },
      ],
    ],
    [
      'a value of the wrong kind: its type error alone, not what the anyOf on it would say',
      [error({ keyword: 'type', instancePath: '/m', params: { type: 'string' } }), error({ keyword: 'anyOf', instancePath: '/m', schema: defs.plain!.anyOf })],
      [{ rule: 'schema-type', pointer: '/m', atKey: false, message: '`m` must be a string, not a mapping.', hint: undefined }],
    ],
    [
      'fewer errors before the anyOf than its branches give: no branch is chosen',
      [req('x', '/m'), error({ keyword: 'anyOf', instancePath: '/m', schema: defs.plain!.anyOf })],
      [
        { rule: 'schema-no-match', pointer: '/m', atKey: false, message: '`m` does not match any of its allowed forms.', hint: undefined },
        { rule: 'schema-required', pointer: '/m', atKey: false, message: '`m` is missing the required property `x`.', hint: 'Add `x:` to this mapping.' },
      ],
    ],
  ];
  it.each(rows)('%s', (_name, errors, want) => expect(explain(compiled(BRANCHES_PLAIN), errors, { m: {} })).toEqual(want));
});

/**
 * Which of two forms is explained: a wrong kind (const, enum or discriminator at the place or at its
 * `type`) costs 100, a wrong type 100, a missing key 10, an unknown key 5, anything else or deeper 1; each
 * required key the author wrote takes 2 off its form. The lower total is the form meant; on a tie, the
 * first, unless every tied form only misses keys here (then one issue names each form's keys).
 */
describe('choosing the form an author meant', () => {
  const at = (e: Partial2) => error({ ...e, instancePath: e.instancePath });
  const deep = (n: number) => Array.from({ length: n }, (_, k) => at({ keyword: 'minItems', instancePath: `/q${k}`, params: { limit: 1 } }));
  const rows: Array<[name: string, first: ErrorObject[], second: ErrorObject[], want: Array<Record<string, unknown>>, wrote?: boolean]> = [
    ['a const at the type costs more than a missing key', [at({ keyword: 'const', instancePath: '/type', params: { allowedValue: 'k' } })], [req('z')], [missing('z')]],
    ['an enum at the place likewise', [at({ keyword: 'enum', instancePath: '', params: { allowedValues: ['k'] } })], [req('z')], [missing('z')]],
    ['a discriminator at the place likewise', [at({ keyword: 'discriminator', instancePath: '', params: { tag: 'type' } })], [req('z')], [missing('z')]],
    [
      'three unevaluated keys cost more than a missing key',
      ['u1', 'u2', 'u3'].map((k) => at({ keyword: 'unevaluatedProperties', instancePath: '', params: { unevaluatedProperty: k }, parentSchema: {} })),
      [req('z')],
      [missing('z')],
    ],
    [
      'another kind of problem at the place costs as little as a deep one',
      [at({ keyword: 'minLength', instancePath: '', message: 'is too short' })],
      deep(2),
      [{ rule: 'schema-other', pointer: '/m', atKey: false, message: '`m` is too short (`minLength`).', hint: undefined }],
    ],
    [
      'only the required keys the author wrote count for a form (one written, one missing: 2 off, not 4)',
      [req('x')],
      deep(7),
      deep(7).map((_, k) => ({ rule: 'schema-min-items', pointer: `/m/q${k}`, atKey: false, message: `\`m.q${k}\` must have at least 1 item.`, hint: 'Add an entry, or remove the empty list.' })),
      true,
    ],
    [
      'tied forms that miss keys and have another problem: the first one explained',
      [req('x'), ...deep(1)],
      [req('y'), ...deep(1)],
      [missing('x'), { rule: 'schema-min-items', pointer: '/m/q0', atKey: false, message: '`m.q0` must have at least 1 item.', hint: 'Add an entry, or remove the empty list.' }],
    ],
    [
      'tied forms that miss keys deeper down: the first one explained, at its place',
      [req('x', '/q0')],
      [req('y', '/q0')],
      [{ rule: 'schema-required', pointer: '/m/q0', atKey: false, message: '`m.q0` is missing the required property `x`.', hint: 'Add `x:` to this mapping.' }],
    ],
    ['a form that misses a key tied with one that has other problems: the first one explained', [req('x')], deep(10), [missing('x')]],
    [
      'tied forms that each miss two keys: each pair named',
      [req('x'), req('w')],
      [req('y'), req('v')],
      [{ rule: 'schema-required', pointer: '/m', atKey: false, message: '`m` needs `x` and `w`, or `y` and `v`.', hint: 'Add whichever fits what this entry is for.' }],
    ],
    [
      'tied forms that are each only another kind: every kind named once, a kind listed by a form as several',
      [kind('string,number')],
      [kind('boolean,string')],
      [{ rule: 'schema-type', pointer: '/m', atKey: false, message: '`m` must be a string or a number or a boolean, not a mapping.', hint: undefined }],
    ],
    ['a form that is only another kind tied with one that has other problems: the first one explained', [kind('string')], deep(100), [{ rule: 'schema-type', pointer: '/m', atKey: false, message: '`m` must be a string, not a mapping.', hint: undefined }]],
    [
      'tied forms that are another kind and have another problem: the first one explained',
      [kind('string'), ...deep(1)],
      [kind('number'), ...deep(1)],
      [
        { rule: 'schema-type', pointer: '/m', atKey: false, message: '`m` must be a string, not a mapping.', hint: undefined },
        { rule: 'schema-min-items', pointer: '/m/q0', atKey: false, message: '`m.q0` must have at least 1 item.', hint: 'Add an entry, or remove the empty list.' },
      ],
    ],
    [
      'tied forms whose only problem is a kind deeper down: the first one explained, at its place',
      [kind('string', '/q0')],
      [kind('number', '/q0')],
      [{ rule: 'schema-type', pointer: '/m/q0', atKey: false, message: '`m.q0` must be a string, not an integer (`5`).', hint: 'Quote the value to make it a string.' }],
    ],
    [
      'tied forms that miss the same key: named once, no choice offered',
      [req('x')],
      [req('x')],
      [{ rule: 'schema-required', pointer: '/m', atKey: false, message: '`m` needs `x`.', hint: undefined }],
    ],
  ];
  function kind(type: string, instancePath = '') {
    return at({ keyword: 'type', instancePath, params: { type } });
  }
  function missing(key: string) {
    return { rule: 'schema-required', pointer: '/m', atKey: false, message: `\`m\` is missing the required property \`${key}\`.`, hint: `Add \`${key}:\` to this mapping.` };
  }
  const under = (errors: ErrorObject[]) => errors.map((e) => ({ ...e, instancePath: `/m${e.instancePath}` }));
  // `wrote`: the author wrote `a`, a key the first form requires.
  it.each(rows)('%s', (_name, first, second, want, wrote) => {
    const c = compiled({ '/$defs/U/anyOf/0': first, '/$defs/U/anyOf/1': second });
    const errors = [...under(first), ...under(second), error({ keyword: 'anyOf', instancePath: '/m', schema: defs.U!.anyOf })];
    expect(explain(c, errors, { m: wrote ? { a: 1 } : { type: 'other', q0: 5 } })).toEqual(want);
  });

  it('a form that is `false` is scored by its errors alone', () => {
    const c = compiled({ '/$defs/F/oneOf/0': [error({ keyword: 'false schema', instancePath: '' })], '/$defs/F/oneOf/1': [req('s')] });
    const errors = [error({ keyword: 'false schema', instancePath: '/m' }), req('s', '/m'), error({ keyword: 'oneOf', instancePath: '/m', schema: defs.F!.oneOf, params: { passingSchemas: null } })];
    expect(explain(c, errors, { m: {} })).toEqual([{ rule: 'schema-other', pointer: '/m', atKey: false, message: '`m` is invalid (`false schema`).', hint: undefined }]);
  });

  it('a oneOf that a `false` form and another both pass (as ajv may report it): no required keys to name', () => {
    const errors = [error({ keyword: 'oneOf', instancePath: '/m', schema: defs.F!.oneOf, params: { passingSchemas: [0, 1] } })];
    expect(explain(compiled({}), errors, { m: { s: 1 } })).toEqual([
      { rule: 'schema-ambiguous', pointer: '/m', atKey: false, message: '`m` matches more than one of its allowed forms.', hint: 'Remove the keys that belong to the other form.' },
    ]);
  });
});

describe('the keys offered for an unknown property', () => {
  const unknown = (parentSchema: Record<string, unknown>, keyword = 'additionalProperties') =>
    error({ keyword, instancePath: '/m', parentSchema, params: keyword === 'additionalProperties' ? { additionalProperty: 'something-else' } : { unevaluatedProperty: 'something-else' } });
  const rows: Array<[name: string, parentSchema: Record<string, unknown>, keyword: string, hint: string]> = [
    [
      'its own, those of a $ref and of allOf; a reference to nothing and a `true` in allOf add none',
      { properties: { own: {}, off: false }, $ref: '#/$defs/Base', allOf: [{ $ref: '#/$defs/Extra' }, { $ref: '#/$defs/Missing' }, true], additionalProperties: false },
      'additionalProperties',
      'Allowed here: own, b1, e1.',
    ],
    ['a $ref to itself is followed a few times, not for ever', defs.Loop!, 'unevaluatedProperties', 'Allowed here: l1.'],
    ['an allOf that includes itself likewise', defs.AllLoop!, 'unevaluatedProperties', 'Allowed here: al.'],
    ['a chain of $refs is followed five deep', defs.C0!, 'unevaluatedProperties', 'Allowed here: c0, c1, c2, c3, c4, c5.'],
  ];
  it.each(rows)('%s', (_name, parentSchema, keyword, hint) => {
    const [issue] = explain(compiled({}), [unknown(parentSchema, keyword)], { m: { 'something-else': 1 } });
    expect(issue).toEqual({ rule: 'schema-unknown-property', pointer: '/m/something-else', atKey: true, message: '`something-else` is not a property of `m`.', hint });
  });
});

describe('errors about other shapes of schema and place', () => {
  const rows: Array<[name: string, errors: ErrorObject[], want: Array<Record<string, unknown>>]> = [
    [
      'a required property described through a reference outside the document: the description is its own',
      [error({ keyword: 'required', instancePath: '/a', params: { missingProperty: 'q' }, parentSchema: { properties: { q: { $ref: 'https://example.com/q.json', description: 'The q value.' } } } })],
      [{ rule: 'schema-required', pointer: '/a', atKey: false, message: '`a` is missing the required property `q` (The q value).', hint: 'Add `q:` to this mapping.' }],
    ],
    [
      'an exclusive minimum is a range; a place under null or under a missing key has no value',
      [
        error({ keyword: 'exclusiveMinimum', instancePath: '/a/zz', message: 'must be > 0' }),
        error({ keyword: 'minItems', instancePath: '/a/nul/q', params: { limit: 2 } }),
        error({ keyword: 'minItems', instancePath: '/a/zz/q', params: { limit: 2 } }),
      ],
      [
        { rule: 'schema-range', pointer: '/a/zz', atKey: false, message: '`a.zz` is `undefined` but must be > 0.', hint: undefined },
        { rule: 'schema-min-items', pointer: '/a/nul/q', atKey: false, message: '`a.nul.q` must have at least 2 items.', hint: 'Add an entry, or remove the empty list.' },
        { rule: 'schema-min-items', pointer: '/a/zz/q', atKey: false, message: '`a.zz.q` must have at least 2 items.', hint: 'Add an entry, or remove the empty list.' },
      ],
    ],
    [
      'keys that must not be set together are all named, the first one is the place',
      [error({ keyword: 'not', instancePath: '/a', schema: { required: ['p', 'q'] } })],
      [
        {
          rule: 'schema-not-allowed',
          pointer: '/a/p',
          atKey: true,
          message: '`p`, `q` must not be set on `a` here.',
          hint: 'Remove it: it does not apply to this form (for example a stdio MCP adapter has no port).',
        },
      ],
    ],
    [
      'a constant: the value it must have and the one it has',
      [error({ keyword: 'const', instancePath: '/a/s', params: { allowedValue: 'x' } })],
      [{ rule: 'schema-const', pointer: '/a/s', atKey: false, message: '`a.s` must be `x`, not `text`.', hint: undefined }],
    ],
  ];
  it.each(rows)('%s', (_name, errors, want) => expect(explain(compiled({}), errors, { a: { s: 'text', nul: null } })).toEqual(want));
});
