// hyperfine-like timing of the real CLI: every run is a fresh `node bin/naftiko-gen.js ...` process.
// Wall time: performance.now() in this process, from spawn() to the child's 'exit' event.
// CPU time (user+sys) and max RSS of the child: GNU `/usr/bin/time -f '%U %S %M' -o FILE` (wait4
// rusage, printed with 10 ms resolution) when available, else a `node --import` preload that reports
// process.resourceUsage() at exit (Node 20's spawnSync does not return the child's rusage).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from './procs.mjs';
import { summarize } from './stats.mjs';

const PRELOAD = fileURLToPath(new URL('./rusage-preload.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'naftiko-bench-rusage-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function detectGnuTime() {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', join(scratch, 'probe'), 'true'], { encoding: 'utf8' });
  if (r.status !== 0) return false;
  try {
    return /^\d+\.\d+ \d+\.\d+ \d+\s*$/.test(readFileSync(join(scratch, 'probe'), 'utf8'));
  } catch {
    return false;
  }
}

export const CPU_METHOD = detectGnuTime()
  ? { id: 'gnu-time', text: "GNU /usr/bin/time -f '%U %S %M' (child rusage via wait4; 10 ms resolution; wall time includes its ~1 ms wrapper)" }
  : { id: 'preload', text: 'node --import preload writing process.resourceUsage() at exit (RUSAGE_SELF of the child)' };

let counter = 0;

/** One run of `node <args...>`; resolves with wall ms, cpu ms, max RSS, exit code and output. */
export async function runOnce(nodeArgs, { cwd, env } = {}) {
  const file = join(scratch, `r${counter++}`);
  let cmd, args, childEnv = env ?? process.env;
  if (CPU_METHOD.id === 'gnu-time') {
    cmd = '/usr/bin/time';
    args = ['-f', '%U %S %M', '-o', file, process.execPath, ...nodeArgs];
  } else {
    cmd = process.execPath;
    args = ['--import', PRELOAD, ...nodeArgs];
    childEnv = { ...childEnv, NAFTIKO_BENCH_RUSAGE_FILE: file };
  }
  const t0 = performance.now();
  const entry = start(cmd, args, { cwd, env: childEnv });
  await entry.done;
  const wallMs = entry.exitedAt - t0;
  let cpu = { userMs: null, sysMs: null, maxRssMb: null };
  try {
    const text = readFileSync(file, 'utf8');
    if (CPU_METHOD.id === 'gnu-time') {
      // GNU time prepends "Command exited with non-zero status N" on failures.
      const last = text.trim().split('\n').pop().split(' ').map(Number);
      cpu = { userMs: last[0] * 1000, sysMs: last[1] * 1000, maxRssMb: last[2] / 1024 };
    } else {
      const u = JSON.parse(text);
      cpu = { userMs: u.userS * 1000, sysMs: u.sysS * 1000, maxRssMb: u.maxRssKb / 1024 };
    }
    rmSync(file, { force: true });
  } catch {
    /* no rusage: reported as '-' */
  }
  return { wallMs, ...cpu, cpuMs: cpu.userMs === null ? null : cpu.userMs + cpu.sysMs, code: entry.code, signal: entry.signal, stdout: entry.stdout, stderr: entry.stderr };
}

/**
 * hyperfine-like series: one first run (reported separately: right after the previous command, with
 * a fresh node process; no cache dropping), then `runs` warm runs summarized as min/median/mean.
 * `prepare(i)` runs before each run, untimed (e.g. emptying the output folder).
 */
export async function series(name, nodeArgs, { runs, cwd, expectCode = 0, prepare, check } = {}) {
  const results = [];
  for (let i = 0; i <= runs; i++) {
    await prepare?.(i);
    const r = await runOnce(nodeArgs, { cwd });
    if (r.code !== expectCode) {
      const out = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
      throw new Error(`${name}: exit code ${r.code ?? r.signal} (expected ${expectCode}) on run ${i + 1}:\n${out}`);
    }
    const problem = check?.(r);
    if (problem) throw new Error(`${name}: ${problem}`);
    results.push(r);
  }
  const [first, ...warm] = results;
  const pick = (rs, k) => rs.map((r) => r[k]).filter((v) => v !== null);
  return {
    name,
    command: `node ${nodeArgs.join(' ')}`,
    first: { wallMs: first.wallMs, cpuMs: first.cpuMs, userMs: first.userMs, sysMs: first.sysMs, maxRssMb: first.maxRssMb },
    warm: {
      wallMs: summarize(pick(warm, 'wallMs')),
      cpuMs: summarize(pick(warm, 'cpuMs')),
      userMs: summarize(pick(warm, 'userMs')),
      sysMs: summarize(pick(warm, 'sysMs')),
      maxRssMb: summarize(pick(warm, 'maxRssMb')),
    },
    runs: warm.map((r) => ({ wallMs: r.wallMs, cpuMs: r.cpuMs })),
    lastStdoutTail: warm.at(-1)?.stdout.trim().split('\n').slice(-1)[0] ?? first.stdout.trim().split('\n').slice(-1)[0],
  };
}
