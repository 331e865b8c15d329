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
const SETS: Record<string, string[]> = {
  names: ['test/names.test.ts', 'test/names-details.test.ts', 'test/inputs.test.ts'],
  validate: ['test/load.test.ts', 'test/validate-details.test.ts', 'test/validate-schema.test.ts', 'test/validate-rules.test.ts', 'test/validate-protection.test.ts', 'test/relaxations.test.ts', 'test/readme-claims.test.ts'],
  runtime: ['test/runtime-mapping.test.ts', 'test/runtime-requests.test.ts', 'test/runtime-operations.test.ts', 'test/runtime-edges.test.ts', 'test/handlers-tutorial.test.ts'],
  'validate-rules': ['test/validate-rules.test.ts', 'test/validate-details.test.ts', 'test/validate-protection.test.ts', 'test/relaxations.test.ts'],
  'model-strings': ['test/model-strings.test.ts', 'test/validate-rules.test.ts', 'test/validate-details.test.ts', 'test/inputs.test.ts'],
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
  'model-transforms': ['test/mutation-model-*.test.ts'],
  // cli-ecosystem.test.ts changes the working folder (process.chdir), which Stryker's worker threads do not allow.
  cli: ['test/cli-units.test.ts', 'test/cli.test.ts', 'test/cli-promises.test.ts', 'test/build-skip.test.ts', 'test/batch.test.ts', 'test/init.test.ts', 'test/readme-claims.test.ts'],
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
    testNamePattern: '^(?!.*(installed bin|worker threads|two separate processes|without --out)).*$',
    testTimeout: 60_000,
  },
});
