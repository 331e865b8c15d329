// Instructions per request of the generated REST adapter and of the minimal node:http proxy, counted by
// valgrind (callgrind), one server at a time: `npm run bench:instructions [-- --warm N --measure N]`.
// Unlike CPU time and req/s, an instruction count does not move with the rest of the machine's load,
// so two versions of the runtime can be compared to a fraction of a percent on a busy machine.
// Each server runs under valgrind (about 50 times slower), gets `--warm` requests (default 8,000: the
// JIT must have settled), then its counters are zeroed and `--measure` requests (default 3,000) are sent
// over 8 keep-alive connections; the main thread's count (where JavaScript runs) is divided by them.
// Other threads (GC and compiler helpers) are reported apart: a large figure there means the JIT had not
// settled. Needs valgrind on the PATH; takes about 5 minutes per server on 2 cores.
// Kernel time is not counted (both servers make the same system calls), so the ratio here is lower than
// the ratio of CPU time per request.
import { execFileSync, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledSeed } from './lib/seed-project.mjs';
import { start, stop, stopAll, waitForListening } from './lib/procs.mjs';
import { REST_PATH, startUpstream } from './lib/throughput.mjs';
import { UPSTREAM_BODY } from './upstream.mjs';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const CONNECTIONS = 8;

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a whole number, got ${process.argv[i + 1]}`);
  return n;
}
const WARM = flag('warm', 8000);
const MEASURE = flag('measure', 3000);
const log = (line) => process.stderr.write(`[bench:instructions] ${line}\n`);

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
function get(origin) {
  return new Promise((resolve, reject) => {
    http
      .get(origin + REST_PATH, { agent }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d) => (text += d));
        res.on('end', () => (res.statusCode === 200 && text === UPSTREAM_BODY ? resolve() : reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`))));
      })
      .on('error', reject);
  });
}
async function send(origin, n) {
  let left = n;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (left-- > 0) await get(origin);
  }));
}

/** Instructions per measured request, main thread and the others, of one server started by `args` under valgrind. */
async function count(label, args, options, listening, outDir) {
  mkdirSync(outDir, { recursive: true });
  const vg = ['--tool=callgrind', '--separate-threads=yes', '--smc-check=all-non-file', `--callgrind-out-file=${outDir}/cg.out`];
  const entry = start('valgrind', [...vg, process.execPath, ...args], options);
  try {
    const [port] = await waitForListening(entry, [listening], 300_000);
    const origin = `http://127.0.0.1:${port}`;
    log(`${label}: ${WARM} requests to warm up, then ${MEASURE} counted`);
    await send(origin, WARM);
    execFileSync('callgrind_control', ['-z', String(entry.child.pid)], { stdio: 'ignore' });
    await send(origin, MEASURE);
    execFileSync('callgrind_control', ['-d', String(entry.child.pid)], { stdio: 'ignore' });
  } finally {
    await stop(entry, 20_000);
  }
  // One file per thread after the dump: `cg.out.1-01` is the main thread.
  const files = readdirSync(outDir).filter((f) => /^cg\.out\.1-\d+$/.test(f)).sort();
  if (files.length === 0) throw new Error(`${label}: callgrind wrote no dump in ${outDir}`);
  const per = files.map((f) => Number(/^(?:summary|totals):\s+(\d+)/m.exec(readFileSync(join(outDir, f), 'utf8'))[1]) / MEASURE);
  return { main: per[0], others: per.slice(1).reduce((a, b) => a + b, 0) };
}

async function main() {
  if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('valgrind is not on the PATH');
  const { work, dir } = compiledSeed('instructions', log);
  const upstream = await startUpstream();
  const out = {};
  try {
    out.baseline = await count('node:http proxy', [`${REPO}bench/baseline-proxy.mjs`, upstream.origin, '0'], {}, /baseline proxy listening on http:\/\/127\.0\.0\.1:(\d+)/, join(work, 'cg-baseline'));
    const env = {
      ...process.env,
      QOVERY_API_KEY: 'bench-secret-key',
      QOVERY_ORGANIZATION_API_TOKEN_BASE_URI: upstream.origin,
      QOVERY_ORGANIZATION_API_TOKEN_REST_PORT: '0',
      QOVERY_ORGANIZATION_API_TOKEN_REST_HOST: '127.0.0.1',
      QOVERY_ORGANIZATION_API_TOKEN_MCP_PORT: '0',
      QOVERY_ORGANIZATION_API_TOKEN_MCP_HOST: '127.0.0.1',
    };
    out.rest = await count('generated REST adapter', [`${dir}/dist/main.js`], { env, cwd: dir }, /REST adapter \S+ listening on http:\/\/\S+:(\d+)/, join(work, 'cg-rest'));
  } finally {
    agent.destroy();
    await stop(upstream.entry);
    await stopAll();
    rmSync(work, { recursive: true, force: true });
  }
  const k = (n) => `${(n / 1000).toFixed(1)}k`;
  for (const [name, r] of Object.entries(out)) log(`${name}: ${k(r.main)} instructions per request on the main thread, ${k(r.others)} on other threads`);
  log(`REST / proxy by main-thread instructions (proxy / REST): ${((100 * out.baseline.main) / out.rest.main).toFixed(1)}%`);
  // Work can move to helper threads (compilers, GC): the sum counts it all. A large figure there after the warm-up
  // means the JIT had not settled (the undici client needed --warm 16000 for its helper threads to go quiet).
  const all = (r) => r.main + r.others;
  log(`REST / proxy by instructions on all threads: ${((100 * all(out.baseline)) / all(out.rest)).toFixed(1)}%`);
  process.stdout.write(`${JSON.stringify({ warm: WARM, measure: MEASURE, connections: CONNECTIONS, ...out, ratio: out.baseline.main / out.rest.main, ratioAllThreads: all(out.baseline) / all(out.rest) })}\n`);
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exitCode = 1;
});
