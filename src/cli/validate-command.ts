import { InputError, readSource } from '../load/load-document.js';
import type { Finding } from '../validate/finding.js';
import { validateText } from '../validate/validate.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, worst } from './exit-codes.js';
import { findingToJson, formatFindingText, summaryLine, type OutputFormat, type Totals } from './report.js';

export interface ValidateCommandOptions {
  strict?: boolean;
  format: OutputFormat;
  quiet?: boolean;
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export async function runValidate(files: string[], options: ValidateCommandOptions, io: Output): Promise<number> {
  let code = EXIT_OK;
  const totals: Totals = { files: files.length, invalid: 0, unreadable: 0, errors: 0, warnings: 0 };
  const all: Finding[] = [];
  const texts = await Promise.all(
    files.map((f) =>
      readSource(f).then(
        (text) => ({ ok: true as const, text }),
        (err: unknown) => ({ ok: false as const, err }),
      ),
    ),
  );
  files.forEach((file, i) => {
    const source = texts[i]!;
    if (!source.ok) {
      if (!(source.err instanceof InputError)) throw source.err;
      totals.unreadable += 1;
      totals.errors += 1;
      code = worst(code, EXIT_USAGE);
      all.push({ file, line: 0, column: 0, severity: 'error', rule: 'file-unreadable', pointer: '', message: source.err.message.replace(`${file}: `, '') + '.' });
      if (options.format === 'text') io.err(`${file}: error file-unreadable: ${source.err.message.replace(`${file}: `, '')}.`);
      return;
    }
    const result = validateText(file, source.text, { strict: options.strict ?? false });
    const errors = result.findings.filter((f) => f.severity === 'error').length;
    totals.errors += errors;
    totals.warnings += result.findings.length - errors;
    if (errors > 0) {
      totals.invalid += 1;
      code = worst(code, EXIT_INVALID);
    }
    const shown = options.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
    all.push(...shown);
    if (options.format === 'text') for (const f of shown) io.out(formatFindingText(f));
  });
  if (options.format === 'json') io.out(JSON.stringify(all.map(findingToJson), null, 2));
  else io.out(summaryLine(totals));
  return code;
}
