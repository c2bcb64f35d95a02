import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';

// The books on a real PostgreSQL: vouchers post to an append-only ledger, the
// database refuses an unbalanced voucher and a closed period, cancellation
// posts a reversal, and the trial balance reads period balances that equal
// the sum of their entries.
let t: TestApp;
const acct: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const list = await t.api('GET', '/api/v1/records/gl_account?pageSize=200&fields=code,name');
  for (const a of list.body.data) acct[a.code] = a.id;
});

afterAll(async () => {
  await t?.close();
});

const voucher = (lines: [string, number, number][], extra: Record<string, unknown> = {}) =>
  t.api('POST', '/api/v1/records/journal_entry', { posting_date: '2026-11-20', description: '测试', ...extra, lines: lines.map(([code, debit, credit]) => ({ account: acct[code], debit, credit })) });
const submit = (id: string, version = 1) => t.api('POST', `/api/v1/records/journal_entry/${id}/submit`, { version });
const ledger = (jeId: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<{ code: string; debit: string; credit: string; period: string }>`SELECT a.c_code AS code, g.c_debit::text AS debit, g.c_credit::text AS credit, g.c_period AS period
    FROM o_gl_entry g JOIN o_gl_account a ON a.id = g.c_account WHERE g.c_journal_entry = ${jeId} ORDER BY g.created_at, a.c_code`.execute(tx)).rows);

describe('general ledger', () => {
  it('installs the 小企业会计准则 chart for the company', () => {
    expect(Object.keys(acct)).toEqual(expect.arrayContaining(['1001', '1122', '2221', '22210102', '3103', '5001', '5401']));
  });

  it('posts a sales voucher with 13 % VAT exactly, numbered per type and period', async () => {
    const je = await voucher([['1122', 1130, 0], ['5001', 0, 1000], ['22210102', 0, 130]], { voucher_type: '记' });
    expect(je.status, JSON.stringify(je.body)).toBe(201);
    expect(je.body.number).toBe('记-202611-0001');
    expect(je.body).toMatchObject({ total_debit: '1130.00', total_credit: '1130.00' });
    const s = await submit(je.body.id);
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(await ledger(je.body.id)).toEqual([
      { code: '1122', debit: '1130.00', credit: '0.00', period: '2026-11' },
      { code: '22210102', debit: '0.00', credit: '130.00', period: '2026-11' },
      { code: '5001', debit: '0.00', credit: '1000.00', period: '2026-11' },
    ].sort((a, b) => a.code.localeCompare(b.code)));
    const receipt = await voucher([['1002', 1130, 0], ['1122', 0, 1130]], { voucher_type: '收' });
    expect(receipt.body.number).toBe('收-202611-0001');
  });

  it('refuses an unbalanced voucher on submit, naming the difference', async () => {
    const je = await voucher([['1001', 100, 0], ['5001', 0, 99.99]]);
    const s = await submit(je.body.id);
    expect(s.status).toBe(422);
    expect(s.body.error).toMatchObject({ code: 'VOUCHER_UNBALANCED', field: 'lines' });
    expect(s.body.error.message).toContain('0.01');
  });

  it('and the database refuses one too, at commit, whoever writes the lines', async () => {
    const je = await voucher([['1001', 1, 0], ['5001', 0, 1]]);
    const attempt = inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) => {
      await sql`SELECT set_config('mosaic.gl_posting', 'on', true)`.execute(tx);
      await sql`INSERT INTO o_gl_entry (tenant_id, id, company_id, c_account, c_posting_date, c_period, c_debit, c_credit, c_voucher_no, c_journal_entry)
        VALUES (${t.tenant.tenantId}, gen_random_uuid(), ${t.tenant.companyId}, ${acct['1001']}, '2026-11-01', '2026-11', 50, 0, 'x', ${je.body.id})`.execute(tx);
    });
    await expect(attempt).rejects.toMatchObject({ code: 'MS004' });
    // and posted lines can't be changed or deleted
    const ok = await voucher([['1001', 5, 0], ['5001', 0, 5]]);
    await submit(ok.body.id);
    const edit = (q: ReturnType<typeof sql>) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => q.execute(tx));
    await expect(edit(sql`UPDATE o_gl_entry SET c_debit = 6 WHERE c_journal_entry = ${ok.body.id}`)).rejects.toMatchObject({ code: 'MS002' });
    await expect(edit(sql`DELETE FROM o_gl_entry WHERE c_journal_entry = ${ok.body.id}`)).rejects.toMatchObject({ code: 'MS002' });
  });

  it('refuses posting into a closed period', async () => {
    const fp = await t.api('POST', '/api/v1/records/fiscal_period', { period: '2026-10', is_closed: true });
    expect(fp.status, JSON.stringify(fp.body)).toBe(201);
    const je = await voucher([['1001', 10, 0], ['5001', 0, 10]], { posting_date: '2026-10-15' });
    const s = await submit(je.body.id);
    expect(s.status).toBe(409);
    expect(s.body.error.code).toBe('PERIOD_CLOSED');
    const still = await t.api('GET', `/api/v1/records/journal_entry/${je.body.id}`);
    expect(still.body.status).toBe('draft');
  });

  it('cancels by a red-ink reversal, leaving the original untouched', async () => {
    const je = await voucher([['5602', 300, 0], ['1001', 0, 300]], { red_reversal: true });
    await submit(je.body.id);
    const c = await t.api('POST', `/api/v1/records/journal_entry/${je.body.id}/cancel`, { version: 2, reason: '重复录入' });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    const lines = await ledger(je.body.id);
    expect(lines.filter((l) => l.code === '5602').map((l) => l.debit)).toEqual(['300.00', '-300.00']);
    expect(lines.filter((l) => l.code === '1001').map((l) => l.credit)).toEqual(['300.00', '-300.00']);
  });

  it('keeps period balances equal to the sum of their entries, and the trial balance balances', async () => {
    const tb = await t.api('GET', '/api/v1/finance/trial-balance?period=2026-11');
    expect(tb.status, JSON.stringify(tb.body)).toBe(200);
    expect(tb.body.totals.periodDebit).toBe(tb.body.totals.periodCredit);
    expect(tb.body.totals.closingDebit).toBe(tb.body.totals.closingCredit);
    const ar = tb.body.rows.find((r: any) => r.code === '1122');
    expect(ar).toMatchObject({ periodDebit: '1130.00', closingDebit: '1130.00' });
    const diff = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql<{ n: number }>`
      SELECT count(*)::int AS n FROM gl_period_balance b FULL JOIN (
        SELECT company_id, c_account AS account_id, c_period AS period, sum(c_debit) AS d, sum(c_credit) AS c FROM o_gl_entry GROUP BY 1, 2, 3) e
      ON e.company_id = b.company_id AND e.account_id = b.account_id AND e.period = b.period
      WHERE b.debit IS DISTINCT FROM e.d OR b.credit IS DISTINCT FROM e.c`.execute(tx));
    expect(diff.rows[0].n).toBe(0);
  });

  it('stays balanced under 8 concurrent posters', async () => {
    const ids = await Promise.all(Array.from({ length: 16 }, (_, i) => voucher([['1002', 10 + i, 0], ['5001', 0, 10 + i]]).then((r) => r.body.id as string)));
    const results = await Promise.all(ids.map((id) => submit(id)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const tb = await t.api('GET', '/api/v1/finance/trial-balance?period=2026-11');
    expect(tb.body.totals.closingDebit).toBe(tb.body.totals.closingCredit);
  });
});

describe('group accounts (上级科目) take no postings: their balance is their sub-accounts\'', () => {
  it('refuses a journal entry line on 2221 应交税费 when the voucher is saved, naming the line and the account; its sub-account is fine', async () => {
    const je = await voucher([['2221', 0, 50], ['5602', 50, 0]]);
    expect(je.status, JSON.stringify(je.body)).toBe(422);
    expect(je.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'lines.0.account' });
    expect(je.body.error.message).toContain('2221 应交税费');
    const ok = await voucher([['5602', 50, 0], ['222112', 0, 50]]);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    // An edit that moves a line onto the group account is refused the same way.
    const edit = await t.api('PATCH', `/api/v1/records/journal_entry/${ok.body.id}`, { version: 1, lines: [{ account: acct['5602'], debit: 50, credit: 0 }, { account: acct['2221'], debit: 0, credit: 50 }] });
    expect(edit.status, JSON.stringify(edit.body)).toBe(422);
    expect(edit.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'lines.1.account' });
  });

  it('refuses the posting of a voucher whose account became a group after it was saved', async () => {
    const created = await t.api('POST', '/api/v1/records/gl_account', { code: '5699', name: '测试费用', account_type: 'expense', balance_side: 'debit' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    acct['5699'] = created.body.id;
    const je = await voucher([['1001', 0, 20], ['5699', 20, 0]]);
    expect(je.status, JSON.stringify(je.body)).toBe(201);
    const grouped = await t.api('PATCH', `/api/v1/records/gl_account/${created.body.id}`, { version: created.body.version, is_group: true });
    expect(grouped.status, JSON.stringify(grouped.body)).toBe(200);
    const s = await submit(je.body.id);
    expect(s.status, JSON.stringify(s.body)).toBe(422);
    expect(s.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'lines.1.account' });
    expect(s.body.error.message).toContain('5699 测试费用');
    expect(await ledger(je.body.id)).toEqual([]);
  });

  it('fails the submit of a business document whose generated voucher would hit a group account, naming the account', async () => {
    const customer = (await t.api('POST', '/api/v1/records/customer', { name: '杭州上级科目测试有限公司' })).body.id;
    const item = (await t.api('POST', '/api/v1/records/item', { code: 'GRP1', name: '上级科目测试品' })).body.id;
    const setGroup = (on: boolean) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql`UPDATE o_gl_account SET c_is_group = ${on} WHERE id = ${acct['5001']}`.execute(tx));
    await setGroup(true); // as if 5001 had been split into sub-accounts
    try {
      const inv = await t.api('POST', '/api/v1/records/sales_invoice', { customer, posting_date: '2026-11-21', lines: [{ item, qty: 1, rate: 100 }] });
      expect(inv.status, JSON.stringify(inv.body)).toBe(201);
      const s = await t.api('POST', `/api/v1/records/sales_invoice/${inv.body.id}/submit`, { version: 1 });
      expect(s.status, JSON.stringify(s.body)).toBe(422);
      expect(s.body.error.message).toContain('5001 主营业务收入');
      expect((await t.api('GET', `/api/v1/records/sales_invoice/${inv.body.id}`)).body.status).toBe('draft');
    } finally {
      await setGroup(false);
    }
  });
});
