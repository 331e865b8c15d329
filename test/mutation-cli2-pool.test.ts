/**
 * The worker pool of src/cli/parallel.ts in process. Its workers run the compiled JavaScript only, so
 * here node:worker_threads is replaced by workers that live in this thread: each hands its messages to
 * the handler serveJobs registers (as a real worker's parentPort would), and answers asynchronously,
 * possibly late or out of order. What is checked is what the callers rely on: how many workers start,
 * every result delivered once and in input order, at most PREFETCH jobs in flight per worker, the
 * bounded window of jobs taken ahead of the printer, a worker's error ending the run, and the workers
 * stopped after it. StrykerJS runs this file for parallel.ts (MUTATION_TESTS=cli-commands).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FileJob, type FileResult, type JobResult, namesOtherFiles, runFileJob, runJob, serveJobs, streamFileJobs, streamJobs, threads } from '../src/cli/parallel.js';
import { runValidate } from '../src/cli/validate-command.js';
import { capture, tempFolders } from './helpers/capture.js';
import { WEATHER } from './helpers/fixtures.js';
import { REPO } from './helpers/shared.js';

interface Started {
  url: string;
  options: unknown;
  /** The indexes of the jobs posted to this worker, in the order they came. */
  posted: number[];
  /** The most jobs this worker held at once (posted, not yet answered). */
  maxInFlight: number;
  terminated: boolean;
}

const fake = vi.hoisted(() => ({
  cores: 2,
  started: [] as Started[],
  handler: undefined as undefined | ((m: unknown) => void),
  current: undefined as undefined | { answer(reply: { index: number }): void },
  /** Decides when (or whether) the answer to a job reaches the main thread: a promise to wait for, or 'error'. */
  gate: undefined as undefined | ((index: number, worker: Started) => Promise<void> | 'error' | undefined),
}));

vi.mock('node:os', async (importOriginal) => ({ ...(await importOriginal<typeof import('node:os')>()), availableParallelism: () => fake.cores }));

vi.mock('node:worker_threads', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:worker_threads')>();
  const { EventEmitter } = await import('node:events');
  class InProcessWorker extends EventEmitter {
    readonly record: Started;
    private inFlight = 0;
    constructor(url: URL, options?: unknown) {
      super();
      this.record = { url: String(url), options, posted: [], maxInFlight: 0, terminated: false };
      fake.started.push(this.record);
    }
    postMessage(m: { index: number }): void {
      this.record.posted.push(m.index);
      this.inFlight++;
      this.record.maxInFlight = Math.max(this.record.maxInFlight, this.inFlight);
      setImmediate(() => {
        fake.current = this;
        fake.handler!(m);
      });
    }
    answer(reply: { index: number }): void {
      const gate = fake.gate?.(reply.index, this.record);
      if (gate === 'error') {
        setImmediate(() => this.emit('error', new Error(`worker lost job ${reply.index}`)));
        return;
      }
      void (gate ?? Promise.resolve()).then(() =>
        setImmediate(() => {
          this.inFlight--;
          this.emit('message', reply);
        }),
      );
    }
    terminate(): Promise<number> {
      this.record.terminated = true;
      return Promise.resolve(1);
    }
  }
  const parentPort = {
    on: (event: string, handler: (m: unknown) => void) => {
      if (event === 'message') fake.handler = handler;
    },
    postMessage: (reply: { index: number }) => fake.current!.answer(reply),
  };
  return { ...actual, Worker: InProcessWorker, parentPort };
});

const folder = tempFolders('mutation-cli2-pool-');
const configured = process.env.NAFTIKO_GEN_WORKERS;

beforeAll(() => {
  // The worker side, as parallel-worker.ts starts it; its parentPort is the one above.
  serveJobs();
});

afterEach(() => {
  threads.available = false;
  fake.started.length = 0;
  fake.gate = undefined;
  fake.cores = 2;
  if (configured === undefined) delete process.env.NAFTIKO_GEN_WORKERS;
  else process.env.NAFTIKO_GEN_WORKERS = configured;
});

/** `n` small files, each a different (invalid) document, so that each result names its own file. */
function files(n: number): string[] {
  const entries: Record<string, string> = {};
  for (let i = 0; i < n; i++) entries[`f${String(i).padStart(3, '0')}.yaml`] = `n${i}: ${i}\n`;
  const dir = folder(entries);
  return Object.keys(entries).map((f) => join(dir, f));
}

/** Runs streamFileJobs and returns the (index, result) pairs in the order they were handed over. */
async function fileRun(jobs: FileJob[]): Promise<Array<[number, FileResult]>> {
  const got: Array<[number, FileResult]> = [];
  await streamFileJobs(jobs, (i, r) => {
    got.push([i, r]);
  });
  return got;
}

const missing = (n: number): FileJob[] => Array.from({ length: n }, (_, i) => ({ file: `/nonexistent/naftiko-pool/${i}.yaml`, strict: false }));

describe('how many workers start', () => {
  it('none from the TypeScript sources, however many jobs', async () => {
    process.env.NAFTIKO_GEN_WORKERS = '3';
    expect(threads.available).toBe(false);
    const got = await fileRun(missing(40));
    expect(got.map(([i]) => i)).toEqual([...Array(40).keys()]);
    expect(fake.started).toEqual([]);
  });

  it('NAFTIKO_GEN_WORKERS, at most one per 8 jobs; the worker script beside parallel.ts', async () => {
    threads.available = true;
    const cases: Array<[string, number, number]> = [
      ['3', 40, 3],
      ['5', 40, 5],
      ['3', 23, 2],
      ['3', 16, 2],
      ['3', 8, 1],
      ['3', 7, 0],
      ['0', 40, 0],
      ['10', 80, 10],
    ];
    for (const [workers, jobs, want] of cases) {
      process.env.NAFTIKO_GEN_WORKERS = workers;
      fake.started.length = 0;
      const got = await fileRun(missing(jobs));
      expect(got.map(([i]) => i), `${workers} workers, ${jobs} jobs`).toEqual([...Array(jobs).keys()]);
      expect(fake.started.length, `${workers} workers, ${jobs} jobs`).toBe(want);
    }
    for (const w of fake.started) {
      expect(w.url).toMatch(/\/src\/cli\/parallel-worker\.js$/);
      expect(w.options).toBeUndefined();
    }
  });

  it('without NAFTIKO_GEN_WORKERS (or with a value that is not a number): one per core beyond the second, at most 3; from 300 jobs one per core but one', async () => {
    threads.available = true;
    const cases: Array<[string | undefined, number, number, number]> = [
      [undefined, 2, 40, 0],
      [undefined, 3, 40, 2],
      [undefined, 4, 40, 3],
      [undefined, 8, 40, 3],
      [undefined, 8, 299, 3],
      [undefined, 8, 300, 7],
      [undefined, 1, 300, 0],
      [undefined, 2, 300, 1],
      ['two', 4, 40, 3],
      ['', 4, 40, 3],
      ['2x', 8, 40, 3],
      ['x2', 8, 40, 3],
    ];
    for (const [workers, cores, jobs, want] of cases) {
      if (workers === undefined) delete process.env.NAFTIKO_GEN_WORKERS;
      else process.env.NAFTIKO_GEN_WORKERS = workers;
      fake.cores = cores;
      fake.started.length = 0;
      const got = await fileRun(missing(jobs));
      expect(got).toHaveLength(jobs);
      expect(fake.started.length, `NAFTIKO_GEN_WORKERS=${workers}, ${cores} cores, ${jobs} jobs`).toBe(want);
    }
  });
});

describe('the pool at work', () => {
  it('hands every result over once, in input order, the same as the main thread alone, and stops its workers', async () => {
    const jobs = files(30).map((file) => ({ file, strict: false }));
    const alone = await fileRun(jobs);
    threads.available = true;
    process.env.NAFTIKO_GEN_WORKERS = '2';
    // The first jobs of each worker answer last.
    fake.gate = (index) => (index < 12 ? new Promise((r) => setTimeout(r, 40 - index * 3)) : undefined);
    const pooled = await fileRun(jobs);
    expect(fake.started).toHaveLength(2);
    expect(pooled).toEqual(alone);
    expect(pooled.map(([i]) => i)).toEqual([...Array(30).keys()]);
    expect((pooled[7]![1] as { findings: Array<{ file: string }> }).findings[0]!.file).toBe(jobs[7]!.file);
    // Both workers and the main thread took jobs; none went to two threads.
    const posted = fake.started.flatMap((w) => w.posted);
    expect(fake.started.every((w) => w.posted.length > 0)).toBe(true);
    expect(posted.length).toBeLessThan(30);
    expect(new Set(posted).size).toBe(posted.length);
    expect(fake.started.every((w) => w.terminated)).toBe(true);
    // A worker holds at most PREFETCH (4) jobs at a time.
    expect(fake.started.map((w) => w.maxInFlight)).toEqual([4, 4]);
  });

  it('build jobs: the same results as runJob, handled one at a time even when handling is asynchronous', async () => {
    const broken = WEATHER.replace('            - name: get-station\n', '            - name: get-station\n              bogusKey: 1\n');
    const texts = Array.from({ length: 16 }, (_, i) => (i % 5 === 3 ? broken : WEATHER));
    const jobs = texts.map((text, i) => ({ file: `/caps/c${i}.yaml`, text, strict: i % 2 === 0, emit: false }));
    threads.available = true;
    process.env.NAFTIKO_GEN_WORKERS = '1';
    fake.gate = (index) => (index % 3 === 0 ? new Promise((r) => setTimeout(r, 5)) : undefined);
    const got: Array<[number, JobResult]> = [];
    let busy = 0;
    let most = 0;
    await streamJobs(jobs, async (i, r) => {
      busy++;
      most = Math.max(most, busy);
      await new Promise((done) => setTimeout(done, 1));
      got.push([i, r]);
      busy--;
    });
    expect(fake.started).toHaveLength(1);
    expect(fake.started[0]!.posted.length).toBeGreaterThan(0);
    expect(most).toBe(1);
    expect(got.map(([i]) => i)).toEqual([...Array(16).keys()]);
    expect(got.map(([, r]) => r)).toEqual(jobs.map((j) => runJob(j)));
    expect(got[3]![1].findings.some((f) => f.severity === 'error' && f.file === '/caps/c3.yaml')).toBe(true);
    expect(got[4]![1].findings).toEqual([]);
  });

  it('takes at most (workers + 1) × 16 jobs ahead of the first result not yet handed over', async () => {
    const jobs = files(120).map((file) => ({ file, strict: false }));
    threads.available = true;
    process.env.NAFTIKO_GEN_WORKERS = '2';
    // Every job is seen where it runs: the main thread reads `file`, a worker gets it posted.
    const taken = new Set<number>();
    const watched = jobs.map((job, i) => ({
      strict: job.strict,
      get file() {
        taken.add(i);
        return job.file;
      },
    }));
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let heldIndex: number | undefined;
    fake.gate = (index, worker) => {
      taken.add(index);
      if (heldIndex === undefined && worker === fake.started[0]) heldIndex = index;
      return index === heldIndex ? held : undefined;
    };
    const run = fileRun(watched);
    const end = Date.now() + 20_000;
    while (taken.size < 49 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    // Nothing more is taken while the held job keeps the printer waiting.
    await new Promise((r) => setTimeout(r, 150));
    expect(heldIndex).toBe(1);
    expect([...taken].sort((a, b) => a - b)).toEqual([...Array(49).keys()]);
    release();
    const got = await run;
    expect(got.map(([i]) => i)).toEqual([...Array(120).keys()]);
    // Once the printer moves on, both workers and the main thread take jobs again.
    const posted = new Set(fake.started.flatMap((w) => w.posted));
    expect(fake.started.every((w) => w.posted.some((i) => i > 48))).toBe(true);
    expect([...Array(120).keys()].some((i) => i > 48 && !posted.has(i))).toBe(true);
    expect(got[60]![1]).toEqual(runFileJob(jobs[60]!));
  });

  it("a worker's error ends the run with that error, and every worker is stopped", async () => {
    threads.available = true;
    process.env.NAFTIKO_GEN_WORKERS = '2';
    fake.gate = (index) => (index === 6 ? 'error' : undefined);
    const got: number[] = [];
    await expect(streamFileJobs(missing(40), (i) => got.push(i))).rejects.toThrow('worker lost job 6');
    expect(fake.started).toHaveLength(2);
    expect(fake.started.every((w) => w.terminated)).toBe(true);
    expect(got).not.toContain(6);
  });

  it('validate over the pool prints what it prints without it', async () => {
    const specs = [...files(9), ...Array.from({ length: 3 }, (_, i) => folder({ [`w${i}.yaml`]: WEATHER }) + `/w${i}.yaml`)];
    const alone = capture();
    const code = await runValidate(specs, { format: 'text' }, alone);
    threads.available = true;
    process.env.NAFTIKO_GEN_WORKERS = '1';
    fake.gate = (index) => (index % 2 === 0 ? new Promise((r) => setTimeout(r, 3)) : undefined);
    const pooled = capture();
    expect(await runValidate(specs, { format: 'text' }, pooled)).toBe(code);
    expect(fake.started).toHaveLength(1);
    expect(pooled.stdout).toEqual(alone.stdout);
    expect(pooled.stderr).toEqual(alone.stderr);
  });
});

describe('the jobs themselves', () => {
  it('runFileJob validates under --strict when asked', () => {
    const file = join(folder({ 'c.yaml': readFileSync(`${REPO}test/fixtures/relaxations/converted.yaml`, 'utf8') }), 'c.yaml');
    const relaxed = runFileJob({ file, strict: false });
    const strict = runFileJob({ file, strict: true });
    expect(relaxed.ok && strict.ok).toBe(true);
    const severities = (r: FileResult) => new Set(r.ok ? r.findings.map((f) => f.severity) : []);
    expect(severities(relaxed)).toEqual(new Set(['warning']));
    expect(severities(strict).has('error')).toBe(true);
  });

  it('a project built into a folder finds the files its capability names from where the capability is', () => {
    const text = WEATHER.replace('  - namespace: env\n', '  - namespace: env\n    location: file:///./secrets.env\n');
    const config = (out?: string) => runJob({ file: '/caps/w.yaml', text, strict: false, emit: true, ...(out === undefined ? {} : { out }) }).project!.files.get('src/config.ts')!;
    expect(config('/caps/out/w')).toContain("CAPABILITY_DIR = '../..'");
    expect(config()).toContain("CAPABILITY_DIR = '.'");
  });

  it('namesOtherFiles: a key after any line break, U+2028 and U+2029 included', () => {
    expect(namesOtherFiles('a: 1\u2029location: x\n')).toBe(true);
    expect(namesOtherFiles('a: 1\u2028 - from: x\n')).toBe(true);
    expect(namesOtherFiles('a: 1\u00a0location: x\n')).toBe(false);
  });
});
