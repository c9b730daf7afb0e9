import { defineConfig } from 'vitest/config';

// Only for `npm run test:electron` (test/electron/run.ts); the root config never includes it.
export default defineConfig({
  test: {
    include: ['test/electron/**/*.electron.test.ts'],
    environment: 'node',
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
