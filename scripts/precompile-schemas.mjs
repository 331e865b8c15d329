// Precompiles the fast schema validators into dist/schemas/ (run by `npm run build` and `npm ci`):
// loading generated code is much cheaper than compiling the schema at every start of the CLI.
import { mkdirSync, writeFileSync } from 'node:fs';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { createAjv, loadSchemaFile, precompiledFile, URI_PATTERN } from '../dist/validate/schema-validator.js';
import { SPEC_VERSIONS } from '../dist/validate/versions.js';

const out = new URL('../dist/schemas/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('formats.cjs', out), `'use strict';\nmodule.exports = { uri: ${URI_PATTERN.toString()} };\n`);
const toCode = standaloneCode.default ?? standaloneCode;
for (const version of SPEC_VERSIONS) {
  for (const mode of ['relaxed', 'strict']) {
    const ajv = createAjv(mode, { verbose: false, standalone: true });
    const validate = ajv.compile(loadSchemaFile(version.schemaFile));
    writeFileSync(new URL(precompiledFile(version, mode), out), toCode(ajv, validate));
  }
}
