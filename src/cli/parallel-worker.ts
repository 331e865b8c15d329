/** A worker thread of parallel.ts: runs jobs as they come, answers each with its result. */
import { parentPort } from 'node:worker_threads';
import { runJob, type Job } from './parallel.js';

parentPort?.on('message', (m: { index: number; job: Job }) => {
  parentPort!.postMessage({ index: m.index, result: runJob(m.job) });
});
