/** `naftiko-gen import openapi <file>`: one capability per tag (or path segment, or one for the API), each validated before anything is written. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importOpenApi, type ImportResult } from '../import/import-openapi.js';
import type { GroupBy } from '../import/to-capability.js';
import { ImportError, loadOpenApi } from '../import/load-openapi.js';
import { inVersion, writableVersion } from '../migrate/write-version.js';
import { validateText } from '../validate/validate.js';
import { describeSupportedVersions } from '../validate/versions.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { formatFindingText, plural } from './report.js';
import type { Output } from './output.js';

export interface ImportCommandOptions {
  tag?: string[];
  out?: string;
  baseUri?: string;
  force?: boolean;
  group?: string;
  strict?: boolean;
  specVersion?: string;
}

/** Where capabilities go by default: a folder of their own, apart from the OpenAPI document. */
export const DEFAULT_IMPORT_OUT = 'capabilities';
const GROUPS: readonly GroupBy[] = ['tag', 'path', 'none'];
/** The relaxations an imported capability may use (never under --strict): input constraints, form fields, names as the API spells them. */
const IMPORT_RELAXATIONS: ReadonlySet<string> = new Set(['relaxed-input-constraints', 'relaxed-form-data', 'relaxed-name-pattern']);


export async function runImportOpenApi(file: string, options: ImportCommandOptions, io: Output): Promise<number> {
  const out = options.out ?? DEFAULT_IMPORT_OUT;
  const group = (options.group ?? 'tag') as GroupBy;
  if (!GROUPS.includes(group)) {
    io.err(`naftiko-gen: --group must be one of ${GROUPS.join(', ')} (got \`${options.group}\`).`);
    return EXIT_USAGE;
  }
  const version = writableVersion(options.specVersion);
  if (!version) {
    io.err(`naftiko-gen: --spec-version ${options.specVersion} is not a version naftiko-gen writes; supported: ${describeSupportedVersions()}.`);
    return EXIT_USAGE;
  }
  let result: ImportResult;
  try {
    const doc = await loadOpenApi(file);
    result = importOpenApi(doc, {
      tags: options.tag ?? [],
      groupBy: group,
      strict: options.strict === true,
      ...(options.baseUri !== undefined ? { baseUri: options.baseUri } : {}),
    });
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    io.err(`naftiko-gen: ${err.message.replace(/\.$/, '')}.`);
    return EXIT_USAGE;
  }

  // Every capability must validate (under --strict: flawless; else with its input constraints as the only relaxation).
  // One that does not is a bug to report: it is skipped with its findings, and the others are written.
  const targets = result.capabilities
    .map((c) => ({ ...c, text: inVersion(c.text, version), path: join(out, c.fileName) }))
    .filter((t) => {
      const check = validateText(t.path, t.text, { strict: options.strict === true });
      const problems = check.findings.filter((f) => !(f.severity === 'warning' && IMPORT_RELAXATIONS.has(f.rule)));
      if (problems.length === 0) return true;
      result.warnings.push(`the capability for ${t.scope} is not written: it does not validate (please report this):\n${problems.map(formatFindingText).join('\n')}`);
      result.skippedOperations += t.operations;
      return false;
    });
  if (targets.length === 0) {
    for (const w of result.warnings) io.err(`naftiko-gen: warning: ${w}`);
    io.err('naftiko-gen: no capability could be imported; nothing was written.');
    return EXIT_USAGE;
  }
  const existing = targets.filter((t) => existsSync(t.path));
  if (existing.length > 0 && !options.force) {
    io.err(`naftiko-gen: ${plural(existing.length, 'file')} already exist${existing.length === 1 ? 's' : ''}: ${existing.map((t) => t.path).join(', ')}`);
    io.err('Nothing was written. Choose another --out, or pass --force to replace them.');
    return EXIT_USAGE;
  }

  for (const w of result.warnings) io.err(`naftiko-gen: warning: ${w}`);
  for (const n of result.notes) io.err(`naftiko-gen: note: ${n}`);
  try {
    await mkdir(out, { recursive: true });
    for (const t of targets) {
      await writeFile(t.path, t.text);
      io.out(`${t.path}: ${t.scope}, ${plural(t.operations, 'operation')}`);
    }
  } catch (err) {
    io.err(`naftiko-gen: cannot write to ${out}: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  const operations = targets.reduce((n, t) => n + t.operations, 0);
  const skipped = [
    result.skippedOperations > 0 ? plural(result.skippedOperations, 'operation') : '',
    result.skippedParameters > 0 ? plural(result.skippedParameters, 'parameter') : '',
  ].filter((s) => s !== '');
  io.out(
    `${plural(targets.length, 'capability', 'capabilities')} written to ${out} from ${result.title}${result.version ? ` ${result.version}` : ''}: ` +
      `${plural(operations, 'operation')}, base URI ${result.baseUri}, ` +
      `${result.schemes.length > 0 ? `authentication from ${result.schemes.join(' + ')}` : 'no authentication'}` +
      `${skipped.length > 0 ? `; skipped ${skipped.join(' and ')} (see the warnings)` : ''}; ${plural(result.warnings.length, 'warning')}.`,
  );
  return EXIT_OK;
}
