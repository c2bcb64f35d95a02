export { createTestDb, type TestDb } from './test-db.ts';
export { createTestApp, ADMIN_PASSWORD, type TestApp } from './test-app.ts';
