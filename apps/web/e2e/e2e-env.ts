// What the browser suite's global setup (template-db.ts) and each file (server.ts) share.
// No import of 'vitest' here: global setup runs outside a test worker.

/** The admin the first start creates (MOSAIC_ADMIN_*), in the template database and so in every file's copy. */
export const E2E_ADMIN = { email: 'admin@e2e.local', password: 'E2e-Admin-Pw-2026' };

/** The database the suite's one real first start set up; each file's server runs on a copy. */
export const E2E_TEMPLATE = 'mosaic_e2e_template';
