/**
 * Turns ajv's raw errors into one issue per real problem. A failing `oneOf`/`anyOf` makes ajv report
 * every branch's errors; here each branch is validated again on its own, the branch the author most
 * likely meant is chosen, and only its errors are explained. Discriminated unions (`type:`) already
 * give one error from ajv.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { fromPointer, toDisplayPath } from '../load/json-pointer.js';
import { RELAXATION_KEYWORD, type CompiledSchema } from './schema-validator.js';
import type { Note } from './finding.js';
import { didYouMean } from './rules/suggest.js';

/**
 * A note while it is explained: located by JSON pointer, since ajv speaks in pointers; always an error
 * unless it is a relaxation used under --strict (its rule id is the relaxation's). `key`: a relaxation
 * used by a key of the mapping at `pointer`.
 */
type Issue = Omit<Note, 'path' | 'severity' | 'atKey'> & { pointer: string; atKey: boolean; relaxation?: boolean; key?: string };

type SchemaObject = Record<string, unknown>;

interface Context {
  compiled: CompiledSchema;
  pointerOf: WeakMap<object, string>;
  root: unknown;
}

const pointerMaps = new WeakMap<CompiledSchema, WeakMap<object, string>>();

function schemaPointers(compiled: CompiledSchema): WeakMap<object, string> {
  let map = pointerMaps.get(compiled);
  if (map) return map;
  const m = new WeakMap<object, string>();
  const walk = (o: unknown, p: string): void => {
    if (o === null || typeof o !== 'object') return;
    m.set(o, p);
    for (const [k, v] of Object.entries(o)) walk(v, `${p}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  walk(compiled.schema, '');
  pointerMaps.set(compiled, m);
  map = m;
  return map;
}

function dataAt(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const seg of fromPointer(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Resolves a local `$ref` (`#/$defs/X`) in the schema document. */
function deref(ctx: Context, s: unknown): SchemaObject | undefined {
  if (s === null || typeof s !== 'object') return undefined;
  const ref = (s as SchemaObject).$ref;
  if (typeof ref === 'string' && ref.startsWith('#')) return dataAt(ctx.compiled.schema, ref.slice(1)) as SchemaObject | undefined;
  return s as SchemaObject;
}

/** Properties a schema object allows, following `$ref`s and `allOf` (for unknown-key hints). */
function allowedKeys(ctx: Context, s: unknown, depth = 0): string[] {
  const o = s as SchemaObject | undefined;
  if (!o || typeof o !== 'object' || depth > 5) return [];
  const own = Object.keys((o.properties as SchemaObject | undefined) ?? {}).filter((k) => (o.properties as SchemaObject)[k] !== false);
  const viaRef = typeof o.$ref === 'string' ? allowedKeys(ctx, deref(ctx, o), depth + 1) : [];
  const viaAllOf = Array.isArray(o.allOf) ? o.allOf.flatMap((x) => allowedKeys(ctx, deref(ctx, x), depth + 1)) : [];
  return [...new Set([...own, ...viaRef, ...viaAllOf])];
}

const sameError = (a: ErrorObject, b: ErrorObject): boolean => a.instancePath === b.instancePath && a.keyword === b.keyword;

/** Lower is a likelier intent: kind mismatches cost most, missing keys less, deep problems least. */
function branchScore(ctx: Context, base: string, branch: unknown, errors: ErrorObject[]): number {
  let score = 0;
  for (const e of errors) {
    const atBase = e.instancePath === base;
    if ((e.keyword === 'const' || e.keyword === 'enum' || e.keyword === 'discriminator') && (e.instancePath === `${base}/type` || atBase)) score += 100;
    else if (e.keyword === 'type' && atBase) score += 100;
    else if (e.keyword === 'required' && atBase) score += 10;
    else if ((e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') && atBase) score += 5;
    else score += 1;
  }
  // A branch whose required keys the author wrote is likelier to be the one meant.
  const required = deref(ctx, branch)?.required;
  const data = dataAt(ctx.root, base);
  if (Array.isArray(required) && data && typeof data === 'object') score -= 2 * required.filter((k) => k in (data as object)).length;
  return score;
}

function explainList(ctx: Context, errors: ErrorObject[], base: string): Issue[] {
  // What each failed anyOf/oneOf became, by the place it is about.
  const unions: Array<[at: string, issues: Issue[]]> = [];
  let i = errors.length - 1;
  const pending: ErrorObject[] = [];
  while (i >= 0) {
    const e = errors[i]!;
    if ((e.keyword === 'anyOf' || e.keyword === 'oneOf') && Array.isArray(e.schema)) {
      const branchesPtr = ctx.pointerOf.get(e.schema as object);
      const passing = (e.params as { passingSchemas?: number[] | null }).passingSchemas;
      if (e.keyword === 'oneOf' && Array.isArray(passing)) {
        unions.push([e.instancePath, [tooManyBranches(ctx, e, passing)]]);
        i -= 1;
        continue;
      }
      if (branchesPtr !== undefined) {
        const instance = dataAt(ctx.root, base + e.instancePath);
        const branchErrors = (e.schema as unknown[]).map((_, k) =>
          ctx.compiled.validateAt(`${branchesPtr}/${k}`, instance).map((b) => ({ ...b, instancePath: e.instancePath + b.instancePath })),
        );
        const expected = branchErrors.flat();
        const total = expected.length;
        const block = errors.slice(i - total, i);
        // ajv lists the branches' errors right before the failed anyOf/oneOf: check that they are the ones we found again.
        if (i - total >= 0 && block.length === total && block.every((b, k) => sameError(b, expected[k]!))) {
          unions.push([e.instancePath, chooseBranch(ctx, e, branchErrors, base)]);
          i -= total + 1;
          continue;
        }
      }
      unions.push([e.instancePath, [noBranch(ctx, e, base)]]);
      i -= 1;
      continue;
    }
    pending.push(e);
    i -= 1;
  }
  // A value of the wrong kind (a text where a mapping is expected) has its type error; what the forms of a
  // union on that mapping would say about it (a form that is not allowed, keys it lacks) is the same problem.
  const wrongKind = new Set(pending.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const issues = unions.flatMap(([at, list]) => (wrongKind.has(at) ? [] : list));
  const keyErrors = new Set(pending.filter((e) => e.keyword !== 'propertyNames').map(keyOf));
  for (const e of pending.reverse()) {
    // `if`/`then` summaries repeat what the `then` errors already say.
    if (e.keyword === 'if') continue;
    // So does a `propertyNames` summary when the key's own errors are there.
    if (e.keyword === 'propertyNames' && keyErrors.has(keyOf(e))) continue;
    issues.push(explainOne(ctx, e, base));
  }
  return issues;
}

/** The key an error is about, with its mapping (errors inside `propertyNames` carry `propertyName`). */
function keyOf(e: ErrorObject): string | undefined {
  const key = (e as ErrorObject & { propertyName?: string }).propertyName ?? (e.keyword === 'propertyNames' ? String((e.params as { propertyName?: string }).propertyName) : undefined);
  return key === undefined ? undefined : `${e.instancePath}\u0000${key}`;
}

function chooseBranch(ctx: Context, e: ErrorObject, branchErrors: ErrorObject[][], base: string): Issue[] {
  const branches = e.schema as unknown[];
  const scores = branchErrors.map((b, k) => branchScore(ctx, e.instancePath, branches[k], b));
  const bestScore = Math.min(...scores);
  const best = scores.flatMap((s, k) => (s === bestScore ? [k] : []));
  // Equally likely branches that only miss keys at this level: one issue naming the alternatives.
  const onlyRequired = (k: number) => branchErrors[k]!.every((x) => x.keyword === 'required' && x.instancePath === e.instancePath);
  // Equally likely branches that are each only another kind of value: one issue naming every kind allowed.
  const onlyType = (k: number) => branchErrors[k]!.length === 1 && branchErrors[k]![0]!.keyword === 'type' && branchErrors[k]![0]!.instancePath === e.instancePath;
  if (best.length > 1 && best.every(onlyType)) {
    const kinds = best.flatMap((k) => String((branchErrors[k]![0]!.params as { type: string }).type).split(','));
    return [wrongType(base + e.instancePath, [...new Set(kinds)], dataAt(ctx.root, base + e.instancePath))];
  }
  if (best.length > 1 && best.every(onlyRequired)) {
    const options = best.map((k) => branchErrors[k]!.map((x) => `\`${(x.params as { missingProperty: string }).missingProperty}\``).join(' and '));
    const unique = [...new Set(options)];
    return [
      {
        rule: 'schema-required',
        pointer: base + e.instancePath,
        atKey: false,
        message: `${subject(base + e.instancePath)} needs ${unique.join(', or ')}.`,
        hint: unique.length > 1 ? 'Add whichever fits what this entry is for.' : undefined,
      },
    ];
  }
  return explainList(ctx, branchErrors[best[0]!]!, base);
}

function tooManyBranches(ctx: Context, e: ErrorObject, passing: number[]): Issue {
  const branches = (e.schema as unknown[]).map((b) => deref(ctx, b));
  const keys = passing.flatMap((k) => (Array.isArray(branches[k]?.required) ? (branches[k]!.required as string[]) : []));
  const pointer = e.instancePath;
  if (keys.length === passing.length) {
    return {
      rule: 'schema-ambiguous',
      pointer,
      atKey: false,
      message: `${subject(pointer)} has both ${keys.map((k) => `\`${k}\``).join(' and ')}; use only one of them.`,
      hint: `Keep the one you mean and delete the other.`,
    };
  }
  return { rule: 'schema-ambiguous', pointer, atKey: false, message: `${subject(pointer)} matches more than one of its allowed forms.`, hint: 'Remove the keys that belong to the other form.' };
}

function noBranch(ctx: Context, e: ErrorObject, base: string): Issue {
  const pointer = base + e.instancePath;
  const value = dataAt(ctx.root, pointer);
  const withTypes = (e.schema as unknown[]).map((b) => (b as SchemaObject | null)?.type).filter((t): t is string => typeof t === 'string');
  if (withTypes.length === (e.schema as unknown[]).length) {
    return {
      rule: 'schema-type',
      pointer,
      atKey: false,
      message: `${subject(pointer)} must be ${withTypes.map(article).join(' or ')}, not ${article(jsonType(value))}.`,
    };
  }
  return { rule: 'schema-no-match', pointer, atKey: false, message: `${subject(pointer)} does not match any of its allowed forms.` };
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (v !== null && typeof v === 'object') return 'mapping';
  return typeof v;
}

function lastKey(pointer: string): string {
  const segs = fromPointer(pointer);
  return segs[segs.length - 1] ?? '';
}

function subject(pointer: string): string {
  return `\`${toDisplayPath(fromPointer(pointer))}\``;
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return `\`${s !== undefined && s.length > 60 ? s.slice(0, 57) + '...' : s}\``;
}

/** Plain words for the patterns the schema uses; anything else shows the pattern itself. */
const PATTERNS: Record<string, { what: string; hint: string }> = {
  '^[a-zA-Z0-9-]+$': { what: 'may contain only letters, digits and `-`', hint: 'Replace other characters with `-`, e.g. `my-name`.' },
  '^[a-zA-Z0-9-_*]+$': { what: 'may contain only letters, digits, `-`, `_` and `*`', hint: 'Replace other characters with `_` or `-`.' },
  '^[a-zA-Z0-9-]+\\.[a-zA-Z0-9-]+$': { what: 'must have the form `<namespace>.<operation>`', hint: 'Write the consumed namespace, a dot, and the operation name, e.g. `my-api.list-items`.' },
  '^[^.\\u0000-\\u001f]+\\.[^\\u0000-\\u001f]+$': { what: 'must have the form `<namespace>.<operation>`', hint: 'Write the consumed namespace, a dot, and the operation name, e.g. `my-api.list-items`.' },
  '^[^\\u0000-\\u001f\\u007f]+$': { what: 'must not be empty or contain control characters', hint: 'Remove line breaks and other control characters from the name.' },
  '^https?://[^/]+(/[^{]*)?$': { what: 'must be an absolute http:// or https:// URL', hint: 'Write the API root, e.g. `https://api.example.com` (placeholders are not allowed after the host).' },
  '^[A-Z][A-Z0-9_]*$': { what: 'must be written in capitals, digits and `_`, starting with a letter', hint: 'For example `API_KEY`.' },
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$': { what: 'must be a date written YYYY-MM-DD', hint: "For example '2026-05-19' (quoted)." },
  // The host-name branch of `Address`, the one chosen for any text that is not an IP address.
  '^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$': {
    what: 'must be a host name, an IPv4 address or an IPv6 address to listen on',
    hint: 'For example `localhost`, `0.0.0.0` (every interface) or `::1`.',
  },
  '^[a-zA-Z][a-zA-Z0-9+.-]*://': { what: 'must be a URI with a scheme', hint: 'For example `file:///etc/secrets.json`.' },
};

/** A key that its mapping does not accept (`propertyNames`): the issue is about the key, not the mapping. */
function explainKey(e: ErrorObject, base: string, key: string): Issue {
  const pointer = `${base}${e.instancePath}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const known = e.keyword === 'pattern' ? PATTERNS[String((e.params as { pattern?: string }).pattern)] : undefined;
  const why = known ? `it ${known.what}` : e.keyword === 'pattern' ? `it must match the pattern \`${String((e.params as { pattern?: string }).pattern)}\`` : 'it is not allowed here';
  return {
    rule: 'schema-key',
    pointer,
    atKey: true,
    message: `\`${key}\` is not a valid key of ${subject(base + e.instancePath)}: ${why}.`,
    hint: known?.hint,
  };
}

/** A value of the wrong kind: the kinds allowed (`object` and `array` in YAML's words) and the one written. */
function wrongType(pointer: string, expected: string[], value: unknown): Issue {
  return {
    rule: 'schema-type',
    pointer,
    atKey: false,
    message: `${subject(pointer)} must be ${expected.map((t) => article(t === 'object' ? 'mapping' : t === 'array' ? 'list' : t)).join(' or ')}, not ${article(jsonType(value) === 'array' ? 'list' : jsonType(value))}${value !== null && typeof value !== 'object' ? ` (${show(value)})` : ''}.`,
    hint: expected.includes('string') && value !== null && typeof value !== 'object' ? 'Quote the value to make it a string.' : undefined,
  };
}

function explainOne(ctx: Context, e: ErrorObject, base: string): Issue {
  const pointer = base + e.instancePath;
  const value = dataAt(ctx.root, pointer);
  const p = e.params as Record<string, unknown>;
  const key = (e as ErrorObject & { propertyName?: string }).propertyName ?? (e.keyword === 'propertyNames' ? String(p.propertyName) : undefined);
  // A relaxed key (a name that became a map key): the relaxation's own finding, at the key.
  if (key !== undefined && e.keyword === RELAXATION_KEYWORD) return { rule: String(e.schema), pointer, atKey: false, message: '', relaxation: true, key };
  if (key !== undefined) return explainKey(e, base, key);
  switch (e.keyword) {
    case RELAXATION_KEYWORD:
      // Grouped and worded by the caller, like the warnings of relaxed mode.
      return { rule: String(e.schema), pointer, atKey: false, message: '', relaxation: true };
    case 'required': {
      const missing = String(p.missingProperty);
      const prop = deref(ctx, (e.parentSchema as SchemaObject | undefined)?.properties && ((e.parentSchema as SchemaObject).properties as SchemaObject)[missing]);
      const desc = typeof prop?.description === 'string' ? ` (${prop.description.replace(/\.$/, '')})` : '';
      return { rule: 'schema-required', pointer, atKey: false, message: `${subject(pointer)} is missing the required property \`${missing}\`${desc}.`, hint: `Add \`${missing}:\` to this mapping.` };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(p.additionalProperty ?? p.unevaluatedProperty);
      const allowed = allowedKeys(ctx, e.parentSchema);
      return {
        rule: 'schema-unknown-property',
        pointer: `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        atKey: true,
        message: `\`${key}\` is not a property of ${subject(pointer)}.${didYouMean(key, allowed)}`,
        hint: allowed.length ? `Allowed here: ${allowed.join(', ')}.` : 'Remove it.',
      };
    }
    case 'type':
      return wrongType(pointer, String(p.type).split(','), value);
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return {
        rule: 'schema-enum',
        pointer,
        atKey: false,
        message: `${show(value)} is not a valid \`${lastKey(pointer)}\`; expected one of ${allowed.join(', ')}.${typeof value === 'string' ? didYouMean(value, allowed) : ''}`,
      };
    }
    case 'const':
      return { rule: 'schema-const', pointer, atKey: false, message: `${subject(pointer)} must be ${show(p.allowedValue)}, not ${show(value)}.` };
    case 'discriminator': {
      const allowed = ((e.parentSchema as SchemaObject | undefined)?.oneOf as unknown[] | undefined)
        ?.map((b) => ((deref(ctx, b)?.properties as SchemaObject | undefined)?.type as SchemaObject | undefined)?.const)
        .filter((x): x is string => typeof x === 'string') ?? [];
      const tag = String(p.tag);
      const tagValue = (value as Record<string, unknown> | undefined)?.[tag];
      if (tagValue === undefined) {
        return { rule: 'schema-required', pointer, atKey: false, message: `${subject(pointer)} is missing \`${tag}\`; it must be one of ${allowed.join(', ')}.`, hint: `Add \`${tag}: ${allowed[0] ?? '...'}\`.` };
      }
      return {
        rule: 'schema-unknown-type',
        pointer: `${pointer}/${tag}`,
        atKey: false,
        message: `${show(tagValue)} is not a known \`${tag}\` for ${subject(pointer)}; expected one of ${allowed.join(', ')}.${typeof tagValue === 'string' ? didYouMean(tagValue, allowed) : ''}`,
      };
    }
    case 'pattern': {
      const known = PATTERNS[String(p.pattern)];
      return {
        rule: 'schema-pattern',
        pointer,
        atKey: false,
        message: `${show(value)} is not a valid \`${lastKey(pointer)}\`: it ${known?.what ?? `must match the pattern \`${String(p.pattern)}\``}.`,
        hint: known?.hint,
      };
    }
    case 'minItems':
      return { rule: 'schema-min-items', pointer, atKey: false, message: `${subject(pointer)} must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}.`, hint: 'Add an entry, or remove the empty list.' };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { rule: 'schema-range', pointer, atKey: false, message: `${subject(pointer)} is ${show(value)} but ${e.message ?? 'is out of range'}.` };
    case 'format':
      return { rule: 'schema-format', pointer, atKey: false, message: `${show(value)} is not a valid ${String(p.format)} for ${subject(pointer)}.` };
    case 'not': {
      const forbidden = (e.schema as SchemaObject | undefined)?.required;
      if (Array.isArray(forbidden)) {
        return {
          rule: 'schema-not-allowed',
          pointer: `${pointer}/${String(forbidden[0])}`,
          atKey: true,
          message: `${forbidden.map((k) => `\`${String(k)}\``).join(', ')} must not be set on ${subject(pointer)} here.`,
          hint: 'Remove it: it does not apply to this form (for example a stdio MCP adapter has no port).',
        };
      }
      return { rule: 'schema-not-allowed', pointer, atKey: false, message: `${subject(pointer)} has a form that is not allowed here.` };
    }
    default:
      return { rule: 'schema-other', pointer, atKey: false, message: `${subject(pointer)} ${e.message ?? 'is invalid'} (\`${e.keyword}\`).` };
  }
}

export function explainSchemaErrors(compiled: CompiledSchema, errors: ErrorObject[], root: unknown): readonly Issue[] {
  const ctx: Context = { compiled, pointerOf: schemaPointers(compiled), root };
  const issues = explainList(ctx, errors, '');
  const seen = new Set<string>();
  return issues.filter((x) => {
    const k = `${x.rule}\u0000${x.pointer}\u0000${x.key ?? ''}\u0000${x.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
