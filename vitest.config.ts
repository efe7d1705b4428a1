import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    globalSetup: ['packages/server/test/global-setup.ts'],
    // Vitest's default is one worker fewer than the cores: one on the 2-core CI
    // machine, which left a core idle while each file waited on its own
    // database (PGlite runs in the worker; PostgreSQL answers over a socket).
    // Every file builds its own database, so files can run side by side.
    maxWorkers: Math.max(2, availableParallelism()),
    // Test files share their worker processes (and so their loaded modules,
    // PGlite's compiled WebAssembly and the template database) instead of
    // starting a process per file: the suite took half the time on the 2-core
    // CI machine (PGlite: 10m47s → 5m54s). Each file still opens its own
    // database; a module that keeps state across calls is reloaded by the test
    // that depends on a fresh one (`vi.resetModules`).
    isolate: false,
    // Database tests open real PostgreSQL (PGlite or a server); allow for it.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
