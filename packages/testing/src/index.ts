export { createTestDb, type TestDb } from './test-db.ts';
export { createTestApp, createTwoTenantApp, ADMIN_PASSWORD, type TestApp, type TestAppOptions, type TwoTenantApp } from './test-app.ts';
export { startStandby, startRecovered, baseBackup, osUserIds, type Standby } from './standby.ts';
export { startMosaicProcess, startTopology, REPO_ROOT, type MosaicProcess, type Topology, type StartOptions } from './processes.ts';
export { testTopology, type TestTopology } from './topology.ts';
export { until, waitFor } from './until.ts';
export { listenerCut, type ListenerCut } from './listener-cut.ts';
export { spyStatements, statementsOf, statementTextsOf, type SentStatement } from './statement-spy.ts';
export { onClockDay, voucherDatesOf } from './clock-day.ts';
