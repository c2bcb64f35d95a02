import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { Decimal } from '@mosaic/kernel';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { computeLines } from '../statements/statements.report.ts';
import { BALANCE_SHEET, INCOME_STATEMENT } from '../statements/statement-lines.ts';
import { accountsByCode, submitDoc } from './finance-fixture.ts';

// The 资产负债表 reads all its columns (期末, 年初, a compare period) in one pass over the
// period balances, and the statements run read-only (bench/finance, issue 9). Checked here:
// every row of every column equals the same line computed from the ledger lines themselves
// (gl_entry summed up to that column's end), to the cent — over two years, with accounts that
// first move after the year start, and profit not carried to 本年利润 yet.
let t: TestApp;
let acct: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  acct = await accountsByCode(t);
  const je = async (date: string, lines: [string, string, string][]) => {
    const r = await t.api('POST', '/api/v1/records/journal_entry', { posting_date: date, lines: lines.map(([c, d, cr]) => ({ account: acct[c], debit: d, credit: cr })) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await submitDoc(t, 'journal_entry', r.body.id)).status).toBe(200);
  };
  await je('2025-11-03', [['1002', '50000.00', '0'], ['3001', '0', '50000.00']]);
  await je('2025-12-15', [['1122', '2260.00', '0'], ['5001', '0', '2000.00'], ['22210102', '0', '260.00']]);
  await je('2025-12-20', [['5602', '333.33', '0'], ['1001', '0', '333.33']]);
  await je('2026-02-10', [['1405', '1200.10', '0'], ['2202', '0', '1200.10']]); // 1405 and 2202 first move after the year start
  await je('2026-03-05', [['1002', '2260.00', '0'], ['1122', '0', '2260.00']]);
  await je('2026-06-18', [['1122', '565.00', '0'], ['5001', '0', '500.00'], ['22210102', '0', '65.00']]);
  await je('2026-06-18', [['5401', '300.05', '0'], ['1405', '0', '300.05']]);
  await je('2026-07-01', [['5602', '10.00', '0'], ['1002', '0', '10.00']]); // after every column: in none
});

afterAll(async () => {
  await t?.close();
});

/** debit and credit per account code, summed from gl_entry lines with `periodOk` — the oracle. */
async function fromLedgerLines(where: 'upTo' | 'between', a: string, b?: string) {
  const rows = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) => (await sql<{ code: string; debit: string; credit: string }>`
    SELECT a.c_code AS code, sum(g.c_debit)::text AS debit, sum(g.c_credit)::text AS credit
    FROM o_gl_entry g JOIN o_gl_account a ON a.id = g.c_account
    WHERE g.company_id = ${t.tenant.companyId} AND ${where === 'upTo' ? sql`g.c_period <= ${a}` : sql`g.c_period BETWEEN ${a} AND ${b!}`}
    GROUP BY 1`.execute(tx)).rows);
  return new Map(rows.map((r) => [r.code, { debit: new Decimal(r.debit), credit: new Decimal(r.credit) }]));
}

const statement = async (kind: string, query: string) => {
  const r = await t.api('GET', `/api/v1/finance/statements/${kind}?${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { rows: Record<string, string>[]; balanced?: boolean };
};

describe('资产负债表 from one read of the period balances', () => {
  it('has every column equal to the ledger lines summed up to its end, to the cent', async () => {
    const bs = await statement('balance-sheet', 'period=2026-06&compare=2026-02');
    expect(bs.balanced).toBe(true);
    for (const [column, end] of [['closing', '2026-06'], ['yearStart', '2025-12'], ['compare', '2026-02']] as const) {
      const expected = computeLines(BALANCE_SHEET, await fromLedgerLines('upTo', end));
      for (const row of bs.rows) expect(`${column} ${row.key} ${row[column]}`).toBe(`${column} ${row.key} ${expected.get(row.key)!.toFixed(2)}`);
    }
    const row = (key: string) => bs.rows.find((r) => r.key === key)!;
    // The figures by hand: cash 50000 − 333.33 + 2260; 未分配利润 includes the P&L not carried to 本年利润.
    expect(row('cash')).toMatchObject({ closing: '51926.67', yearStart: '49666.67', compare: '49666.67' });
    expect(row('inventory')).toMatchObject({ closing: '900.05', yearStart: '0.00', compare: '1200.10' });
    expect(row('payables')).toMatchObject({ closing: '1200.10', yearStart: '0.00', compare: '1200.10' });
    expect(row('retained_earnings')).toMatchObject({ closing: '1866.62', yearStart: '1666.67', compare: '1666.67' });
    expect(row('total_assets')).toMatchObject({ closing: '53391.72', yearStart: '51926.67', compare: '53126.77' });
  });

  it('leaves the compare column out when none is asked, and balances at a year start with nothing after', async () => {
    const bs = await statement('balance-sheet', 'period=2025-12');
    expect(Object.keys(bs.rows[0]).sort()).toEqual(['closing', 'key', 'label', 'yearStart']);
    expect(bs.balanced).toBe(true);
    expect(bs.rows.find((r) => r.key === 'total_assets')).toMatchObject({ closing: '51926.67', yearStart: '0.00' });
  });
});

describe('利润表 and 科目余额表, read-only', () => {
  it('利润表: month and year to date equal the ledger lines of those periods', async () => {
    const is = await statement('income-statement', 'period=2026-06');
    const month = computeLines(INCOME_STATEMENT, await fromLedgerLines('between', '2026-06', '2026-06'));
    const ytd = computeLines(INCOME_STATEMENT, await fromLedgerLines('between', '2026-01', '2026-06'));
    for (const row of is.rows) expect(`${row.key} ${row.month} ${row.ytd}`).toBe(`${row.key} ${month.get(row.key)!.toFixed(2)} ${ytd.get(row.key)!.toFixed(2)}`);
    expect(is.rows.find((r) => r.key === 'net_profit')).toMatchObject({ month: '199.95', ytd: '199.95' });
  });

  it('科目余额表: opening, movement and closing per account as the ledger lines give them', async () => {
    const r = await t.api('GET', '/api/v1/finance/trial-balance?period=2026-06');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const before = await fromLedgerLines('upTo', '2026-05');
    const upTo = await fromLedgerLines('upTo', '2026-06');
    for (const row of r.body.rows as { code: string; openingDebit: string; openingCredit: string; closingDebit: string; closingCredit: string }[]) {
      const net = (m: Map<string, { debit: Decimal; credit: Decimal }>) => (m.get(row.code) ? m.get(row.code)!.debit.minus(m.get(row.code)!.credit) : new Decimal(0));
      expect(`${row.code} ${new Decimal(row.openingDebit).minus(row.openingCredit).toFixed(2)} ${new Decimal(row.closingDebit).minus(row.closingCredit).toFixed(2)}`)
        .toBe(`${row.code} ${net(before).toFixed(2)} ${net(upTo).toFixed(2)}`);
    }
    expect(r.body.totals.closingDebit).toBe(r.body.totals.closingCredit);
  });
});
