/** The writer thread of project-writer.ts: writes the projects it is sent, one after another, in order. */
import { parentPort } from 'node:worker_threads';
import { writeOutcome, type WriteRequest } from './project-writer.js';

let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', (m: { id: number; req: WriteRequest }) => {
  queue = queue.then(async () => parentPort!.postMessage({ id: m.id, outcome: await writeOutcome(m.req) }));
});
