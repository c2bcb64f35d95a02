/**
 * One place for the browser tests' waits. The suite's one first start
 * (template-db.ts) installs every module into a new tenant: minutes when the
 * 2 cores are shared, so it gets up to seven. A file's own server starts on a
 * copy of that database and installs nothing (seconds), but gets the same
 * budget, as a loaded machine can still be slow; a file's beforeAll — that
 * start plus its own set-up through the API and a first login — three more
 * (vitest.e2e.config.ts hookTimeout: files do not set their own).
 */
export const SERVER_START_MS = 420_000;
export const FILE_SETUP_MS = SERVER_START_MS + 180_000;
