/**
 * Stage 2a: JSON Schema validation with ajv. The schema marks each relaxation with the
 * `x-naftiko-relaxation` keyword: in relaxed mode the keyword records where it was used (a warning),
 * in strict mode it fails (an error).
 *
 * Two validators per version and mode: a fast one, precompiled to JavaScript at build time
 * (`npm run build` writes dist/schemas/), which answers "valid?" and records relaxations; and a verbose
 * one, compiled on first need, which explains the errors of an invalid document. Most documents are
 * valid, so most runs never pay for compiling the schema.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, KeywordCxt, Name, Options, ValidateFunction } from 'ajv/dist/2020.js';
import type { SpecVersion } from './versions.js';

export type SchemaMode = 'relaxed' | 'strict';

export const RELAXATION_KEYWORD = 'x-naftiko-relaxation';

export interface RelaxationUse {
  rule: string;
  instancePath: string;
  /** Set when the relaxed value is a key of the mapping at `instancePath` (a name that became a map key). */
  key?: string;
}

export interface CompiledSchema {
  schema: Record<string, unknown>;
  schemaId: string;
  /** The verbose validator: errors carry `schema` and `parentSchema`. */
  validate: ValidateFunction;
  /** Validates `data` against the subschema at `pointer` (a JSON pointer into the schema document). */
  validateAt(pointer: string, data: unknown): ErrorObject[];
}

/**
 * ajv itself is loaded on first need: a run over valid documents uses only the precompiled validators,
 * and loading ajv would cost it about 40 ms.
 */
type AjvModule = typeof import('ajv/dist/2020.js');
type CodeNames = { instancePath: Name };
let ajvModule: { ajv: AjvModule; names: CodeNames } | undefined;
function loadAjv(): { ajv: AjvModule; names: CodeNames } {
  if (!ajvModule) {
    const require = createRequire(import.meta.url);
    const names = require('ajv/dist/compile/names.js') as { default: CodeNames };
    ajvModule = { ajv: require('ajv/dist/2020.js') as AjvModule, names: names.default };
  }
  return ajvModule;
}

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);
/** Written by scripts/precompile-schemas.mjs; absent when running from sources (tests). */
const PRECOMPILED_DIR = new URL('../schemas/', import.meta.url);
const RECORDER = '__naftikoGenRelaxations';

type Recorder = { [RECORDER]?: RelaxationUse[] };
const globalRecorder = globalThis as Recorder;

/** RFC 3986 absolute URI, the way the schema's `format: uri` means it. */
export const URI_PATTERN = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

export function loadSchemaFile(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')) as Record<string, unknown>;
}

/** The ajv instance both validators are made from; `standalone` adds what code generation needs. */
export function createAjv(mode: SchemaMode, options: { verbose: boolean; standalone: boolean }): Ajv2020 {
  const { ajv: { Ajv2020, _ }, names: N } = loadAjv();
  const ajvOptions: Options = { allErrors: true, strict: false, discriminator: true, verbose: options.verbose, allowUnionTypes: true };
  if (options.standalone) ajvOptions.code = { source: true, formats: _`require("./formats.cjs")` };
  const ajv = new Ajv2020(ajvOptions);
  ajv.addFormat('uri', URI_PATTERN);
  ajv.addKeyword({
    keyword: RELAXATION_KEYWORD,
    schemaType: 'string',
    // Written as generated code (not a callback) so that it survives precompilation.
    code(cxt: KeywordCxt) {
      if (mode === 'strict') cxt.fail(_`true`);
      else if (cxt.it.propertyName) cxt.gen.code(_`globalThis[${RECORDER}]?.push({ rule: ${cxt.schema as string}, instancePath: ${N.instancePath} + ${cxt.it.errorPath}, key: ${cxt.it.propertyName} })`);
      else cxt.gen.code(_`globalThis[${RECORDER}]?.push({ rule: ${cxt.schema as string}, instancePath: ${N.instancePath} + ${cxt.it.errorPath} })`);
    },
  });
  return ajv;
}

const compiled = new Map<string, CompiledSchema>();
const fast = new Map<string, ValidateFunction>();

/** The verbose validator of a version and mode, compiled once per process. */
export function compileSchema(version: SpecVersion, mode: SchemaMode): CompiledSchema {
  const key = `${version.schemaFile}:${mode}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const schema = loadSchemaFile(version.schemaFile);
  const ajv = createAjv(mode, { verbose: true, standalone: false });
  const schemaId = String(schema.$id);
  const validate = ajv.compile(schema);
  const subValidators = new Map<string, ValidateFunction>();
  const result: CompiledSchema = {
    schema,
    schemaId,
    validate,
    validateAt(pointer, data) {
      let v = subValidators.get(pointer);
      if (!v) {
        v = ajv.getSchema(`${schemaId}#${pointer}`) ?? ajv.compile({ $ref: `${schemaId}#${pointer}` });
        subValidators.set(pointer, v);
      }
      return withRecorder(undefined, () => (v(data) ? [] : [...(v.errors ?? [])]));
    },
  };
  compiled.set(key, result);
  return result;
}

export function precompiledFile(version: SpecVersion, mode: SchemaMode): string {
  return `${version.schemaFile.replace(/\.schema\.json$/, '')}.${mode}.cjs`;
}

function fastValidator(version: SpecVersion, mode: SchemaMode): ValidateFunction {
  const key = `${version.schemaFile}:${mode}`;
  let v = fast.get(key);
  if (!v) {
    try {
      const require = createRequire(PRECOMPILED_DIR);
      const loaded = require(new URL(precompiledFile(version, mode), PRECOMPILED_DIR).pathname) as ValidateFunction | { default: ValidateFunction };
      v = typeof loaded === 'function' ? loaded : loaded.default;
    } catch {
      v = compileSchema(version, mode).validate;
    }
    fast.set(key, v);
  }
  return v;
}

function withRecorder<T>(recorder: RelaxationUse[] | undefined, run: () => T): T {
  const saved = globalRecorder[RECORDER];
  if (recorder) globalRecorder[RECORDER] = recorder;
  else delete globalRecorder[RECORDER];
  try {
    return run();
  } finally {
    if (saved) globalRecorder[RECORDER] = saved;
    else delete globalRecorder[RECORDER];
  }
}

export interface SchemaResult {
  /** Verbose errors (with schema and parentSchema), empty when the document is valid. */
  errors: ErrorObject[];
  relaxations: RelaxationUse[];
  /** The verbose validator, for explaining the errors; only compiled when there are any. */
  compiled?: CompiledSchema;
}

export function validateAgainstSchema(version: SpecVersion, mode: SchemaMode, data: unknown): SchemaResult {
  const relaxations: RelaxationUse[] = [];
  const ok = withRecorder(relaxations, () => fastValidator(version, mode)(data));
  if (ok) return { errors: [], relaxations };
  const verbose = compileSchema(version, mode);
  const again: RelaxationUse[] = [];
  const errors = withRecorder(again, () => (verbose.validate(data) ? [] : [...(verbose.validate.errors ?? [])]));
  return { errors, relaxations: again, compiled: verbose };
}
