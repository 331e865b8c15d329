/** `naftiko-gen schema [--version V]`: the JSON Schema naftiko-gen validates with, for editors and other tools. */
import { readFileSync } from 'node:fs';
import { describeSupportedVersions, parseVersionArgument, SPEC_VERSIONS, type SpecVersion } from '../validate/versions.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import type { Output } from './output.js';

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** The newest version naftiko-gen reads: what `schema` prints without --version. */
export function latestSpecVersion(): SpecVersion {
  return SPEC_VERSIONS[SPEC_VERSIONS.length - 1]!;
}

/** The schema file's text, exactly as shipped. */
export function schemaText(version: SpecVersion): string {
  return readFileSync(new URL(version.schemaFile, SCHEMA_DIR), 'utf8');
}

export function runSchema(options: { version?: string }, io: Output): number {
  // `1.0.0-alpha3` is ikanos's; `naftiko:1.0.0-alpha3` names the other one.
  const version = options.version === undefined ? latestSpecVersion() : parseVersionArgument(options.version);
  if (!version) {
    io.err(`naftiko-gen: no schema for version ${options.version}; the versions are ${describeSupportedVersions()} (write \`naftiko:<version>\` for a naftiko one that ikanos also has).`);
    return EXIT_USAGE;
  }
  io.out(schemaText(version).replace(/\n$/, ''));
  return EXIT_OK;
}
