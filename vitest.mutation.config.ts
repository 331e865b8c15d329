import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant (npm run mutation): the unit-level tests of
 * validation, the model, names and the CLI, in-process. Tests that run the compiled bin or
 * generated servers see dist/ or a child process, not the mutated sources, so they are left out.
 * MUTATION_TESTS=validate (or names) runs the smaller set that covers one folder, which is much
 * faster on a small machine: MUTATION_TESTS=validate npm run mutation -- --mutate 'src/validate/**'.
 * MUTATION_TESTS=runtime measures the generated servers' runtime (templates/runtime/*.ts) through the
 * tests that import it in process (test/runtime-*.test.ts): npm run mutation:runtime.
 */
const RUNTIME_SERVER_TESTS = [
  'test/runtime-server-rest.test.ts',
  'test/runtime-server-mcp.test.ts',
  'test/runtime-server-stdio.test.ts',
  'test/runtime-server-skills.test.ts',
  'test/runtime-server-oauth2.test.ts',
  'test/runtime-server-drain.test.ts',
  'test/runtime-server2-rest*.test.ts',
];

const SETS: Record<string, string[]> = {
  names: ['test/names.test.ts', 'test/names-details.test.ts', 'test/inputs.test.ts', 'test/import-input-schema.test.ts', 'test/mutation-names.test.ts'],
  // The validator itself (src/validate/*.ts); the rules have their own part, validate-rules.
  validate: ['test/mutation-validate-core.test.ts', 'test/mutation-validate-schema.test.ts', 'test/validate-schema.test.ts', 'test/mutation-ese-*.test.ts'],
  // The server tests reach these modules too (guards, limits, logs, the upstream client, inbound authentication).
  runtime: ['test/runtime-mapping.test.ts', 'test/runtime-requests.test.ts', 'test/runtime-operations.test.ts', 'test/runtime-edges.test.ts', 'test/handlers-tutorial.test.ts', 'test/runtime-mutants.test.ts', 'test/runtime-mutants2-*.test.ts', 'test/runtime-mutants3-*.test.ts', 'test/perf-upstream-client.test.ts', 'test/perf-deadlines.test.ts', ...RUNTIME_SERVER_TESTS],
  // The servers themselves, started in process (MUTATION_TESTS=runtime-server npm run mutation:part).
  'runtime-server': RUNTIME_SERVER_TESTS,
  // In-process tables only (a small capability in, its exact findings out): a mutant's run takes a second, not minutes.
  'validate-rules': ['test/mutation-validate-rules.test.ts', 'test/validate-rules.test.ts'],
  'model-strings': ['test/model-strings.test.ts', 'test/mutation-model6-strings.test.ts', 'test/validate-rules.test.ts', 'test/validate-details.test.ts', 'test/inputs.test.ts'],
  model: [
    'test/generate.test.ts',
    'test/handlers-tutorial.test.ts',
    'test/import-input-schema.test.ts',
    'test/project-extras.test.ts',
    'test/inputs.test.ts',
    'test/validate-details.test.ts',
    'test/validate-rules.test.ts',
    'test/relaxations.test.ts',
    'test/versions.test.ts',
  ],
  'model-transforms': ['test/mutation-model-*.test.ts', 'test/mutation-model5-*.test.ts', 'test/mutation-model6-*.test.ts'],
  // The MCP adapter's transports (mcp.ts, mcp-dispatch.ts, stdio.ts): servers built inside each test, so set-up code is measured too.
  'runtime-mcp': ['test/runtime-server2-mcp*.test.ts', 'test/runtime-server-mcp.test.ts', 'test/runtime-server-stdio.test.ts'],
  // cli-ecosystem.test.ts changes the working folder (process.chdir), which Stryker's worker threads do not allow.
  cli: ['test/cli-units.test.ts', 'test/cli.test.ts', 'test/cli-promises.test.ts', 'test/build-skip.test.ts', 'test/batch.test.ts', 'test/init.test.ts', 'test/readme-claims.test.ts', 'test/mutation-cli3-*.test.ts'],
  // MUTATION_CLI_TESTS=build runs only the build tests (enough for build-command.ts and parallel.ts, and much faster).
  // mutation-cli2-*: the second pass (the pool of parallel.ts with in-process workers, import, migrate, watch); mutation-cli3-*: the third.
  'cli-commands': ['test/mutation-cli-build.test.ts', 'test/mutation-cli2-*.test.ts', 'test/mutation-cli3-*.test.ts', 'test/speed-equivalence.test.ts', ...(process.env.MUTATION_CLI_TESTS === 'build' ? [] : ['test/mutation-cli-commands.test.ts', 'test/mutation-cli-main.test.ts'])],
  all: [
    'test/names.test.ts',
    'test/names-details.test.ts',
    'test/load.test.ts',
    'test/validate-schema.test.ts',
    'test/validate-rules.test.ts',
    'test/validate-protection.test.ts',
    'test/validate-details.test.ts',
    'test/relaxations.test.ts',
    'test/inputs.test.ts',
    'test/cli.test.ts',
    'test/cli-promises.test.ts',
    'test/readme-claims.test.ts',
    'test/readme-examples.test.ts',
  ],
};

export default defineConfig({
  test: {
    include: SETS[process.env.MUTATION_TESTS ?? 'all'] ?? SETS.all!,
    // [\s\S], not `.`: a test whose name holds a line break (an it.each row named by a YAML text) must run too.
    testNamePattern: '^(?![\\s\\S]*(installed bin|worker threads|two separate processes|without --out))[\\s\\S]*$',
    // The in-process server tests wait on sockets: a mutant that leaves a request unanswered fails its test
    // in seconds instead of timing out the whole run (which restarts Stryker's test runner).
    // (runtime-mcp: 2 s, so that a test left waiting fails before Stryker's own timeout restarts the runner.)
    // (cli-commands: 10 s, about three times its slowest test on a loaded machine; a watch test whose rebuild
    // never comes would otherwise wait out printed()'s 15 s and Stryker's timeout, which restarts the runner.)
    testTimeout: process.env.MUTATION_TESTS === 'runtime-mcp' ? 2_000 : process.env.MUTATION_TESTS === 'cli-commands' ? 10_000 : process.env.MUTATION_TESTS?.startsWith('runtime') ? 4_000 : 60_000,
  },
});
