import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Generated projects are compiled and started by several test files; forks keep them isolated.
    pool: 'forks',
  },
});
