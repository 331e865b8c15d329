import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initCapability, InitError, type InitAdapter, type InitAuth } from '../init/init-capability.js';
import { schemaText } from './schema-command.js';
import { inVersion, writableVersion } from '../migrate/write-version.js';
import { describeSupportedVersions } from '../validate/versions.js';
import { validateText } from '../validate/validate.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { formatFindingText } from './report.js';
import type { Output } from './output.js';

export interface InitCommandOptions {
  out?: string;
  baseUri: string;
  auth: InitAuth;
  adapters: string;
  force?: boolean;
  specVersion?: string;
}

export async function runInit(name: string, options: InitCommandOptions, io: Output): Promise<number> {
  const adapters = options.adapters.split(',').map((a) => a.trim()).filter((a) => a !== '');
  const unknown = adapters.filter((a) => a !== 'rest' && a !== 'mcp');
  if (unknown.length > 0) {
    io.err(`naftiko-gen: --adapters takes rest, mcp or rest,mcp, not ${unknown.join(', ')}.`);
    return EXIT_USAGE;
  }
  const version = writableVersion(options.specVersion);
  if (!version) {
    io.err(`naftiko-gen: --spec-version ${options.specVersion} is not a version naftiko-gen writes; supported: ${describeSupportedVersions()}.`);
    return EXIT_USAGE;
  }
  let text: string;
  try {
    text = inVersion(initCapability({ name, baseUri: options.baseUri, auth: options.auth, adapters: adapters as InitAdapter[] }), version);
  } catch (err) {
    if (!(err instanceof InitError)) throw err;
    io.err(`naftiko-gen: ${err.message}.`);
    return EXIT_USAGE;
  }
  const file = join(options.out ?? '.', `${name}.yaml`);
  // The scaffold must itself be a flawless capability; anything else is a bug to report, not to write.
  const check = validateText(file, text, { strict: true });
  if (check.findings.length > 0) throw new Error(`the new capability does not validate:\n${check.findings.map(formatFindingText).join('\n')}`);
  if (existsSync(file) && !options.force) {
    io.err(`naftiko-gen: ${file} already exists; choose another name or --out, or pass --force to replace it.`);
    return EXIT_USAGE;
  }
  await mkdir(options.out ?? '.', { recursive: true });
  await writeFile(file, text);
  // The schema its first line names, so that editors complete and check it at once. A file of that name
  // that is there already is left alone (`naftiko-gen schema --version V` prints it again).
  const schemaFile = join(options.out ?? '.', version.schemaFile);
  const withSchema = !existsSync(schemaFile);
  if (withSchema) await writeFile(schemaFile, schemaText(version));
  io.out(`${file}: a new capability${withSchema ? ` (and ${schemaFile}, the JSON Schema editors check it with)` : ''}. Next: edit it, then`);
  io.out(`  naftiko-gen validate ${file}`);
  io.out(`  naftiko-gen build ${file}`);
  return EXIT_OK;
}
