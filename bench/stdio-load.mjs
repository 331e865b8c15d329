// Load generator for an MCP server over stdio, run in its own process:
//   node bench/stdio-load.mjs '<json config>'
// config: { command, args, env, cwd, tool, arguments, expect, inFlight, warmupMs, durationMs, clockTicks }
// Spawns the server, does the 2025 handshake (initialize, notifications/initialized), then keeps
// `inFlight` tools/call requests outstanding (closed loop) for warm-up + duration. A reply counts when
// it is a result without isError whose text contains `expect`. Prints one JSON line on stdout:
// { requests, errors, durationMs, rps, cpuMs: { server, loadgen }, peakRssMb, firstError }.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const cfg = JSON.parse(process.argv[2]);
const child = spawn(cfg.command, cfg.args, { cwd: cfg.cwd, env: cfg.env, stdio: ['pipe', 'pipe', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));

const pending = new Map();
let nextId = 0;
let buffer = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  buffer += chunk;
  for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
    const line = buffer.slice(0, nl).trim();
    buffer = buffer.slice(nl + 1);
    if (!line) continue;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      continue;
    }
    const done = pending.get(msg.id);
    if (done) {
      pending.delete(msg.id);
      done(msg);
    }
  }
});

function send(method, params) {
  const id = ++nextId;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
  });
}

function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / (cfg.clockTicks ?? 100);
  } catch {
    return null;
  }
}
function rssMb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return null;
  }
}

function check(msg) {
  if (msg.error) return `JSON-RPC error ${msg.error.code}: ${msg.error.message}`;
  const text = msg.result?.content?.[0]?.text ?? '';
  if (msg.result?.isError) return `tool error: ${text.slice(0, 200)}`;
  if (cfg.expect && !text.includes(cfg.expect)) return `unexpected reply: ${text.slice(0, 200)}`;
  return undefined;
}

const init = await Promise.race([
  send('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } }),
  new Promise((_, reject) => setTimeout(() => reject(new Error(`no initialize answer in 30 s; stderr: ${stderr}`)), 30_000)),
]);
if (init.error) throw new Error(`initialize failed: ${JSON.stringify(init.error)}`);
child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');

let counting = false;
let stopping = false;
let requests = 0;
let errors = 0;
let firstError;
const lane = async () => {
  while (!stopping) {
    const msg = await send('tools/call', { name: cfg.tool, arguments: cfg.arguments });
    const bad = check(msg);
    if (!counting) continue;
    if (bad) {
      errors++;
      firstError ??= bad;
    } else requests++;
  }
};
const lanes = Array.from({ length: cfg.inFlight ?? 32 }, lane);
await new Promise((r) => setTimeout(r, cfg.warmupMs));
counting = true;
const cpu0 = { server: cpuOf(child.pid), loadgen: process.cpuUsage() };
const t0 = performance.now();
await new Promise((r) => setTimeout(r, cfg.durationMs));
counting = false;
const durationMs = performance.now() - t0;
const serverCpu = cpuOf(child.pid);
const own = process.cpuUsage(cpu0.loadgen);
const peakRssMb = rssMb(child.pid);
stopping = true;
await Promise.race([Promise.all(lanes), new Promise((r) => setTimeout(r, 5000))]);
child.kill('SIGTERM');
process.stdout.write(
  JSON.stringify({
    requests,
    errors,
    durationMs,
    rps: (requests * 1000) / durationMs,
    cpuMs: { server: serverCpu === null || cpu0.server === null ? null : serverCpu - cpu0.server, loadgen: (own.user + own.system) / 1000 },
    peakRssMb,
    firstError,
  }) + '\n',
);
process.exit(0);
