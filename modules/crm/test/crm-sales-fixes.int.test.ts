import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { spyStatements } from '@mosaic/testing';
import { crmWorld, type CrmWorld } from './crm-world.ts';

// The review's open correctness gaps in sales management (issue 7):
// who may set a target, one settings row, targets in other currencies and
// nested teams in the forecast, credit notes in the tier revenue.
//   测试公司 (root) ├── 华南销售部: repA, repB (mgrSouth) └── 华东销售部: repC (mgrEast)
let w: CrmWorld;
const money = (amount: string, currency = 'CNY') => ({ amount, currency });

beforeAll(async () => {
  w = await crmWorld();
}, 180_000);
afterAll(async () => {
  await w?.t.close();
});

describe('who may set a sales target', () => {
  it('a manager sets targets inside their department tree only (403 naming rep/team); an administrator anywhere', async () => {
    const inRep = await w.as('mgrSouth')('POST', '/api/v1/records/sales_target', { rep: w.ids.repA, period: '2030-Q1', amount: money('1000') });
    expect(inRep.status, JSON.stringify(inRep.body)).toBe(201);
    const inTeam = await w.as('mgrSouth')('POST', '/api/v1/records/sales_target', { team: w.south, period: '2030-Q1', amount: money('5000') });
    expect(inTeam.status, JSON.stringify(inTeam.body)).toBe(201);

    const outRep = await w.as('mgrSouth')('POST', '/api/v1/records/sales_target', { rep: w.ids.repC, period: '2030-Q1', amount: money('1000') });
    expect([outRep.status, outRep.body.error.code, outRep.body.error.field]).toEqual([403, 'FORBIDDEN', 'rep']);
    const outTeam = await w.as('mgrSouth')('POST', '/api/v1/records/sales_target', { team: w.east, period: '2030-Q1', amount: money('1000') });
    expect([outTeam.status, outTeam.body.error.field]).toEqual([403, 'team']);
    // The parent department is above the manager's tree, not in it.
    const root = await w.as('mgrSouth')('POST', '/api/v1/records/sales_target', { team: w.t.tenant.departmentId, period: '2030-Q1', amount: money('1000') });
    expect([root.status, root.body.error.field]).toEqual([403, 'team']);
    // Moving an own target onto another team's rep is the same refusal.
    const moved = await w.as('mgrSouth')('PATCH', `/api/v1/records/sales_target/${inRep.body.id}`, { version: inRep.body.version, rep: w.ids.repC });
    expect([moved.status, moved.body.error?.field]).toEqual([403, 'rep']);
    const none = await w.q<{ n: number }>(sql`SELECT count(*)::int AS n FROM o_sales_target WHERE ${sql.ref(await col('sales_target', 'period'))} = '2030-Q1'`);
    expect(none[0].n).toBe(2);

    const adminOut = await w.as('admin')('POST', '/api/v1/records/sales_target', { rep: w.ids.repC, period: '2030-Q1', amount: money('1000') });
    expect(adminOut.status, JSON.stringify(adminOut.body)).toBe(201);
    const adminRoot = await w.as('admin')('POST', '/api/v1/records/sales_target', { team: w.t.tenant.departmentId, period: '2030-Q1', amount: money('9000') });
    expect(adminRoot.status, JSON.stringify(adminRoot.body)).toBe(201);
    await w.q(sql`DELETE FROM o_sales_target WHERE ${sql.ref(await col('sales_target', 'period'))} = '2030-Q1'`);
  });
});

describe('crm_settings', () => {
  it('holds one row per tenant: a second is a 409 naming crm_settings', async () => {
    const r = await w.as('admin')('POST', '/api/v1/records/crm_settings', { tier_a_min: '1', tier_b_min: '0', tier_months: 3 });
    expect([r.status, r.body.error.code, r.body.error.field]).toEqual([409, 'FIELD_NOT_UNIQUE', 'crm_settings']);
    const rows = await w.q<{ n: number }>(sql`SELECT count(*)::int AS n FROM o_crm_settings`);
    expect(rows[0].n).toBe(1);
  });
});

const forecast = async (period: string, by: string, who: 'admin' | 'mgrSouth' = 'admin') => {
  const r = await w.as(who)('GET', `/api/v1/crm/reports/forecast?period=${period}&by=${by}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const targetsBy = (body: any, key: string) => Object.fromEntries(body.rows.map((x: any) => [x[key], x.target]));

describe('forecast targets', () => {
  it('converts targets in other currencies to the company currency at the rate as of the quarter; a missing rate is a 422 naming it', async () => {
    // USD rates: an older one, the one in force at the quarter's end (2031-09-30), and a later one that must not count.
    for (const [rate_date, rate] of [['2031-06-01', '6.90'], ['2031-09-01', '7.10'], ['2031-10-15', '7.30']]) {
      const r = await w.as('admin')('POST', '/api/v1/records/currency_rate', { currency: 'USD', rate_date, rate });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    await w.create('admin', 'sales_target', { rep: w.ids.repA, period: '2031-Q3', amount: money('1000', 'USD') });
    await w.create('admin', 'sales_target', { rep: w.ids.repB, period: '2031-Q3', amount: money('5000') });
    const r = await forecast('2031-Q3', 'rep');
    expect(r.currency).toBe('CNY');
    expect(targetsBy(r, 'rep')).toEqual({ [w.ids.repA]: '7100.00', [w.ids.repB]: '5000.00' });
    expect(r.total.target).toBe('12100.00'); // not 6000 (1000 USD + 5000 CNY added as they stand)
    expect(r.rows.find((x: any) => x.rep === w.ids.repA).name).toBe('销售甲');

    await w.create('admin', 'sales_target', { rep: w.ids.repC, period: '2031-Q4', amount: money('100', 'EUR') });
    const bad = await w.as('admin')('GET', '/api/v1/crm/reports/forecast?period=2031-Q4&by=rep');
    expect([bad.status, bad.body.error.code, bad.body.error.field]).toEqual([422, 'FIELD_REQUIRED', 'currency']);
    expect(bad.body.error.message).toContain('EUR');
  });

  it('a team target covers its subtree: nested targets are counted once (3-level tree)', async () => {
    // 大区 (target 10,000) → 片区 (no target) → 一组 (3,000), 二组 (5,000); 片区 holds a deal so it is on the sheet.
    const dept = async (name: string, parentId: string) => {
      const r = await w.t.api('POST', '/api/v1/admin/departments', { name, parentId });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    const region = await dept('大区', w.t.tenant.departmentId);
    const area = await dept('片区', region);
    const g1 = await dept('一组', area);
    const g2 = await dept('二组', area);
    const P = '2031-Q1';
    await w.create('admin', 'sales_target', { team: region, period: P, amount: money('10000') });
    await w.create('admin', 'sales_target', { team: g1, period: P, amount: money('3000') });
    await w.create('admin', 'sales_target', { team: g2, period: P, amount: money('5000') });
    const opp = await w.create('repA', 'opportunity', { name: '片区商机', amount: 2000, expected_close_date: '2031-02-15' });
    await w.q(sql`UPDATE o_opportunity SET department_id = ${area} WHERE id = ${opp.id}`);

    const r = await forecast(P, 'team');
    expect(targetsBy(r, 'team')).toEqual({ [region]: '10000.00', [area]: '8000.00', [g1]: '3000.00', [g2]: '5000.00' });
    expect(r.total.target).toBe('10000.00'); // not 18,000: the region's target is the whole subtree's
    // Without the region's own target, the top is the sum of what is below it.
    await w.q(sql`DELETE FROM o_sales_target WHERE ${sql.ref(await col('sales_target', 'team'))} = ${region}`);
    const r2 = await forecast(P, 'team');
    expect(targetsBy(r2, 'team')).toEqual({ [area]: '8000.00', [g1]: '3000.00', [g2]: '5000.00' });
    expect(r2.total.target).toBe('8000.00');
    await w.q(sql`DELETE FROM o_opportunity WHERE id = ${opp.id}`);
  });
});

describe('customer tier revenue', () => {
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const yearAgo = () => `${Number(today().slice(0, 4)) - 1}${today().slice(4)}`; // (today − 12 months, today]: this day is outside
  const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const submitted = async (object: string, values: Record<string, unknown>, submit = true) => {
    const doc = await w.create('admin', object, values);
    if (!submit) return doc;
    const r = await w.as('admin')('POST', `/api/v1/records/${object}/${doc.id}/submit`, { version: doc.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return doc;
  };
  const tier = async (customer: string) => {
    const r = await w.as('admin')('POST', `/api/v1/crm/customers/${customer}/tier`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return [r.body.tier, r.body.revenue];
  };

  it('nets out credit notes over the same 12 months: one cent of credit drops a 1,000,000 customer from A to B', async () => {
    const item = (await w.create('admin', 'item', { code: 'TIER-CN', name: '咨询费' })).id;
    const customer = async (name: string) => (await w.create('admin', 'customer', { name, tier_mode: 'auto' })).id as string;
    const edge = await customer('红字一分有限公司');
    const old = await customer('旧红字有限公司');
    const draft = await customer('草稿红字有限公司');
    for (const c of [edge, old, draft]) await submitted('sales_invoice', { customer: c, posting_date: dayAfter(yearAgo()), lines: [{ item, qty: 1, rate: '1000000' }] });
    await submitted('credit_note', { customer: edge, posting_date: today(), net_amount: '0.01', reason: '折让' });
    // A credit note 12 months ago to the day is outside the window, as an invoice would be; a draft does not count.
    await submitted('credit_note', { customer: old, posting_date: yearAgo(), net_amount: '500000', reason: '退货' });
    await submitted('credit_note', { customer: draft, posting_date: today(), net_amount: '500000', reason: '草稿' }, false);
    expect(await tier(edge)).toEqual(['B', '999999.99']);
    expect(await tier(old)).toEqual(['A', '1000000.00']);
    expect(await tier(draft)).toEqual(['A', '1000000.00']);
  });

  it('counts a USD invoice in yuan: at its own exchange rate, else the day\'s rate', async () => {
    const item = (await w.create('admin', 'item', { code: 'TIER-USD', name: '出口件' })).id;
    const given = (await w.create('admin', 'customer', { name: '美元汇率客户', tier_mode: 'auto' })).id as string;
    const daily = (await w.create('admin', 'customer', { name: '美元日汇率客户', tier_mode: 'auto' })).id as string;
    await w.create('admin', 'currency_rate', { currency: 'USD', rate_date: yearAgo(), rate: '7.000000' });
    // 150,000 USD: tier A in yuan (1,050,000 at 7.00; 1,080,000 at 7.20), only C if counted as yuan.
    await submitted('sales_invoice', { customer: given, currency: 'USD', exchange_rate: '7.2', posting_date: today(), lines: [{ item, qty: 1, rate: '150000' }] });
    await submitted('sales_invoice', { customer: daily, currency: 'USD', posting_date: today(), lines: [{ item, qty: 1, rate: '150000' }] });
    expect(await tier(given)).toEqual(['A', '1080000.00']);
    expect(await tier(daily)).toEqual(['A', '1050000.00']);
  });

  it('looks the day rates of every foreign invoice up in one statement, however many days they fall on', async () => {
    const item = (await w.create('admin', 'item', { code: 'TIER-FXN', name: '多日外币' })).id;
    const customer = (await w.create('admin', 'customer', { name: '多日美元客户', tier_mode: 'auto' })).id as string;
    const daysAgo = (n: number) => new Date(Date.parse(`${today()}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    const bill = async (days: number[]) => {
      for (const n of days) await submitted('sales_invoice', { customer, currency: 'USD', posting_date: daysAgo(n), lines: [{ item, qty: 1, rate: '1000', tax_rate: 0 }] });
    };
    const measured = async () => {
      const { statements, result } = await spyStatements(() => tier(customer));
      return { revenue: result[1] as string, statements: statements.length };
    };
    await w.create('admin', 'currency_rate', { currency: 'USD', rate_date: daysAgo(30), rate: '7.000000' });
    await w.create('admin', 'currency_rate', { currency: 'USD', rate_date: daysAgo(3), rate: '7.100000' });
    await bill([1]);
    await measured(); // caches warm (a first call reads settings and metadata once)
    const one = await measured();
    expect(one.revenue).toBe('7100.00');
    // four more days, two before the 7.10 rate: 7,100 × 3 + 7,000 × 2
    await bill([2, 3, 4, 5]);
    const five = await measured();
    expect(five.revenue).toBe('35300.00');
    expect(five.statements).toBe(one.statements);
  });

  it('counts a document without a company in the tenant\'s company currency: a CNY invoice at 1, a USD one at the day\'s rate', async () => {
    const item = (await w.create('admin', 'item', { code: 'TIER-NOCO', name: '无公司单据' })).id;
    const cny = (await w.create('admin', 'customer', { name: '无公司人民币客户', tier_mode: 'auto' })).id as string;
    const usd = (await w.create('admin', 'customer', { name: '无公司美元客户', tier_mode: 'auto' })).id as string;
    await w.create('admin', 'currency_rate', { currency: 'USD', rate_date: dayAfter(yearAgo()), rate: '7.100000' });
    const a = await submitted('sales_invoice', { customer: cny, currency: 'CNY', posting_date: today(), lines: [{ item, qty: 1, rate: '300000' }] }, false);
    const b = await submitted('sales_invoice', { customer: usd, currency: 'USD', posting_date: today(), lines: [{ item, qty: 1, rate: '30000' }] }, false);
    // Written by a user without a company (identity then takes the tenant's first company's currency).
    await w.q(sql`UPDATE o_sales_invoice SET company_id = NULL WHERE id IN (${a.id}, ${b.id})`);
    for (const doc of [a, b]) {
      const r = await w.as('admin')('POST', `/api/v1/records/sales_invoice/${doc.id}/submit`, { version: doc.version });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    expect(await tier(cny)).toEqual(['B', '300000.00']);
    expect(await tier(usd)).toEqual(['B', '213000.00']); // 30,000 × 7.10
  });

  it('nets out a priced sales return: 200,000 invoiced less a 0.01 return is below B', async () => {
    const customer = (await w.create('admin', 'customer', { name: '退货一分有限公司', tier_mode: 'auto' })).id as string;
    const item = (await w.create('admin', 'item', { code: 'TIER-SR', name: '设备' })).id;
    const wh = (await w.create('admin', 'warehouse', { code: 'TIER-WH', name: '等级仓' })).id;
    await submitted('stock_entry', { entry_type: 'receipt', warehouse: wh, lines: [{ item, qty: 2, rate: 5 }] });
    const so = await submitted('sales_order', { customer, warehouse: wh, lines: [{ item, qty: 1, rate: '200000' }] });
    const dn = await submitted('delivery_note', { customer, sales_order: so.id, warehouse: wh, lines: [{ item, qty: 1 }] });
    await submitted('sales_invoice', { customer, sales_order: so.id, posting_date: today(), lines: [{ item, qty: 1, rate: '200000' }] });
    expect(await tier(customer)).toEqual(['B', '200000.00']);
    await submitted('sales_return', { customer, delivery_note: dn.id, warehouse: wh, posting_date: today(), lines: [{ item, qty: 1, rate: '0.01' }] });
    expect(await tier(customer)).toEqual(['C', '199999.99']);
  });
});

async function col(object: string, field: string): Promise<string> {
  const o = await w.t.store.object(w.t.tenant.tenantId, object);
  return o!.fields.find((f) => f.apiName === field)!.columnName!;
}
