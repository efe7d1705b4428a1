import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    globalSetup: ['packages/server/test/global-setup.ts'],
    // Database tests open real PostgreSQL (PGlite or a server); allow for it.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
