/**
 * Stage 2a: JSON Schema validation with ajv, compiled once per process per version and mode.
 * The schema marks each relaxation with the `x-naftiko-relaxation` keyword: in relaxed mode the
 * keyword records where it was used (a warning); in strict mode it fails (an error).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { SpecVersion } from './versions.js';

export type SchemaMode = 'relaxed' | 'strict';

export const RELAXATION_KEYWORD = 'x-naftiko-relaxation';

export interface RelaxationUse {
  rule: string;
  instancePath: string;
}

export interface CompiledSchema {
  ajv: Ajv2020;
  schema: Record<string, unknown>;
  schemaId: string;
  validate: ValidateFunction;
  /** Validates `data` against the subschema at `pointer` (a JSON pointer into the schema document). */
  validateAt(pointer: string, data: unknown): ErrorObject[];
}

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);
const compiled = new Map<string, CompiledSchema>();
let recorder: RelaxationUse[] | undefined;

function loadSchemaFile(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')) as Record<string, unknown>;
}

/** RFC 3986 absolute URI, the way the schema's `format: uri` means it. */
function isUri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(value);
}

export function compileSchema(version: SpecVersion, mode: SchemaMode): CompiledSchema {
  const key = `${version.version}:${mode}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const schema = loadSchemaFile(version.schemaFile);
  const ajv = new Ajv2020({ allErrors: true, strict: false, discriminator: true, verbose: true, allowUnionTypes: true });
  ajv.addFormat('uri', isUri);
  ajv.addKeyword({
    keyword: RELAXATION_KEYWORD,
    schemaType: 'string',
    errors: true,
    validate:
      mode === 'strict'
        ? () => false
        : (rule: string, _data: unknown, _parent: unknown, cxt?: { instancePath: string }) => {
            recorder?.push({ rule, instancePath: cxt?.instancePath ?? '' });
            return true;
          },
  });
  const schemaId = String(schema.$id);
  const validate = ajv.compile(schema);
  const subValidators = new Map<string, ValidateFunction>();
  const result: CompiledSchema = {
    ajv,
    schema,
    schemaId,
    validate,
    validateAt(pointer, data) {
      let v = subValidators.get(pointer);
      if (!v) {
        v = ajv.getSchema(`${schemaId}#${pointer}`) ?? ajv.compile({ $ref: `${schemaId}#${pointer}` });
        subValidators.set(pointer, v);
      }
      const saved = recorder;
      recorder = undefined; // branch re-validation is for explaining errors, not for reporting relaxations again
      try {
        return v(data) ? [] : [...(v.errors ?? [])];
      } finally {
        recorder = saved;
      }
    },
  };
  compiled.set(key, result);
  return result;
}

export interface SchemaResult {
  errors: ErrorObject[];
  relaxations: RelaxationUse[];
}

export function validateAgainstSchema(compiledSchema: CompiledSchema, data: unknown): SchemaResult {
  const relaxations: RelaxationUse[] = [];
  recorder = relaxations;
  try {
    const ok = compiledSchema.validate(data);
    return { errors: ok ? [] : [...(compiledSchema.validate.errors ?? [])], relaxations };
  } finally {
    recorder = undefined;
  }
}
