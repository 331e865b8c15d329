import { basename, join } from 'node:path';
import { runJobs } from './parallel.js';
import { readSources } from './sources.js';
import { checkProject, OutputError, writeProject } from '../write/write-project.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, worst } from './exit-codes.js';
import { formatFindingText } from './report.js';
import type { Output } from './validate-command.js';

export interface BuildCommandOptions {
  out?: string;
  check?: boolean;
  strict?: boolean;
}

function stem(file: string): string {
  return basename(file).replace(/\.(ya?ml|json)$/i, '');
}

/** Shell-quotes a path for the "run this to fix it" line. */
function shellArg(s: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function runBuild(specs: string[], options: BuildCommandOptions, io: Output): Promise<number> {
  // One spec: --out is the project folder. Several: --out holds one folder per spec.
  const single = specs.length === 1;
  const targets = specs.map((spec) => ({ spec, dir: single ? (options.out ?? join('generated', stem(spec))) : join(options.out ?? 'generated', stem(spec)) }));
  const seen = new Map<string, string>();
  for (const t of targets) {
    const other = seen.get(t.dir);
    if (other) {
      io.err(`naftiko-gen: ${other} and ${t.spec} would both be built into ${t.dir}; rename one of them or build them separately.`);
      return EXIT_USAGE;
    }
    seen.set(t.dir, t.spec);
  }

  let code = EXIT_OK;
  // Read everything, then validate and generate in parallel; writing stays sequential and in order.
  const sources = await readSources(targets.map((t) => t.spec));
  const jobs = targets.flatMap(({ spec }, i) => {
    const s = sources[i]!;
    return s.ok ? [{ file: spec, text: s.text, strict: options.strict ?? false, emit: true }] : [];
  });
  const done = await runJobs(jobs);
  let nextResult = 0;
  for (const [i, { spec, dir }] of targets.entries()) {
    const source = sources[i]!;
    if (!source.ok) {
      io.err(`${source.message}.`);
      code = worst(code, EXIT_USAGE);
      continue;
    }
    const result = done[nextResult++]!;
    const errors = result.findings.filter((f) => f.severity === 'error');
    const warnings = result.findings.length - errors.length;
    if (!result.project) {
      for (const f of errors) io.out(formatFindingText(f));
      io.out(`${spec}: not built: ${errors.length} error${errors.length === 1 ? '' : 's'} (nothing was written).`);
      code = worst(code, EXIT_INVALID);
      continue;
    }
    const { sourceName, files } = result.project;
    const note = warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'}; naftiko-gen validate ${shellArg(spec)} lists them)` : '';
    try {
      if (options.check) {
        const check = await checkProject(dir, sourceName, files);
        if (check.differ.length === 0 && check.stale.length === 0) io.out(`${dir}: up to date${note}.`);
        else {
          code = worst(code, EXIT_INVALID);
          io.out(`${dir}: out of date with ${spec}:`);
          for (const f of check.differ) io.out(`  changed: ${f}`);
          for (const f of check.stale) io.out(`  no longer generated: ${f}`);
          io.out(`  fix: naftiko-gen build ${shellArg(spec)} --out ${shellArg(dir)}`);
        }
      } else {
        const written = await writeProject(dir, sourceName, files);
        const changes = written.written.length + written.deleted.length;
        io.out(changes === 0 ? `${dir}: unchanged${note}.` : `${dir}: built from ${spec}, ${written.written.length} file${written.written.length === 1 ? '' : 's'} written${written.deleted.length ? `, ${written.deleted.length} removed` : ''}${note}.`);
      }
    } catch (err) {
      if (err instanceof OutputError) {
        io.err(`naftiko-gen: ${err.message}.`);
        code = worst(code, EXIT_USAGE);
        continue;
      }
      const e = err as NodeJS.ErrnoException;
      if (e.code) {
        io.err(`naftiko-gen: cannot write ${dir}: ${e.message}`);
        code = worst(code, EXIT_USAGE);
        continue;
      }
      throw err;
    }
  }
  return code;
}
