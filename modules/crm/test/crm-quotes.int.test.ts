import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { onClockDay, testTopology } from '@mosaic/testing';
import { crmWorld, type CrmWorld } from './crm-world.ts';

// Quotes (issue 7, item 4; audit gaps): price lists — the selling module's
// price_list with a currency, a default per customer or per tier — give a new
// quote line its list price (an explicit price wins); versions (a revision
// leaves the old version read-only and no longer winnable); the lost endpoint
// (a reason is required); validity (an expired quote becomes no order).
let w: CrmWorld;
let pump: any;
let valve: any;
let wh: any;
const lists: Record<string, any> = {};
const customers: Record<string, any> = {};
const DATE = '2026-11-20';
const shanghaiDay = (offsetDays = 0) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + offsetDays * 86_400_000));

beforeAll(async () => {
  w = await crmWorld();
  pump = await w.create('admin', 'item', { code: 'PUMP', name: '离心泵' });
  valve = await w.create('admin', 'item', { code: 'VALVE', name: '闸阀' });
  wh = await w.create('admin', 'warehouse', { code: 'FG', name: '成品仓' });
  const list = (key: string, values: Record<string, unknown>, rate: string) =>
    w.create('admin', 'price_list', { list_type: 'selling', prices: [{ item: pump.id, rate }], ...values }).then((l) => (lists[key] = l));
  await list('standard', { name: '标准价', valid_from: '2026-01-01', valid_to: '2026-12-31' }, '100');
  await list('old', { name: '旧标准价', valid_to: '2026-06-30' }, '95');
  await list('tierA', { name: 'A 类客户价', customer_group: 'A' }, '90');
  await list('usd', { name: '出口价', currency: 'USD' }, '15');
  customers.b = await w.create('admin', 'customer', { name: '乙类客户有限公司', tier: 'B' });
  customers.a = await w.create('admin', 'customer', { name: '甲类客户有限公司', tier: 'A' });
  customers.own = await w.create('admin', 'customer', { name: '宏达机电有限公司', tier: 'A' });
  customers.lapsed = await w.create('admin', 'customer', { name: '过期专价客户有限公司', tier: 'B' });
  customers.dealer = await w.create('admin', 'customer', { name: '经销商有限公司', tier: 'C' });
  // 专价 lists: for one customer only.
  await list('special', { name: '宏达专价', customer: customers.own.id }, '80');
  await list('specialOld', { name: '过期专价', customer: customers.lapsed.id, valid_to: '2026-10-31' }, '70');
  await list('gross', { name: '含税价', customer: customers.own.id, price_includes_tax: true }, '113');
  // A shared list as some customers' default (经销商价) — for everyone else too, but the default comes first.
  await list('dealer', { name: '经销商价', valid_from: '2026-12-01', valid_to: '2026-12-31' }, '85');
  const setDefault = async (c: any, l: any) => {
    const r = await w.t.api('PATCH', `/api/v1/records/customer/${c.id}`, { price_list: l.id, version: c.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  await setDefault(customers.own, lists.special);
  await setDefault(customers.lapsed, lists.specialOld);
  await setDefault(customers.dealer, lists.standard);
}, 180_000);
afterAll(async () => {
  await w?.t.close();
});

const priced = async (customer: string, extra: Record<string, unknown> = {}, lines: unknown[] = [{ item: pump.id, qty: 2 }]) =>
  w.as('admin')('POST', '/api/v1/crm/quotes', { customer, quote_date: DATE, lines, ...extra });
const num = (v: unknown) => Number(v);

describe('price lists', () => {
  it('a new line takes the list price for everyone; an explicit price wins; lines without a product keep theirs', async () => {
    const r = await priced(customers.b.id, {}, [{ item: pump.id, qty: 2 }, { item: pump.id, qty: 1, list_price: '120' }, { description: '安装', qty: 1, list_price: '500' }]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.lines.map((l: any) => num(l.list_price))).toEqual([100, 120, 500]);
    expect(r.body.lines.map((l: any) => l.price_list)).toEqual([lists.standard.id, null, null]);
    expect(r.body).toMatchObject({ currency: 'CNY', net_total: '820.00', tax_total: '106.60', grand_total: '926.60' });
    expect(r.body.status).toBe('draft');
  });

  it('the customer’s tier list beats the list for everyone; the customer’s own default list beats both', async () => {
    expect((await priced(customers.a.id)).body.lines[0]).toMatchObject({ price_list: lists.tierA.id });
    expect(num((await priced(customers.a.id)).body.lines[0].list_price)).toBe(90);
    const own = (await priced(customers.own.id)).body.lines[0];
    expect([num(own.list_price), own.price_list]).toEqual([80, lists.special.id]);
  });

  it('only lists valid on the quote date apply: an expired default list falls back to the others', async () => {
    const lapsed = (await priced(customers.lapsed.id)).body.lines[0];
    expect([num(lapsed.list_price), lapsed.price_list]).toEqual([100, lists.standard.id]);
    // In 2027 the standard list has lapsed, and neither customer's 专价 is anyone else's: nothing prices it for b.
    const y2027 = await priced(customers.b.id, { quote_date: '2027-02-01' });
    expect([y2027.status, y2027.body.error?.field]).toEqual([422, 'lines.0.list_price']);
    // A list for everyone valid later on than another wins among equals; the customer's default still comes first.
    const dec = (await priced(customers.b.id, { quote_date: '2026-12-10' })).body.lines[0];
    expect([num(dec.list_price), dec.price_list]).toEqual([85, lists.dealer.id]);
    const dealer = (await priced(customers.dealer.id, { quote_date: '2026-12-10' })).body.lines[0];
    expect([num(dealer.list_price), dealer.price_list]).toEqual([100, lists.standard.id]);
    // Another customer's 专价 is not offered, even by name lookup for someone else.
    const other = await w.as('admin')('GET', `/api/v1/crm/quotes/price?item=${pump.id}&customer=${customers.b.id}&date=${DATE}&price_list=${lists.special.id}`);
    expect(other.body).toEqual({ listPrice: null, priceList: null, taxRate: '0.13' });
  });

  it('a quote in another currency takes only that currency’s lists; a named list is the only one; tax-inclusive prices turn net', async () => {
    const usd = await priced(customers.b.id, { currency: 'USD' });
    expect(usd.status, JSON.stringify(usd.body)).toBe(201);
    expect([num(usd.body.lines[0].list_price), usd.body.lines[0].price_list, usd.body.currency]).toEqual([15, lists.usd.id, 'USD']);
    const named = await priced(customers.own.id, { price_list: lists.gross.id });
    expect([num(named.body.lines[0].list_price), named.body.lines[0].price_list]).toEqual([100, lists.gross.id]); // 113 / 1.13
    const lookup = await w.as('admin')('GET', `/api/v1/crm/quotes/price?item=${pump.id}&customer=${customers.a.id}&date=${DATE}`);
    expect(lookup.status, JSON.stringify(lookup.body)).toBe(200);
    expect([num(lookup.body.listPrice), lookup.body.priceList]).toEqual([90, lists.tierA.id]);
  });

  it('a product no list prices, with no price given, is refused naming the line’s list_price', async () => {
    const r = await priced(customers.b.id, {}, [{ item: pump.id, qty: 1 }, { item: valve.id, qty: 1 }]);
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe('lines.1.list_price');
    const eur = await priced(customers.b.id, { currency: 'EUR' });
    expect(eur.status).toBe(422);
    expect(eur.body.error.field).toBe('lines.0.list_price');
    const bad = await w.as('admin')('GET', '/api/v1/crm/quotes/price?item=nope');
    expect([bad.status, bad.body.error.field]).toEqual([422, 'item']);
    const none = await w.as('admin')('GET', `/api/v1/crm/quotes/price?item=${valve.id}`);
    expect(none.body).toEqual({ listPrice: null, priceList: null, taxRate: '0.13' });
  });
});

const submitted = async (values: Record<string, unknown> = {}) => {
  const q = await w.create('admin', 'quote', { customer: customers.b.id, warehouse: wh.id, valid_until: shanghaiDay(30), lines: [{ item: pump.id, qty: 1, list_price: '100' }], ...values });
  const s = await w.t.api('POST', `/api/v1/records/quote/${q.id}/submit`, { version: q.version });
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  return s.body;
};

describe('quote versions', () => {
  it('a revision is a new draft; the old version stays read-only and can no longer be won or revised', async () => {
    const v1 = await submitted({ lines: [{ item: pump.id, qty: 3, list_price: '100', discount: '0.05' }] });
    const r = await w.t.api('POST', `/api/v1/crm/quotes/${v1.id}/revise`);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ status: 'draft', revision: 2, previous: v1.id, customer: customers.b.id, net_total: v1.net_total });
    expect(r.body.lines.map((l: any) => [num(l.qty), num(l.list_price), num(l.discount)])).toEqual([[3, 100, 0.05]]);
    // The old version: immutable, unchanged, not winnable, not revisable a second time.
    const edit = await w.t.api('PATCH', `/api/v1/records/quote/${v1.id}`, { valid_until: shanghaiDay(60), version: v1.version });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('DOCUMENT_IMMUTABLE');
    expect((await w.t.api('GET', `/api/v1/records/quote/${v1.id}`)).body).toMatchObject({ status: 'submitted', revision: 1, valid_until: v1.valid_until, outcome: 'open' });
    const won = await w.t.api('POST', `/api/v1/crm/quotes/${v1.id}/won`, {});
    expect([won.status, won.body.error.field]).toEqual([409, 'revision']);
    const again = await w.t.api('POST', `/api/v1/crm/quotes/${v1.id}/revise`);
    expect([again.status, again.body.error.field]).toEqual([409, 'revision']);
    // The new version is edited while a draft, not revised; once submitted it can be won.
    const draftRevise = await w.t.api('POST', `/api/v1/crm/quotes/${r.body.id}/revise`);
    expect([draftRevise.status, draftRevise.body.error.field]).toEqual([409, 'status']);
    const edited = await w.t.api('PATCH', `/api/v1/records/quote/${r.body.id}`, { valid_until: shanghaiDay(60), version: r.body.version });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect((await w.t.api('POST', `/api/v1/records/quote/${r.body.id}/submit`, { version: edited.body.version })).status).toBe(200);
    const won2 = await w.t.api('POST', `/api/v1/crm/quotes/${r.body.id}/won`, {});
    expect(won2.status, JSON.stringify(won2.body)).toBe(200);
  });
});

describe('lost and validity', () => {
  it('the lost endpoint requires a reason, naming it', async () => {
    const q = await submitted();
    for (const body of [{}, { reason: '   ' }, undefined]) {
      const r = await w.t.api('POST', `/api/v1/crm/quotes/${q.id}/lost`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.error.field).toBe('reason');
    }
    const ok = await w.t.api('POST', `/api/v1/crm/quotes/${q.id}/lost`, { reason: '价格高于竞争对手' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await w.t.api('GET', `/api/v1/records/quote/${q.id}`)).body.outcome).toBe('lost');
    expect((await w.t.api('POST', `/api/v1/crm/quotes/${q.id}/lost`, { reason: '再次' })).status).toBe(409);
    expect((await w.t.api('POST', `/api/v1/crm/quotes/${q.id}/won`, {})).status).toBe(409);
  });

  it('an expired quote is not won and becomes no order (naming valid_until); valid through its last day', async () => {
    const orders = async () => (await w.q<{ n: number }>(sql`SELECT count(*)::int AS n FROM o_sales_order`))[0].n;
    const before = await orders();
    const expired = await submitted({ valid_until: shanghaiDay(-1) });
    const r = await w.t.api('POST', `/api/v1/crm/quotes/${expired.id}/won`, {});
    expect(r.status).toBe(409);
    expect(r.body.error.field).toBe('valid_until');
    expect(await orders()).toBe(before);
    expect((await w.t.api('GET', `/api/v1/records/quote/${expired.id}`)).body).toMatchObject({ outcome: 'open', sales_order: null });
    const lastDay = await submitted({ valid_until: shanghaiDay(0) });
    const ok = await w.t.api('POST', `/api/v1/crm/quotes/${lastDay.id}/won`, {});
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(await orders()).toBe(before + 1);
  });
});

describe('pricing on every path, at the item’s or company’s VAT rate', () => {
  it('the generic records POST prices a line without a price exactly as the price endpoint does', async () => {
    const lookup = await w.as('admin')('GET', `/api/v1/crm/quotes/price?item=${pump.id}&customer=${customers.own.id}&date=${DATE}&qty=2`);
    const r = await w.as('admin')('POST', '/api/v1/records/quote', { customer: customers.own.id, quote_date: DATE, lines: [{ item: pump.id, qty: 2 }, { item: pump.id, qty: 1, list_price: '120' }] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.lines.map((l: any) => [num(l.list_price), l.price_list])).toEqual([[num(lookup.body.listPrice), lookup.body.priceList], [120, null]]);
    expect([num(lookup.body.listPrice), lookup.body.priceList]).toEqual([80, lists.special.id]); // the customer's default 专价
    const unpriced = await w.as('admin')('POST', '/api/v1/records/quote', { customer: customers.b.id, quote_date: DATE, lines: [{ item: valve.id, qty: 1 }] });
    expect([unpriced.status, unpriced.body.error.field]).toEqual([422, 'lines.0.list_price']);
    const many = await w.as('admin')('POST', '/api/v1/records/quote/bulk', { records: [
      { customer: customers.b.id, quote_date: DATE, lines: [{ item: pump.id, qty: 1 }] },
      { customer: customers.b.id, quote_date: DATE, lines: [{ item: valve.id, qty: 1 }] },
    ] });
    expect([many.status, many.body.error?.field]).toEqual([422, '1.lines.0.list_price']);
  });

  it('takes the item’s VAT rate, else the company’s standard rate — for the line and to turn a tax-inclusive price net', async () => {
    const rates = (await w.as('admin')('GET', '/api/v1/records/tax_rate?pageSize=50')).body.data;
    const vat6 = rates.find((x: any) => x.code === 'VAT6');
    const vat13 = rates.find((x: any) => x.code === 'VAT13');
    const software = await w.create('admin', 'item', { code: 'SOFT', name: '软件服务', tax_rate: vat6.id });
    await w.create('admin', 'price_list', { name: '软件含税价', list_type: 'selling', price_includes_tax: true, prices: [{ item: software.id, rate: '106' }] });
    const q = await priced(customers.b.id, {}, [{ item: software.id, qty: 1 }]);
    expect(q.status, JSON.stringify(q.body)).toBe(201);
    expect([num(q.body.lines[0].list_price), num(q.body.lines[0].tax_rate)]).toEqual([100, 0.06]); // 106 / 1.06, not 106 / 1.13
    expect(q.body).toMatchObject({ net_total: '100.00', tax_total: '6.00', grand_total: '106.00' });
    const lookup = await w.as('admin')('GET', `/api/v1/crm/quotes/price?item=${software.id}&customer=${customers.b.id}&date=${DATE}`);
    expect(num(lookup.body.listPrice)).toBe(100);
    // No rate on the item: the company's standard output rate, whatever it is set to.
    const changed = await w.as('admin')('PATCH', `/api/v1/records/tax_rate/${vat13.id}`, { version: vat13.version, rate: '0.16' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const p = await priced(customers.b.id, {}, [{ item: pump.id, qty: 1 }, { item: pump.id, qty: 1, tax_rate: '0.09' }]);
    expect(p.body.lines.map((l: any) => num(l.tax_rate))).toEqual([0.16, 0.09]);
    await w.as('admin')('PATCH', `/api/v1/records/tax_rate/${vat13.id}`, { version: changed.body.version, rate: '0.13' });
  });
});

describe('availability of a quote\'s lines', () => {
  // The test clock is this process's: under MOSAIC_TEST_TOPOLOGY=multi the server processes keep real time.
  it.skipIf(testTopology() === 'multi')('a line covered by stock can ship on the kernel clock\'s day (a test that sets the clock sets it)', async () => {
    const receipt = await w.create('admin', 'stock_entry', { entry_type: 'receipt', warehouse: wh.id, lines: [{ item: valve.id, qty: 5, rate: 10 }] });
    const done = await w.as('admin')('POST', `/api/v1/records/stock_entry/${receipt.id}/submit`, { version: receipt.version });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const q = await priced(customers.b.id, { warehouse: wh.id }, [{ item: valve.id, qty: 2, list_price: '50' }]);
    expect(q.status, JSON.stringify(q.body)).toBe(201);
    const day = '2026-01-05';
    const r = await onClockDay(day, () => w.as('admin')('GET', `/api/v1/crm/quotes/${q.body.id}/availability`));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.lines.map((l: any) => [l.item, l.available, l.canShipOn])).toEqual([[valve.id, '5', day]]);
  });
});

describe('concurrent revisions', () => {
  it('two revises of the same quote at once: exactly one new version, the other a 409', async () => {
    const v1 = await submitted();
    const both = await Promise.all([w.t.api('POST', `/api/v1/crm/quotes/${v1.id}/revise`), w.t.api('POST', `/api/v1/crm/quotes/${v1.id}/revise`)]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)!.body.error.field).toBe('revision');
    const revisions = await w.q<{ n: number }>(sql`SELECT count(*)::int AS n FROM o_quote WHERE ${sql.ref(await quoteCol('previous'))} = ${v1.id}`);
    expect(revisions[0].n).toBe(1);
  });
});

async function quoteCol(field: string): Promise<string> {
  const o = await w.t.store.object(w.t.tenant.tenantId, 'quote');
  return o!.fields.find((f) => f.apiName === field)!.columnName!;
}
