import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';

// 业财一体化 for stock: each stock posting becomes a voucher in the same
// transaction, with the exact accounts and amounts, and the books can refuse it.
let t: TestApp;
let wh: string;
let item: string;

beforeAll(async () => {
  t = await createTestApp();
  wh = (await t.api('POST', '/api/v1/records/warehouse', { code: 'RM', name: '原料仓' })).body.id;
  item = (await t.api('POST', '/api/v1/records/item', { code: 'STEEL', name: '钢板' })).body.id;
});

afterAll(async () => {
  await t?.close();
});

const entry = async (entry_type: string, qty: number, rate?: number, posting_date = '2026-11-20') => {
  const doc = await t.api('POST', '/api/v1/records/stock_entry', { entry_type, warehouse: wh, posting_date, lines: [{ item, qty, rate }] });
  expect(doc.status, JSON.stringify(doc.body)).toBe(201);
  return t.api('POST', `/api/v1/records/stock_entry/${doc.body.id}/submit`, { version: 1 });
};

const vouchersOf = (sourceId: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<{ number: string; status: string; code: string; debit: string; credit: string }>`
    SELECT j.c_number AS number, j.status, a.c_code AS code, g.c_debit::text AS debit, g.c_credit::text AS credit
    FROM o_journal_entry j JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account
    WHERE j.c_source_id = ${sourceId} ORDER BY j.created_at, j.id, a.c_code`.execute(tx)).rows);

describe('stock postings become vouchers', () => {
  it('a receipt: Dr 1405 库存商品, Cr 1901; an issue: Dr 5602, Cr 1405 at the valuation rate', async () => {
    const r = await entry('receipt', 10, 12.345);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await vouchersOf(r.body.id)).toEqual([
      { number: expect.stringMatching(/^转-202611-\d{4}$/), status: 'submitted', code: '1405', debit: '123.45', credit: '0.00' },
      { number: expect.stringMatching(/^转-202611-\d{4}$/), status: 'submitted', code: '1901', debit: '0.00', credit: '123.45' },
    ]);
    const i = await entry('issue', 4);
    expect(await vouchersOf(i.body.id)).toEqual([
      expect.objectContaining({ code: '1405', debit: '0.00', credit: '49.38' }),
      expect.objectContaining({ code: '5602', debit: '49.38', credit: '0.00' }),
    ]);
  });

  it('cancelling the stock document posts the reversing voucher', async () => {
    const r = await entry('receipt', 2, 50);
    await t.api('POST', `/api/v1/records/stock_entry/${r.body.id}/cancel`, { version: 2 });
    const lines = await vouchersOf(r.body.id);
    expect(lines.filter((l) => l.code === '1405').map((l) => [l.debit, l.credit])).toEqual([['100.00', '0.00'], ['0.00', '100.00']]);
  });

  it('a closed period refuses the stock posting with it: stock and books never disagree', async () => {
    await t.api('POST', '/api/v1/records/fiscal_period', { period: '2026-09', is_closed: true });
    const r = await entry('receipt', 5, 10, '2026-09-10');
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('PERIOD_CLOSED');
    const bal = await t.api('GET', `/api/v1/records/stock_balance?filter=${encodeURIComponent(JSON.stringify({ item, warehouse: wh }))}`);
    expect(bal.body.data[0].on_hand).toBe('6.000000'); // 10 − 4, the refused 5 never arrived
  });
});

describe('returns, transfers, counts and re-valuations become exact vouchers', () => {
  const submitNew = async (object: string, body: Record<string, unknown>) => {
    const doc = await t.api('POST', `/api/v1/records/${object}`, body);
    expect(doc.status, JSON.stringify(doc.body)).toBe(201);
    const s = await t.api('POST', `/api/v1/records/${object}/${doc.body.id}/submit`, { version: 1 });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    return doc.body.id as string;
  };
  const lines = async (id: string) => (await vouchersOf(id)).map((l) => [l.code, l.debit, l.credit]);

  it('a transfer between warehouses on different accounts: Dr 1403 原材料, Cr 1405; on the same account: no voucher', async () => {
    const raw = (await t.api('POST', '/api/v1/records/warehouse', { code: 'RAW', name: '原材料库', inventory_account: '1403' })).body.id;
    const fg2 = (await t.api('POST', '/api/v1/records/warehouse', { code: 'FG2', name: '二号成品仓' })).body.id;
    const x = (await t.api('POST', '/api/v1/records/item', { code: 'TRV', name: '铜线' })).body.id;
    await submitNew('stock_entry', { entry_type: 'receipt', warehouse: wh, posting_date: '2026-11-20', lines: [{ item: x, qty: 3, rate: '33.333333' }] });
    const tr = await submitNew('stock_transfer', { from_warehouse: wh, to_warehouse: raw, posting_date: '2026-11-21', lines: [{ item: x, qty: 2 }] });
    expect(await lines(tr)).toEqual([['1403', '66.67', '0.00'], ['1405', '0.00', '66.67']]);
    const same = await submitNew('stock_transfer', { from_warehouse: wh, to_warehouse: fg2, posting_date: '2026-11-21', lines: [{ item: x, qty: 1 }] });
    expect(await vouchersOf(same)).toEqual([]);
  });

  it('a stock count: the gain Dr 1405 Cr 1901, the loss Dr 1901 Cr 1405, netted per document', async () => {
    const a = (await t.api('POST', '/api/v1/records/item', { code: 'CNT-L', name: '螺母' })).body.id;
    const b = (await t.api('POST', '/api/v1/records/item', { code: 'CNT-G', name: '垫片', standard_price: 2 })).body.id;
    await submitNew('stock_entry', { entry_type: 'receipt', warehouse: wh, posting_date: '2026-11-20', lines: [{ item: a, qty: 10, rate: 7 }] });
    const loss = await submitNew('stock_count', { warehouse: wh, posting_date: '2026-11-22', lines: [{ item: a, counted_qty: 7 }] });
    expect(await lines(loss)).toEqual([['1405', '0.00', '21.00'], ['1901', '21.00', '0.00']]);
    const gain = await submitNew('stock_count', { warehouse: wh, posting_date: '2026-11-22', lines: [{ item: b, counted_qty: 4 }] }); // at the standard price
    expect(await lines(gain)).toEqual([['1405', '8.00', '0.00'], ['1901', '0.00', '8.00']]);
  });

  it('a back-dated receipt posts its own voucher and one difference voucher for the costs it changed', async () => {
    const x = (await t.api('POST', '/api/v1/records/item', { code: 'BDV', name: '铝板' })).body.id;
    const customer = (await t.api('POST', '/api/v1/records/customer', { name: '重估客户' })).body.id;
    await submitNew('stock_entry', { entry_type: 'receipt', warehouse: wh, posting_date: '2026-11-02', lines: [{ item: x, qty: 10, rate: 10 }] });
    const dn = await submitNew('delivery_note', { customer, warehouse: wh, posting_date: '2026-11-12', lines: [{ item: x, qty: 4 }] }); // COGS 40
    const use = await submitNew('stock_entry', { entry_type: 'issue', warehouse: wh, posting_date: '2026-11-14', lines: [{ item: x, qty: 2 }] }); // 5602 20
    expect(await lines(dn)).toEqual([['1405', '0.00', '40.00'], ['5401', '40.00', '0.00']]);
    const back = await submitNew('stock_entry', { entry_type: 'receipt', warehouse: wh, posting_date: '2026-11-05', lines: [{ item: x, qty: 10, rate: 13 }] });
    // average from 11-05: (100 + 130) / 20 = 11.5 → delivery 46 (+6), issue 23 (+3)
    const vouchers = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
      (await sql<Record<string, string>>`SELECT j.id, j.c_posting_date::text AS date, j.c_description AS description FROM o_journal_entry j WHERE j.c_source_id = ${back} ORDER BY j.id`.execute(tx)).rows);
    expect(vouchers.map((v) => [v.date, v.description.startsWith('库存重估差异')])).toEqual([['2026-11-05', false], ['2026-11-14', true]]);
    expect(await lines(back)).toEqual([
      ['1405', '130.00', '0.00'], ['1901', '0.00', '130.00'],
      ['1405', '0.00', '9.00'], ['5401', '6.00', '0.00'], ['5602', '3.00', '0.00'],
    ]);
    // stock and books agree: the balance's value equals what the ledger says
    const bal = await t.api('GET', `/api/v1/records/stock_balance?filter=${encodeURIComponent(JSON.stringify({ item: x, warehouse: wh }))}`);
    expect(bal.body.data[0]).toMatchObject({ on_hand: '14.000000', value: '161.000000' }); // 230 − 46 − 23
  });
});

describe('a stock entry names its offset account (对方科目): opening stock is brought in against equity', () => {
  const create = (body: Record<string, unknown>) => t.api('POST', '/api/v1/records/stock_entry', { warehouse: wh, posting_date: '2026-11-20', ...body });
  const submitNew = async (body: Record<string, unknown>) => {
    const doc = await create(body);
    expect(doc.status, JSON.stringify(doc.body)).toBe(201);
    const s = await t.api('POST', `/api/v1/records/stock_entry/${doc.body.id}/submit`, { version: 1 });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    return doc.body.id as string;
  };
  const lines = async (id: string) => (await vouchersOf(id)).map((l) => [l.code, l.debit, l.credit]);

  it('is a field of the stock entry, so its form (drawn from the metadata) shows it', async () => {
    const meta = await t.api('GET', '/api/v1/meta/objects/stock_entry');
    expect(meta.body.fields.find((f: any) => f.apiName === 'offset_account')).toMatchObject({ type: 'text', label: { zh: '对方科目' } });
  });

  it('an opening receipt (期初入库) posts Dr 1405 / Cr 3001 实收资本, and cancelling it reverses exactly that', async () => {
    const x = (await t.api('POST', '/api/v1/records/item', { code: 'OPN', name: '期初铜件' })).body.id;
    const id = await submitNew({ entry_type: 'receipt', offset_account: '3001', lines: [{ item: x, qty: 10, rate: '8.50' }] });
    expect(await lines(id)).toEqual([['1405', '85.00', '0.00'], ['3001', '0.00', '85.00']]);
    const c = await t.api('POST', `/api/v1/records/stock_entry/${id}/cancel`, { version: 2 });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(await lines(id)).toEqual([['1405', '85.00', '0.00'], ['3001', '0.00', '85.00'], ['1405', '0.00', '85.00'], ['3001', '85.00', '0.00']]);
  });

  it('refuses an account the chart lacks, a group account, and an offset on a transfer — naming the field', async () => {
    const missing = await create({ entry_type: 'receipt', offset_account: '3999', lines: [{ item, qty: 1, rate: 1 }] });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ field: 'offset_account', message: expect.stringContaining('3999') });
    const group = await create({ entry_type: 'receipt', offset_account: '2221', lines: [{ item, qty: 1, rate: 1 }] }); // 应交税费 has sub-accounts
    expect(group.status).toBe(422);
    expect(group.body.error).toMatchObject({ field: 'offset_account', message: expect.stringContaining('group') });
    const draft = await create({ entry_type: 'receipt', lines: [{ item, qty: 1, rate: 1 }] });
    const edited = await t.api('PATCH', `/api/v1/records/stock_entry/${draft.body.id}`, { version: 1, offset_account: '3999' });
    expect(edited.status).toBe(422);
    expect(edited.body.error.field).toBe('offset_account');
    const other = (await t.api('POST', '/api/v1/records/warehouse', { code: 'OFS', name: '备件仓' })).body.id;
    const transfer = await create({ entry_type: 'transfer', to_warehouse: other, offset_account: '3001', lines: [{ item, qty: 1 }] });
    const s = await t.api('POST', `/api/v1/records/stock_entry/${transfer.body.id}/submit`, { version: 1 });
    expect(s.status).toBe(422);
    expect(s.body.error.field).toBe('offset_account');
  });

  it('an issue to the workshop posts Dr 4101 制造费用, and a back-dated receipt corrects its cost on 4101 too', async () => {
    const x = (await t.api('POST', '/api/v1/records/item', { code: 'OFV', name: '焊丝' })).body.id;
    await submitNew({ entry_type: 'receipt', posting_date: '2026-11-02', lines: [{ item: x, qty: 10, rate: 10 }] });
    const use = await submitNew({ entry_type: 'issue', offset_account: '4101', posting_date: '2026-11-14', lines: [{ item: x, qty: 2 }] });
    expect(await lines(use)).toEqual([['1405', '0.00', '20.00'], ['4101', '20.00', '0.00']]);
    const back = await submitNew({ entry_type: 'receipt', posting_date: '2026-11-05', lines: [{ item: x, qty: 10, rate: 13 }] });
    // average from 11-05: (100 + 130) / 20 = 11.5 → the issue costs 23 (+3)
    expect(await lines(back)).toEqual([['1405', '130.00', '0.00'], ['1901', '0.00', '130.00'], ['1405', '0.00', '3.00'], ['4101', '3.00', '0.00']]);
  });
});
