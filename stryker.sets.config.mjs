// Mutation testing one part at a time (npm run mutation:runtime, mutation:model, ...): MUTATION_TESTS
// names the part; it picks the files mutated here and the tests run against each mutant in
// vitest.mutation.config.ts (the fast in-process tests that cover that part). Each part keeps its own
// incremental file, so a rerun tests only the mutants whose code or tests changed.
//
// The runtime part is the generated servers' code that test/runtime-*.test.ts import in process. The
// runtime-server part is the rest of templates/runtime (server.ts, rest.ts, mcp*.ts, stdio.ts, skills.ts,
// auth-oauth2.ts), which the end-to-end tests run in child processes that Stryker's coverage analysis
// cannot see: test/runtime-server-*.test.ts start those servers in process instead.
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('./stryker.config.json', import.meta.url), 'utf8'));
delete base._comment;
delete base.$schema;

const RUNTIME = ['output', 'inputs', 'mock', 'formats', 'format-csv', 'format-html', 'format-markdown', 'format-xml', 'format-yaml', 'steps', 'body', 'upstream', 'auth-digest', 'forward', 'config', 'inbound-auth', 'cache', 'control', 'ops'];

const PARTS = {
  runtime: RUNTIME.map((m) => `templates/runtime/${m}.ts`),
  'runtime-server': ['server', 'rest', 'mcp', 'mcp-dispatch', 'mcp-extras', 'stdio', 'skills', 'auth-oauth2', 'hooks'].map((m) => `templates/runtime/${m}.ts`),
  'model-strings': ['src/model/jsonpath.ts', 'src/model/template.ts', 'src/model/consumed-path.ts'],
  names: ['src/names/**/*.ts'],
  // src/validate in two parts: the validator itself, and the cross-check rules.
  validate: ['src/validate/*.ts'],
  'validate-rules': ['src/validate/rules/*.ts'],
  cli: ['src/cli/{exit-codes,report,config-file,expand-inputs,sources,validate-command,rules-command,schema-command}.ts'],
  // The large commands and the wiring, through the in-process tests of test/mutation-cli-*.test.ts.
  'cli-commands': ['src/cli/{build-command,main,import-command,init-command,migrate-command,watch-command,parallel}.ts'],
  // The model's transforms, through the in-process model tests (test/mutation-model-*.test.ts); the string parsers are model-strings.
  'model-transforms': ['src/model/**/*.ts', '!src/model/{jsonpath,template,consumed-path}.ts'],
  // The MCP adapter alone (its HTTP transport, the shared server's dispatch, stdio), through its in-process tests.
  'runtime-mcp': ['mcp', 'mcp-dispatch', 'stdio'].map((m) => `templates/runtime/${m}.ts`),
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
