// Load generator for the throughput bench, run in its own process (separate from the servers):
//   node bench/loadgen.mjs '<json config>'
// config: { origin, method, path, headers, body, connections, warmupMs, durationMs, check, expected }
//   check: 'exact' (status 200 and body === expected) | 'mcp' (status 200, JSON or SSE reply
//   holding a JSON-RPC `result` without isError).
// Uses an undici Pool with `connections` keep-alive connections, one request in flight per
// connection (closed loop, no pipelining). Requests that start during the warm-up are not counted;
// the measured window starts at the end of the warm-up and lasts `durationMs`.
// config.watch: { label: pid } of processes whose CPU time (utime+stime from /proc/PID/stat, Linux
// only) is read at the start and end of the measured window; this process's own CPU and the busy
// time of the whole machine (/proc/stat, all CPUs) are reported too.
// Prints one JSON line on stdout: { requests, errors, durationMs, rps, latencyMs: {p50, p90, p99, max, mean},
// cpuMs: { label: ms, loadgen: ms }, firstError }.
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

const cfg = JSON.parse(process.argv[2]);
const pool = new Pool(cfg.origin, { connections: cfg.connections, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });

function mcpOk(text) {
  let json = text;
  if (!text.trimStart().startsWith('{')) {
    // SSE: take the data lines of the first event.
    const data = [];
    for (const line of text.split('\n')) {
      if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      else if (line.trim() === '' && data.length > 0) break;
    }
    json = data.join('\n');
  }
  let msg;
  try {
    msg = JSON.parse(json);
  } catch {
    return 'reply is not JSON-RPC JSON';
  }
  if (!msg || typeof msg !== 'object' || msg.jsonrpc !== '2.0') return 'reply is not JSON-RPC';
  if (msg.error) return `JSON-RPC error ${msg.error.code}: ${msg.error.message}`;
  if (!msg.result || !Array.isArray(msg.result.content)) return 'reply has no result.content';
  if (msg.result.isError) return `tool error: ${msg.result.content[0]?.text}`;
  return undefined;
}

function check(status, text) {
  if (status !== 200) return `status ${status}: ${text.slice(0, 200)}`;
  if (cfg.check === 'exact') return text === cfg.expected ? undefined : `unexpected body: ${text.slice(0, 200)}`;
  if (cfg.check === 'mcp') return mcpOk(text);
  return undefined;
}

const now = () => performance.now();
const start = now();
const measureFrom = start + cfg.warmupMs;
const end = measureFrom + cfg.durationMs;
const latencies = [];
let errors = 0;
let warmupRequests = 0;
let firstError;

const ticksPerSecond = cfg.clockTicks ?? 100;
function cpuOf(pid) {
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}
// Whole-machine busy time (all CPUs) from /proc/stat, to tell how much CPU other processes took.
function machineBusy() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...
    const busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
    return (busy * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}
function cpuSnapshot() {
  const snap = { loadgen: process.cpuUsage(), machine: machineBusy() };
  for (const [label, pid] of Object.entries(cfg.watch ?? {})) snap[label] = cpuOf(pid);
  return snap;
}
let cpuStart;
let cpuEnd;
setTimeout(() => (cpuStart = cpuSnapshot()), Math.max(0, measureFrom - now()));
setTimeout(() => (cpuEnd = cpuSnapshot()), Math.max(0, end - now()));

async function worker() {
  while (now() < end) {
    const t0 = now();
    let problem;
    try {
      const res = await pool.request({ path: cfg.path, method: cfg.method, headers: cfg.headers, body: cfg.body });
      const text = await res.body.text();
      problem = check(res.statusCode, text);
    } catch (err) {
      problem = `${err.code ?? err.name}: ${err.message}`;
    }
    const t1 = now();
    if (t0 < measureFrom) {
      warmupRequests++;
      continue;
    }
    if (problem) {
      errors++;
      firstError ??= problem;
    } else latencies.push(t1 - t0);
  }
}

await Promise.all(Array.from({ length: cfg.connections }, worker));
const elapsed = now() - measureFrom; // includes the tail of requests in flight at `end`
cpuEnd ??= cpuSnapshot();
await pool.close();

const cpuMs = {};
if (cpuStart && cpuEnd) {
  for (const label of Object.keys(cpuStart)) {
    if (label === 'loadgen') {
      cpuMs.loadgen = (cpuEnd.loadgen.user + cpuEnd.loadgen.system - cpuStart.loadgen.user - cpuStart.loadgen.system) / 1000;
    } else cpuMs[label] = cpuStart[label] === null || cpuEnd[label] === null ? null : cpuEnd[label] - cpuStart[label];
  }
}

const sorted = Float64Array.from(latencies).sort();
const pct = (p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
const sum = latencies.reduce((a, b) => a + b, 0);
process.stdout.write(
  JSON.stringify({
    requests: latencies.length,
    errors,
    warmupRequests,
    durationMs: elapsed,
    rps: latencies.length / (elapsed / 1000),
    cpuMs,
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: sorted.length ? sorted[sorted.length - 1] : null, mean: sorted.length ? sum / sorted.length : null },
    firstError,
  }) + '\n',
);
