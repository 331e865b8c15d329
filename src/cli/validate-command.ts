import type { Finding } from '../validate/finding.js';
import { expandSpecs, NoMatchError } from './expand-inputs.js';
import { runJobs } from './parallel.js';
import type { Output } from './output.js';
import { readSources } from './sources.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, worst } from './exit-codes.js';
import { findingToJson, formatFindingText, summaryLine, type OutputFormat, type Totals } from './report.js';

export interface ValidateCommandOptions {
  strict?: boolean;
  format: OutputFormat;
  quiet?: boolean;
}


export async function runValidate(args: string[], options: ValidateCommandOptions, io: Output): Promise<number> {
  let files: string[];
  try {
    files = expandSpecs(args);
  } catch (err) {
    if (!(err instanceof NoMatchError)) throw err;
    io.err(`naftiko-gen: ${err.message}.`);
    return EXIT_USAGE;
  }
  let code = EXIT_OK;
  const totals: Totals = { files: files.length, invalid: 0, unreadable: 0, errors: 0, warnings: 0 };
  const all: Finding[] = [];
  const sources = await readSources(files);
  const done = await runJobs(sources.flatMap((s, i) => (s.ok ? [{ file: files[i]!, text: s.text, strict: options.strict ?? false, emit: false }] : [])));
  let nextResult = 0;
  files.forEach((file, i) => {
    const source = sources[i]!;
    if (!source.ok) {
      totals.unreadable += 1;
      totals.errors += 1;
      code = worst(code, EXIT_USAGE);
      all.push({ file, line: 0, column: 0, severity: 'error', rule: 'file-unreadable', pointer: '', message: `${source.reason}.` });
      if (options.format === 'text') io.err(`${file}: error file-unreadable: ${source.reason}.`);
      return;
    }
    const result = done[nextResult++]!;
    const errors = result.findings.filter((f) => f.severity === 'error').length;
    totals.errors += errors;
    totals.warnings += result.findings.length - errors;
    if (errors > 0) {
      totals.invalid += 1;
      code = worst(code, EXIT_INVALID);
    }
    const shown = options.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
    all.push(...shown);
    // One write per file: thousands of warnings are thousands of system calls when stdout is a file.
    if (options.format === 'text' && shown.length > 0) io.out(shown.map(formatFindingText).join('\n'));
  });
  if (options.format === 'json') io.out(JSON.stringify(all.map(findingToJson), null, 2));
  else io.out(summaryLine(totals));
  return code;
}
