/**
 * `naftiko-gen migrate <spec...> [--to <version>] [--write]`: prints, for each capability, the unified
 * diff that brings it to the target version (the newest by default); `--write` writes it instead. A
 * migrated file that would not validate is never written: its findings are printed and the exit code is 1.
 */
import { writeFile } from 'node:fs/promises';
import { migrateText } from '../migrate/migrate.js';
import { hasErrors } from '../validate/finding.js';
import { validateText } from '../validate/validate.js';
import { describeSupportedVersions, NEWEST_VERSION, parseVersionArgument } from '../validate/versions.js';
import { unifiedDiff } from '../write/unified-diff.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, worst } from './exit-codes.js';
import { specsOrUsageError } from './expand-inputs.js';
import type { Output } from './output.js';
import { formatFindingText, plural } from './report.js';
import { readSources } from './sources.js';

export interface MigrateCommandOptions {
  to?: string;
  write?: boolean;
  /** Also rewrite the relaxations whose official form costs a little, so the result validates under --strict. */
  strict?: boolean;
}

export async function runMigrate(args: string[], options: MigrateCommandOptions, io: Output): Promise<number> {
  const to = options.to === undefined ? NEWEST_VERSION : parseVersionArgument(options.to);
  if (!to) {
    io.err(`naftiko-gen: --to ${options.to} is not a version naftiko-gen writes; supported: ${describeSupportedVersions()}.`);
    return EXIT_USAGE;
  }
  const files = specsOrUsageError(args, io);
  if (!files) return EXIT_USAGE;
  let code = EXIT_OK;
  let changed = 0;
  const sources = await readSources(files);
  for (const [i, file] of files.entries()) {
    const source = sources[i]!;
    if (!source.ok) {
      io.err(`${file}: error file-unreadable: ${source.reason}.`);
      code = worst(code, EXIT_USAGE);
      continue;
    }
    const result = migrateText(source.text, to, { strict: options.strict === true });
    if (!result.ok && result.notCapability) {
      io.err(`${file}: note: not a capability (no version, none of its keys): left as it is.`);
      continue;
    }
    if (!result.ok) {
      io.err(`${file}: error migrate-refused: cannot migrate: ${result.message}.`);
      code = worst(code, EXIT_INVALID);
      continue;
    }
    if (!result.changed) continue;
    const check = validateText(file, result.text, { strict: options.strict === true });
    if (hasErrors(check.findings)) {
      io.err(`${file}: error migrate-invalid: the file migrated to ${to.key} ${to.version} would not validate; nothing written:`);
      for (const f of check.findings.filter((x) => x.severity === 'error')) io.err(`  ${formatFindingText(f)}`);
      code = worst(code, EXIT_INVALID);
      continue;
    }
    changed += 1;
    for (const note of result.notes) io.err(`${file}: note: ${note}.`);
    if (options.write) await writeFile(file, result.text, 'utf8');
    else for (const line of unifiedDiff(file, source.text, result.text, { maxLines: Number.MAX_SAFE_INTEGER, maxEditLength: Number.MAX_SAFE_INTEGER })) io.out(line);
  }
  const verb = options.write ? 'migrated' : 'would change';
  io.err(`${plural(files.length, 'file')} checked: ${changed} ${verb} to ${to.key} ${to.version}, ${files.length - changed} left as they are.`);
  return code;
}
