/**
 * Stage 2: everything `naftiko-gen validate` checks, in order: YAML, version, schema (with the
 * relaxations), then the cross-checks and the model's own notes. Returns the findings and, when
 * there is no error, the typed model for the emitters.
 */
import { basename, dirname } from 'node:path';
import { fromPointer, toPointer } from '../load/json-pointer.js';
import { parseCapabilityText, type LoadedDocument } from '../load/load-document.js';
import { buildModel } from '../model/build-model.js';
import { envVarName } from '../names/identifiers.js';
import type { Note } from './finding.js';
import { resolveImports } from '../model/normalise/imports.js';
import { normaliseDocument } from '../model/normalise/normalise.js';
import { bindUnboundEnv } from '../model/normalise/unbound-env.js';
import type { CapabilityModel } from '../model/types.js';
import { mcpTools, restOperations } from '../model/walk.js';
import { detectVersion } from './detect-version.js';
import { explainSchemaErrors } from './explain-schema-errors.js';
import { hasErrors, sortFindings, type Finding, type Severity } from './finding.js';
import { expandImports } from './imported-consumes.js';
import { openApiDocumentFinding } from './openapi-document.js';
import { groupRelaxationUses, relaxationNote } from './relaxations.js';
import { CROSS_CHECKS } from './rules/index.js';
import { validateAgainstSchema } from './schema-validator.js';
import type { SpecVersion } from './versions.js';

export interface ValidateOptions {
  strict?: boolean;
}

export interface ValidationResult {
  file: string;
  findings: Finding[];
  /** Present when there is no error. */
  model?: CapabilityModel;
  /** A shared document (definitions that capabilities import): valid on its own, nothing to build. */
  shared?: boolean;
}

type SchemaCheck = { ok: true; findings: Finding[]; version: SpecVersion } | { ok: false; findings: Finding[]; shared?: boolean };

function locate(doc: LoadedDocument, pointer: string, atKey: boolean): { line: number; column: number } {
  return doc.positionOf(fromPointer(pointer), atKey ? 'key' : 'value');
}

/** `<CONSUMES NAMESPACE>_BASE_URI` of the consumed API whose base URI is at `pointer`, as the generated server names it. */
function baseUriVariable(data: unknown, pointer: string): string {
  let node = data;
  for (const seg of fromPointer(pointer).slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[seg as string];
  const ns = String((node as { namespace?: unknown } | undefined)?.namespace ?? 'NAMESPACE');
  return `${envVarName(ns)}_BASE_URI`;
}

export function validateText(file: string, text: string, options: ValidateOptions = {}): ValidationResult {
  const loaded = parseCapabilityText(file, text);
  if (!loaded.ok) return { file, findings: sortFindings(loaded.findings) };
  const doc = loaded.document;
  const findings: Finding[] = [...loaded.findings];
  const add = (pointer: string, atKey: boolean, severity: Severity, rule: string, message: string, hint?: string): void => {
    const pos = locate(doc, pointer, atKey);
    findings.push({ file, line: pos.line, column: pos.column, severity, rule, pointer, message, ...(hint ? { hint } : {}) });
  };
  const addLocal = (n: Note): void => add(toPointer(n.path), n.atKey ?? false, n.severity, n.rule, n.message, n.hint);

  const schema = checkVersionAndSchema(doc, options);
  findings.push(...schema.findings);
  if (!schema.ok) return { file, findings: sortFindings(findings), ...(schema.shared ? { shared: true } : {}) };
  const { version } = schema;
  const data = doc.data as Record<string, unknown>;

  // The schema passed: read the document, of whatever version, into the shape the raw types describe.
  const { raw: normalised, sourcePath } = normaliseDocument(version, data);
  // A shared document (ikanos: definitions at the root, no capability) is valid on its own; capabilities import it.
  if (version.keyed && !('capability' in data)) return { file, findings: sortFindings(findings), shared: true };
  if (version.keyed) {
    const importNotes = resolveImports(normalised, file);
    for (const n of importNotes) addLocal(n);
    // What a failed import would have defined is missing: the cross-checks would only repeat that.
    if (importNotes.some((n) => n.severity === 'error')) return { file, findings: sortFindings(findings) };
  }
  // Imported consumes (`location:`) are read in place of their entries; findings inside them point into their files.
  const imports = expandImports(file, normalised, (d) => checkVersionAndSchema(d, options));
  findings.push(...imports.findings);
  const raw = imports.raw;
  const addNote = (n: Note): void => {
    const inImport = imports.locate(n.path);
    if (!inImport) {
      const at = sourcePath(n.path);
      return addLocal({ ...n, path: at.path, atKey: at.atKey || (n.atKey ?? false) });
    }
    const pos = inImport.document.positionOf(inImport.path, n.atKey ? 'key' : 'value');
    findings.push({ file: inImport.file, line: pos.line, column: pos.column, severity: n.severity, rule: n.rule, pointer: toPointer(inImport.path), message: n.message, ...(n.hint ? { hint: n.hint } : {}) });
  };
  for (const n of imports.notes) addNote(n);
  for (const use of bindUnboundEnv(raw)) {
    addNote({ ...relaxationNote('relaxed-unbound-env', '', options.strict ?? false, [use.variable]), path: use.path });
  }
  for (const check of CROSS_CHECKS) for (const n of check.check(raw)) addNote(n);
  const { model, notes } = buildModel(raw, basename(file), dirname(file));
  for (const n of notes) addNote(n);
  // Each route and tool remembers its line, for the pointer above it in the generated code.
  for (const item of [...restOperations(model), ...mcpTools(model)]) {
    if (item.at && !imports.locate(item.at)) item.line = doc.positionOf(sourcePath(item.at).path, 'value').line;
  }
  const sorted = sortFindings(findings);
  return hasErrors(sorted) ? { file, findings: sorted } : { file, findings: sorted, model };
}

/** The version and the JSON Schema (with the relaxations): the checks every document gets, imported ones included. */
function checkVersionAndSchema(doc: LoadedDocument, options: ValidateOptions): SchemaCheck {
  const findings: Finding[] = [];
  const file = doc.file;
  const add = (pointer: string, atKey: boolean, severity: Severity, rule: string, message: string, hint?: string): void => {
    const pos = locate(doc, pointer, atKey);
    findings.push({ file, line: pos.line, column: pos.column, severity, rule, pointer, message, ...(hint ? { hint } : {}) });
  };
  const data = doc.data as Record<string, unknown>;
  const openapi = openApiDocumentFinding(data, file);
  if (openapi) {
    add(openapi.pointer, true, 'error', 'openapi-document', openapi.message, openapi.hint);
    return { ok: false, findings };
  }
  const detected = detectVersion(data);
  if ('problem' in detected) {
    const p = detected.problem;
    add(p.pointer, false, p.severity ?? 'error', p.rule, p.message, p.hint);
    // A file of values for `binds` is read by the capability that binds it: nothing to check or build.
    return { ok: false, findings, ...(p.severity ? { shared: true } : {}) };
  }
  const version = detected.version;

  const { errors, relaxations, compiled } = validateAgainstSchema(version, options.strict ? 'strict' : 'relaxed', data);
  // Under --strict, a file valid but for its relaxations fails for them alone: each is reported where it is used,
  // rather than as the error of whichever branch of a `oneOf`/`anyOf` the failing relaxation made likelier.
  const relaxedOnly = options.strict && errors.length > 0 ? validateAgainstSchema(version, 'relaxed', data) : undefined;
  const onlyRelaxations = relaxedOnly !== undefined && relaxedOnly.errors.length === 0;
  const issues = compiled && !onlyRelaxations ? explainSchemaErrors(compiled, errors, data) : [];
  for (const issue of issues) if (!issue.relaxation) add(issue.pointer, issue.atKey, 'error', issue.rule, issue.message, issue.hint);
  // Under --strict the relaxations fail validation; either way each use is reported once, in the same words.
  const strictUses = onlyRelaxations
    ? relaxedOnly.relaxations
    : issues.filter((i) => i.relaxation).map((i) => ({ rule: i.rule, instancePath: i.pointer, ...(i.key !== undefined ? { key: i.key } : {}) }));
  for (const n of [...groupRelaxationUses(strictUses, true), ...groupRelaxationUses(relaxations, false)]) add(toPointer(n.path), n.atKey ?? false, n.severity, n.rule, n.message, n.hint);
  for (const f of findings) if (f.rule === 'relaxed-empty-base-uri') f.message = f.message.replace('`<NAMESPACE>_BASE_URI`', `\`${baseUriVariable(data, f.pointer)}\``);
  if (errors.length > 0) return { ok: false, findings };
  return { ok: true, findings, version };
}
