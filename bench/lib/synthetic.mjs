// A synthetic organisation-sized corpus: the corpus files copied `copies` times under different names,
// in .bench/ (never committed). Made once and reused while it has the expected number of files.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export function syntheticCorpus(cacheDir, corpus, copies) {
  const dir = join(cacheDir, `synthetic-${corpus.length}x${copies}`);
  const want = corpus.length * copies;
  if (existsSync(dir) && readdirSync(dir).length === want) return { dir, files: want };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let k = 1; k <= copies; k++) {
    for (const file of corpus) {
      const stem = file.slice(file.lastIndexOf('/') + 1).replace(/\.ya?ml$/, '');
      copyFileSync(file, join(dir, `${stem}-copy${String(k).padStart(2, '0')}.yaml`));
    }
  }
  return { dir, files: want };
}
