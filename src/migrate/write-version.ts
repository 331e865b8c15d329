/**
 * What `init` and `import openapi` write, in the version the user asks for: they compose a capability in
 * the 1.0.0-alpha2 shape, and the migrator rewrites it (comments included) for any later version.
 */
import { findSpecVersion, NEWEST_VERSION, parseVersionArgument, type SpecVersion } from '../validate/versions.js';
import { migrateText } from './migrate.js';

const WRITTEN_AS = findSpecVersion('1.0.0-alpha2', 'naftiko')!;

/** `--spec-version` of init and import: the newest when absent; undefined for a version naftiko-gen does not write. */
export function writableVersion(argument: string | undefined): SpecVersion | undefined {
  if (argument === undefined) return NEWEST_VERSION;
  const v = parseVersionArgument(argument);
  return v && v !== SPEC_ALPHA1 ? v : undefined;
}

/** naftiko 1.0.0-alpha1 had no published schema of its own: nothing new is written in it. */
const SPEC_ALPHA1 = findSpecVersion('1.0.0-alpha1', 'naftiko');

export function inVersion(alpha2Text: string, version: SpecVersion): string {
  if (version === WRITTEN_AS) return alpha2Text;
  const result = migrateText(alpha2Text, version);
  if (!result.ok) throw new Error(`cannot write ${version.key} ${version.version}: ${result.message}`);
  return result.text;
}
