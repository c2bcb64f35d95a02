import { defineConfig } from 'vitest/config';

// One config for all server-side suites. Integration tests get a real PostgreSQL:
// globalSetup starts one embedded server per run and each test file makes its own
// database from a migrated template (packages/testing).
// Files share their worker process (isolate: false): a fresh process per file loaded
// every module again, about a second of CPU per file. What a file could leak to the
// next — per-tenant caches, the moved clock — is reset before each (file-setup.ts).
export default defineConfig({
  test: {
    include: ['packages/**/*.test.ts', 'apps/server/**/*.test.ts', 'modules/**/*.test.ts', 'flows/**/*.test.ts', 'bench/**/*.test.ts', 'apps/web/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.e2e.test.ts'],
    globalSetup: ['packages/testing/src/global-setup.ts'],
    setupFiles: ['packages/testing/src/file-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1, isolate: false } },
    reporters: ['default'],
  },
});
