/**
 * The zod schema of one input: its type, then what the capability says about its values (enum,
 * bounds, item type), so that REST and MCP refuse a bad value at the door with the same words; a
 * format and a default are shown in the tool's JSON Schema. Every value from the capability is printed through names/escape.ts.
 */
import type { ExposedInput, InputConstraints, InputItems, InputScalar, JsonTypeName } from '../../model/types.js';
import { tsLiteral, tsString } from '../../names/escape.js';
import { compilesAsPattern } from '../../names/input-pattern.js';

const fits = (type: JsonTypeName, v: InputScalar): boolean =>
  type === 'string' ? typeof v === 'string' : type === 'boolean' ? typeof v === 'boolean' : (type === 'number' || type === 'integer') && typeof v === 'number' && (type === 'number' || Number.isInteger(v));

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
const isBound = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** `.min(1).max(5)` for the bounds that apply to the type. */
function bounds(type: JsonTypeName, c: Omit<InputConstraints, 'items' | 'default'>): string {
  const [lo, hi] =
    type === 'string' ? [c.minLength, c.maxLength] : type === 'array' ? [c.minItems, c.maxItems] : type === 'number' || type === 'integer' ? [c.minimum, c.maximum] : [];
  const ok = type === 'number' || type === 'integer' ? isBound : isCount;
  return (ok(lo) ? `.min(${tsLiteral(lo)})` : '') + (ok(hi) ? `.max(${tsLiteral(hi)})` : '');
}

/** A scalar schema: the enum when its values fit the type, else the type with its bounds. */
function scalar(type: JsonTypeName, c: Omit<InputConstraints, 'items' | 'default'>, coerce: boolean): string {
  const values = Array.isArray(c.enum) && c.enum.length > 0 && c.enum.every((v) => fits(type, v)) ? c.enum : undefined;
  if (values && type === 'string') return `z.enum(${tsLiteral(values)})`;
  if (values && type !== 'boolean') return `z.literal(${tsLiteral(values)})`;
  // Items carry their format here; an input's own goes with its description (see zodInput).
  const format = coerce && typeof c.format === 'string' && c.format !== '' ? `.meta({ format: ${tsString(c.format)} })` : '';
  switch (type) {
    case 'string': {
      // A pattern JavaScript cannot compile is left out, with a warning at validation (input-pattern-invalid).
      const pattern = typeof c.pattern === 'string' && compilesAsPattern(c.pattern) ? `.regex(new RegExp(${tsString(c.pattern)}, 'u'))` : '';
      return `z.string()${bounds(type, c)}${pattern}${format}`;
    }
    case 'number':
      return `${coerce ? 'z.coerce.number()' : 'z.number()'}${bounds(type, c)}${format}`;
    case 'integer':
      return `${coerce ? 'z.coerce.number()' : 'z.number()'}.int()${bounds(type, c)}${format}`;
    case 'boolean':
      return 'z.boolean()';
    case 'array':
      return 'z.array(z.unknown())';
    case 'object':
      return 'z.record(z.string(), z.unknown())';
    case 'file':
      // An uploaded file travels as base64 text (a REST body is read into it); its bytes are sent upstream.
      return "z.base64().meta({ contentEncoding: 'base64' })";
  }
}

/** Array items: numbers are coerced, since a query string carries them as text. */
function items(i: InputItems | undefined): string {
  if (!i || typeof i.type !== 'string') return 'z.unknown()';
  return scalar(i.type, i, true);
}

export function zodInput(input: ExposedInput): string {
  const c = input.constraints ?? {};
  let e = input.type === 'array' ? `z.array(${items(c.items)})${bounds('array', c)}` : scalar(input.type, c, false);
  if (input.description) e += `.describe(${tsString(input.description)})`;
  // A default is shown to callers, not filled in: the API applies its own default, and sending it would
  // overwrite a value on a PUT or PATCH the caller meant to leave alone.
  const d = c.default;
  const format = input.type !== 'array' && typeof c.format === 'string' && c.format !== '' ? { format: c.format } : {};
  const meta = { ...format, ...(d !== undefined && fits(input.type, d) ? { default: d } : {}) };
  if (Object.keys(meta).length > 0) e += `.meta(${tsLiteral(meta)})`;
  if (!input.required) e += '.optional()';
  return e;
}
