// The Qovery seed generated and compiled in a scratch folder under .bench/, for the benches that
// run its servers (load.mjs, instructions.mjs). Inside the repository, so that the generated
// project resolves our node_modules; removed on Ctrl-C.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onInterrupt } from './procs.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const SEED = `${REPO}examples/qovery/qovery-organization-api-token.yaml`;

/** Generates and type-checks the seed in `.bench/<prefix>-XXXX/seed`; returns that work folder and the project. */
export function compiledSeed(prefix, log) {
  mkdirSync(`${REPO}.bench`, { recursive: true });
  const work = mkdtempSync(`${REPO}.bench/${prefix}-`);
  onInterrupt(() => rmSync(work, { recursive: true, force: true }));
  const dir = join(work, 'seed');
  log(`generating and compiling the seed project in ${dir}`);
  const gen = spawnSync(process.execPath, [`${REPO}bin/naftiko-gen.js`, 'build', SEED, '--out', dir], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`build failed:\n${gen.stdout}${gen.stderr}`);
  const tsc = spawnSync(process.execPath, [`${REPO}node_modules/typescript/bin/tsc`, '-p', dir], { encoding: 'utf8', cwd: REPO });
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  return { work, dir };
}
