/** `naftiko-gen import openapi <file>`: one capability per tag, each checked under --strict before anything is written. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importOpenApi, type ImportResult } from '../import/import-openapi.js';
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
  specVersion?: string;
}


export async function runImportOpenApi(file: string, options: ImportCommandOptions, io: Output): Promise<number> {
  const out = options.out ?? '.';
  const version = writableVersion(options.specVersion);
  if (!version) {
    io.err(`naftiko-gen: --spec-version ${options.specVersion} is not a version naftiko-gen writes; supported: ${describeSupportedVersions()}.`);
    return EXIT_USAGE;
  }
  let result: ImportResult;
  try {
    const doc = await loadOpenApi(file);
    result = importOpenApi(doc, { tags: options.tag ?? [], ...(options.baseUri !== undefined ? { baseUri: options.baseUri } : {}) });
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    io.err(`naftiko-gen: ${err.message.replace(/\.$/, '')}.`);
    return EXIT_USAGE;
  }

  const targets = result.capabilities.map((c) => ({ ...c, text: inVersion(c.text, version), path: join(out, c.fileName) }));
  // Every capability must be flawless under --strict; anything else is a bug to report, never a file to write.
  for (const t of targets) {
    const check = validateText(t.path, t.text, { strict: true });
    if (check.findings.length > 0) {
      throw new Error(`the capability imported for ${t.tag ?? 'the untagged operations'} does not validate:\n${check.findings.map(formatFindingText).join('\n')}`);
    }
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
      io.out(`${t.path}: ${t.tag !== undefined ? `tag ${t.tag}` : 'operations without a tag'}, ${plural(t.operations, 'operation')}`);
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
