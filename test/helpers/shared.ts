/**
 * Material published by others lives in ../shared (corpus, reference); it is never committed here.
 * Tests that need it run when it exists (CI has it) and are skipped, saying so, when it does not.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const CORPUS_DIR = `${SHARED}corpus/qovery/`;
export const SEED = `${REPO}examples/qovery/qovery-organization-api-token.yaml`;

export const hasShared = existsSync(CORPUS_DIR);

export function corpusFiles(): string[] {
  return hasShared
    ? readdirSync(CORPUS_DIR)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => CORPUS_DIR + f)
    : [];
}

/** `describe` that runs only with ../shared present, and says why it was skipped otherwise. */
export function describeWithShared(name: string, body: () => void): void {
  if (!hasShared) {
    process.stderr.write(`[naftiko-gen tests] skipped "${name}": ../shared/corpus is not present next to this repository.\n`);
    describe.skip(`${name} (skipped: ../shared/corpus not found)`, body);
    return;
  }
  describe(name, body);
}

/** Every .yaml/.yml file under `dir`, in a stable order. */
export function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(f) ? [p] : [];
    });
}
