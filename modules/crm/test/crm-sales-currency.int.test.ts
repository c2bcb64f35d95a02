import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spyStatements } from '@mosaic/testing';
import { sql } from '@mosaic/db';
import { advanceClock, clock, resetClock } from '@mosaic/kernel';
import { roleWith, userWith } from '../../../apps/server/test/access-helpers.ts';
import { crmWorld, type CrmWorld } from './crm-world.ts';

// Sales management, the review's second round (issue 7): the write scope of
// objects whose owner comes from a field, forecasts in several currencies,
// the 销售目标 report by currency, one read of the department sheet per team
// forecast, and a tenant without finance (no rates: company currency only).
//   测试公司 (root) ├── 华南销售部: repA, repB (mgrSouth) └── 华东销售部: repC (mgrEast)
let w: CrmWorld;
const money = (amount: string, currency = 'CNY') => ({ amount, currency });

beforeAll(async () => {
  w = await crmWorld();
}, 180_000);
afterAll(async () => {
  await w?.t.close();
});

async function col(object: string, field: string): Promise<string> {
  const o = await w.t.store.object(w.t.tenant.tenantId, object);
  return o!.fields.find((f) => f.apiName === field)!.columnName!;
}

describe('write scope of an object whose owner comes from a field', () => {
  it('a second object with an owner link gets the same rule as sales targets: inside the manager\'s tree only, 403 naming the link', async () => {
    // 拜访计划: a rep's visit plan, set by their manager. Its owner is the rep (scopeLink), nothing module-specific.
    const made = await w.t.api('POST', '/api/v1/meta/objects', {
      apiName: 'visit_plan', label: { zh: '拜访计划', en: 'Visit plan' },
      fields: [
        { apiName: 'rep', type: 'user', label: '销售员', config: { scopeLink: 'owner' } },
        { apiName: 'visit_on', type: 'date', label: '拜访日期' },
      ],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const role = await w.t.api('POST', '/api/v1/admin/roles', { code: 'visit_manager', label: '拜访计划管理' });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const perms = await w.t.api('PUT', `/api/v1/admin/roles/${role.body.id}/permissions`, {
      permissions: ['read', 'create', 'edit'].map((action) => ({ object: 'visit_plan', action, scope: 'department_tree' })),
    });
    expect(perms.status, JSON.stringify(perms.body)).toBe(200);
    const mgrRoles = await w.q<{ role_id: string }>(sql`SELECT role_id FROM user_role WHERE user_id = ${w.ids.mgrSouth}`);
    const assigned = await w.t.api('PUT', `/api/v1/admin/users/${w.ids.mgrSouth}/roles`, { roleIds: [...mgrRoles.map((r) => r.role_id), role.body.id] });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);

    const mine = await w.as('mgrSouth')('POST', '/api/v1/records/visit_plan', { rep: w.ids.repA, visit_on: '2031-03-02' });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    // The link decided the owner and the department (not the manager who typed it in).
    const [row] = await w.q<{ owner_id: string; department_id: string }>(sql`SELECT owner_id, department_id FROM o_visit_plan WHERE id = ${mine.body.id}`);
    expect(row).toEqual({ owner_id: w.ids.repA, department_id: w.south });

    const other = await w.as('mgrSouth')('POST', '/api/v1/records/visit_plan', { rep: w.ids.repC, visit_on: '2031-03-02' });
    expect([other.status, other.body.error.code, other.body.error.field]).toEqual([403, 'FORBIDDEN', 'rep']);
    const moved = await w.as('mgrSouth')('PATCH', `/api/v1/records/visit_plan/${mine.body.id}`, { version: mine.body.version, rep: w.ids.repC });
    expect([moved.status, moved.body.error?.field]).toEqual([403, 'rep']);
    // In a bulk create the refusal names the row.
    const bulk = await w.as('mgrSouth')('POST', '/api/v1/records/visit_plan/bulk', { records: [{ rep: w.ids.repB }, { rep: w.ids.repC }] });
    expect([bulk.status, bulk.body.error?.field]).toEqual([403, '1.rep']);
    const rows = await w.q<{ owner_id: string }>(sql`SELECT owner_id FROM o_visit_plan`);
    expect(rows).toEqual([{ owner_id: w.ids.repA }]);
    // The administrator (unrestricted) sets one for anybody.
    const admin = await w.as('admin')('POST', '/api/v1/records/visit_plan', { rep: w.ids.repC });
    expect(admin.status, JSON.stringify(admin.body)).toBe(201);

    // A scope link must be a field that can say who or which department: 422 naming the config key.
    const bad = await w.t.api('POST', '/api/v1/meta/objects/visit_plan/fields', { apiName: 'note', type: 'text', label: '备注', config: { scopeLink: 'owner' } });
    expect([bad.status, bad.body.error.code, bad.body.error.field]).toEqual([422, 'META_INVALID', 'config.scopeLink']);
  });
});

describe('forecast in several currencies', () => {
  // 2032-Q2 = 2032-04-01 … 2032-06-30; the USD rate in force at its end is 7.20 (not 7.00 before, not 7.50 after).
  const P = '2032-Q2';
  beforeAll(async () => {
    for (const [rate_date, rate] of [['2032-03-01', '7.00'], ['2032-06-15', '7.20'], ['2032-07-10', '7.50']]) {
      await w.create('admin', 'currency_rate', { currency: 'USD', rate_date, rate });
    }
    const [prob, wonAt] = await Promise.all([col('opportunity', 'probability'), col('opportunity', 'won_at')]);
    const opp = async (who: 'repA' | 'repB', amount: number, currency: string | null, p: string, won: string | null) => {
      const o = await w.create(who, 'opportunity', { name: `${who}-${amount}-${currency}`, amount, expected_close_date: '2032-05-10', ...(currency ? { currency } : {}) });
      await w.q(sql`UPDATE o_opportunity SET ${sql.ref(prob)} = ${p}, ${sql.ref(wonAt)} = ${won}::timestamptz WHERE id = ${o.id}`);
    };
    await opp('repA', 10000, 'USD', '0.5', null); // open: 72,000.00 CNY, weighted 36,000.00
    await opp('repA', 20000, null, '0.3', null); // open, company currency: 20,000, weighted 6,000
    await opp('repA', 50000, 'CNY', '1', '2032-05-20T10:00:00+08:00'); // won 50,000
    await opp('repB', 1000, 'USD', '1', '2032-06-01T10:00:00+08:00'); // won 7,200.00 CNY
    await w.create('admin', 'sales_target', { rep: w.ids.repA, period: P, amount: money('20000', 'USD') }); // 144,000.00 CNY
    await w.create('admin', 'sales_target', { rep: w.ids.repB, period: P, amount: money('10000') });
    await w.create('admin', 'sales_target', { team: w.south, period: P, amount: money('25000', 'USD') }); // 180,000.00 CNY
  });

  it('converts USD opportunities at the rate as of the quarter\'s end and adds them to CNY ones (exact figures)', async () => {
    const r = await w.as('admin')('GET', `/api/v1/crm/reports/forecast?period=${P}&by=rep`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const by = Object.fromEntries(r.body.rows.map((x: any) => [x.rep, [x.openCount, x.openAmount, x.weighted, x.wonCount, x.won, x.forecast, x.target, x.attainment]]));
    expect(r.body.currency).toBe('CNY');
    expect(by).toEqual({
      [w.ids.repA]: [2, '92000.00', '42000.00', 1, '50000.00', '92000.00', '144000.00', '0.3472'],
      [w.ids.repB]: [0, '0.00', '0.00', 1, '7200.00', '7200.00', '10000.00', '0.7200'],
    });
    // Unconverted, repA's open amount would read 30,000 and the total won 51,000.
    const t = r.body.total;
    expect([t.openCount, t.openAmount, t.weighted, t.wonCount, t.won, t.forecast, t.target]).toEqual([2, '92000.00', '42000.00', 2, '57200.00', '99200.00', '154000.00']);
  });

  it('the pipeline kanban\'s cards carry each amount\'s currency, so a USD card is not shown in yuan', async () => {
    const mine = await w.as('repA')('GET', `/api/v1/records/opportunity?filter=${encodeURIComponent(JSON.stringify({ name: 'repA-10000-USD' }))}&fields=pipeline`);
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    const board = await w.as('repA')('GET', `/api/v1/crm/pipelines/${mine.body.data[0].pipeline}/kanban`);
    expect(board.status, JSON.stringify(board.body)).toBe(200);
    const cards = Object.fromEntries(board.body.stages.flatMap((s: any) => s.cards).map((c: any) => [c.name, c.amount]));
    expect(cards['repA-10000-USD']).toEqual({ amount: '10000.00', currency: 'USD' });
    expect(cards['repA-20000-null']).toEqual({ amount: '20000.00', currency: 'CNY' }); // none sent: the company's
  });

  it('per team reads the department sheet once, and rolls the converted figures up', async () => {
    const { statements, result: r } = await spyStatements(() => w.as('admin')('GET', `/api/v1/crm/reports/forecast?period=${P}&by=team`));
    const texts = statements.map((s) => s.text.replace(/\s+/g, ' '));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Titles, the roll-up's paths and the target tree all come from one read (it was two: paths, then the tree, plus names).
    expect(texts.filter((s) => /\bFROM department\b/.test(s)), texts.join('\n')).toHaveLength(1);
    const south = r.body.rows.find((x: any) => x.team === w.south);
    expect([south.name, south.openAmount, south.weighted, south.won, south.forecast, south.target]).toEqual(['华南销售部', '92000.00', '42000.00', '57200.00', '99200.00', '180000.00']);
  });

  it('the 销售目标 report never adds currencies together: one column per currency', async () => {
    const list = await w.t.api('GET', '/api/v1/reports?source=sales_target');
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const report = list.body.data.find((x: any) => x.name === '销售目标');
    const r = await w.t.api('GET', `/api/v1/reports/${report.id}/run?period=${P}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const rows = r.body.rows.map((x: any) => [x.rep ?? x.team, x.currency, x.target]);
    expect(rows.sort()).toEqual([[w.ids.repA, 'USD', '20000.00'], [w.ids.repB, 'CNY', '10000.00'], [w.south, 'USD', '25000.00']].sort());
    // As a pivot: a row per rep or team, a column per currency.
    expect(r.body.columns.find((c: any) => c.key === 'currency')?.role).toBe('column');
    // The company-currency view of the same targets (the forecast): 144,000 + 10,000 per rep, 180,000 for the team.
  });
});

describe('average deal size report', () => {
  it('平均成交金额与销售周期 keeps each currency on its own row', async () => {
    const list = await w.t.api('GET', '/api/v1/reports?source=opportunity');
    const report = list.body.data.find((x: any) => x.name === '平均成交金额与销售周期');
    const r = await w.t.api('GET', `/api/v1/reports/${report.id}/run?from=2032-04-01&to=2032-06-30`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const rows = r.body.rows.map((x: any) => [x.owner_id, x.currency, Number(x.won_count), Number(x.won).toFixed(2), Number(x.avg_deal).toFixed(2)]);
    // Not one row of 51,000 over two deals: 50,000 CNY (repA) and 1,000 USD (repB) apart, and no grand total adding them.
    expect(rows.sort()).toEqual([[w.ids.repA, 'CNY', 1, '50000.00', '50000.00'], [w.ids.repB, 'USD', 1, '1000.00', '1000.00']].sort());
  });
});

describe('360 view: open pipeline in the company currency', () => {
  it('converts a USD opportunity at today\'s rate before adding it to a CNY one (exact figures)', async () => {
    // Today's USD rate is the latest on or before today: 6.90 (the 2032 rates above are not yet in force).
    await w.create('admin', 'currency_rate', { currency: 'USD', rate_date: '2020-01-02', rate: '6.50' });
    await w.create('admin', 'currency_rate', { currency: 'USD', rate_date: '2021-06-30', rate: '6.90' });
    const customer = (await w.create('repA', 'customer', { name: '外币管道客户' })).id;
    const prob = await col('opportunity', 'probability');
    for (const [amount, currency, p] of [[1000, 'USD', '0.5'], [2000, null, '0.25'], [300, 'CNY', '1']] as const) {
      const o = await w.create('repA', 'opportunity', { name: `360-${amount}`, customer, amount, ...(currency ? { currency } : {}) });
      await w.q(sql`UPDATE o_opportunity SET ${sql.ref(prob)} = ${p} WHERE id = ${o.id}`);
    }
    const v = await w.as('repA')('GET', `/api/v1/crm/customers/${customer}/360`);
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    // 1,000 USD × 6.90 = 6,900 + 2,000 + 300 = 9,200 (unconverted: 3,300); weighted 3,450 + 500 + 300 = 4,250.
    expect(v.body.figures.openOpportunities).toEqual({ count: 3, amount: '9200.00', weighted: '4250.00' });
    // Each opportunity on the timeline names its own currency in its amount (none sent: the company's).
    const byAmount = (a: any, b: any) => Number(a.amount) - Number(b.amount);
    const amounts = [{ amount: '300.00', currency: 'CNY' }, { amount: '1000.00', currency: 'USD' }, { amount: '2000.00', currency: 'CNY' }];
    const entries = v.body.timeline.filter((e: any) => e.kind === 'opportunity').map((e: any) => e.record.amount);
    expect(entries.sort(byAmount)).toEqual(amounts);
    // Someone who may not read a field a part asks for still gets the 360, its entries without that field.
    const role = await roleWith(w.t, 'crm360_no_close', ['customer', 'opportunity'].map((object) => ({ object, action: 'read', scope: 'all' })), [{ object: 'opportunity', field: 'expected_close_date', rule: 'hidden' }]);
    const viewer = await userWith(w.t, [role], { name: 'crm360-no-close' });
    const hidden = await w.t.api('GET', `/api/v1/crm/customers/${customer}/360`, undefined, { token: viewer.token });
    expect(hidden.status, JSON.stringify(hidden.body)).toBe(200);
    const seen = hidden.body.timeline.filter((e: any) => e.kind === 'opportunity');
    expect(seen.map((e: any) => e.record.amount).sort(byAmount)).toEqual(amounts);
    expect(seen.some((e: any) => 'expected_close_date' in e.record)).toBe(false);
    // The currency is the amount's (amount.currency, read with the amount): hiding the text copy `currency`
    // hides that field only — the sums, converted by the amounts' own currencies, are the same.
    const noCcy = await roleWith(w.t, 'crm360_no_ccy', ['customer', 'opportunity', 'sales_order'].map((object) => ({ object, action: 'read', scope: 'all' })), [{ object: 'opportunity', field: 'currency', rule: 'hidden' }]);
    const blind = await userWith(w.t, [noCcy], { name: 'crm360-no-ccy' });
    const v2 = await w.t.api('GET', `/api/v1/crm/customers/${customer}/360`, undefined, { token: blind.token });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    expect(v2.body.figures.openOpportunities).toEqual({ count: 3, amount: '9200.00', weighted: '4250.00' });
    expect(v2.body.timeline.filter((e: any) => e.kind === 'opportunity').some((e: any) => 'currency' in e.record)).toBe(false);
    // …and one who may not read an amount gets the page, its sums left out — weighted too, a formula over amount.
    const noAmount = await roleWith(w.t, 'crm360_no_amount', ['customer', 'opportunity', 'sales_order'].map((object) => ({ object, action: 'read', scope: 'all' })),
      [{ object: 'opportunity', field: 'amount', rule: 'hidden' }, { object: 'sales_order', field: 'grand_total', rule: 'hidden' }]);
    const noSums = await userWith(w.t, [noAmount], { name: 'crm360-no-amount' });
    const v3 = await w.t.api('GET', `/api/v1/crm/customers/${customer}/360`, undefined, { token: noSums.token });
    expect(v3.status, JSON.stringify(v3.body)).toBe(200);
    expect(v3.body.figures).toEqual({ openOpportunities: { count: 3, amount: null, weighted: null }, ordersThisYear: { count: 0, total: null } });
  });

  it('names the currency its figures are in: the company\'s, the one GET /auth/me gives the web app', async () => {
    const customer = (await w.create('repA', 'customer', { name: '币种客户' })).id;
    const view = async () => {
      const v = await w.as('repA')('GET', `/api/v1/crm/customers/${customer}/360`);
      expect(v.status, JSON.stringify(v.body)).toBe(200);
      const me = await w.as('repA')('GET', '/api/v1/auth/me');
      return [v.body.currency, me.body.user.companyCurrency];
    };
    expect(await view()).toEqual(['CNY', 'CNY']);
    const company = `/api/v1/admin/companies/${w.t.tenant.companyId}`;
    expect((await w.as('admin')('PATCH', company, { currency: 'USD' })).status).toBe(200);
    try {
      expect(await view()).toEqual(['USD', 'USD']);
    } finally {
      expect((await w.as('admin')('PATCH', company, { currency: 'CNY' })).status).toBe(200);
    }
  });

  it('win rate per rep: won amounts in the company currency at today\'s rate, and the average deal from them', async () => {
    const r = await w.as('admin')('GET', '/api/v1/crm/reports/win-rate');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const of = (id: string) => r.body.rows.find((x: any) => x.owner_id === id);
    // repB won 1,000 USD (6,900.00 today, not 1,000); repA 50,000 CNY.
    expect([of(w.ids.repB).won, of(w.ids.repB).won_amount, of(w.ids.repB).avg_deal]).toEqual([1, '6900.00', '6900.00']);
    expect([of(w.ids.repA).won, of(w.ids.repA).won_amount, of(w.ids.repA).avg_deal]).toEqual([1, '50000.00', '50000.00']);
  });
});

describe('today\'s rate is the kernel clock\'s', () => {
  it('the 360 pipeline and the win rate convert at the rate of the clock\'s day, so a test that sets the clock sets it', async () => {
    const customer = (await w.create('repA', 'customer', { name: '时钟汇率客户' })).id;
    const o = await w.create('repA', 'opportunity', { name: '时钟-1000', customer, amount: 1000, currency: 'USD' });
    await w.q(sql`UPDATE o_opportunity SET ${sql.ref(await col('opportunity', 'probability'))} = '0.5' WHERE id = ${o.id}`);
    // Back to 2021-03-01: the USD rate in force is 2020-01-02's 6.50, not 2021-06-30's 6.90.
    advanceClock(Date.parse('2021-03-01T04:00:00Z') - clock.now().getTime());
    try {
      const v = await w.as('repA')('GET', `/api/v1/crm/customers/${customer}/360`);
      expect(v.status, JSON.stringify(v.body)).toBe(200);
      expect(v.body.figures.openOpportunities).toEqual({ count: 1, amount: '6500.00', weighted: '3250.00' });
      const r = await w.as('admin')('GET', '/api/v1/crm/reports/win-rate');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.rows.find((x: any) => x.owner_id === w.ids.repB).won_amount).toBe('6500.00');
    } finally {
      resetClock();
    }
  });
});

describe('a tenant without finance (no exchange rates)', () => {
  it('takes figures in the company currency only: a foreign target or opportunity is a 422 naming currency, not a 500', async () => {
    // A foreign target from before (when rates existed) meets a tenant whose finance is gone.
    await w.create('admin', 'sales_target', { rep: w.ids.repC, period: '2033-Q1', amount: money('100', 'USD') });
    await removeFinanceRates();
    const fc = await w.as('admin')('GET', '/api/v1/crm/reports/forecast?period=2033-Q1&by=rep');
    expect([fc.status, fc.body.error?.code, fc.body.error?.field]).toEqual([422, 'FIELD_INVALID', 'currency']);
    expect(fc.body.error.message).toContain('USD');

    const target = await w.as('admin')('POST', '/api/v1/records/sales_target', { rep: w.ids.repA, period: '2033-Q2', amount: money('100', 'USD') });
    expect([target.status, target.body.error?.code, target.body.error?.field]).toEqual([422, 'FIELD_INVALID', 'currency']);
    const opp = await w.as('repA')('POST', '/api/v1/records/opportunity', { name: '外币商机', amount: 100, currency: 'EUR' });
    expect([opp.status, opp.body.error?.field]).toEqual([422, 'currency']);
    // The company's currency is fine, and a forecast over it runs.
    await w.create('admin', 'sales_target', { rep: w.ids.repA, period: '2033-Q2', amount: money('100') });
    await w.create('repA', 'opportunity', { name: '本币商机', amount: 100, currency: 'CNY', expected_close_date: '2033-05-01' });
    const ok = await w.as('admin')('GET', '/api/v1/crm/reports/forecast?period=2033-Q2&by=rep');
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.rows.find((x: any) => x.rep === w.ids.repA).target).toBe('100.00');
  });
});

/**
 * The tenant as one without the finance module: its currency_rate object gone
 * from the metadata (finance cannot be left out of a fresh install — selling
 * links its tax rates — so the test removes the object the CRM looks for).
 */
async function removeFinanceRates(): Promise<void> {
  const tenantId = w.t.tenant.tenantId;
  await w.t.testDb.db.owner.transaction().execute(async (tx) => {
    await sql`SELECT set_config('mosaic.tenant_id', ${tenantId}, true)`.execute(tx);
    await sql`DELETE FROM meta_field WHERE object_id = (SELECT id FROM meta_object WHERE api_name = 'currency_rate')`.execute(tx);
    await sql`DELETE FROM meta_object WHERE api_name = 'currency_rate'`.execute(tx);
  });
  w.t.store.invalidate(tenantId);
  expect((await w.t.store.objects(tenantId)).has('currency_rate')).toBe(false);
}
