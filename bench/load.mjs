// Load and soak test of the generated seed servers (not run in CI): `npm run bench:load [-- flags]`.
//   --duration <s>          each load run (default 30)
//   --soak <s>              the soak, REST and MCP loaded together (default 180; 0 skips it)
//   --rest-connections <n>  (default 1000)   --mcp-connections <n>  (default 200)
// Generates and compiles the seed project, starts it (both adapters in one process, limits and
// access log at their defaults, stderr drained) and a local upstream, then loads REST and MCP in
// turn with closed-loop keep-alive connections. Any answer other than the upstream's body (REST)
// or a JSON-RPC tool result (MCP) counts as an error. RSS of the server is sampled every second.
// Prints a summary and one JSON line with every figure.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compiledSeed } from './lib/seed-project.mjs';
import { stopAll } from './lib/procs.mjs';
import { load, MCP_BODY, MCP_HEADERS, REST_PATH, startGenerated, startUpstream, stop } from './lib/throughput.mjs';
import { UPSTREAM_BODY } from './upstream.mjs';


function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number, got ${process.argv[i + 1]}`);
  return n;
}

const DURATION_MS = flag('duration', 30) * 1000;
const SOAK_MS = flag('soak', 180) * 1000;
const REST_CONNECTIONS = flag('rest-connections', 1000);
const MCP_CONNECTIONS = flag('mcp-connections', 200);
const WARMUP_MS = 2_000;


const log = (line) => process.stderr.write(`[bench:load] ${line}\n`);

function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return null;
  }
}

/** Samples the RSS of `pid` every second while `work` runs. */
async function sampled(pid, work) {
  const samples = [rssMb(pid)];
  const timer = setInterval(() => samples.push(rssMb(pid)), 1_000);
  try {
    const result = await work();
    return { result, rss: samples.filter((s) => s !== null) };
  } finally {
    clearInterval(timer);
  }
}

function target(kind, servers, connections, durationMs) {
  const common = { connections, warmupMs: WARMUP_MS, durationMs, watch: { server: servers.generated.entry.child.pid } };
  if (kind === 'rest') return { ...common, origin: servers.generated.rest, method: 'GET', path: REST_PATH, headers: {}, check: 'exact', expected: UPSTREAM_BODY };
  return { ...common, origin: servers.generated.mcp, method: 'POST', path: '/mcp', headers: MCP_HEADERS, body: MCP_BODY, check: 'mcp' };
}

function summary(kind, r, rss) {
  const mb = (x) => `${x.toFixed(1)} MB`;
  return {
    kind,
    connections: r.connections,
    rps: Math.round(r.rps),
    requests: r.requests,
    errors: r.errors,
    firstError: r.firstError,
    p50Ms: r.latencyMs.p50,
    p99Ms: r.latencyMs.p99,
    rssStartMb: rss[0],
    rssEndMb: rss[rss.length - 1],
    rssMaxMb: Math.max(...rss),
    // One sample every 10 s, to tell growth from warm-up.
    rssEvery10sMb: rss.filter((_, i) => i % 10 === 0).map((x) => Math.round(x)),
    text: `${kind}: ${Math.round(r.rps)} req/s, p50 ${r.latencyMs.p50?.toFixed(1)} ms, p99 ${r.latencyMs.p99?.toFixed(1)} ms, ${r.errors} errors; RSS ${mb(rss[0])} -> ${mb(rss[rss.length - 1])} (max ${mb(Math.max(...rss))})`,
  };
}

async function main() {
  const { work, dir } = compiledSeed('load', log);

  const servers = {};
  const out = { durationMs: DURATION_MS, soakMs: SOAK_MS, runs: [] };
  try {
    servers.upstream = await startUpstream();
    servers.generated = await startGenerated(dir, servers.upstream.origin);
    const pid = servers.generated.entry.child.pid;
    for (const [kind, connections] of [['rest', REST_CONNECTIONS], ['mcp', MCP_CONNECTIONS]]) {
      log(`${kind}: ${connections} connections, ${WARMUP_MS} ms warm-up + ${DURATION_MS} ms`);
      const { result, rss } = await sampled(pid, () => load(target(kind, servers, connections, DURATION_MS)));
      const s = summary(kind, { ...result, connections }, rss);
      out.runs.push(s);
      log(s.text);
    }
    if (SOAK_MS > 0) {
      log(`soak: REST (100 connections) and MCP (50) together for ${SOAK_MS} ms`);
      const { result, rss } = await sampled(pid, () =>
        Promise.all([load(target('rest', servers, 100, SOAK_MS)), load(target('mcp', servers, 50, SOAK_MS))]),
      );
      out.soak = { rest: summary('soak rest', { ...result[0], connections: 100 }, rss), mcp: summary('soak mcp', { ...result[1], connections: 50 }, rss) };
      log(out.soak.rest.text);
      log(out.soak.mcp.text);
      log(`soak RSS every 10 s (MB): ${out.soak.rest.rssEvery10sMb.join(' ')}`);
    }
    const stderr = servers.generated.entry.stderr;
    out.serverErrorLines = stderr.split('\n').filter((l) => l.includes('"level":"error"')).length;
    if (servers.generated.entry.exited) log(`the server exited (${servers.generated.entry.code ?? servers.generated.entry.signal}); its last lines:\n${stderr.split('\n').filter((l) => !l.startsWith('{"time"')).slice(-20).join('\n')}`);
  } finally {
    await stop(servers.generated?.entry);
    await stop(servers.upstream?.entry);
    await stopAll();
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  const errors = out.runs.reduce((a, r) => a + r.errors, 0) + (out.soak ? out.soak.rest.errors + out.soak.mcp.errors : 0);
  if (errors > 0 || out.serverErrorLines > 0) process.exitCode = 1;
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exitCode = 1;
});
