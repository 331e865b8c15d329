// A worker thread of the bundled CLI: loads the bundle as the CLI does (from its code cache), then
// serves what it was started for (workerData.entry, a function the bundle exports: serveJobs).
'use strict';
const { workerData } = require('node:worker_threads');
const { loadBundle } = require('./load-bundle.cjs');

loadBundle()[workerData.entry]();
