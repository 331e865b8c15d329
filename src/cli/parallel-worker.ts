/** A worker thread of parallel.ts, started from the compiled modules (without the bundle). */
import { serveJobs } from './parallel.js';

serveJobs();
