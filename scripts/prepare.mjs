// `npm ci` / `npm install` in a clone of this repository (the `prepare` script): compiles the CLI when
// dist/ is missing or older than src/ or schema/, so that `npx naftiko-gen` works right after installing. It does
// nothing where there is nothing to compile (an installed tarball has dist/ and no src/); the tarball
// itself is built by `prepack`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => Math.max(t, e.isDirectory() ? newest(new URL(`${e.name}/`, dir)) : statSync(new URL(e.name, dir)).mtimeMs), 0);

const src = new URL('src/', root);
const built = new URL('dist/cli/main.js', root);
if (existsSync(src) && existsSync(new URL('node_modules/typescript/', root))) {
  if (!existsSync(built) || Math.max(newest(src), newest(new URL('schema/', root))) > statSync(built).mtimeMs) {
    const npm = process.env.npm_execpath;
    const run = npm ? spawnSync(process.execPath, [npm, 'run', 'build'], { stdio: 'inherit' }) : spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
    process.exit(run.status ?? 1);
  }
}
