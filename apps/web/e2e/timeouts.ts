/**
 * One place for the browser tests' waits. A file's first server start installs
 * every module into a new tenant: minutes when the 2 cores are shared, so the
 * server gets up to seven minutes (server.ts), and a file's beforeAll — that
 * start plus its own set-up through the API and a first login — three more
 * (vitest.e2e.config.ts hookTimeout: files do not set their own).
 */
export const SERVER_START_MS = 420_000;
export const FILE_SETUP_MS = SERVER_START_MS + 180_000;
