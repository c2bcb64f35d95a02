import { afterAll, beforeAll } from 'vitest';
import { clearProcessCaches, resetClock } from '@mosaic/kernel';

/**
 * Runs around each test file (vitest.config.ts `setupFiles`). The server suite reuses a
 * process for many files (`isolate: false`: loading every module again per file cost about
 * four minutes of CPU a run). Each file has its own database, a copy of one template, so its
 * tenant has the same id as the last file's: what the process cached per tenant came from
 * another database, and the clock may still be where the last file moved it. Files also set
 * environment variables (SMTP_URL, …) and not every one gives them back exactly — assigning
 * `undefined` to process.env stores the string "undefined".
 */
let envBefore: Record<string, string | undefined> = {};

beforeAll(() => {
  clearProcessCaches();
  resetClock();
  envBefore = { ...process.env };
});

// Registered before the file's own hooks, so it runs after its afterAll (hooks unwind as a stack).
afterAll(() => {
  for (const name of Object.keys(process.env)) if (!(name in envBefore)) delete process.env[name];
  Object.assign(process.env, envBefore);
});
