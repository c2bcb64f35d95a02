import { defineConfig } from 'vitest/config';
import { FILE_SETUP_MS } from './apps/web/e2e/timeouts.ts';

// Browser tests: one embedded PostgreSQL for the suite, in it a database one real first
// start installed (apps/web/e2e/template-db.ts); each file starts its own server on a copy
// of it (apps/web/e2e/server.ts) and drives Debian's Chromium through playwright-core.
// scripts/test.mjs runs this config when a Chromium is found.
export default defineConfig({
  test: {
    include: ['apps/web/e2e/**/*.e2e.test.ts'],
    globalSetup: ['apps/web/e2e/build-web.ts', 'apps/web/e2e/template-db.ts'], // the web build; one cluster with an installed template database
    testTimeout: 60_000,
    hookTimeout: FILE_SETUP_MS, // a server start and a file's set-up: minutes when the 2 cores are shared (apps/web/e2e/timeouts.ts)
    pool: 'forks',
    // A server + a browser per file: one at a time on 2 cores, in one reused process (a fresh one per file cost ~2 s).
    poolOptions: { forks: { maxForks: 1, minForks: 1, isolate: false } },
    fileParallelism: false,
    sequence: { concurrent: false },
    expect: { poll: { timeout: 10_000, interval: 100 } },
    reporters: ['default'],
  },
});
