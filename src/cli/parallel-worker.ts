/** A worker thread of parallel.ts: runs jobs as they come, answers each with its result. */
import { parentPort } from 'node:worker_threads';
import { runFileJob, runJob, type FileJob, type Job } from './parallel.js';

parentPort?.on('message', (m: { index: number; job?: Job; fileJob?: FileJob }) => {
  if (m.fileJob) parentPort!.postMessage({ index: m.index, fileResult: runFileJob(m.fileJob) });
  else parentPort!.postMessage({ index: m.index, result: runJob(m.job!) });
});
