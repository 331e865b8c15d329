// The yardstick: openapi-mcp-generator 4.0.1 (npm), installed by the bench into .bench/omg/ (never a
// dependency of naftiko-gen), generating Qovery's OpenAPI document and serving it over stdio.
// Its generated server needs its own dependencies and a tsc build; both are cached in .bench/omg/
// under a hash of the OpenAPI document, so only the first bench run pays for them.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const OMG_VERSION = '4.0.1';

function run(cmd, args, cwd, what) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ')}`);
  return r;
}

/**
 * Installs the generator (once) and builds its server for `openapi` (once per document).
 * Returns { bin, serverDir, serverEntry }. Throws with the reason when npm cannot install it.
 */
export function prepareYardstick(cacheDir, openapi, progress) {
  const root = join(cacheDir, 'omg');
  const bin = join(root, 'node_modules/openapi-mcp-generator/bin/openapi-mcp-generator.js');
  const installed = existsSync(bin) && JSON.parse(readFileSync(join(root, 'node_modules/openapi-mcp-generator/package.json'), 'utf8')).version === OMG_VERSION;
  if (!installed) {
    progress(`installing openapi-mcp-generator@${OMG_VERSION} into ${root} (once)`);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ private: true, description: 'bench cache: the yardstick, never committed' }) + '\n');
    run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `openapi-mcp-generator@${OMG_VERSION}`], root, `npm install openapi-mcp-generator@${OMG_VERSION}`);
  }
  const docHash = createHash('sha256').update(readFileSync(openapi)).digest('hex').slice(0, 12);
  const serverDir = join(root, `server-${docHash}`);
  const serverEntry = join(serverDir, 'build/index.js');
  if (!existsSync(serverEntry)) {
    progress(`generating, installing and compiling openapi-mcp-generator's stdio server for ${openapi} into ${serverDir} (once; tsc takes a while)`);
    rmSync(serverDir, { recursive: true, force: true });
    run(process.execPath, [bin, '-i', openapi, '-o', serverDir], root, 'openapi-mcp-generator');
    run('npm', ['install', '--no-audit', '--no-fund'], serverDir, "npm install in openapi-mcp-generator's server");
    run(process.execPath, [join(serverDir, 'node_modules/typescript/bin/tsc')], serverDir, "tsc of openapi-mcp-generator's server");
  }
  return { bin, serverDir, serverEntry };
}
