/**
 * Writes the projects of a batch build on a thread of their own. Creating thousands of small files
 * is kernel work (about half a millisecond per file on the ext4 disk the bench runs on): on its own
 * thread it overlaps with generating the next projects on the main thread, instead of adding to it.
 * Each project is still written by writeProject, staged and renamed into place, never half-written.
 */
import { Worker } from 'node:worker_threads';
import { outputHash } from './build-stamp.js';
import { OutputError, writeProject, type ManifestStamp, type WriteResult } from './write-project.js';

export interface WriteRequest {
  dir: string;
  source: string;
  files: ReadonlyMap<string, string>;
  userFiles: ReadonlyMap<string, string>;
  /** The build stamp, when the project can be skipped by it; the hash of its files is made here, by the writer. */
  stamp?: Omit<ManifestStamp, 'outputHash'>;
}

/** What became of one project: written, or why it could not be (an OutputError or a file-system error). */
export type WriteOutcome = { ok: true; result: WriteResult } | { ok: false; outputError: boolean; message: string };

export async function writeOutcome(req: WriteRequest): Promise<WriteOutcome> {
  try {
    const stamp = req.stamp ? { stamp: req.stamp.stamp, outputHash: outputHash(req.files), warnings: req.stamp.warnings } : undefined;
    return { ok: true, result: await writeProject(req.dir, req.source, req.files, req.userFiles, stamp) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!(err instanceof OutputError) && !e.code) throw err;
    return { ok: false, outputError: err instanceof OutputError, message: e.message };
  }
}

/** The worker runs the compiled JavaScript; from TypeScript sources (the tests' in-process runs) projects are written in this thread. */
const WRITER_SCRIPT = new URL('./write-thread.js', import.meta.url);
const compiled = import.meta.url.endsWith('.js');

/** Projects handed to the writer and not yet written: bounds the memory a batch holds. */
const MAX_IN_FLIGHT = 8;

export class ProjectWriter {
  private readonly worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (o: WriteOutcome) => void; reject: (e: unknown) => void }>();
  private nextId = 0;
  private roomWaiters: Array<() => void> = [];
  private failure: Error | undefined;

  /** `threaded`: whether to write on a thread of its own (worth it for a batch, not for one project). */
  constructor(threaded: boolean) {
    if (!threaded || !compiled) return;
    const worker = new Worker(WRITER_SCRIPT);
    worker.on('message', (m: { id: number; outcome: WriteOutcome }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m.outcome);
      this.roomWaiters.shift()?.();
    });
    // A writer that failed fails every write, pending and later, and wakes whoever waits for room.
    worker.on('error', (err) => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      for (const wake of this.roomWaiters.splice(0)) wake();
    });
    this.worker = worker;
  }

  /** Resolves once fewer than MAX_IN_FLIGHT projects wait to be written. */
  async room(): Promise<void> {
    while (this.worker && this.pending.size >= MAX_IN_FLIGHT) await new Promise<void>((r) => this.roomWaiters.push(r));
  }

  write(req: WriteRequest): Promise<WriteOutcome> {
    if (!this.worker) return writeOutcome(req);
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, req });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}
