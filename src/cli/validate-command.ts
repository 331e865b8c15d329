import type { Finding } from '../validate/finding.js';
import { specsOrUsageError } from './expand-inputs.js';
import { streamFileJobs } from './parallel.js';
import type { Output } from './output.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, worst } from './exit-codes.js';
import { findingToJson, formatFindingText, summaryLine, type OutputFormat, type Totals } from './report.js';

export interface ValidateCommandOptions {
  strict?: boolean;
  format: OutputFormat;
  quiet?: boolean;
}


export async function runValidate(args: string[], options: ValidateCommandOptions, io: Output): Promise<number> {
  const files = specsOrUsageError(args, io);
  if (!files) return EXIT_USAGE;
  let code = EXIT_OK;
  const totals: Totals = { files: files.length, invalid: 0, unreadable: 0, errors: 0, warnings: 0 };
  // Findings are printed and dropped file by file, in input order: memory stays bounded however many files.
  // JSON is streamed too, as the same bytes JSON.stringify(all, null, 2) would give.
  let jsonStarted = false;
  let jsonPending: string | undefined;
  const emitJson = (shown: readonly Finding[]): void => {
    if (shown.length === 0) return;
    if (!jsonStarted) io.out('[');
    jsonStarted = true;
    // Held back one file, so that the comma goes at the end of its last line.
    if (jsonPending !== undefined) io.out(`${jsonPending},`);
    jsonPending = shown.map((f) => '  ' + JSON.stringify(findingToJson(f), null, 2).replace(/\n/g, '\n  ')).join(',\n');
  };
  const jobs = files.map((file) => ({ file, strict: options.strict ?? false }));
  await streamFileJobs(jobs, (i, result) => {
    const file = files[i]!;
    if (!result.ok) {
      totals.unreadable += 1;
      totals.errors += 1;
      code = worst(code, EXIT_USAGE);
      if (options.format === 'text') io.err(`${file}: error file-unreadable: ${result.reason}.`);
      else emitJson([{ file, line: 0, column: 0, severity: 'error', rule: 'file-unreadable', pointer: '', message: `${result.reason}.` }]);
      return;
    }
    const errors = result.findings.filter((f) => f.severity === 'error').length;
    totals.errors += errors;
    totals.warnings += result.findings.length - errors;
    if (errors > 0) {
      totals.invalid += 1;
      code = worst(code, EXIT_INVALID);
    }
    const shown = options.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
    // One write per file: thousands of warnings are thousands of system calls when stdout is a file.
    if (options.format === 'text') {
      if (shown.length > 0) io.out(shown.map(formatFindingText).join('\n'));
    } else emitJson(shown);
  });
  if (options.format === 'json') {
    if (jsonPending !== undefined) io.out(jsonPending);
    io.out(jsonStarted ? ']' : '[]');
  }
  else io.out(summaryLine(totals));
  return code;
}
