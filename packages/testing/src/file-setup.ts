import { beforeAll } from 'vitest';
import { clearProcessCaches, resetClock } from '@mosaic/kernel';

/**
 * Runs before each test file (vitest.config.ts `setupFiles`). The server suite reuses a
 * process for many files (`isolate: false`: loading every module again per file cost about
 * four minutes of the run). Each file has its own database, a copy of one template, so its
 * tenant has the same id as the last file's: what the process cached per tenant came from
 * another database, and the clock may still be where the last file moved it.
 */
beforeAll(() => {
  clearProcessCaches();
  resetClock();
});
