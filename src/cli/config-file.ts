/**
 * `naftiko-gen.config.json` / `naftiko-gen.config.yaml` in the current folder: the specs, output folder
 * and strictness of a repository, so that CI runs `naftiko-gen build --check` with no arguments.
 * Flags given on the command line win over the file; spec arguments replace its `specs`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const CONFIG_FILES = ['naftiko-gen.config.json', 'naftiko-gen.config.yaml', 'naftiko-gen.config.yml'] as const;

export interface ProjectConfig {
  /** The file it was read from, as found (relative to the current folder). */
  file: string;
  specs: string[];
  out?: string;
  strict?: boolean;
}

export class ConfigFileError extends Error {}

const KEYS = new Set(['specs', 'out', 'strict', '$schema']);

/** The configuration of the folder `cwd`, or undefined when it has none. Throws ConfigFileError when it is malformed. */
export function loadProjectConfig(cwd = '.'): ProjectConfig | undefined {
  const found = CONFIG_FILES.filter((f) => existsSync(join(cwd, f)));
  if (found.length === 0) return undefined;
  if (found.length > 1) throw new ConfigFileError(`${found.join(' and ')} both exist; keep one of them`);
  const file = found[0]!;
  let raw: unknown;
  try {
    const text = readFileSync(join(cwd, file), 'utf8');
    raw = file.endsWith('.json') ? JSON.parse(text) : parse(text);
  } catch (err) {
    throw new ConfigFileError(`${file} cannot be read: ${(err as Error).message.split('\n')[0]}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigFileError(`${file} must hold an object with specs, out and strict`);
  const o = raw as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) throw new ConfigFileError(`${file}: unknown key ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the keys are specs, out and strict`);
  const specs = typeof o.specs === 'string' ? [o.specs] : o.specs;
  if (!Array.isArray(specs) || specs.length === 0 || !specs.every((s) => typeof s === 'string' && s !== '')) {
    throw new ConfigFileError(`${file}: specs must be a file, folder or glob, or a non-empty list of them`);
  }
  if (o.out !== undefined && (typeof o.out !== 'string' || o.out === '')) throw new ConfigFileError(`${file}: out must be a folder name`);
  if (o.strict !== undefined && typeof o.strict !== 'boolean') throw new ConfigFileError(`${file}: strict must be true or false`);
  return { file, specs: specs as string[], ...(o.out !== undefined ? { out: o.out as string } : {}), ...(o.strict !== undefined ? { strict: o.strict as boolean } : {}) };
}
