/**
 * Which integration tests run again against two API processes and a worker
 * (`npm run test:multi`, vitest.multi.config.ts; issue 12 §2: "the whole test
 * suite that applies to them").
 *
 * How a file was chosen: it uses createTestApp (directly or through a fixture:
 * approval-fixture, automation-fixture, report-fixture, crm-world, access-world)
 * and drives the behaviour it asserts through the HTTP API (`t.api`, `t.upload`).
 * Reading or seeding the database directly is fine — the processes share it.
 * A file does NOT apply when what it asserts lives in the test's own process
 * and no server process can share it; those are listed below with the reason.
 */
export const NOT_APPLICABLE: Record<string, string> = {
  // Already this topology, or their own processes (a second set would change what they measure).
  'apps/server/test/multi-process.int.test.ts': 'starts 2 API processes and a worker itself',
  'apps/server/test/chain.int.test.ts': 'the in-process variant of the chain; multi-process.int.test.ts runs the same chain across processes',
  'apps/server/test/automation-schedule.int.test.ts': 'starts two worker processes of its own and counts their runs',
  'apps/server/test/automation-email-crash.int.test.ts': 'SIGKILLs its own worker process mid-send; a topology worker would take the mail instead',
  'modules/finance/test/dunning-crash.int.test.ts': 'SIGKILLs its own server process mid-send',
  'modules/finance/test/ledger-crash.int.test.ts': 'SIGKILLs and restarts its own server process',
  'apps/server/test/cli.int.test.ts': 'drives the CLI (start/backup/restore) as its own processes',
  'apps/server/test/start-under-traffic.int.test.ts': 'starts its own API processes on a busy database and calls the install in-process',
  'apps/server/test/cli-start-faults.int.test.ts': 'starts the CLI on its own embedded PostgreSQL and interrupts or fails its start-up',
  // In-process state a server process cannot see.
  'apps/server/test/documents.int.test.ts': 'registers test-only document hooks in the test process',
  'apps/server/test/auth-throttle.int.test.ts': 'moves the in-process test clock (advanceClock) through the throttle windows',
  'modules/crm/test/crm-service-desk.int.test.ts': 'sets and moves the in-process test clock (setClock, advanceClock) for SLA deadlines',
  'apps/server/test/records-computed.int.test.ts': 'moves the in-process test clock (advanceClock) for a TODAY() formula; the processes keep the real day',
  'apps/server/test/auth-session-cache.int.test.ts': 'tests the in-process session cache and its TTL with the test clock',
  'apps/server/test/approval-timeouts.int.test.ts': 'runs the timeout sweeper in-process on the test clock',
  'apps/server/test/error-catalogue.int.test.ts': 'moves the test clock for SESSION_EXPIRED (its 12 MB body over a socket: body-limit-socket.int.test.ts)',
  'modules/crm/test/crm-campaign.int.test.ts': 'waits for the campaign sender in-process (sendersIdle) and sets SMTP_URL after the app started',
  // Not HTTP: services and SQL called directly.
  'apps/server/test/access-tenancy.int.test.ts': 'row-level security through hand-written SQL on the app pool',
  'apps/server/test/report-access.int.test.ts': 'calls the report engine with hand-made guards',
  'apps/server/test/report-sql.int.test.ts': 'asserts the SQL the report compiler emits',
  'modules/manufacturing/test/mrp-store.int.test.ts': 'stores an MRP plan through the service',
  'apps/server/test/citus-readiness.int.test.ts': 'inspects the schema',
  'apps/server/test/day-statements.int.test.ts': 'counts the statements the in-process app sends (a spy on pg in the test process)',
  'apps/server/test/demo-seed.int.test.ts': 'seeds through the in-process app (app.inject) and checks the books in SQL',
  'apps/server/test/get-by-id-round-trips.int.test.ts': 'counts the statements the in-process app sends (a spy on pg in the test process)',
  'apps/server/test/automation-cost.int.test.ts': 'counts the statements of rule runs in the test process',
  'apps/server/test/write-replies.int.test.ts': 'registers test-only document hooks and counts statements in the test process',
  'apps/server/test/automation-consumer.int.test.ts': 'drives the outbox consumer in-process, batch by batch',
  'apps/server/test/module-upgrade.int.test.ts': 'calls installModules in the test process on a hand-aged tenant',
  'apps/server/test/install-stamp.int.test.ts': 'calls the start-up install (installModulesOnStart) in the test process and counts the tenants it installs',
  'apps/server/test/meta-deadlock.int.test.ts': 'holds table locks by hand and adds a second tenant\'s field through the service',
  'apps/server/test/read-replica.int.test.ts': 'starts its own primary, standby and server process',
  'apps/server/test/pitr-drill.int.test.ts': 'archives WAL and restores a base backup of its own server',
  'apps/server/test/demo-resume.int.test.ts': 'interrupts the in-process demo seed',
  'apps/server/test/filter-range-keys.int.test.ts': 'EXPLAINs as the app role in SQL (the plan, not the HTTP answer)',
  'packages/automation/src/engine/queue.lease.int.test.ts': 'the job queue\'s leases, driven in-process',
  'packages/db/src/cache-barrier.int.test.ts': 'the barrier between LISTEN connections of the test process',
  'packages/db/src/connection-faults.int.test.ts': 'drops the test process\'s own database connections',
  'packages/db/src/listen.int.test.ts': 'LISTEN reconnects of the test process',
  'packages/db/src/retry.int.test.ts': 'the retry helper against hand-made lock conflicts',
  'packages/db/src/tenant-read.int.test.ts': 'the pipelined read, called directly',
  'packages/meta/src/filter/filter.int.test.ts': 'compiles filters to SQL and runs them directly',
  'packages/meta/src/formula/formula.pg.int.test.ts': 'compiles formulas to SQL and runs them directly',
  // Too heavy to repeat over HTTP in the time budget.
  'apps/server/test/access-matrix.int.test.ts': '86,404 permission cases: over a socket to 3 processes it ran past 600 s on the shared machine',
  'modules/finance/test/ledger-load.int.test.ts': 'a load test with its own time bounds',
};

/** Every file that applies. */
export const MULTI_TOPOLOGY_FILES: string[] = [
  'apps/server/src/routes/meta-tools.routes.int.test.ts',
  'apps/server/test/access-admin.int.test.ts',
  'apps/server/test/access-fields.int.test.ts',
  'apps/server/test/access-protected.int.test.ts',
  'apps/server/test/access-revoke-across-processes.int.test.ts',
  'apps/server/test/approval-concurrency.int.test.ts',
  'apps/server/test/approval-flow.int.test.ts',
  'apps/server/test/approval-flows-api.int.test.ts',
  'apps/server/test/approval-modes.int.test.ts',
  'apps/server/test/auth-sessions.int.test.ts',
  'apps/server/test/automation-api.int.test.ts',
  'apps/server/test/automation-assign.int.test.ts',
  'apps/server/test/automation-loop-date.int.test.ts',
  'apps/server/test/automation-webhooks.int.test.ts',
  'apps/server/test/body-limit-socket.int.test.ts',
  'apps/server/test/chain-pieces.int.test.ts',
  'apps/server/test/export-csv.int.test.ts',
  'apps/server/test/field-types.int.test.ts',
  'apps/server/test/http-errors.int.test.ts',
  'apps/server/test/import-csv.int.test.ts',
  'apps/server/test/import-rows.int.test.ts',
  'apps/server/test/import-xlsx-roundtrip.int.test.ts',
  'apps/server/test/injection-corpus.int.test.ts',
  'apps/server/test/list-timing.int.test.ts',
  'apps/server/test/meta-runtime.int.test.ts',
  'apps/server/test/meta-narrow-across-processes.int.test.ts',
  'apps/server/test/openapi.int.test.ts',
  'apps/server/test/range-key-hidden.int.test.ts',
  'apps/server/test/records-api.int.test.ts',
  'apps/server/test/records-concurrency.int.test.ts',
  'apps/server/test/report-alerts.int.test.ts',
  'apps/server/test/report-api.int.test.ts',
  'apps/server/test/report-dashboards.int.test.ts',
  'apps/server/test/web-views.int.test.ts',
  'flows/stock-to-ledger/test/stock-to-ledger.int.test.ts',
  'modules/buying/test/procure-to-pay.int.test.ts',
  'modules/buying/test/purchase-units.int.test.ts',
  'modules/buying/test/returns-hold-approval.int.test.ts',
  'modules/buying/test/service-lines.int.test.ts',
  'modules/buying/test/supplier-portal.int.test.ts',
  'modules/calendar/test/company-calendar.int.test.ts',
  'modules/crm/test/crm-keys-rls.int.test.ts',
  'modules/crm/test/crm-pool-access.int.test.ts',
  'modules/crm/test/crm-promises.int.test.ts',
  'modules/crm/test/crm-quote-print.int.test.ts',
  'modules/crm/test/crm-quotes.int.test.ts',
  'modules/crm/test/crm-sales-analytics.int.test.ts',
  'modules/crm/test/crm-sales-flow.int.test.ts',
  'modules/crm/test/crm-sales-mgmt.int.test.ts',
  'modules/crm/test/crm-service-360.int.test.ts',
  'modules/finance/test/bank-budget.int.test.ts',
  'modules/finance/test/chart-exports.int.test.ts',
  'modules/finance/test/closing-statements.int.test.ts',
  'modules/finance/test/company-books.int.test.ts',
  'modules/finance/test/currency-tax.int.test.ts',
  'modules/finance/test/dunning.int.test.ts',
  'modules/finance/test/fixed-asset.int.test.ts',
  'modules/finance/test/general-ledger.int.test.ts',
  'modules/finance/test/gr-ir-clearing.int.test.ts',
  'modules/finance/test/ledger-books.int.test.ts',
  'modules/finance/test/payment.int.test.ts',
  'modules/finance/test/posted-voucher-paths.int.test.ts',
  'modules/hr/test/attendance-leave.int.test.ts',
  'modules/hr/test/payroll.int.test.ts',
  'modules/hr/test/people-rules.int.test.ts',
  'modules/hr/test/talent.int.test.ts',
  'modules/manufacturing/test/bom-versions-completion.int.test.ts',
  'modules/manufacturing/test/bom.int.test.ts',
  'modules/manufacturing/test/mrp-forecast-versions.int.test.ts',
  'modules/manufacturing/test/mrp-four-levels.int.test.ts',
  'modules/manufacturing/test/mrp.int.test.ts',
  'modules/manufacturing/test/work-order.int.test.ts',
  'modules/manufacturing/test/workshop-progress.int.test.ts',
  'modules/projects/test/project-profit.int.test.ts',
  'modules/selling/test/discount-approval.int.test.ts',
  'modules/selling/test/order-owner.int.test.ts',
  'modules/selling/test/order-to-cash.int.test.ts',
  'modules/selling/test/selling-chain.int.test.ts',
  'modules/stock/test/stock-documents.int.test.ts',
  'modules/stock/test/stock-ledger.int.test.ts',
  'modules/stock/test/stock-reports.int.test.ts',
  'packages/print/test/print.int.test.ts',
  'packages/print/test/templates.int.test.ts',
];

/**
 * The part `npm test` runs in this topology (scripts/test.mjs, suite `server-multi`):
 * one file per concern that crosses processes — metadata and access caches,
 * sessions, auto-numbers under concurrency, approvals, rules in the worker,
 * uploads read by the other process, a document chain, rights changed through one process
 * and in force on the other at once (access-admin; the window it found is closed by the
 * cache barrier of ADR 0012, and access-revoke-across-processes.int.test.ts repeats it
 * 100 times in the full list), and the same barrier for metadata: a field made required or
 * a select option removed through process A holds on process B's very next request
 * (meta-narrow-across-processes; meta-runtime's requests only take turns between the
 * processes, it never asks B right after a narrowing change through A). ~50 s of tests.
 */
export const MULTI_TOPOLOGY_IN_NPM_TEST: string[] = [
  'apps/server/test/meta-runtime.int.test.ts',
  'apps/server/test/meta-narrow-across-processes.int.test.ts',
  'apps/server/test/access-admin.int.test.ts',
  'apps/server/test/auth-sessions.int.test.ts',
  'apps/server/test/records-concurrency.int.test.ts',
  'apps/server/test/approval-modes.int.test.ts',
  'apps/server/test/automation-api.int.test.ts',
  'apps/server/test/import-csv.int.test.ts',
  'modules/selling/test/order-to-cash.int.test.ts',
];
