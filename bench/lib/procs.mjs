// Every process the bench starts goes through here, so that all of them are stopped at the end,
// on failure, and on Ctrl-C. Children are started in their own process group (detached) and
// stopped by that group's id, so a wrapper (/usr/bin/time) never leaves its node child behind.
import { spawn } from 'node:child_process';

const live = new Set();

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** spawn() with bookkeeping; stdout/stderr are always drained (the last `keep` characters of each are kept). */
export function start(command, args, options = {}) {
  const { keep = 4 * 1024 * 1024, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions, detached: true });
  const entry = { child, stdout: '', stderr: '', exited: false, code: null, signal: null };
  live.add(entry);
  entry.done = new Promise((resolve) => {
    child.on('error', (err) => {
      entry.stderr += `\n[spawn error] ${err.message}`;
    });
    child.on('exit', (code, signal) => {
      entry.exitedAt = performance.now();
      entry.exited = true;
      entry.code = code;
      entry.signal = signal;
    });
    child.on('close', () => {
      live.delete(entry);
      resolve(entry);
    });
  });
  child.stdout?.setEncoding('utf8').on('data', (d) => {
    entry.stdout += d;
    if (entry.stdout.length > 2 * keep) entry.stdout = entry.stdout.slice(-keep);
  });
  child.stderr?.setEncoding('utf8').on('data', (d) => {
    entry.stderr += d;
    if (entry.stderr.length > 2 * keep) entry.stderr = entry.stderr.slice(-keep);
    entry.onStderr?.(entry.stderr);
  });
  return entry;
}

/** Waits until the accumulated stderr matches every regexp (each must capture a port), or fails. */
export function waitForListening(entry, patterns, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not print its listening line(s) within ${timeoutMs} ms`), timeoutMs);
    const fail = (why) => {
      clearTimeout(timer);
      entry.onStderr = undefined;
      reject(new Error(`${entry.child.spawnargs.join(' ')} ${why}; stderr:\n${entry.stderr}`));
    };
    const test = (text) => {
      const ports = [];
      for (const p of patterns) {
        const m = p.exec(text);
        if (!m) return;
        ports.push(Number(m[1]));
      }
      clearTimeout(timer);
      entry.onStderr = undefined;
      resolve(ports);
    };
    entry.onStderr = test;
    entry.done.then(() => fail(`exited (code ${entry.code}, signal ${entry.signal}) before listening`));
    test(entry.stderr);
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stop(entry, graceMs = 5000) {
  if (!entry || entry.exited) return entry?.done;
  signalGroup(entry.child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(entry.child, 'SIGKILL'), graceMs);
  await entry.done;
  clearTimeout(timer);
  // The group may still hold a grandchild; make sure nothing of ours survives.
  signalGroup(entry.child, 'SIGKILL');
  return entry;
}

export async function stopAll() {
  await Promise.all([...live].map((e) => stop(e, 3000)));
}

function killAllNow() {
  for (const e of live) signalGroup(e.child, 'SIGKILL');
}

const interruptHooks = [];
/** Synchronous clean-up to run when the bench is interrupted by a signal (after the children are killed). */
export function onInterrupt(fn) {
  interruptHooks.push(fn);
}

process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    process.stderr.write(`\nbench: ${sig}, stopping ${live.size} child process(es)\n`);
    killAllNow();
    for (const fn of interruptHooks) {
      try {
        fn();
      } catch {
        /* best effort */
      }
    }
    process.exit(130);
  });
}
