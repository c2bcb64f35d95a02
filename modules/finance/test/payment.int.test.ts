import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { advanceClock, clock, resetClock } from '@mosaic/kernel';
import { createTestApp, testTopology, type TestApp } from '@mosaic/testing';
import { accountsByCode, salesInvoice, submitDoc, userWithRole, vouchersOf } from './finance-fixture.ts';

// 收款/付款 and 核销 on a real PostgreSQL: each allocation credits 1122 against
// its invoice, so outstanding, paid %, aging and the 对账单 all come from the ledger.
let t: TestApp;
let acct: Record<string, string>;
let customer: string;
let item: string;

beforeAll(async () => {
  t = await createTestApp();
  acct = await accountsByCode(t);
  customer = (await t.api('POST', '/api/v1/records/customer', { name: '广州市天河贸易有限公司' })).body.id;
  item = (await t.api('POST', '/api/v1/records/item', { code: 'P1', name: '产品一' })).body.id;
});

afterAll(async () => {
  await t?.close();
});

type Alloc = { against_id: string; allocated: number | string; discount?: number | string; write_off?: number | string; against_type?: string };
const payment = async (amount: number | string, allocations: Alloc[], extra: Record<string, unknown> = {}) => {
  const p = await t.api('POST', '/api/v1/records/payment', {
    payment_type: 'receive', party_type: 'customer', party: customer, posting_date: '2026-11-25', account: acct['1002'], amount, allocations, ...extra,
  });
  expect(p.status, JSON.stringify(p.body)).toBe(201);
  return { id: p.body.id as string, submit: () => submitDoc(t, 'payment', p.body.id) };
};
const pay = async (amount: number | string, allocations: Alloc[], extra: Record<string, unknown> = {}) => {
  const p = await payment(amount, allocations, extra);
  const s = await p.submit();
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  return p.id;
};
const openItem = async (id: string) => (await t.api('GET', `/api/v1/finance/open-items?party_type=customer&party=${customer}&all=1`)).body.data.find((i: any) => i.againstId === id);

describe('payments and allocation (核销)', () => {
  let a: string;
  let b: string;

  it('one payment settles two invoices partially: 1122 credited against each', async () => {
    a = await salesInvoice(t, customer, item, 1000, '2026-09-10'); // 1130.00
    b = await salesInvoice(t, customer, item, 500, '2026-11-02'); // 565.00
    const p = await pay(1000, [{ against_id: a, allocated: 700 }, { against_id: b, allocated: 300 }]);
    expect(await vouchersOf(t, p)).toEqual([
      { code: '1002', debit: '1000.00', credit: '0.00', against: null },
      { code: '1122', debit: '0.00', credit: '300.00', against: b },
      { code: '1122', debit: '0.00', credit: '700.00', against: a },
    ]);
    expect(await openItem(a)).toMatchObject({ total: '1130.00', outstanding: '430.00', paidPercent: '61.95', documentDate: '2026-09-10' });
    expect(await openItem(b)).toMatchObject({ total: '565.00', outstanding: '265.00', paidPercent: '53.10' });
    // what selling shows as paid %: the invoices by id
    const byId = await t.api('GET', `/api/v1/finance/open-items?all=1&against=${a},${b}`);
    expect(byId.body.data.map((i: any) => [i.againstId, i.paidPercent]).sort()).toEqual([[a, '61.95'], [b, '53.10']].sort());
  });

  it('settles the rest in full with an early-payment discount to 财务费用', async () => {
    const p = await pay('421.40', [{ against_id: a, allocated: '421.40', discount: '8.60' }]);
    expect(await vouchersOf(t, p)).toEqual([
      { code: '1002', debit: '421.40', credit: '0.00', against: null },
      { code: '1122', debit: '0.00', credit: '430.00', against: a },
      { code: '5603', debit: '8.60', credit: '0.00', against: null },
    ]);
    expect(await openItem(a)).toMatchObject({ outstanding: '0.00', paidPercent: '100.00' });
    const open = (await t.api('GET', `/api/v1/finance/open-items?party_type=customer&party=${customer}`)).body.data;
    expect(open.map((i: any) => i.againstId)).toEqual([b]);
  });

  it('writes a remainder off to 营业外支出 with no money moving', async () => {
    const p = await pay(0, [{ against_id: b, allocated: 0, write_off: 265 }]);
    expect(await vouchersOf(t, p)).toEqual([
      { code: '1122', debit: '0.00', credit: '265.00', against: b },
      { code: '5711', debit: '265.00', credit: '0.00', against: null },
    ]);
    expect(await openItem(b)).toMatchObject({ outstanding: '0.00', paidPercent: '100.00' });
  });

  it('keeps what is not allocated open as an advance (预收), against the payment itself', async () => {
    const c = await salesInvoice(t, customer, item, 100, '2026-11-20'); // 113.00
    const p = await pay(500, [{ against_id: c, allocated: 13 }]);
    expect(await vouchersOf(t, p)).toEqual([
      { code: '1002', debit: '500.00', credit: '0.00', against: null },
      { code: '1122', debit: '0.00', credit: '13.00', against: c },
      { code: '1122', debit: '0.00', credit: '487.00', against: p },
    ]);
    expect(await openItem(p)).toMatchObject({ againstType: 'payment', total: '-487.00', outstanding: '-487.00' });
  });

  it('refuses to settle more than is open, or another customer\'s invoice, naming the row', async () => {
    const c = await salesInvoice(t, customer, item, 100, '2026-11-21');
    const over = await (await payment(200, [{ against_id: c, allocated: 100 }, { against_id: c, allocated: 0, discount: 14 }])).submit();
    expect(over.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'allocations.1.allocated' });
    const tooMuch = await (await payment(200, [{ against_id: c, allocated: 114 }])).submit();
    expect(tooMuch.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'allocations.0.allocated' });
    const other = (await t.api('POST', '/api/v1/records/customer', { name: '别的客户' })).body.id;
    const wrongParty = await (await payment(10, [{ against_id: c, allocated: 10 }], { party: other })).submit();
    expect(wrongParty.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'allocations.0.against_id' });
    const beyondAmount = await (await payment(10, [{ against_id: c, allocated: 11 }])).submit();
    expect(beyondAmount.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'allocations' });
  });

  it('lets exactly as many racing payments through as the invoice has open', async () => {
    const d = await salesInvoice(t, customer, item, 500, '2026-11-22'); // 565.00: five payments of 100 fit, not six
    const drafts = await Promise.all(Array.from({ length: 8 }, () => payment(100, [{ against_id: d, allocated: 100 }])));
    const results = await Promise.all(drafts.map((p) => p.submit()));
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(results.filter((r) => r.status === 422)).toHaveLength(3);
    expect(await openItem(d)).toMatchObject({ outstanding: '65.00' });
  });

  it('re-opens the invoice when the payment is cancelled (红字冲销)', async () => {
    const e = await salesInvoice(t, customer, item, 200, '2026-11-23'); // 226.00
    const p = await pay(226, [{ against_id: e, allocated: 226 }]);
    expect(await openItem(e)).toMatchObject({ outstanding: '0.00' });
    // The 红字 voucher is dated the kernel clock's day in the caller's zone (04:00Z is noon in Shanghai), not the wall clock's.
    advanceClock(Date.parse('2026-11-10T04:00:00Z') - clock.now().getTime());
    try {
      const c = await t.api('POST', `/api/v1/records/payment/${p}/cancel`, { version: 2, reason: '退票' });
      expect(c.status, JSON.stringify(c.body)).toBe(200);
    } finally {
      resetClock();
    }
    expect(await openItem(e)).toMatchObject({ outstanding: '226.00', paidPercent: '0.00' });
    expect((await vouchersOf(t, p)).filter((l) => l.code === '1122').map((l) => l.credit)).toEqual(['226.00', '-226.00']);
    const dates = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
      (await sql<{ d: string }>`SELECT c_posting_date::text AS d FROM o_journal_entry WHERE c_source_id = ${p} ORDER BY c_posting_date`.execute(tx)).rows.map((r) => r.d));
    // The test clock is this process's: under MOSAIC_TEST_TOPOLOGY=multi the server processes keep real time.
    if (testTopology() !== 'multi') expect(dates).toEqual(['2026-11-10', '2026-11-25']);
    else expect(dates).toHaveLength(2);
  });

  it('ages what is open in configurable buckets, advances apart', async () => {
    const r = await t.api('GET', '/api/v1/finance/aging?party_type=customer&as_of=2026-11-30&buckets=15,45');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.labels).toEqual(['0-15', '16-45', '45+']);
    const row = r.body.rows.find((x: any) => x.party === customer);
    // open: 113−13=100 (11-20), 113 (11-21), 65 (11-22), 226 (11-23) — all within 15 days; advance −487
    expect(row).toMatchObject({ buckets: ['504.00', '0.00', '0.00'], advances: '-487.00', total: '17.00' });
    const bad = await t.api('GET', '/api/v1/finance/aging?party_type=customer&as_of=2026-11-30&buckets=60,30');
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('buckets');
  });

  it('gives the customer statement (对账单) with opening, running and closing balance', async () => {
    const r = await t.api('GET', `/api/v1/finance/statement?party_type=customer&party=${customer}&from=2026-11-01&to=2026-11-30`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.opening).toBe('1130.00'); // invoice a, September
    expect(r.body.closing).toBe('17.00');
    const last = r.body.lines[r.body.lines.length - 1];
    expect(last.balance).toBe(r.body.closing);
    expect(r.body.lines[0]).toMatchObject({ date: '2026-11-02', debit: '565.00', balance: '1695.00' });
  });

  it('is refused to whoever may not read the ledger', async () => {
    const rep = await userWithRole(t, 'sales_rep');
    const r = await t.api('GET', '/api/v1/finance/aging?party_type=customer&as_of=2026-11-30', undefined, { token: rep });
    expect(r.status).toBe(404);
  });
});
