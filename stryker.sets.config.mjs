// Mutation testing one part at a time (npm run mutation:runtime, mutation:model, ...): MUTATION_TESTS
// names the part; it picks the files mutated here and the tests run against each mutant in
// vitest.mutation.config.ts (the fast in-process tests that cover that part). Each part keeps its own
// incremental file, so a rerun tests only the mutants whose code or tests changed.
//
// The runtime part is the generated servers' code that test/runtime-*.test.ts import in process. The
// rest of templates/runtime (server.ts, rest.ts, mcp*.ts, stdio.ts, skills.ts, auth-oauth2.ts) runs only
// inside generated projects, in child processes that Stryker's coverage analysis cannot see.
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('./stryker.config.json', import.meta.url), 'utf8'));
delete base._comment;
delete base.$schema;

const RUNTIME = ['output', 'inputs', 'mock', 'formats', 'format-csv', 'format-html', 'format-markdown', 'format-xml', 'format-yaml', 'steps', 'body', 'upstream', 'auth-digest', 'forward', 'config', 'inbound-auth', 'cache', 'control', 'ops'];

const PARTS = {
  runtime: RUNTIME.map((m) => `templates/runtime/${m}.ts`),
  'model-strings': ['src/model/jsonpath.ts', 'src/model/template.ts', 'src/model/consumed-path.ts'],
  names: ['src/names/**/*.ts'],
  validate: ['src/validate/**/*.ts'],
  // The cross-check rules not measured in the session that added mutation testing.
  'validate-rules': ['src/validate/rules/{suggest,namespaces,environment-names,input-patterns,output-mappings,identifiers,tool-names,expressions,mcp-names,with-keys,call-targets,ref-targets}.ts'],
  cli: ['src/cli/{exit-codes,report,config-file,expand-inputs,sources,validate-command,rules-command,schema-command}.ts'],
  // The model's transforms, through the in-process model tests (test/mutation-model-*.test.ts); the string parsers are model-strings.
  'model-transforms': ['src/model/**/*.ts', '!src/model/{jsonpath,template,consumed-path}.ts'],
};

const part = process.env.MUTATION_TESTS ?? 'runtime';
if (!PARTS[part]) throw new Error(`MUTATION_TESTS=${part}: not one of ${Object.keys(PARTS).join(', ')}`);

export default {
  ...base,
  mutate: PARTS[part],
  incrementalFile: `reports/stryker-incremental-${part}.json`,
  htmlReporter: { fileName: `reports/mutation/${part}.html` },
  jsonReporter: { fileName: `reports/mutation/${part}.json` },
};
