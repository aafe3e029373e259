import { defineConfig } from 'vitest/config';

// Browser tests: Debian's Chromium (/usr/bin/chromium, installed with `apt-get install chromium
// fonts-noto-cjk`) driven by playwright-core against neikong on a free port. One file at a time:
// each starts a server with its own in-memory database and a browser.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
