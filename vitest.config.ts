import { defineConfig } from 'vitest/config';

// Tests run against a real database: PGlite in memory by default, PostgreSQL when DATABASE_URL
// is set (each test file gets a fresh database). PGlite needs ~700 MB per instance, so at most
// two files run at once on the 2-core, 24 GB machines.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'policies/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    // global.gc() lets memory tests measure what is retained, not what awaits collection.
    execArgv: ['--expose-gc'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
