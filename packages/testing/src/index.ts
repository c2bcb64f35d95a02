export { createTestDb, type TestDb } from './test-db.ts';
export { createTestApp, ADMIN_PASSWORD, type TestApp } from './test-app.ts';
export { startStandby, startRecovered, baseBackup, osUserIds, type Standby } from './standby.ts';
