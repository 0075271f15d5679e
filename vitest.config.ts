import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start processes, threads and DuckDB; on a 2-core CI machine they need room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file gets its own process: worker threads, native DuckDB instances and signal handlers
    // stay isolated between suites.
    pool: 'forks',
  },
});
