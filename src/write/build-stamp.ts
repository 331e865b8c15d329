/**
 * The no-op build: a project records in its manifest what it was built from (a hash of the
 * capability's text, its file name, the flags that change the output, and the generator itself) and
 * a hash of the files it wrote. When both still match, `build` and `build --check` know the project is
 * up to date without parsing the capability. Any difference (an edited source, another flag, another
 * naftiko-gen, a generated file edited or deleted) falls back to the full build, which says what differs.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST, type Manifest } from './write-project.js';

/** What, besides the capability's text, decides the generated files. */
export interface StampInputs {
  /** The capability's file name as the headers print it. */
  sourceName: string;
  /** The capability's folder seen from the project (the generated config reads files relative to it). */
  place: string;
  text: string;
  strict: boolean;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Compiled: the generator is dist/; run from the TypeScript sources (tests): src/. */
const CODE_DIR = import.meta.url.endsWith('.js') ? 'dist' : 'src';

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => join(e.parentPath ?? (e as { path?: string }).path ?? dir, e.name))
    .sort();
}

let fingerprint: string | undefined;

/**
 * The generator's identity: its version and a hash of everything that shapes its output (its code,
 * templates and schemas), so that an upgrade, or a local change to naftiko-gen, rebuilds.
 */
export function generatorFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies?: unknown; devDependencies?: unknown };
  hash.update(JSON.stringify([pkg.version, pkg.dependencies, pkg.devDependencies]));
  const code = (n: string): boolean => (n.endsWith('.js') || n.endsWith('.ts')) && !n.endsWith('.d.ts');
  for (const file of [...filesUnder(join(ROOT, CODE_DIR), code), ...filesUnder(join(ROOT, 'templates'), () => true), ...filesUnder(join(ROOT, 'schema'), () => true)]) {
    hash.update(file.slice(ROOT.length)).update('\0').update(readFileSync(file)).update('\0');
  }
  fingerprint = `${pkg.version}+${hash.digest('hex').slice(0, 16)}`;
  return fingerprint;
}

/** The manifest's `stamp`: one hash of all the build's inputs. */
export function buildStamp(inputs: StampInputs): string {
  return createHash('sha256')
    .update(JSON.stringify({ generator: generatorFingerprint(), source: inputs.sourceName, place: inputs.place, strict: inputs.strict }))
    .update('\0')
    .update(inputs.text)
    .digest('hex');
}

/** One hash of the owned files' paths and contents, in path order. */
export function outputHash(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) hash.update(path).update('\0').update(files.get(path)!).update('\0');
  return hash.digest('hex');
}

/**
 * Whether the project in `dir` is what building `inputs` would give, judged from its manifest and
 * files alone. Returns the warning count recorded at build time when it is; undefined otherwise.
 */
export function upToDate(dir: string, inputs: StampInputs): { warnings: number } | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.generator !== 'naftiko-gen' || !manifest.stamp || !manifest.outputHash || !Array.isArray(manifest.files)) return undefined;
  if (manifest.source !== inputs.sourceName || manifest.stamp !== buildStamp(inputs)) return undefined;
  const root = resolve(dir);
  const files = new Map<string, string>();
  for (const rel of manifest.files) {
    const abs = resolve(root, rel);
    if (!abs.startsWith(root + '/')) return undefined;
    try {
      files.set(rel, readFileSync(abs, 'utf8'));
    } catch {
      return undefined;
    }
  }
  if (outputHash(files) !== manifest.outputHash) return undefined;
  // User files are written when missing: a missing one means a build would write it.
  for (const rel of manifest.userFiles ?? []) if (!existsSync(resolve(root, rel))) return undefined;
  return { warnings: manifest.warnings ?? 0 };
}
