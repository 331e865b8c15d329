/**
 * The packed CLI, installed the way a user installs it: `npm pack` of this repository, then the tarball
 * installed into a clean folder outside it. Offline: the tarball's dependencies are pinned from our
 * package-lock.json with their registry tarball URLs and integrity, so `npm ci --offline` takes them from
 * the npm cache that installing this repository filled.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './shared.js';

interface LockEntry {
  version: string;
  resolved?: string;
  dev?: boolean;
  devOptional?: boolean;
  link?: boolean;
  [key: string]: unknown;
}

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface Installed {
  /** The clean folder, with node_modules/naftiko-gen installed from the tarball. */
  dir: string;
  tarball: string;
  /** Paths inside the tarball (`package/...`). */
  contents: string[];
}

export function packAndInstall(): Installed {
  const dir = mkdtempSync(join(tmpdir(), 'naftiko-gen-pack-'));
  // The test command built dist/ just before; --ignore-scripts packs it as it is instead of building again.
  const name = execFileSync(NPM, ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').pop()!;
  const tarball = join(dir, name);
  const contents = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string>; license: string };
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const spec = `file:${name}`;
  // The tarball URLs the repository's own install used, whatever registry is configured.
  const registry = execFileSync(NPM, ['config', 'get', 'registry'], { encoding: 'utf8' }).trim().replace(/\/?$/, '/');
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', version: '1.0.0', dependencies: { 'naftiko-gen': spec } },
    'node_modules/naftiko-gen': { version: pkg.version, resolved: spec, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines, license: pkg.license },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev || entry.devOptional || entry.link) continue;
    const pkgName = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    packages[path] = { ...entry, resolved: entry.resolved ?? `${registry}${pkgName}/-/${pkgName.split('/').pop()}-${entry.version}.tgz` };
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: { 'naftiko-gen': spec } }, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
  execFileSync(NPM, ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { dir, tarball, contents };
}
