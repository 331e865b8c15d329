#!/usr/bin/env node
// naftiko-gen benchmark (`npm run bench`, which builds the CLI first).
//
//   1. CLI timings: the real bin, hyperfine-style (a first run reported on its own, then N warm runs
//      as min/median/mean), with the child's CPU time (user+sys) and max RSS.
//   2. Throughput on 127.0.0.1: local upstream, a hand-written node:http proxy (baseline), the
//      generated seed REST adapter and its MCP adapter, each loaded by a separate load-generator
//      process with the same number of keep-alive connections.
//
// Options (flags after `npm run bench --`, or environment variables):
//   --quick        BENCH_QUICK=1       fewer CLI runs and shorter load phases (smoke run)
//   --profile      BENCH_PROFILE=1     also profile a batch build and the servers with --cpu-prof (separate runs)
//   --keep         BENCH_KEEP=1        keep the scratch folder .bench/run-*/
//   --no-cli       BENCH_NO_CLI=1      skip the CLI timings
//   --no-throughput BENCH_NO_THROUGHPUT=1  skip the throughput runs
//   --no-yardstick  BENCH_NO_YARDSTICK=1   skip the side-by-side runs against openapi-mcp-generator
//   --no-synthetic  BENCH_NO_SYNTHETIC=1   skip validating the synthetic corpus (the corpus copied 75 times)
//   BENCH_CONNECTIONS (32), BENCH_WARMUP_MS (1000), BENCH_DURATION_MS (5000)
//   NAFTIKO_BENCH_CORPUS  corpus folder (default ../shared/corpus/qovery/ next to the repo)
//
// Results: tables on stdout, JSON in .bench/results.json. Progress goes to stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CPU_METHOD, runOnce, series } from './lib/cli-timing.mjs';
import { summarizeCliProfile } from './lib/cli-profile.mjs';
import { summarizeProfile } from './lib/cpuprofile.mjs';
import { onInterrupt, start, stop as stopProcess, stopAll, waitForListening } from './lib/procs.mjs';
import { int, ms, table } from './lib/table.mjs';
import { summarize } from './lib/stats.mjs';
import { syntheticCorpus } from './lib/synthetic.mjs';
import { load, loadStdio, MCP_BODY, MCP_HEADERS, parseMcpReply, REST_PATH, startBaseline, startGenerated, startUpstream, stop } from './lib/throughput.mjs';
import { OMG_VERSION, prepareYardstick } from './lib/yardstick.mjs';
import { UPSTREAM_BODY } from './upstream.mjs';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const BIN = `${REPO}bin/naftiko-gen.js`;
const TSC = `${REPO}node_modules/typescript/bin/tsc`;
const SEED = `${REPO}examples/qovery/qovery-organization-api-token.yaml`;
const FLOOR = `${REPO}bench/floor.mjs`;
const CORPUS_DIR = process.env.NAFTIKO_BENCH_CORPUS ?? fileURLToPath(new URL('../../shared/corpus/qovery/', import.meta.url));
const QOVERY_OPENAPI = fileURLToPath(new URL('../../shared/reference/qovery-openapi.yaml', import.meta.url));
const OUT_DIR = `${REPO}.bench/`;

const argv = new Set(process.argv.slice(2));
const flag = (name, env) => argv.has(`--${name}`) || process.env[env] === '1';
const QUICK = flag('quick', 'BENCH_QUICK');
const PROFILE = flag('profile', 'BENCH_PROFILE');
const KEEP = flag('keep', 'BENCH_KEEP');
const NO_CLI = flag('no-cli', 'BENCH_NO_CLI');
const NO_THROUGHPUT = flag('no-throughput', 'BENCH_NO_THROUGHPUT');
const NO_YARDSTICK = flag('no-yardstick', 'BENCH_NO_YARDSTICK');
const NO_SYNTHETIC = flag('no-synthetic', 'BENCH_NO_SYNTHETIC');
const SYNTHETIC_COPIES = 75;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? (QUICK ? 500 : 1000));
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? (QUICK ? 2000 : 5000));
const NOISY_CORES = 0.15; // other processes' CPU during a round above which its req/s is not trusted
const runs = (n) => (QUICK ? Math.max(2, Math.ceil(n / 3)) : n);

const progress = (line) => process.stderr.write(`[bench] ${line}\n`);
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

const results = {
  meta: {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadavgBefore: os.loadavg(),
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).stdout.trim() || null,
    cpuTimeMethod: CPU_METHOD.text,
    wallTimeMethod: "performance.now() in the bench process, from spawn() to the child's exit",
    quick: QUICK,
    corpusDir: CORPUS_DIR,
    corpusFiles: 0,
  },
  cli: [],
  throughput: null,
  profile: null,
  skipped: [],
  errors: [],
};

// ---------------------------------------------------------------------------------------------------
// 1. CLI timings

/**
 * How many projects of a batch build ended in `state`: from the summary line ("94 capabilities:
 * 0 built, 94 unchanged, ...") when there is one, else by counting the per-project lines.
 */
function batchCount(stdout, state, perLine) {
  const summary = new RegExp(`^\\d+ capabilit(?:y|ies): .*?\\b(\\d+) ${state}\\b`, 'm').exec(stdout);
  if (summary) return Number(summary[1]);
  return stdout.split('\n').filter((l) => l.includes(perLine)).length;
}

/**
 * Empties an output folder before a timed run by moving it aside (one rename) instead of deleting it.
 * In the lead's runs the first build of the corpus into an empty folder (nothing deleted before it) took
 * 0.9 s and the next ones, each right after deleting the previous 3,500 files, 1.5 to 2.4 s: ext4 frees
 * deleted blocks (and, on this disk mounted with `discard`, trims them) in its journal commits, which the
 * creates of the timed run then probably wait for. A user builds into a new or unchanged folder, not one
 * emptied a millisecond before. What was moved aside is deleted with the scratch folder at the end.
 */
let aside = 0;
function moveAside(dir) {
  if (!existsSync(dir)) return;
  const trash = `${WORK_TRASH.dir}/${aside++}`;
  mkdirSync(WORK_TRASH.dir, { recursive: true });
  renameSync(dir, trash);
}
const WORK_TRASH = { dir: '' };

async function cliSection(work) {
  const corpus = existsSync(CORPUS_DIR)
    ? readdirSync(CORPUS_DIR)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => join(CORPUS_DIR, f))
    : [];
  results.meta.corpusFiles = corpus.length;
  const n = corpus.length;

  // The size test of issue 5: 1,200 operations, 1,200 tools, 800 REST resources (about 2 MB of YAML).
  const LARGE = `${work}/large.yaml`;
  spawnSync(process.execPath, [`${REPO}scripts/make-large-capability.mjs`, LARGE], { stdio: 'ignore' });

  const jobs = [
    { name: 'node -e "" (startup reference)', args: ['-e', ''], runs: runs(10) },
    { name: 'validate seed', args: [BIN, 'validate', SEED], runs: runs(10), check: (r) => (r.stdout.includes('1 file checked') ? undefined : 'unexpected output') },
    {
      name: `validate corpus (${n} files, one call)`,
      corpus: true,
      args: [BIN, 'validate', ...corpus],
      runs: runs(8),
      check: (r) => (r.stdout.includes(`${n} files checked: ${n} valid`) ? undefined : `unexpected summary: ${r.stdout.trim().split('\n').pop()}`),
    },
    { name: `validate -q corpus (${n} files)`, corpus: true, args: [BIN, 'validate', '-q', ...corpus], runs: runs(5) },
    // The floor under "validate corpus": Node's start and js-yaml reading the same files, nothing else.
    { name: `floor: node + js-yaml parse of the corpus (${n} files, no checks)`, corpus: true, args: [FLOOR, 'parse', ...corpus], runs: runs(8), check: (r) => (r.stdout.includes(`${n} files parsed`) ? undefined : `unexpected output: ${r.stdout.trim()}`) },
    {
      name: 'build seed, empty out folder',
      args: [BIN, 'build', SEED, '--out', `${work}/seed-build`],
      runs: runs(8),
      prepare: () => moveAside(`${work}/seed-build`),
      check: (r) => (r.stdout.includes('files written') ? undefined : `expected a fresh write: ${r.stdout.trim()}`),
    },
    {
      name: 'build seed, unchanged output',
      args: [BIN, 'build', SEED, '--out', `${work}/seed-build`],
      runs: runs(8),
      check: (r) => (r.stdout.includes('unchanged') ? undefined : `expected "unchanged": ${r.stdout.trim()}`),
    },
    {
      name: `build corpus (${n}), empty out folder`,
      corpus: true,
      args: [BIN, 'build', ...corpus, '--out', `${work}/corpus-build`],
      runs: runs(4),
      prepare: () => moveAside(`${work}/corpus-build`),
      check: (r) => {
        const written = batchCount(r.stdout, 'built', 'files written');
        return written === n ? undefined : `expected ${n} projects written, saw ${written}`;
      },
    },
    {
      name: `build corpus (${n}), unchanged output`,
      corpus: true,
      args: [BIN, 'build', ...corpus, '--out', `${work}/corpus-build`],
      runs: runs(4),
      check: (r) => {
        const same = batchCount(r.stdout, 'unchanged', ': unchanged');
        return same === n ? undefined : `expected ${n} unchanged projects, saw ${same}`;
      },
    },
    {
      name: `build --check corpus (${n}), unchanged`,
      corpus: true,
      args: [BIN, 'build', ...corpus, '--out', `${work}/corpus-build`, '--check'],
      runs: runs(4),
      check: (r) => {
        const ok = batchCount(r.stdout, 'up to date', ': up to date');
        return ok === n ? undefined : `expected ${n} up-to-date projects, saw ${ok}`;
      },
    },
    {
      // Not how users build, shown so that the cost is not hidden: on ext4 mounted with `discard` (this machine's
      // disk), creating the 3,500 files right after deleting the previous 3,500 costs 1.3-2.9 s of system time
      // per run instead of 0.16-0.25 s (c10's measurements); openapi-mcp-generator writes 8 files, so the
      // side-by-side rounds move both tools' output aside instead (moveAside).
      name: `build corpus (${n}), previous output deleted just before`,
      corpus: true,
      args: [BIN, 'build', '-q', ...corpus, '--out', `${work}/corpus-build-deleted`],
      runs: runs(2),
      prepare: () => rmSync(`${work}/corpus-build-deleted`, { recursive: true, force: true }),
      check: (r) => (r.stdout.includes(`${n} built`) ? undefined : `expected ${n} projects built: ${r.stdout.trim().split('\n').pop()}`),
    },
    {
      name: 'validate large capability (1,200 operations, 2 MB)',
      args: [BIN, 'validate', '-q', LARGE],
      runs: runs(5),
      check: (r) => (r.stdout.includes('1 valid') ? undefined : `unexpected output: ${r.stdout.trim()}`),
    },
    {
      name: 'build large capability, empty out folder',
      args: [BIN, 'build', LARGE, '--out', `${work}/large-build`],
      runs: runs(4),
      prepare: () => moveAside(`${work}/large-build`),
      check: (r) => (r.stdout.includes('files written') ? undefined : `expected a fresh write: ${r.stdout.trim()}`),
    },
    {
      name: 'tsc -p on the large project (type-check and emit)',
      args: [TSC, '-p', `${work}/large-build`],
      runs: runs(2),
      check: (r) => (r.stdout.trim() === '' ? undefined : `tsc reported: ${r.stdout.slice(0, 300)}`),
    },
    {
      name: 'import openapi Qovery document (all tags), empty out folder',
      corpus: true,
      needs: QOVERY_OPENAPI,
      args: [BIN, 'import', 'openapi', QOVERY_OPENAPI, '--out', `${work}/import-qovery`],
      runs: runs(5),
      prepare: () => moveAside(`${work}/import-qovery`),
      check: (r) => (/^\d+ capabilities written to /m.test(r.stdout) ? undefined : `unexpected summary: ${r.stdout.trim().split('\n').pop()}`),
    },
  ];

  if (n > 0 && !NO_SYNTHETIC) {
    const synth = syntheticCorpus(OUT_DIR, corpus, SYNTHETIC_COPIES);
    results.meta.synthetic = synth;
    jobs.push({
      name: `validate -q synthetic corpus (${synth.files} files, one call)`,
      corpus: true,
      synthetic: true,
      args: [BIN, 'validate', '-q', synth.dir],
      runs: QUICK ? 1 : 2,
      check: (r) => (r.stdout.includes(`${synth.files} files checked: ${synth.files} valid`) ? undefined : `unexpected summary: ${r.stdout.trim().split('\n').pop()}`),
    });
    // What "costs about what the YAML parsing itself costs" is measured against: js-yaml alone, one thread.
    jobs.push({
      name: `floor: node + js-yaml parse of the synthetic corpus (${synth.files} files, one thread, no checks)`,
      corpus: true,
      synthetic: true,
      args: [FLOOR, 'parse', synth.dir],
      runs: QUICK ? 1 : 2,
      check: (r) => (r.stdout.includes(`${synth.files} files parsed`) ? undefined : `unexpected output: ${r.stdout.trim()}`),
    });
  }
  if (n === 0) {
    const why = `corpus timings (validate/build of the whole corpus, ${jobs.filter((j) => j.corpus).length} rows): corpus folder ${CORPUS_DIR} not found or empty (it is published by others in ../shared, never copied into this repo)`;
    results.skipped.push(why);
    progress(`skipping ${why}`);
  }
  for (const job of jobs) {
    if (job.corpus && n === 0) continue;
    if (job.needs && !existsSync(job.needs)) {
      const why = `${job.name}: ${job.needs} not found (it is published by others in ../shared, never copied into this repo)`;
      results.skipped.push(why);
      progress(`skipping ${why}`);
      continue;
    }
    progress(`${job.name}: 1 + ${job.runs} runs (${elapsed()})`);
    try {
      results.cli.push(await series(job.name, job.args, { runs: job.runs, cwd: REPO, prepare: job.prepare, check: job.check }));
    } catch (err) {
      results.errors.push(err.message);
      results.cli.push({ name: job.name, error: err.message.split('\n')[0] });
      progress(`FAILED ${err.message}`);
    }
  }
  await largeStartup(`${work}/large-build`);
  if (PROFILE && n > 0) await cliProfile(work, corpus);
}

/** --profile: one batch build of the corpus into an empty folder under --cpu-prof, summarized per thread. */
async function cliProfile(work, corpus) {
  const profDir = `${work}/prof-cli`;
  mkdirSync(profDir, { recursive: true });
  progress(`profile: batch build of the corpus (${elapsed()})`);
  const r = await runOnce(['--cpu-prof', `--cpu-prof-dir=${profDir}`, BIN, 'build', '-q', ...corpus, '--out', `${work}/prof-cli-build`], { cwd: REPO });
  if (r.code !== 0) {
    results.cliProfile = { error: `exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').pop()}` };
    return;
  }
  // One file per thread, named with the thread id: 0 is the main thread.
  const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).sort();
  results.cliProfile = { wallMs: r.wallMs, cpuMs: r.cpuMs, threads: files.map((f) => ({ file: f, ...summarizeCliProfile(join(profDir, f)) })) };
}

/** Start-up of the large project: from spawn until both adapters listen, and the memory it then holds. */
async function largeStartup(dir) {
  if (!existsSync(`${dir}/dist/main.js`)) return;
  const samples = [];
  for (let i = 0; i < runs(3); i++) {
    const t = performance.now();
    const entry = start(process.execPath, [`${dir}/dist/main.js`], {
      cwd: dir,
      env: { PATH: process.env.PATH, LARGE_API_TOKEN: 't', LARGE_REST_PORT: '0', LARGE_MCP_PORT: '0', LARGE_REST_HOST: '127.0.0.1' },
    });
    try {
      await waitForListening(entry, [/REST adapter \S+ listening on http:\/\/\S+:(\d+)/, /MCP adapter \S+ .*listening on http:\/\/\S+:(\d+)/], 30_000);
      const ms = performance.now() - t;
      const status = readFileSync(`/proc/${entry.child.pid}/status`, 'utf8');
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      samples.push({ ms, rssMb: rssKb / 1024 });
    } catch (err) {
      results.errors.push(err.message);
    } finally {
      await stopProcess(entry);
    }
  }
  if (samples.length) {
    const sorted = (k) => samples.map((x) => x[k]).sort((a, b) => a - b);
    const median = (xs) => xs[Math.floor(xs.length / 2)];
    results.largeStartup = { runs: samples.length, medianMs: median(sorted('ms')), medianRssMb: median(sorted('rssMb')) };
  }
}

// ---------------------------------------------------------------------------------------------------
// 2. Throughput


function targetConfig(kind, servers) {
  const common = { connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, watch: {} };
  if (servers.upstream) common.watch.upstream = servers.upstream.entry.child.pid;
  if (kind === 'baseline') {
    if (servers.baseline) common.watch.server = servers.baseline.entry.child.pid;
    return { ...common, origin: servers.baseline.origin, method: 'GET', path: REST_PATH, headers: {}, check: 'exact', expected: UPSTREAM_BODY };
  }
  common.watch.server = servers.generated.entry.child.pid;
  if (kind === 'rest') return { ...common, origin: servers.generated.rest, method: 'GET', path: REST_PATH, headers: {}, check: 'exact', expected: UPSTREAM_BODY };
  return { ...common, origin: servers.generated.mcp, method: 'POST', path: '/mcp', headers: MCP_HEADERS, body: MCP_BODY, check: 'mcp' };
}

/** One request per target before loading it: the answer must be the upstream body (REST) or carry it (MCP). */
async function smoke(servers) {
  for (const kind of ['baseline', 'rest']) {
    const origin = kind === 'baseline' ? servers.baseline.origin : servers.generated.rest;
    const res = await fetch(origin + REST_PATH);
    const text = await res.text();
    if (res.status !== 200 || text !== UPSTREAM_BODY) throw new Error(`${kind} smoke test: HTTP ${res.status} ${text.slice(0, 300)}`);
  }
  const res = await fetch(`${servers.generated.mcp}/mcp`, { method: 'POST', headers: MCP_HEADERS, body: MCP_BODY });
  const text = await res.text();
  let msg;
  try {
    msg = parseMcpReply(text);
  } catch {
    throw new Error(`mcp smoke test: HTTP ${res.status}, not JSON-RPC: ${text.slice(0, 300)}`);
  }
  const item = msg.result?.content?.[0];
  if (res.status !== 200 || !item || item.text !== UPSTREAM_BODY || msg.result.isError)
    throw new Error(`mcp smoke test: HTTP ${res.status} ${text.slice(0, 300)}`);
  return { mcpContentType: res.headers.get('content-type') };
}

let compiled;
async function compileSeed(work) {
  compiled ??= compileSeedOnce(work);
  return compiled;
}

async function compileSeedOnce(work) {
  const dir = `${work}/seed-server`;
  progress(`throughput: generating and compiling the seed project into ${dir} (${elapsed()})`);
  const gen = await runOnce([BIN, 'build', SEED, '--out', dir], { cwd: REPO });
  if (gen.code !== 0) throw new Error(`build of the seed failed:\n${gen.stdout}\n${gen.stderr}`);
  const tsc = await runOnce([TSC, '-p', dir], { cwd: REPO });
  if (tsc.code !== 0) throw new Error(`tsc -p ${dir} failed:\n${tsc.stdout}\n${tsc.stderr}`);
  return { dir, tsc: { wallMs: tsc.wallMs, cpuMs: tsc.cpuMs, maxRssMb: tsc.maxRssMb } };
}

async function throughputSection(work) {
  const out = { connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, rounds: [], targets: {} };
  results.throughput = out;
  const { dir, tsc } = await compileSeed(work);
  out.compileGeneratedSeed = tsc;
  const servers = {};
  try {
    servers.upstream = await startUpstream();
    servers.baseline = await startBaseline(servers.upstream.origin);
    servers.generated = await startGenerated(dir, servers.upstream.origin);
    out.smoke = await smoke(servers);
    // The three targets alternate (ABC CBA ABC), so that drift in machine load hits each alike.
    const order = QUICK ? ['baseline', 'rest', 'mcp', 'mcp', 'rest', 'baseline'] : ['baseline', 'rest', 'mcp', 'mcp', 'rest', 'baseline', 'baseline', 'rest', 'mcp'];
    for (const kind of order) {
      progress(`throughput: ${kind}, ${CONNECTIONS} connections, ${WARMUP_MS} ms warm-up + ${DURATION_MS} ms (${elapsed()})`);
      const r = await load(targetConfig(kind, servers));
      // CPU the rest of the machine used during the measured window, in cores (noise indicator).
      const c = r.cpuMs ?? {};
      const ours = [c.server, c.upstream, c.loadgen];
      const otherCores = typeof c.machine === 'number' && ours.every((v) => typeof v === 'number') ? Math.max(0, c.machine - ours.reduce((a, b) => a + b, 0)) / DURATION_MS : null;
      out.rounds.push({ target: kind, loadavg: os.loadavg()[0], otherCores, ...r });
      if (otherCores !== null && otherCores > NOISY_CORES) progress(`  note: other processes used ${otherCores.toFixed(2)} CPU cores during this round`);
      if (r.errors > 0) progress(`  ${r.errors} errors, first: ${r.firstError}`);
    }
  } finally {
    await Promise.all([stop(servers.generated?.entry), stop(servers.baseline?.entry)]);
    await stop(servers.upstream?.entry);
  }
  for (const kind of ['baseline', 'rest', 'mcp']) {
    const rs = out.rounds.filter((r) => r.target === kind);
    if (rs.length === 0) continue;
    const requests = rs.reduce((a, r) => a + r.requests, 0);
    const seconds = rs.reduce((a, r) => a + r.durationMs, 0) / 1000;
    const mean = (f) => rs.reduce((a, r) => a + f(r), 0) / rs.length;
    // CPU per request from /proc (robust to other load on the machine, unlike req/s).
    const perReq = (label) => {
      const withCpu = rs.filter((r) => typeof r.cpuMs?.[label] === 'number');
      if (withCpu.length === 0) return null;
      const cpu = withCpu.reduce((a, r) => a + r.cpuMs[label], 0);
      const reqs = withCpu.reduce((a, r) => a + r.rps * (DURATION_MS / 1000), 0);
      return (1000 * cpu) / reqs; // µs
    };
    out.targets[kind] = {
      rounds: rs.length,
      rps: requests / seconds,
      rpsPerRound: rs.map((r) => r.rps),
      p50Ms: mean((r) => r.latencyMs.p50 ?? NaN),
      p99Ms: mean((r) => r.latencyMs.p99 ?? NaN),
      requests,
      errors: rs.reduce((a, r) => a + r.errors, 0),
      serverCpuUsPerReq: perReq('server'),
      upstreamCpuUsPerReq: perReq('upstream'),
      loadgenCpuUsPerReq: perReq('loadgen'),
      otherCores: rs.map((r) => r.otherCores),
      firstError: rs.find((r) => r.firstError)?.firstError,
    };
  }
  const { baseline, rest, mcp } = out.targets;
  if (baseline && rest) out.restOverBaseline = rest.rps / baseline.rps;
  if (baseline && rest) {
    // Ratio within each adjacent baseline/REST pair of rounds; a pair is clean when other processes
    // used at most NOISY_CORES during both of its rounds.
    const b = out.rounds.filter((r) => r.target === 'baseline');
    const r = out.rounds.filter((x) => x.target === 'rest');
    out.pairs = b.slice(0, r.length).map((x, i) => ({
      ratio: r[i].rps / x.rps,
      clean: [x, r[i]].every((y) => y.otherCores !== null && y.otherCores <= NOISY_CORES),
    }));
    out.restOverBaselinePerPair = out.pairs.map((p) => p.ratio);
    const clean = out.pairs.filter((p) => p.clean);
    out.cleanPairs = clean.length;
    if (clean.length > 0) {
      const idx = out.pairs.map((p, i) => (p.clean ? i : -1)).filter((i) => i >= 0);
      const sum = (rs) => rs.reduce((a, y) => a + y.rps, 0);
      out.restOverBaselineClean = sum(idx.map((i) => r[i])) / sum(idx.map((i) => b[i]));
    }
  }
  if (baseline?.serverCpuUsPerReq && rest?.serverCpuUsPerReq) out.restOverBaselineByServerCpu = baseline.serverCpuUsPerReq / rest.serverCpuUsPerReq;
  if (baseline && mcp) out.mcpOverBaseline = mcp.rps / baseline.rps;
  if (baseline && mcp) {
    const b = out.rounds.filter((r) => r.target === 'baseline');
    const m = out.rounds.filter((r) => r.target === 'mcp');
    out.mcpOverBaselinePerRound = m.slice(0, b.length).map((x, i) => x.rps / b[i].rps);
    out.mcpOverBaselineMedian = summarize(out.mcpOverBaselinePerRound).median;
  }
  if (baseline && rest) out.restOverBaselineMedian = summarize(out.restOverBaselinePerPair).median;
  if (baseline?.serverCpuUsPerReq && mcp?.serverCpuUsPerReq) out.mcpOverBaselineByServerCpu = baseline.serverCpuUsPerReq / mcp.serverCpuUsPerReq;
}

// ---------------------------------------------------------------------------------------------------
// 2b. Side by side with openapi-mcp-generator: generation, and tools/call over stdio

async function yardstickSection(work) {
  const corpus = existsSync(CORPUS_DIR) ? readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(CORPUS_DIR, f)) : [];
  if (corpus.length === 0 || !existsSync(QOVERY_OPENAPI)) {
    results.skipped.push(`side by side with openapi-mcp-generator: ${CORPUS_DIR} or ${QOVERY_OPENAPI} not found (published by others in ../shared)`);
    return;
  }
  let y;
  try {
    y = prepareYardstick(OUT_DIR, QOVERY_OPENAPI, progress);
  } catch (err) {
    results.skipped.push(`side by side with openapi-mcp-generator ${OMG_VERSION}: ${err.message}`);
    progress(`skipping openapi-mcp-generator: ${err.message}`);
    return;
  }
  const out = { version: OMG_VERSION, generate: { omg: [], naftiko: [] }, stdio: { omg: [], naftiko: [] } };
  results.yardstick = out;

  // Generation: openapi-mcp-generator on Qovery's whole OpenAPI vs naftiko-gen building the 94 capabilities, alternating.
  const omgOut = `${work}/omg-generated`;
  const ourOut = `${work}/batch-generated`;
  const gen = {
    omg: () => runOnce([y.bin, '-i', QOVERY_OPENAPI, '-o', omgOut], { cwd: REPO }),
    naftiko: () => runOnce([BIN, 'build', '-q', ...corpus, '--out', ourOut], { cwd: REPO }),
  };
  // The floor under the build: Node's start and the same files written from one blob, with no generation
  // (the blob is packed from a build before the rounds).
  const blob = `${work}/floor-files.blob`;
  const floorOut = `${work}/floor-written`;
  const generated = (who, r) => {
    if (r.code !== 0) throw new Error(`${who} generation failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ')}`);
    return r;
  };
  generated('naftiko', await gen.naftiko());
  spawnSync(process.execPath, [FLOOR, 'pack', ourOut, blob], { stdio: 'ignore' });
  gen.floor = () => runOnce([FLOOR, 'write', blob, floorOut], { cwd: REPO });
  out.generate.floor = [];
  const rounds = runs(6);
  progress(`side by side: generation, ${rounds} alternating rounds each (${elapsed()})`);
  for (let i = 0; i < rounds; i++) {
    for (const who of i % 2 ? ['naftiko', 'floor', 'omg'] : ['omg', 'floor', 'naftiko']) {
      moveAside({ omg: omgOut, naftiko: ourOut, floor: floorOut }[who]);
      const r = generated(who, await gen[who]());
      out.generate[who].push({ wallMs: r.wallMs, cpuMs: r.cpuMs, maxRssMb: r.maxRssMb });
    }
  }

  // tools/call over stdio, 32 in flight, same upstream, alternating.
  const { dir } = await compileSeed(work);
  const upstream = await startUpstream();
  try {
    const base = { inFlight: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, expect: 'bench token' };
    const cfg = {
      omg: { ...base, command: process.execPath, args: [y.serverEntry], cwd: y.serverDir, env: { PATH: process.env.PATH, API_BASE_URL: upstream.origin }, tool: 'listOrganizationApiTokens', arguments: { organizationId: 'b8f6c1de-0a4f-4c1e-9d53-1f0e5a1c2b3d' } },
      naftiko: { ...base, command: process.execPath, args: [`${dir}/dist/stdio.js`], cwd: dir, env: { PATH: process.env.PATH, QOVERY_API_KEY: 'bench-secret-key', QOVERY_ORGANIZATION_API_TOKEN_BASE_URI: upstream.origin }, tool: 'list-organization-api-tokens', arguments: { organizationId: 'ORG', name: 'x' } },
    };
    const stdioRounds = QUICK ? 2 : 3;
    for (let i = 0; i < stdioRounds; i++) {
      for (const who of i % 2 ? ['naftiko', 'omg'] : ['omg', 'naftiko']) {
        progress(`side by side: ${who} MCP stdio, ${CONNECTIONS} calls in flight (${elapsed()})`);
        const r = await loadStdio(cfg[who]);
        if (r.errors > 0) progress(`  ${r.errors} errors, first: ${r.firstError}`);
        out.stdio[who].push(r);
      }
    }
  } finally {
    await stop(upstream.entry);
  }
  const med = (xs) => summarize(xs).median;
  out.generateMedian = {
    omg: { wallMs: med(out.generate.omg.map((r) => r.wallMs)), cpuMs: med(out.generate.omg.map((r) => r.cpuMs)), maxRssMb: med(out.generate.omg.map((r) => r.maxRssMb)) },
    naftiko: { wallMs: med(out.generate.naftiko.map((r) => r.wallMs)), cpuMs: med(out.generate.naftiko.map((r) => r.cpuMs)), maxRssMb: med(out.generate.naftiko.map((r) => r.maxRssMb)) },
  };
  out.generateRatioPerRound = out.generate.naftiko.map((r, i) => r.wallMs / out.generate.omg[i].wallMs);
  out.floorWallMs = med(out.generate.floor.map((r) => r.wallMs));
  out.floorRatio = med(out.generate.floor.map((r, i) => r.wallMs / out.generate.omg[i].wallMs));
  out.generateRatio = med(out.generateRatioPerRound);
  out.generateCpuRatio = out.generateMedian.naftiko.cpuMs / out.generateMedian.omg.cpuMs;
  out.stdioMedian = { omg: med(out.stdio.omg.map((r) => r.rps)), naftiko: med(out.stdio.naftiko.map((r) => r.rps)) };
  out.stdioRatioPerRound = out.stdio.naftiko.map((r, i) => r.rps / out.stdio.omg[i].rps);
  out.stdioRatio = med(out.stdioRatioPerRound);
  const cpuPerCall = (rs) => med(rs.map((r) => (r.cpuMs.server === null ? NaN : (1000 * r.cpuMs.server) / Math.max(1, r.requests))));
  out.stdioCpuUsPerCall = { omg: cpuPerCall(out.stdio.omg), naftiko: cpuPerCall(out.stdio.naftiko) };
  out.stdioPeakRssMb = { omg: Math.max(...out.stdio.omg.map((r) => r.peakRssMb ?? 0)), naftiko: Math.max(...out.stdio.naftiko.map((r) => r.peakRssMb ?? 0)) };
}

// ---------------------------------------------------------------------------------------------------
// 3. Optional CPU profiles (separate processes and runs, so the numbers above are not affected)

async function profileSection(work) {
  const { dir } = await compileSeed(work);
  results.profile = {};
  const upstream = await startUpstream();
  try {
    for (const kind of ['baseline', 'rest', 'mcp']) {
      const profDir = `${work}/prof-${kind}`;
      mkdirSync(profDir, { recursive: true });
      const flags = ['--cpu-prof', `--cpu-prof-dir=${profDir}`];
      let server;
      let servers;
      if (kind === 'baseline') {
        servers = { baseline: await startBaseline(upstream.origin, { nodeFlags: flags }) };
        server = servers.baseline.entry;
      } else {
        const g = await startGenerated(dir, upstream.origin, { nodeFlags: flags });
        server = g.entry;
        servers = { generated: g };
      }
      progress(`profile: ${kind} under load (${elapsed()})`);
      let r;
      try {
        r = await load({ ...targetConfig(kind, servers), warmupMs: 500, durationMs: 4000 });
      } finally {
        await stop(server, 10_000);
      }
      const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) {
        results.profile[kind] = { error: 'no .cpuprofile written (the server did not exit cleanly on SIGTERM)' };
        continue;
      }
      const s = summarizeProfile(join(profDir, file));
      results.profile[kind] = { rpsWhileProfiled: r.rps, requests: r.requests, cpuMsPerRequest: s.busyMs / Math.max(1, r.requests + r.warmupRequests), ...s };
    }
  } finally {
    await stop(upstream.entry);
  }
}

// ---------------------------------------------------------------------------------------------------
// Report

function cliTable() {
  const rows = results.cli.map((c) =>
    c.error
      ? [c.name, '-', 'FAILED', '-', '-', '-', '-', '-', '-']
      : [
          c.name,
          String(c.warm.wallMs.n),
          ms(c.first.wallMs),
          ms(c.warm.wallMs.min),
          ms(c.warm.wallMs.median),
          ms(c.warm.wallMs.mean),
          `± ${ms(c.warm.wallMs.stddev)}`,
          ms(c.warm.cpuMs.median),
          ms(c.warm.maxRssMb.median),
        ],
  );
  return table(['CLI command', 'warm runs', 'first (cold) ms', 'min ms', 'median ms', 'mean ms', 'stddev', 'cpu ms', 'RSS MB'], rows);
}

function throughputTable() {
  const t = results.throughput;
  const label = { baseline: 'baseline node:http proxy', rest: 'generated REST adapter', mcp: 'generated MCP tools/call' };
  const rows = ['baseline', 'rest', 'mcp']
    .filter((k) => t.targets[k])
    .map((k) => {
      const x = t.targets[k];
      const ratio = t.targets.baseline ? `${((100 * x.rps) / t.targets.baseline.rps).toFixed(1)}%` : '-';
      const us = (v) => (v === null || v === undefined ? '-' : v.toFixed(0));
      const other = x.otherCores.map((v) => (v === null ? '-' : v.toFixed(2))).join(' / ');
      return [label[k], String(x.rounds), int(x.rps), x.rpsPerRound.map((v) => int(v)).join(' / '), ms(x.p50Ms, 2), ms(x.p99Ms, 2), String(x.errors), ratio, us(x.serverCpuUsPerReq), us(x.upstreamCpuUsPerReq), us(x.loadgenCpuUsPerReq), other];
    });
  return table(['target', 'rounds', 'req/s', 'req/s per round', 'p50 ms', 'p99 ms', 'errors', 'vs baseline', 'server µs CPU/req', 'upstream µs/req', 'loadgen µs/req', 'other load (cores)'], rows);
}

function profileTable(kind) {
  const p = results.profile[kind];
  if (p.error) return `${kind}: ${p.error}`;
  const head = `${kind}: ${int(p.rpsWhileProfiled)} req/s while profiled, ${p.cpuMsPerRequest.toFixed(3)} ms CPU per request (busy ${int(p.busyMs)} ms, idle ${int(p.idleMs)} ms)`;
  const areas = table(
    ['area (self time)', 'ms', '%'],
    p.areas.slice(0, 8).map((a) => [a.name, ms(a.selfMs), `${a.pct.toFixed(1)}%`]),
  );
  const fns = table(
    ['top self-time functions', 'ms', '%'],
    p.topFunctions.slice(0, 12).map((f) => [f.name.length > 90 ? `${f.name.slice(0, 87)}...` : f.name, ms(f.selfMs), `${f.pct.toFixed(1)}%`]),
  );
  return `${head}\n${areas}\n\n${fns}`;
}

function report() {
  const m = results.meta;
  const lines = [];
  lines.push('');
  lines.push(`naftiko-gen bench  ${m.date}  commit ${m.commit ?? '?'}  node ${m.node}  ${m.cpus} CPU(s) ${m.cpuModel ?? ''}`);
  lines.push(`load average before: ${m.loadavgBefore.map((v) => v.toFixed(2)).join(' ')}   after: ${m.loadavgAfter.map((v) => v.toFixed(2)).join(' ')}${QUICK ? '   (QUICK mode)' : ''}`);
  lines.push('');
  if (results.cli.length > 0) {
    lines.push('== CLI (fresh node process per run; "first" is the first run, reported apart; stats over the warm runs) ==');
    lines.push(`wall: ${m.wallTimeMethod}; cpu = user+sys median, RSS = max RSS median: ${m.cpuTimeMethod}`);
    lines.push(cliTable());
    for (const c of results.cli) if (c.error) lines.push(`FAILED ${c.name}: ${c.error}`);
  }
  const t = results.throughput;
  if (t) {
    lines.push('');
    lines.push(`== Throughput (127.0.0.1, ${t.connections} keep-alive connections, closed loop, ${t.warmupMs} ms warm-up + ${t.durationMs} ms per round; load generator: undici Pool in its own process) ==`);
    if (t.compileGeneratedSeed) lines.push(`generated seed project compiled with tsc in ${ms(t.compileGeneratedSeed.wallMs)} ms (cpu ${ms(t.compileGeneratedSeed.cpuMs)} ms)`);
    if (Object.keys(t.targets).length > 0) lines.push(throughputTable());
    if (t.restOverBaseline !== undefined) {
      const pairs = t.pairs.map((p) => `${(100 * p.ratio).toFixed(0)}%${p.clean ? '' : '*'}`).join(' / ');
      const verdict = (v) => (v >= 0.85 ? 'OK' : 'below aim');
      lines.push(`REST / baseline by req/s, all rounds: ${(100 * t.restOverBaseline).toFixed(1)}%   per pair of adjacent rounds: ${pairs}  (* = noisy pair)`);
      if (t.restOverBaselineClean !== undefined)
        lines.push(`REST / baseline by req/s, clean pairs only (${t.cleanPairs} of ${t.pairs.length}): ${(100 * t.restOverBaselineClean).toFixed(1)}% (aim >= 85%) -> ${verdict(t.restOverBaselineClean)}`);
      else lines.push(`no clean pair of rounds (other load above ${NOISY_CORES} cores in each): ${(100 * t.restOverBaseline).toFixed(1)}% over all rounds (aim >= 85%) -> ${verdict(t.restOverBaseline)}, unreliable`);
    }
    if (t.restOverBaselineByServerCpu !== undefined)
      lines.push(`REST / baseline = ${(100 * t.restOverBaselineByServerCpu).toFixed(1)}% by server CPU per request (baseline µs / REST µs; what the ratio would be if the server process were the only bottleneck)`);
    lines.push('CPU columns: utime+stime from /proc/PID/stat over the measured window divided by the requests in it; the upstream, the load generator and the server share the same cores.');
    lines.push(`other load: CPU cores used by processes outside the bench during each round (/proc/stat busy minus ours); above ${NOISY_CORES} the round is marked noisy.`);
    for (const [k, x] of Object.entries(t.targets)) if (x.firstError) lines.push(`${k}: first error: ${x.firstError}`);
  }
  if (results.cliProfile) {
    lines.push('');
    lines.push('== CPU profile of one batch build of the corpus (node --cpu-prof; the profiler slows it; one table per thread) ==');
    const c = results.cliProfile;
    if (c.error) lines.push(`FAILED: ${c.error}`);
    else {
      lines.push(`wall ${ms(c.wallMs)} ms, CPU ${ms(c.cpuMs)} ms (user+sys, all threads)`);
      for (const t of c.threads) {
        lines.push('', `${t.file}: busy ${ms(t.busyMs)} ms`);
        lines.push(table(['stage (inclusive)', 'ms', 'what'], t.stages.map((x) => [x.name, ms(x.inclusiveMs), x.what])));
        lines.push(table(['area (self time)', 'ms'], t.areas.map((a) => [a.name, ms(a.selfMs)])));
      }
    }
  }
  if (results.profile) {
    lines.push('');
    lines.push('== CPU profiles (node --cpu-prof, separate runs; self time) ==');
    for (const kind of Object.keys(results.profile)) lines.push(profileTable(kind), '');
  }
  const y = results.yardstick;
  if (y?.generateMedian) {
    lines.push('');
    lines.push(`== Side by side with openapi-mcp-generator ${y.version} (installed by the bench in .bench/omg/; alternating rounds, medians) ==`);
    const g = y.generateMedian;
    const st = y.stdio;
    lines.push(
      table(
        ['measure', 'openapi-mcp-generator', 'naftiko-gen', 'ratio (naftiko / omg)', 'per round'],
        [
          [`generation: omg on Qovery's OpenAPI vs build of the ${m.corpusFiles} capabilities, wall ms`, ms(g.omg.wallMs), ms(g.naftiko.wallMs), y.generateRatio.toFixed(2), y.generateRatioPerRound.map((v) => v.toFixed(2)).join(' / ')],
          ['generation, CPU ms (user+sys)', ms(g.omg.cpuMs), ms(g.naftiko.cpuMs), y.generateCpuRatio.toFixed(2), '-'],
          ['generation, peak RSS MB', ms(g.omg.maxRssMb), ms(g.naftiko.maxRssMb), '-', '-'],
          ['floor: node writing the build\'s files from one blob (no generation), wall ms', ms(g.omg.wallMs), ms(y.floorWallMs), y.floorRatio.toFixed(2) + ' (floor / omg)', y.generate.floor.map((r, i) => (r.wallMs / y.generate.omg[i].wallMs).toFixed(2)).join(' / ')],
          [`MCP stdio tools/call, calls/s (${CONNECTIONS} in flight)`, int(y.stdioMedian.omg), int(y.stdioMedian.naftiko), y.stdioRatio.toFixed(2), y.stdioRatioPerRound.map((v) => v.toFixed(2)).join(' / ')],
          ['MCP stdio, server CPU µs per call', ms(y.stdioCpuUsPerCall.omg), ms(y.stdioCpuUsPerCall.naftiko), (y.stdioCpuUsPerCall.omg / y.stdioCpuUsPerCall.naftiko).toFixed(2) + ' (omg / naftiko)', '-'],
          ['MCP stdio, server peak RSS MB', ms(y.stdioPeakRssMb.omg), ms(y.stdioPeakRssMb.naftiko), '-', '-'],
          ['stdio errors', String(st.omg.reduce((a, r) => a + r.errors, 0)), String(st.naftiko.reduce((a, r) => a + r.errors, 0)), '-', '-'],
        ],
      ),
    );
  }
  lines.push('', ...aims());
  if (results.largeStartup) {
    lines.push('', `large project start-up (until both adapters listen, ${results.largeStartup.runs} runs): median ${ms(results.largeStartup.medianMs)} ms, RSS ${ms(results.largeStartup.medianRssMb)} MB after start`);
  }
  for (const s of results.skipped) lines.push(`SKIPPED: ${s}`);
  for (const e of results.errors) lines.push(`ERROR: ${e.split('\n')[0]}`);
  lines.push('');
  lines.push(`total bench time ${elapsed()}; JSON: ${OUT_DIR}results.json`);
  return lines.join('\n');
}

/** One line per aim of issue 10: what is measured, the aim, and whether this run meets it. */
function aims() {
  const lines = ['== Aims (issue 10); this run only: on a loaded machine, rerun before drawing conclusions =='];
  const verdict = (ok) => (ok === undefined ? 'not measured' : ok ? 'MET' : 'NOT met');
  // `floor`: what the same run costs with none of naftiko-gen's work (bench/floor.mjs), shown when the aim is not met.
  const line = (aim, measured, ok, floor = '') => lines.push(`${verdict(ok).padEnd(12)} ${aim}: ${measured}${ok === false ? floor : ''}`);
  const cli = (prefix) => results.cli.find((c) => c.name.startsWith(prefix) && !c.error);
  const t = results.throughput;
  if (t?.mcpOverBaseline !== undefined)
    line('MCP Streamable HTTP tools/call >= 50% of the node:http proxy', `${(100 * t.mcpOverBaselineMedian).toFixed(0)}% (median of rounds; per round ${t.mcpOverBaselinePerRound.map((v) => `${(100 * v).toFixed(0)}%`).join(' / ')}; by server CPU per request ${t.mcpOverBaselineByServerCpu ? `${(100 * t.mcpOverBaselineByServerCpu).toFixed(0)}%` : '-'})`, t.mcpOverBaselineMedian >= 0.5);
  else line('MCP Streamable HTTP tools/call >= 50% of the node:http proxy', '-', undefined);
  if (t?.restOverBaseline !== undefined)
    line('REST adapter >= 85% of the node:http proxy', `${(100 * t.restOverBaselineMedian).toFixed(0)}% (median of adjacent pairs; by server CPU per request ${t.restOverBaselineByServerCpu ? `${(100 * t.restOverBaselineByServerCpu).toFixed(0)}%` : '-'})`, t.restOverBaselineMedian >= 0.85);
  else line('REST adapter >= 85% of the node:http proxy', '-', undefined);
  const y = results.yardstick;
  if (y?.stdioRatio !== undefined) line(`MCP stdio tools/call >= 1.5x openapi-mcp-generator ${y.version}'s stdio server`, `${y.stdioRatio.toFixed(2)}x (${int(y.stdioMedian.naftiko)} vs ${int(y.stdioMedian.omg)} calls/s)`, y.stdioRatio >= 1.5);
  else line("MCP stdio tools/call >= 1.5x openapi-mcp-generator's stdio server", '-', undefined);
  if (y?.generateRatio !== undefined) line(`batch build of the ${results.meta.corpusFiles} <= 0.5x openapi-mcp-generator's wall time on Qovery's OpenAPI`, `${y.generateRatio.toFixed(2)}x (${ms(y.generateMedian.naftiko.wallMs)} vs ${ms(y.generateMedian.omg.wallMs)} ms; CPU ${y.generateCpuRatio.toFixed(2)}x)`, y.generateRatio <= 0.5, `; writing the same files alone, with no generation: ${y.floorRatio.toFixed(2)}x`);
  else line("batch build <= 0.5x openapi-mcp-generator's wall time", '-', undefined);
  const v = cli('validate corpus');
  const f = cli('floor: node + js-yaml');
  line(`validate the ${results.meta.corpusFiles} in <= 300 ms`, v ? `${ms(v.warm.wallMs.median)} ms wall median (CPU ${ms(v.warm.cpuMs.median)} ms, ${ms(v.warm.maxRssMb.median)} MB)` : '-', v ? v.warm.wallMs.median <= 300 : undefined, f ? `; Node's start and js-yaml's parse of the same files alone: ${ms(f.warm.wallMs.median)} ms` : '');
  const c = cli('build --check corpus');
  line(`no-op build --check of the ${results.meta.corpusFiles} in <= 300 ms`, c ? `${ms(c.warm.wallMs.median)} ms wall median (CPU ${ms(c.warm.cpuMs.median)} ms, ${ms(c.warm.maxRssMb.median)} MB)` : '-', c ? c.warm.wallMs.median <= 300 : undefined);
  const s = cli('validate -q synthetic');
  const sf = results.meta.synthetic?.files ?? 'thousands of';
  const sp = cli('floor: node + js-yaml parse of the synthetic');
  const parseAlone = sp ? `; js-yaml's parse of the same files alone, one thread: ${(sp.warm.wallMs.median / 1000).toFixed(1)} s` : '';
  line(`validate the synthetic corpus (${sf} files) in <= 10 s and <= 300 MB`, s ? `${(s.warm.wallMs.median / 1000).toFixed(1)} s wall median (CPU ${(s.warm.cpuMs.median / 1000).toFixed(1)} s), peak RSS ${ms(s.warm.maxRssMb.median)} MB${parseAlone}` : '-', s ? s.warm.wallMs.median <= 10_000 && s.warm.maxRssMb.median <= 300 : undefined);
  return lines;
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(`${REPO}dist/cli/main.js`)) throw new Error('dist/cli/main.js is missing: run `npm run build` (npm run bench does it)');
  mkdirSync(OUT_DIR, { recursive: true });
  const work = mkdtempSync(`${OUT_DIR}run-`);
  WORK_TRASH.dir = `${work}/moved-aside`;
  if (!KEEP) onInterrupt(() => rmSync(work, { recursive: true, force: true }));
  progress(`scratch folder ${work}; CPU time via ${CPU_METHOD.id}`);
  if (os.loadavg()[0] > os.cpus().length * 0.5) progress(`note: load average is ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} CPU(s) before starting; numbers will be noisy`);
  try {
    if (!NO_CLI) await cliSection(work);
    if (!NO_THROUGHPUT) {
      try {
        await throughputSection(work);
      } catch (err) {
        results.errors.push(`throughput: ${err.message}`);
        progress(`throughput FAILED: ${err.message}`);
      }
    }
    if (!NO_YARDSTICK) {
      try {
        await yardstickSection(work);
      } catch (err) {
        results.errors.push(`side by side: ${err.message}`);
        progress(`side by side FAILED: ${err.message}`);
      }
    }
    if (PROFILE) {
      try {
        await profileSection(work);
      } catch (err) {
        results.errors.push(`profile: ${err.message}`);
        progress(`profile FAILED: ${err.message}`);
      }
    }
  } finally {
    await stopAll();
    if (!KEEP) rmSync(work, { recursive: true, force: true });
    results.meta.loadavgAfter = os.loadavg();
    results.meta.totalSeconds = (performance.now() - t0) / 1000;
    writeFileSync(`${OUT_DIR}results.json`, JSON.stringify(results, null, 2) + '\n');
  }
  process.stdout.write(report() + '\n');
  if (results.errors.length > 0) process.exitCode = 1;
}

main().catch(async (err) => {
  process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
  await stopAll();
  process.exitCode = 1;
});
