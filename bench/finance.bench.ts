// bench/finance: BENCH_ROWS (default 10,000,000) general-ledger entries of one company over
// 2026, as balanced voucher pairs across the 小企业会计准则 chart. Then the trial balance
// (科目余额表), 资产负债表 and 利润表 for one month (2026-06) and for the year (2026-12, year to
// date) through the finance module — which reads gl_period_balance — each beside the raw
// GROUP BY over the same gl_entry rows. Target (issue 9): each statement under 200 ms.
// Loading is bench set-up, NOT the product's posting path (that one is exercised by
// modules/finance/test/ledger-load.int.test.ts and bench/ledger-load): one INSERT … SELECT
// generate_series per 1,000,000 rows with triggers off (session_replication_role = replica: no
// posting guard, balance check or foreign-key checks), ids in ascending order so the primary keys
// only append, the tables' other indexes dropped before and built again after (same definitions, all in one transaction),
// then the period balances rebuilt with one GROUP BY — the state the posting trigger keeps.
import os from 'node:os';
import pg from 'pg';
import { inTenantTx, openDatabase, sql } from '@mosaic/db';
import { MetaStore } from '@mosaic/meta';
import { createTenant, loadActor } from '@mosaic/identity';
import { guardFor } from '@mosaic/access';
import type { RecordsCtx } from '@mosaic/records';
import { installModules } from '@mosaic/server';
import { balanceSheet, incomeStatement, trialBalance } from '@mosaic/finance';
import { benchDatabase, machine, measureAlternately, round, timed, writeResult } from './lib/bench-kit.ts';

const TOTAL = Number(process.env.BENCH_ROWS ?? 10_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
// Statement samples per raw GROUP BY sample: the raw scan takes seconds at 10M rows, a statement milliseconds.
const STATEMENT_SAMPLES = Number(process.env.BENCH_STATEMENT_SAMPLES ?? 4);
const CHUNK = 1_000_000;

// Bulk-load settings of the bench's own embedded server (ignored with DATABASE_URL): few checkpoints
// while 10,000,000 rows go in. The statements measured afterwards only read.
const database = await benchDatabase({ flags: ['-c', 'max_wal_size=10GB', '-c', 'checkpoint_timeout=1h'] });
const db = openDatabase(database.url, { appPoolSize: 8 });
const raw = new pg.Pool({ connectionString: database.url, max: 2, options: '-c search_path=mosaic -c statement_timeout=0' });

try {
  const tenant = await createTenant(db, { name: '财务压测', companyName: '压测公司', adminEmail: 'fin-bench@mosaic.local', adminPassword: 'Bench-Password-2026' });
  const { tenantId, companyId } = tenant;
  const store = new MetaStore(db.app);
  await installModules(db, store, [tenantId]);
  const actor = (await inTenantTx(db.app, { tenantId }, (tx) => loadActor(tx, tenantId, tenant.adminId)))!.actor;
  const ctx: RecordsCtx = { db, store, guard: await guardFor(db, store, actor) };

  const loadBefore = os.loadavg();
  const [genMs, phases] = await timed(async () => {
    const client = await raw.connect();
    try {
      return await loadLedger(client, tenantId, companyId);
    } finally {
      client.release();
    }
  });
  const loadAfter = os.loadavg();
  const rows = Number((await raw.query('SELECT count(*) AS n FROM o_gl_entry WHERE tenant_id = $1', [tenantId])).rows[0].n);
  console.log(`loaded ${rows.toLocaleString()} ledger entries in ${round(genMs / 1000, 1)} s (${JSON.stringify(phases)}; load average ${loadBefore.map((x) => round(x)).join(' ')} → ${loadAfter.map((x) => round(x)).join(' ')})`);

  // The raw scans: what the statements would cost without period balances.
  const rawTb = (period: string) => raw.query(`SELECT c_account, sum(c_debit - c_credit) FILTER (WHERE c_period < $3), sum(c_debit) FILTER (WHERE c_period = $3), sum(c_credit) FILTER (WHERE c_period = $3)
    FROM o_gl_entry WHERE tenant_id = $1 AND company_id = $2 AND c_period <= $3 GROUP BY c_account`, [tenantId, companyId, period]);
  const rawBs = (period: string) => raw.query(`SELECT a.c_code, sum(g.c_debit - g.c_credit) FROM o_gl_entry g JOIN o_gl_account a ON a.id = g.c_account
    WHERE g.tenant_id = $1 AND g.company_id = $2 AND g.c_period <= $3 GROUP BY a.c_code`, [tenantId, companyId, period]);
  const rawIs = (from: string, to: string) => raw.query(`SELECT a.c_code, sum(g.c_credit - g.c_debit) FROM o_gl_entry g JOIN o_gl_account a ON a.id = g.c_account
    WHERE g.tenant_id = $1 AND g.company_id = $2 AND g.c_period BETWEEN $3 AND $4 AND a.c_code LIKE '5%' GROUP BY a.c_code`, [tenantId, companyId, from, to]);

  const cases: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
    ['trial balance, month (2026-06)', () => trialBalance(ctx, companyId, '2026-06'), () => rawTb('2026-06')],
    ['trial balance, year (2026-12)', () => trialBalance(ctx, companyId, '2026-12'), () => rawTb('2026-12')],
    ['资产负债表, month end (2026-06)', () => balanceSheet(ctx, companyId, '2026-06'), () => rawBs('2026-06')],
    ['资产负债表, year end (2026-12)', () => balanceSheet(ctx, companyId, '2026-12'), () => rawBs('2026-12')],
    ['利润表, month + ytd (2026-06)', () => incomeStatement(ctx, companyId, '2026-06'), () => rawIs('2026-06', '2026-06')],
    ['利润表, year (2026-12 ytd)', () => incomeStatement(ctx, companyId, '2026-12'), () => rawIs('2026-01', '2026-12')],
  ];
  const results = [];
  for (const [name, engine, baseline] of cases) {
    const [finance, rawGroupBy] = await measureAlternately(engine, baseline, REPEAT, STATEMENT_SAMPLES);
    const r = { name, finance, rawGroupBy, speedup: round(rawGroupBy.p50 / finance.p50, 1), under200ms: finance.p50 < 200, p95Under200ms: finance.p95 < 200 };
    results.push(r);
    console.log(`${name.padEnd(34)} finance p50 ${String(r.finance.p50).padStart(8)} ms p95 ${String(r.finance.p95).padStart(8)} ms   raw GROUP BY p50 ${String(r.rawGroupBy.p50).padStart(9)} ms   ×${r.speedup}`);
  }
  if (process.env.BENCH_EXPLAIN) await explainIncomeStatement(tenantId, companyId);
  if (process.env.BENCH_HOLD) { // keep the loaded database for a look by hand (psql); SIGUSR2 goes on
    console.log(`holding ${database.url} tenant ${tenantId} company ${companyId}; kill -USR2 ${process.pid} to finish`);
    await new Promise((r) => process.once('SIGUSR2', r));
  }
  const bs = await balanceSheet(ctx, companyId, '2026-12');
  console.log(`balance sheet balances: ${bs.balanced}`);
  const file = writeResult(TOTAL === 10_000_000 ? 'finance' : `finance-${TOTAL}`, { rows, loadSeconds: round(genMs / 1000, 1), loadPhases: phases, repeat: REPEAT,
    // `uptime`'s load averages (1, 5, 15 min): the machine is shared, absolute figures need them.
    uptime: { beforeLoad: loadBefore.map((x) => round(x)), afterLoad: loadAfter.map((x) => round(x)), afterMeasuring: os.loadavg().map((x) => round(x)) }, balanceSheetBalances: bs.balanced, results, machine: machine() });
  console.log(`written ${file}`);
} finally {
  await raw.end();
  await db.close();
  await database.stop();
}

/**
 * Bench set-up: TOTAL/2 balanced vouchers (a debit and a credit line on two different leaf
 * accounts, same amount) spread over 2026, then the period balances. Returns seconds per phase.
 */
async function loadLedger(client: pg.PoolClient, tenantId: string, companyId: string) {
  const phase = async (fn: () => Promise<unknown>) => round((await timed(fn))[0] / 1000, 1);
  await client.query(`SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '512MB'`);
  const leaves: string[] = (await client.query(`SELECT array_agg(id ORDER BY c_code) AS ids FROM o_gl_account WHERE tenant_id = $1 AND company_id = $2 AND NOT c_is_group`, [tenantId, companyId])).rows[0].ids;
  // One transaction from the DROP INDEX to the rebuilt indexes and balances: DDL is
  // transactional in PostgreSQL, so an error, a Ctrl-C or a crash anywhere in between
  // rolls the drop back with the rows — a `finally` alone would not survive a kill, and on
  // a DATABASE_URL server the tables (shared by every tenant) were left without their
  // indexes. Until COMMIT other sessions keep the indexes and wait on the tables' lock:
  // do not point DATABASE_URL at a database in use.
  await client.query('BEGIN');
  let done: { insertSeconds: number; indexSeconds: number; balanceSeconds: number; indexesRebuilt: number };
  try {
    done = await loadInOneTransaction(client, tenantId, companyId, leaves, phase);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
  const analyzeSeconds = await phase(() => client.query('ANALYZE o_gl_entry; ANALYZE gl_period_balance; ANALYZE o_journal_entry'));
  return { ...done, analyzeSeconds };
}

/** loadLedger's part inside its transaction: indexes dropped, rows in, indexes and period balances made again. */
async function loadInOneTransaction(client: pg.PoolClient, tenantId: string, companyId: string, leaves: string[], phase: (fn: () => Promise<unknown>) => Promise<number>) {
  const n = leaves.length;
  const indexes = await dropSecondaryIndexes(client, ['o_gl_entry', 'o_journal_entry']);
  // Ascending ids (…-a000-<i> for vouchers, …-b000-<line> for lines): appends to the primary keys.
  const id = (kind: 'a' | 'b', expr: string) => `('00000000-0000-4000-${kind}000-' || lpad(to_hex(${expr}), 12, '0'))::uuid`;
  const insertSeconds = await phase(async () => {
    for (let start = 0; start < TOTAL / 2; start += CHUNK / 2) {
      const end = Math.min(TOTAL / 2, start + CHUNK / 2);
      const series = `generate_series(${start}::bigint, ${end - 1}) i`;
      await client.query(`INSERT INTO o_journal_entry (tenant_id, id, company_id, status, c_voucher_type, c_posting_date, c_number)
        SELECT $1::uuid, ${id('a', 'i')}, $2::uuid, 'submitted', '记', DATE '2026-01-01' + (i % 365)::int, '记-' || i FROM ${series}`, [tenantId, companyId]);
      // One voucher per i: a debit line and a credit line on two different accounts, same amount.
      await client.query(`INSERT INTO o_gl_entry (tenant_id, id, company_id, c_account, c_posting_date, c_period, c_debit, c_credit, c_voucher_no, c_journal_entry)
        SELECT $1::uuid, ${id('b', '2 * i + side')}, $2::uuid, ($3::uuid[])[k + 1], d, to_char(d, 'YYYY-MM'), CASE WHEN side = 0 THEN amt ELSE 0 END, CASE WHEN side = 1 THEN amt ELSE 0 END, '记-' || i, ${id('a', 'i')}
        FROM ${series}, LATERAL (SELECT DATE '2026-01-01' + (i % 365)::int AS d, ((i * 7919) % 100000) / 100.0 + 1 AS amt) x,
             LATERAL (VALUES (0, (i * 31) % ${n}), (1, (i * 31 + 1 + (i % (${n} - 1))) % ${n})) s(side, k)`, [tenantId, companyId, leaves]);
    }
  });
  const indexSeconds = await phase(async () => {
    for (const def of indexes) await client.query(def);
  });
  const balanceSeconds = await phase(() => client.query(`INSERT INTO gl_period_balance (tenant_id, company_id, account_id, period, debit, credit)
    SELECT tenant_id, company_id, c_account, c_period, sum(c_debit), sum(c_credit) FROM o_gl_entry WHERE tenant_id = $1 GROUP BY 1, 2, 3, 4`, [tenantId]));
  return { insertSeconds, indexSeconds, balanceSeconds, indexesRebuilt: indexes.length };
}

/** Drops the tables' indexes that back no constraint (the primary keys stay); returns their CREATE INDEX statements. */
async function dropSecondaryIndexes(client: pg.PoolClient, tables: string[]): Promise<string[]> {
  const r = await client.query(`SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
    WHERE i.indrelid = ANY($1::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`, [tables]);
  for (const x of r.rows) await client.query(`DROP INDEX ${x.name}`);
  return r.rows.map((x) => x.def as string);
}

/** BENCH_EXPLAIN=1: the plan of the 利润表's one query (month + year to date), as the app role runs it (row security on). */
async function explainIncomeStatement(tenantId: string, companyId: string) {
  const q = `SELECT a.c_code, sum(b.debit - b.closing_debit) FILTER (WHERE b.period BETWEEN '2026-06' AND '2026-06'), sum(b.credit - b.closing_credit) FILTER (WHERE b.period BETWEEN '2026-06' AND '2026-06'),
      sum(b.debit - b.closing_debit) FILTER (WHERE b.period BETWEEN '2026-01' AND '2026-06'), sum(b.credit - b.closing_credit) FILTER (WHERE b.period BETWEEN '2026-01' AND '2026-06')
    FROM gl_period_balance b JOIN o_gl_account a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
    WHERE b.company_id = '${companyId}' AND (b.period BETWEEN '2026-06' AND '2026-06' OR b.period BETWEEN '2026-01' AND '2026-06') GROUP BY 1`;
  await inTenantTx(db.app, { tenantId }, async (tx) => {
    const plan = await sql.raw<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q}`).execute(tx);
    console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
  });
}
