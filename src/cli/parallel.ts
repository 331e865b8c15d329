/**
 * Many capabilities in one call are spread over the machine's cores: worker threads take files from a
 * shared queue while the main thread takes them too. YAML parsing dominates validation, and it is
 * independent per file. Results come back in the input order, so output stays deterministic.
 */
import { availableParallelism } from 'node:os';
import { dirname, relative, resolve, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { emitProject, emitUserFiles, type ProjectFiles } from '../emit/emit-project.js';
import { hasErrors, type Finding } from '../validate/finding.js';
import { validateText } from '../validate/validate.js';

export interface Job {
  file: string;
  text: string;
  strict: boolean;
  emit: boolean;
  /** The project folder, so that the project can find files named relative to the capability (`binds` locations). */
  out?: string;
}

export interface JobResult {
  findings: Finding[];
  /** The generated project, when valid and the job asked for it, with the source name its manifest records. */
  project?: { sourceName: string; files: ProjectFiles; userFiles: ProjectFiles };
}

export function runJob(job: Job): JobResult {
  const { findings, model, shared } = validateText(job.file, job.text, { strict: job.strict });
  if (shared && !hasErrors(findings)) return { findings: job.emit ? [...findings, sharedNotBuilt(job.file)] : findings };
  if (!model) return { findings };
  if (!job.emit) return { findings };
  return { findings, project: { sourceName: model.sourceName, files: emitProject(model, job.out === undefined ? {} : { capabilityDir: relativeDir(job.out, dirname(job.file)) }), userFiles: emitUserFiles(model) } };
}

/** `to` seen from `from`, with posix separators so that generated files are the same on every machine. */
function relativeDir(from: string, to: string): string {
  return relative(resolve(from), resolve(to)).split(sep).join('/') || '.';
}

/** A shared document holds definitions for capabilities to import: there is no server to build from it. */
function sharedNotBuilt(file: string): Finding {
  return {
    file, line: 1, column: 1, severity: 'error', rule: 'shared-document', pointer: '',
    message: 'This is a shared document (definitions that capabilities import), not a capability: there is no server to build from it.',
    hint: 'Build the capabilities that import it; `naftiko-gen validate` checks it on its own.',
  };
}

/**
 * How many worker threads may help: NAFTIKO_GEN_WORKERS when set, otherwise one per core beyond the
 * second, at most three. Measured on two cores, one worker did not beat the main thread alone: each
 * worker loads and warms up its own copy of the parser, which costs what it saves.
 */
function workerLimit(): number {
  const configured = process.env.NAFTIKO_GEN_WORKERS;
  if (configured !== undefined && /^\d+$/.test(configured)) return Number(configured);
  const cores = availableParallelism();
  return cores > 2 ? Math.min(cores - 1, 3) : 0;
}

/** Below this many jobs, starting workers costs more than it saves. */
const MIN_JOBS_FOR_WORKERS = 8;

/** Workers run the compiled JavaScript; from TypeScript sources (the tests' in-process runs) jobs run in the main thread. */
const WORKER_SCRIPT = new URL('./parallel-worker.js', import.meta.url);
const compiled = import.meta.url.endsWith('.js');

export async function runJobs(jobs: readonly Job[], onProgress?: (done: number) => void): Promise<JobResult[]> {
  const results: JobResult[] = new Array(jobs.length);
  let finished = 0;
  const record = (i: number, r: JobResult): void => {
    results[i] = r;
    onProgress?.(++finished);
  };
  const workerCount = compiled ? Math.min(workerLimit(), Math.floor(jobs.length / MIN_JOBS_FOR_WORKERS)) : 0;
  if (workerCount < 1) {
    jobs.forEach((job, i) => record(i, runJob(job)));
    return results;
  }

  let next = 0;
  const take = (): number | undefined => (next < jobs.length ? next++ : undefined);
  const workers = Array.from({ length: workerCount }, () => new Worker(WORKER_SCRIPT));
  const viaWorker = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      const send = (): void => {
        const i = take();
        if (i === undefined) return resolve();
        worker.postMessage({ index: i, job: jobs[i] });
      };
      worker.on('message', (m: { index: number; result: JobResult }) => {
        record(m.index, m.result);
        send();
      });
      worker.on('error', reject);
      send();
    });
  const inMain = async (): Promise<void> => {
    for (let i = take(); i !== undefined; i = take()) {
      record(i, runJob(jobs[i]!));
      // Let the workers' answers in between two files.
      await new Promise((r) => setImmediate(r));
    }
  };
  try {
    await Promise.all([inMain(), ...workers.map(viaWorker)]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
