import { basename, dirname, join } from 'node:path';
import type { ProjectFiles } from '../emit/emit-project.js';
import type { Finding } from '../validate/finding.js';
import { buildStamp, upToDate } from '../write/build-stamp.js';
import { unifiedDiff } from '../write/unified-diff.js';
import { ProjectWriter, type WriteOutcome } from '../write/project-writer.js';
import { checkProject, OutputError, type FileChange } from '../write/write-project.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, worst } from './exit-codes.js';
import { specsOrUsageError } from './expand-inputs.js';
import { relativeDir, streamJobs } from './parallel.js';
import { findingToJson, formatFindingText, plural, type OutputFormat } from './report.js';
import { readSources } from './sources.js';
import type { Output } from './output.js';

export interface BuildCommandOptions {
  out?: string;
  check?: boolean;
  strict?: boolean;
  quiet?: boolean;
  format?: OutputFormat;
  /** Show a progress counter (on a terminal, and not with --quiet or --format json). */
  progress?: boolean;
}

type Status = 'built' | 'unchanged' | 'failed' | 'current' | 'stale' | 'unreadable' | 'unwritable';

interface ProjectReport {
  spec: string;
  dir: string;
  status: Status;
  findings: Finding[];
  /** Files written or, with --check, that differ. */
  changed: FileChange[];
  removed: string[];
  message?: string;
  /** Skipped as up to date from its manifest alone: the warnings it had when built. */
  skippedWarnings?: number;
}

/** How many diff lines `--check` prints in all, so a large change cannot flood a CI log. */
const MAX_DIFF_LINES = 200;

function stem(file: string): string {
  return basename(file).replace(/\.(ya?ml|json)$/i, '');
}

/** Shell-quotes an argument for the "run this to fix it" line. */
function shellArg(s: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}


export async function runBuild(args: string[], options: BuildCommandOptions, io: Output): Promise<number> {
  const specs = specsOrUsageError(args, io);
  if (!specs) return EXIT_USAGE;
  // One file named as such: --out is the project folder. Several, a folder or a glob: one folder each under --out.
  const batch = specs.length > 1 || args.some((a) => a !== specs[0]);
  const targets = specs.map((spec) => ({ spec, dir: batch ? join(options.out ?? 'generated', stem(spec)) : (options.out ?? join('generated', stem(spec))) }));
  const seen = new Map<string, string>();
  for (const t of targets) {
    const other = seen.get(t.dir);
    if (other) {
      io.err(`naftiko-gen: ${other} and ${t.spec} would both be built into ${t.dir}; rename one of them or build them separately.`);
      return EXIT_USAGE;
    }
    seen.set(t.dir, t.spec);
  }

  const json = options.format === 'json';
  const progress = options.progress && !options.quiet && !json && targets.length > 1 ? io.progress : undefined;
  const sources = await readSources(specs);
  const strict = options.strict ?? false;
  const reports: ProjectReport[] = targets.map(({ spec, dir }) => ({ spec, dir, status: 'failed', findings: [], changed: [], removed: [] }));
  // An unchanged project is known from its manifest without parsing (JSON output lists findings, so it parses).
  const skipped = specs.map((spec, i) => {
    const s = sources[i]!;
    if (!s.ok || json) return false;
    const fresh = upToDate(targets[i]!.dir, { sourceName: basename(spec), place: relativeDir(targets[i]!.dir, dirname(spec)), text: s.text, strict });
    if (!fresh) return false;
    reports[i]!.status = options.check ? 'current' : 'unchanged';
    reports[i]!.skippedWarnings = fresh.warnings;
    return true;
  });
  sources.forEach((source, i) => {
    if (source.ok) return;
    reports[i]!.status = 'unreadable';
    reports[i]!.message = source.message;
  });

  // Reports are printed in input order as soon as they and all before them are done, and each
  // project's files are dropped once written: a batch of thousands holds a few projects at a time.
  const printer = json ? undefined : new TextPrinter(options, batch, io);
  let printed = 0;
  const settled = reports.map((r) => r.status === 'unreadable');
  skipped.forEach((s, i) => (settled[i] ||= s));
  const release = (): void => {
    for (; printed < reports.length && settled[printed]; printed++) {
      progress?.('');
      printer?.report(reports[printed]!);
    }
  };
  release();
  const pending = specs.flatMap((_spec, i) => (sources[i]!.ok && !skipped[i] ? [i] : []));
  const jobs = pending.map((i) => ({ file: specs[i]!, text: (sources[i] as { text: string }).text, strict, emit: true, out: targets[i]!.dir }));
  let finished = 0;
  const check = options.check ?? false;
  // A batch is written on a thread of its own, while the next projects are generated.
  const writer = new ProjectWriter(!check && jobs.length >= WRITER_THREAD_FROM);
  const writing: Array<Promise<void>> = [];
  const done = (i: number): void => {
    progress?.(`${check ? 'checking' : 'building'} ${++finished}/${jobs.length}`);
    settled[i] = true;
    release();
  };
  try {
    await streamJobs(jobs, async (k, result) => {
      const i = pending[k]!;
      const report = reports[i]!;
      report.findings = result.findings;
      if (result.project) {
        if (!check) {
          // With --check the stamp is not compared (only the files are), so it is not made.
          const place = relativeDir(report.dir, dirname(report.spec));
          const stamp = result.project.selfContained
            ? { stamp: buildStamp({ sourceName: result.project.sourceName, place, text: jobs[k]!.text, strict }), warnings: result.findings.filter((f) => f.severity === 'warning').length }
            : undefined;
          await writer.room();
          const req = { dir: report.dir, source: result.project.sourceName, files: result.project.files, userFiles: result.project.userFiles, ...(stamp ? { stamp } : {}) };
          const written = writer.write(req).then((outcome) => {
            applyWrite(report, outcome);
            done(i);
          });
          // Handled here so that a failing writer thread does not end the process before the others are awaited (below).
          written.catch(() => undefined);
          writing.push(written);
          return;
        }
        await checkOne(report, result.project);
      }
      done(i);
    });
    await Promise.all(writing);
  } finally {
    await writer.close();
  }
  progress?.('');

  let code = EXIT_OK;
  for (const r of reports) {
    if (r.status === 'failed' || r.status === 'stale') code = worst(code, EXIT_INVALID);
    if (r.status === 'unreadable' || r.status === 'unwritable') code = worst(code, EXIT_USAGE);
  }
  const fix = `naftiko-gen build ${args.map(shellArg).join(' ')}${options.out ? ` --out ${shellArg(options.out)}` : ''}${options.strict ? ' --strict' : ''}`;
  if (json) printJson(reports, fix, io);
  else printer!.finish(reports, fix);
  return code;
}

/** Below this many projects to write, a writer thread costs more to start than it saves. */
const WRITER_THREAD_FROM = 8;

function applyWrite(report: ProjectReport, outcome: WriteOutcome): void {
  if (outcome.ok) {
    const written = outcome.result;
    report.status = written.written.length + written.deleted.length === 0 ? 'unchanged' : 'built';
    report.changed = written.written.map((path) => ({ path }));
    report.removed = written.deleted;
  } else {
    report.status = 'unwritable';
    report.message = outcome.outputError ? outcome.message : `cannot write ${report.dir}: ${outcome.message}`;
  }
}

async function checkOne(report: ProjectReport, project: { sourceName: string; files: ProjectFiles; userFiles: ProjectFiles }): Promise<void> {
  try {
    const { changes } = await checkProject(report.dir, project.sourceName, project.files, project.userFiles);
    report.status = changes.length === 0 ? 'current' : 'stale';
    report.changed = changes;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!(err instanceof OutputError) && !e.code) throw err;
    report.status = 'unwritable';
    report.message = err instanceof OutputError ? err.message : `cannot write ${report.dir}: ${e.message}`;
  }
}

function printJson(reports: ProjectReport[], fix: string, io: Output): void {
  const count = (s: Status) => reports.filter((r) => r.status === s).length;
  io.out(
    JSON.stringify(
      {
        projects: reports.map((r) => ({
          spec: r.spec,
          dir: r.dir,
          status: r.status,
          ...(r.message ? { message: r.message } : {}),
          changed: r.changed.filter((c) => c.after !== undefined || c.before === undefined).map((c) => c.path),
          removed: [...r.removed, ...r.changed.filter((c) => c.after === undefined && c.before !== undefined).map((c) => c.path)],
          findings: r.findings.map(findingToJson),
        })),
        summary: {
          built: count('built'),
          unchanged: count('unchanged'),
          current: count('current'),
          stale: count('stale'),
          failed: count('failed') + count('unreadable') + count('unwritable'),
          warnings: reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'warning').length, 0),
        },
        ...(reports.some((r) => r.status === 'stale') ? { fix } : {}),
      },
      null,
      2,
    ),
  );
}

/** The text output: one report at a time, in input order, each dropped once printed; then the summary. */
class TextPrinter {
  private diffBudget = MAX_DIFF_LINES;
  private warnings = 0;
  private stale = false;

  constructor(
    private readonly options: BuildCommandOptions,
    private readonly batch: boolean,
    private readonly io: Output,
  ) {}

  report(r: ProjectReport): void {
    const { options, batch, io } = this;
    const warnings = r.skippedWarnings ?? r.findings.filter((f) => f.severity === 'warning').length;
    this.warnings += warnings;
    const note = warnings > 0 && !batch ? ` (${plural(warnings, 'warning')}; naftiko-gen validate ${shellArg(r.spec)} lists them)` : '';
    switch (r.status) {
      case 'unreadable':
      case 'unwritable':
        io.err(`naftiko-gen: ${r.message}.`);
        break;
      case 'failed': {
        const errors = r.findings.filter((f) => f.severity === 'error');
        for (const f of errors) io.out(formatFindingText(f));
        io.out(`${r.spec}: not built: ${plural(errors.length, 'error')} (nothing was written).`);
        break;
      }
      case 'built':
        if (!options.quiet) io.out(`${r.dir}: built from ${r.spec}, ${plural(r.changed.length, 'file')} written${r.removed.length ? `, ${r.removed.length} removed` : ''}${note}.`);
        break;
      case 'unchanged':
        if (!options.quiet && !batch) io.out(`${r.dir}: unchanged${note}.`);
        break;
      case 'current':
        if (!options.quiet && !batch) io.out(`${r.dir}: up to date${note}.`);
        break;
      case 'stale':
        this.stale = true;
        io.out(`${r.dir}: out of date with ${r.spec}:`);
        for (const c of r.changed) {
          io.out(`  ${c.after === undefined ? 'no longer generated' : c.before === undefined ? 'missing' : 'changed'}: ${c.path}`);
        }
        for (const c of r.changed) {
          if (this.diffBudget <= 0) break;
          const lines = unifiedDiff(join(r.dir, c.path), c.before, c.after, { maxLines: Math.min(40, this.diffBudget) });
          this.diffBudget -= lines.length;
          for (const line of lines) io.out(`    ${line}`);
        }
        break;
    }
    // Printed: what remains is the status, for the summary.
    r.findings = [];
    r.changed = [];
  }

  finish(reports: readonly ProjectReport[], fix: string): void {
    const { io } = this;
    if (this.diffBudget <= 0) io.out(`(diffs cut at ${MAX_DIFF_LINES} lines)`);
    if (this.stale) io.out(`fix: ${fix}`);
    if (this.batch) io.out(summaryLine(reports, this.options.check ?? false, this.warnings));
  }
}

function summaryLine(reports: readonly ProjectReport[], check: boolean, warnings: number): string {
  const count = (...s: Status[]) => reports.filter((r) => s.includes(r.status)).length;
  const failed = count('failed', 'unreadable', 'unwritable');
  const parts = check ? [`${count('current')} up to date`, `${count('stale')} out of date`] : [`${count('built')} built`, `${count('unchanged')} unchanged`];
  return `${plural(reports.length, 'capability', 'capabilities')}: ${parts.join(', ')}, ${failed} failed; ${plural(warnings, 'warning')}.`;
}
