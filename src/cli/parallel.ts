/**
 * Many capabilities in one call are spread over the machine's cores: worker threads take files from a
 * shared queue while the main thread takes them too. YAML parsing dominates validation, and it is
 * independent per file. Results come back in the input order, so output stays deterministic.
 */
import { availableParallelism } from 'node:os';
import { dirname, relative, resolve, sep } from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';
import { emitProject, emitUserFiles, type ProjectFiles } from '../emit/emit-project.js';
import { InputError, readSourceSync } from '../load/load-document.js';
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
  project?: { sourceName: string; files: ProjectFiles; userFiles: ProjectFiles; selfContained: boolean };
}

/**
 * Whether the project depends on the capability's text alone. Imports, binds files, scripts, skills and
 * static resources are other files a build reads: such a project is never skipped by its build stamp.
 * The text test is deliberately broad (any `location:` or `from:` key): a false alarm only costs a rebuild.
 */
function selfContained(model: { embeddedFiles?: string[]; skills: unknown[] }, text: string): boolean {
  return !model.embeddedFiles?.length && model.skills.length === 0 && !namesOtherFiles(text);
}

const FILE_KEY = /(location|from)\s*:/y;

/**
 * Whether a line starts (after spaces, tabs and dashes) with a `location:` or `from:` key: what
 * /^[ \t-]*(location|from)\s*:/m finds, tried only where the words occur (scanning the whole text
 * from every line start cost 8 ms on the 94 Qovery files).
 */
export function namesOtherFiles(text: string): boolean {
  for (const word of ['location', 'from']) {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      let start = at;
      for (let c = text.charCodeAt(start - 1); c === 32 || c === 9 || c === 45; c = text.charCodeAt(start - 1)) start--;
      const before = text.charCodeAt(start - 1);
      if (start > 0 && before !== 10 && before !== 13 && before !== 0x2028 && before !== 0x2029) continue;
      FILE_KEY.lastIndex = at;
      if (FILE_KEY.test(text)) return true;
    }
  }
  return false;
}

export function runJob(job: Job): JobResult {
  const { findings, model, shared } = validateText(job.file, job.text, { strict: job.strict });
  if (shared && !hasErrors(findings)) return { findings: job.emit ? [...findings, sharedNotBuilt(job.file)] : findings };
  if (!model) return { findings };
  if (!job.emit) return { findings };
  const files = emitProject(model, job.out === undefined ? {} : { capabilityDir: relativeDir(job.out, dirname(job.file)) });
  return { findings, project: { sourceName: model.sourceName, files, userFiles: emitUserFiles(model), selfContained: selfContained(model, job.text) } };
}

/** `to` seen from `from`, with posix separators so that generated files are the same on every machine. */
export function relativeDir(from: string, to: string): string {
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
 * second, at most three. Measured on two cores, one worker did not beat the main thread alone for the
 * 94 Qovery files: each worker loads and warms up its own copy of the parser, which costs what it saves.
 * From LARGE_BATCH files on, that start-up is small beside the work: one worker per core besides the
 * main thread, which works too.
 */
function workerLimit(jobs = 0): number {
  const configured = process.env.NAFTIKO_GEN_WORKERS;
  if (configured !== undefined && /^\d+$/.test(configured)) return Number(configured);
  const cores = availableParallelism();
  if (jobs >= LARGE_BATCH) return Math.max(0, cores - 1);
  return cores > 2 ? Math.min(cores - 1, 3) : 0;
}

const LARGE_BATCH = 300;

/** Below this many jobs, starting workers costs more than it saves. */
const MIN_JOBS_FOR_WORKERS = 8;

/** Workers run the compiled JavaScript; from TypeScript sources (the tests' in-process runs) jobs run in the main thread. */
const WORKER_SCRIPT = new URL('./parallel-worker.js', import.meta.url);
/**
 * Whether jobs may go to worker threads: from the compiled JavaScript only. The pool's tests set it, with
 * node:worker_threads replaced by workers that run in process (test/mutation-cli2-pool.test.ts).
 */
export const threads = { available: import.meta.url.endsWith('.js') };
/**
 * Run from the bundle (bin/naftiko-gen.js), a worker loads that same bundle from its V8 code cache
 * (bin/thread.cjs) rather than compiling a bundle of its own: the functions a run needs come compiled.
 */
const BUNDLED = /\/dist\/bundle\/naftiko-gen\.js$/.test(import.meta.url);
const THREAD_SCRIPT = new URL('../../bin/thread.cjs', import.meta.url);

function startWorker(): Worker {
  return BUNDLED ? new Worker(THREAD_SCRIPT, { workerData: { entry: 'serveJobs' } }) : new Worker(WORKER_SCRIPT);
}

/** A worker thread's side: runs jobs as they come, answers each with its result. */
export function serveJobs(): void {
  parentPort?.on('message', (m: { index: number; job?: Job; fileJob?: FileJob }) => {
    if (m.fileJob) parentPort!.postMessage({ index: m.index, fileResult: runFileJob(m.fileJob) });
    else parentPort!.postMessage({ index: m.index, result: runJob(m.job!) });
  });
}

/** A file to validate, read by whichever thread validates it. */
export interface FileJob {
  file: string;
  strict: boolean;
}

/** The findings of one file, or why it could not be read. */
export type FileResult = { ok: true; findings: Finding[] } | { ok: false; reason: string };

export function runFileJob(job: FileJob): FileResult {
  let text: string;
  try {
    text = readSourceSync(job.file);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { ok: false, reason: err.reason };
  }
  return { ok: true, findings: validateText(job.file, text, { strict: job.strict }).findings };
}

/** Jobs handed to one thread ahead of time, so that it never waits for the main thread between two files. */
const PREFETCH = 4;

/**
 * Validates many files with bounded memory: each file is read, validated and handed to `onResult`
 * in input order, then dropped; at most a few files per thread are in flight or waiting for their
 * turn to be printed. Uses every core for large batches (see workerLimit).
 */
export function streamFileJobs(jobs: readonly FileJob[], onResult: (index: number, result: FileResult) => void): Promise<void> {
  return streamOrdered(jobs, runFileJob, 'fileJob', onResult);
}

/**
 * Builds many capabilities the same way: each result (with its generated files) is handed to
 * `onResult` in input order, written out there, and dropped, so that a batch of thousands holds a
 * few projects in memory at a time, not all of them.
 */
export function streamJobs(jobs: readonly Job[], onResult: (index: number, result: JobResult) => Promise<void>): Promise<void> {
  return streamOrdered(jobs, runJob, 'job', onResult);
}

/** The worker's message fields for each kind of job (parallel-worker.ts). */
type Kind = 'job' | 'fileJob';
const RESULT_FIELD = { job: 'result', fileJob: 'fileResult' } as const;

async function streamOrdered<J, R>(jobs: readonly J[], runLocal: (job: J) => R, kind: Kind, onResult: (index: number, result: R) => void | Promise<void>): Promise<void> {
  const workerCount = threads.available ? Math.min(workerLimit(jobs.length), Math.floor(jobs.length / MIN_JOBS_FOR_WORKERS)) : 0;
  if (workerCount < 1) {
    for (let i = 0; i < jobs.length; i++) await onResult(i, runLocal(jobs[i]!));
    return;
  }
  const waiting = new Map<number, R>();
  let printed = 0;
  // Results are handed over one at a time, in input order, even when handling one is asynchronous.
  let delivered: Promise<void> = Promise.resolve();
  const record = (i: number, r: R): void => {
    waiting.set(i, r);
    for (let next = waiting.get(printed); next !== undefined; next = waiting.get(printed)) {
      waiting.delete(printed);
      const index = printed++;
      const result = next;
      delivered = delivered.then(() => onResult(index, result));
    }
  };
  // A thread takes the next job only while the printer is not too far behind (bounded memory).
  const window = (workerCount + 1) * PREFETCH * 4;
  let next = 0;
  const take = (): number | undefined => (next < jobs.length && next - printed < window ? next++ : undefined);
  const workers = Array.from({ length: workerCount }, startWorker);
  let idle: Array<() => void> = [];
  const wakeAll = (): void => {
    const waking = idle;
    idle = [];
    waking.forEach((w) => w());
  };
  const viaWorker = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      let inFlight = 0;
      const fill = (): void => {
        for (let i = inFlight < PREFETCH ? take() : undefined; i !== undefined; i = inFlight < PREFETCH ? take() : undefined) {
          inFlight++;
          worker.postMessage({ index: i, [kind]: jobs[i] });
        }
        if (inFlight === 0) {
          if (next >= jobs.length) resolve();
          else idle.push(fill);
        }
      };
      worker.on('message', (m: { index: number } & Record<string, unknown>) => {
        inFlight--;
        record(m.index, m[RESULT_FIELD[kind]] as R);
        wakeAll();
        fill();
      });
      worker.on('error', reject);
      fill();
    });
  const inMain = async (): Promise<void> => {
    for (;;) {
      const i = take();
      if (i === undefined) {
        if (next >= jobs.length) return;
        await new Promise<void>((r) => idle.push(r));
        continue;
      }
      record(i, runLocal(jobs[i]!));
      wakeAll();
      // Let the workers' answers in between two files.
      await new Promise((r) => setImmediate(r));
    }
  };
  try {
    await Promise.all([inMain(), ...workers.map(viaWorker)]);
    await delivered;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
