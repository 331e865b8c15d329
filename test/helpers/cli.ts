/** Runs the CLI in-process (fast) or as a real process (for the bin and exit codes). */
import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/main.js';
import { REPO } from './shared.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'naftiko-gen', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

export function runBin(args: string[], cwd = REPO, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [`${REPO}bin/naftiko-gen.js`, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
