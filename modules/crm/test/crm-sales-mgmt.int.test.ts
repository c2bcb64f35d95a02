import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { clock } from '@mosaic/kernel';
import { runRule, scheduleTick, startWorkers, type Workers } from '@mosaic/automation';
import { waitFor } from '../../../apps/server/test/automation-fixture.ts';
import { crmWorld, type CrmWorld, type Person } from './crm-world.ts';

// Sales management (the audit's gaps in issue 7): targets and the weighted
// forecast against them, customer tiers from invoiced revenue, overdue
// follow-ups per rep and manager, and the follow-up reminder firing once.
//   华南销售部: repA, repB (mgrSouth) · 华东销售部: repC (mgrEast)
let w: CrmWorld;
let workers: Workers;
const DAY = 86_400_000;
const deps = () => ({ db: w.t.testDb.db, store: w.t.store, url: w.t.testDb.url });
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const plus = (days: number) => new Date(Date.parse(`${today()}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const quarterOf = (date: string) => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
/** The first day of the quarter after `date`'s. */
const nextQuarterStart = (date: string) => {
  const y = Number(date.slice(0, 4));
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;
  return q === 4 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
};

beforeAll(async () => {
  w = await crmWorld();
  workers = await startWorkers(deps(), { tickMs: 200, slowTickMs: 3_600_000, pollMs: 500 });
}, 180_000);
afterAll(async () => {
  await workers?.stop();
  await w?.t.close();
});

async function stages(): Promise<Record<string, string>> {
  const r = await w.t.api('GET', '/api/v1/records/crm_stage?pageSize=50&fields=name');
  return Object.fromEntries(r.body.data.map((s: any) => [s.name, s.id]));
}

async function opportunity(who: Person, amount: number, close: string, to?: { stage: string; values?: Record<string, unknown> }) {
  const opp = await w.create(who, 'opportunity', { name: `${who} ${amount}`, amount, expected_close_date: close });
  if (!to) return opp;
  const r = await w.as(who)('POST', `/api/v1/crm/opportunities/${opp.id}/move`, { stage: to.stage, version: opp.version, values: to.values });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

const forecast = async (who: Person | 'admin', period: string, by = 'rep') => {
  const r = await w.as(who)('GET', `/api/v1/crm/reports/forecast?period=${period}&by=${by}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const pick = (row: any) => ({ open: row.openCount, openAmount: row.openAmount, weighted: row.weighted, won: row.won, forecast: row.forecast, target: row.target, attainment: row.attainment, fa: row.forecastAttainment });

describe('sales targets and the weighted forecast', () => {
  const Q = quarterOf(today());
  const NEXT = quarterOf(nextQuarterStart(today()));
  const inQ = today(); // open deals closing this quarter (won ones are stamped now: this quarter too)
  const inNext = nextQuarterStart(today());

  beforeAll(async () => {
    const s = await stages();
    const contact = await w.create('repB', 'contact', { name: '王总' });
    // repA: 0.3 × 100,000 + 0.1 × 50,000 open, 80,000 won, a lost deal, and 0.8 × 200,000 next quarter.
    await opportunity('repA', 100000, inQ, { stage: s['需求确认'] });
    await opportunity('repA', 50000, inQ);
    await opportunity('repA', 80000, inNext, { stage: s['赢单'] }); // won counts in the quarter it was won
    await opportunity('repA', 70000, inQ, { stage: s['输单'], values: { close_reason: '价格' } });
    await opportunity('repA', 200000, inNext, { stage: s['商务谈判'], values: { budget_confirmed: true } });
    // repB: 0.6 × 40,000 open, 120,000 won.
    await opportunity('repB', 40000, inQ, { stage: s['方案报价'], values: { contact: contact.id, decision_maker: '王总' } });
    await opportunity('repB', 120000, inQ, { stage: s['赢单'] });
    // repC (the other team): 0.1 × 300,000 open.
    await opportunity('repC', 300000, inQ);
    const money = (amount: string) => ({ amount, currency: 'CNY' });
    await w.create('mgrSouth', 'sales_target', { rep: w.ids.repA, period: Q, amount: money('200000') });
    await w.create('mgrSouth', 'sales_target', { rep: w.ids.repB, period: Q, amount: money('100000') });
    await w.create('mgrSouth', 'sales_target', { team: w.south, period: Q, amount: money('400000') });
    await w.create('mgrSouth', 'sales_target', { rep: w.ids.repA, period: NEXT, amount: money('300000') });
    await w.create('mgrEast', 'sales_target', { team: w.east, period: Q, amount: money('100000') });
  });

  it('per rep: Σ open amount × stage probability + won in the quarter, against the target', async () => {
    const r = await forecast('admin', Q);
    expect(r).toMatchObject({ period: Q, by: 'rep' });
    const rows = Object.fromEntries(r.rows.map((x: any) => [x.rep, pick(x)]));
    expect(rows).toEqual({
      [w.ids.repA]: { open: 2, openAmount: '150000.00', weighted: '35000.00', won: '80000.00', forecast: '115000.00', target: '200000.00', attainment: '0.4000', fa: '0.5750' },
      [w.ids.repB]: { open: 1, openAmount: '40000.00', weighted: '24000.00', won: '120000.00', forecast: '144000.00', target: '100000.00', attainment: '1.2000', fa: '1.4400' },
      [w.ids.repC]: { open: 1, openAmount: '300000.00', weighted: '30000.00', won: '0.00', forecast: '30000.00', target: null, attainment: null, fa: null },
    });
    expect(r.rows.find((x: any) => x.rep === w.ids.repA).name).toBe('销售甲');
    // The total's target is the reps' targets (team targets are the team view's).
    expect(pick(r.total)).toEqual({ open: 4, openAmount: '490000.00', weighted: '89000.00', won: '200000.00', forecast: '289000.00', target: '300000.00', attainment: '0.6667', fa: '0.9633' });

    const next = await forecast('admin', NEXT);
    expect(next.rows.map(pick)).toEqual([{ open: 1, openAmount: '200000.00', weighted: '160000.00', won: '0.00', forecast: '160000.00', target: '300000.00', attainment: '0.0000', fa: '0.5333' }]);
  });

  it('per team: the opportunities of each department against the team target', async () => {
    const r = await forecast('admin', Q, 'team');
    const rows = Object.fromEntries(r.rows.map((x: any) => [x.team, pick(x)]));
    expect(rows).toEqual({
      [w.south]: { open: 3, openAmount: '190000.00', weighted: '59000.00', won: '200000.00', forecast: '259000.00', target: '400000.00', attainment: '0.5000', fa: '0.6475' },
      [w.east]: { open: 1, openAmount: '300000.00', weighted: '30000.00', won: '0.00', forecast: '30000.00', target: '100000.00', attainment: '0.0000', fa: '0.3000' },
    });
  });

  it('each sees what their record scope allows: a rep their own, a manager the team', async () => {
    const mine = await forecast('repA', Q);
    expect(mine.rows.map((x: any) => x.rep)).toEqual([w.ids.repA]);
    expect(pick(mine.rows[0])).toMatchObject({ weighted: '35000.00', won: '80000.00', target: '200000.00' });
    // The team view for a rep: their own deals only, and no team target (not theirs to read).
    const team = await forecast('repA', Q, 'team');
    expect(team.rows.map(pick)).toEqual([{ open: 2, openAmount: '150000.00', weighted: '35000.00', won: '80000.00', forecast: '115000.00', target: null, attainment: null, fa: null }]);
    const south = await forecast('mgrSouth', Q);
    expect(south.rows.map((x: any) => x.rep).sort()).toEqual([w.ids.repA, w.ids.repB].sort());
    expect(pick(south.total)).toMatchObject({ weighted: '59000.00', won: '200000.00', target: '300000.00' });
    const east = await forecast('mgrEast', Q, 'team');
    expect(east.rows.map((x: any) => x.team)).toEqual([w.east]);
    // Targets follow the same scopes through the records API.
    const targets = async (who: Person) => (await w.as(who)('GET', '/api/v1/records/sales_target?pageSize=50')).body.data.length;
    expect([await targets('repA'), await targets('repB'), await targets('repC'), await targets('mgrSouth'), await targets('mgrEast')]).toEqual([2, 1, 0, 4, 1]);
  });

  it('a team\'s figures include its sub-teams\' (the department tree), as far as the viewer sees', async () => {
    // 华南一组 under 华南销售部, with one deal: 0.3 × 10,000 (repA's, moved to the sub-team in the database).
    const sub = await w.t.api('POST', '/api/v1/admin/departments', { name: '华南一组', parentId: w.south });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    const s = await stages();
    const opp = await opportunity('repA', 10000, inQ, { stage: s['需求确认'] });
    await w.q(sql`UPDATE o_opportunity SET department_id = ${sub.body.id} WHERE id = ${opp.id}`);
    const r = await forecast('admin', Q, 'team');
    const rows = Object.fromEntries(r.rows.map((x: any) => [x.team, pick(x)]));
    expect(rows).toEqual({
      [w.south]: { open: 4, openAmount: '200000.00', weighted: '62000.00', won: '200000.00', forecast: '262000.00', target: '400000.00', attainment: '0.5000', fa: '0.6550' },
      [sub.body.id]: { open: 1, openAmount: '10000.00', weighted: '3000.00', won: '0.00', forecast: '3000.00', target: null, attainment: null, fa: null },
      [w.east]: { open: 1, openAmount: '300000.00', weighted: '30000.00', won: '0.00', forecast: '30000.00', target: '100000.00', attainment: '0.0000', fa: '0.3000' },
    });
    expect(r.rows.find((x: any) => x.team === sub.body.id).name).toBe('华南一组');
    expect(pick(r.total)).toMatchObject({ weighted: '92000.00', won: '200000.00' }); // counted once
    // The manager's department tree holds the sub-team: the same roll-up from what they may read.
    const mgr = await forecast('mgrSouth', Q, 'team');
    expect(mgr.rows.map((x: any) => x.team).sort()).toEqual([w.south, sub.body.id].sort());
    expect(mgr.rows.find((x: any) => x.team === w.south).weighted).toBe('62000.00');
    await w.q(sql`DELETE FROM o_opportunity WHERE id = ${opp.id}`); // leave the other tests' figures as they were
  });

  it('refuses a period not in YYYY-Qn form and a second target for the same rep and quarter', async () => {
    const bad = await w.as('admin')('GET', '/api/v1/crm/reports/forecast?period=2026Q4');
    expect([bad.status, bad.body.error.code, bad.body.error.field]).toEqual([422, 'FIELD_INVALID', 'period']);
    const badBy = await w.as('admin')('GET', `/api/v1/crm/reports/forecast?period=${Q}&by=region`);
    expect([badBy.status, badBy.body.error.field]).toEqual([422, 'by']);
    const badTarget = await w.as('mgrSouth')('POST', '/api/v1/records/sales_target', { rep: w.ids.repB, period: '2026-Q5', amount: { amount: '1', currency: 'CNY' } });
    expect([badTarget.status, badTarget.body.error.field]).toEqual([422, 'period']);
    const dup = await w.as('mgrSouth')('POST', '/api/v1/records/sales_target', { rep: w.ids.repA, period: Q, amount: { amount: '1', currency: 'CNY' } });
    expect([dup.status, dup.body.error.code, dup.body.error.field]).toEqual([409, 'FIELD_NOT_UNIQUE', 'period']);
    const dupTeam = await w.as('admin')('POST', '/api/v1/records/sales_target', { team: w.east, period: Q, amount: { amount: '1', currency: 'CNY' } });
    expect([dupTeam.status, dupTeam.body.error.field]).toEqual([409, 'period']);
    const both = await w.as('admin')('POST', '/api/v1/records/sales_target', { rep: w.ids.repC, team: w.east, period: NEXT, amount: { amount: '1', currency: 'CNY' } });
    expect([both.status, both.body.error.field]).toEqual([422, 'rep']);
  });

  it('ships the forecast and analytics as shared reports of the report engine', async () => {
    const reports = (await w.as('mgrSouth')('GET', '/api/v1/reports')).body.data.map((r: any) => r.name);
    for (const name of ['销售预测（按销售员）', '销售预测（按团队）', '销售目标', '逾期跟进（按负责人）', '线索来源转化率', '平均成交金额与销售周期', '销售员跟进量']) expect(reports).toContain(name);
  });
});

describe('customer tier from invoiced revenue', () => {
  let item: string;
  const yearAgo = () => `${Number(today().slice(0, 4)) - 1}${today().slice(4)}`; // today − 12 months (not a 29 February: tests do not run then)
  const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
  const tierRun = async () => {
    const rule = (await w.t.api('GET', '/api/v1/automation/rules')).body.data.find((x: any) => x.name.startsWith('客户等级'));
    expect(rule.trigger).toEqual({ type: 'schedule', cron: '41 2 * * *' });
    await runRule(deps(), { tenantId: w.t.tenant.tenantId, ruleId: rule.id, trigger: { kind: 'schedule', key: `s:${clock.now().toISOString()}`, op: 'schedule', at: clock.now().toISOString() } });
  };
  async function invoice(customer: string, rate: string, postingDate = today(), submit = true) {
    const inv = await w.create('admin', 'sales_invoice', { customer, posting_date: postingDate, lines: [{ item, qty: 1, rate }] });
    if (!submit) return;
    const r = await w.as('admin')('POST', `/api/v1/records/sales_invoice/${inv.id}/submit`, { version: inv.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
  const tierOf = async (id: string) => (await w.t.api('GET', `/api/v1/records/customer/${id}`)).body.tier;
  const customer = async (name: string, extra: Record<string, unknown> = { tier_mode: 'auto' }) => (await w.create('admin', 'customer', { name, ...extra })).id as string;

  beforeAll(async () => {
    item = (await w.create('admin', 'item', { code: 'TIER-1', name: '服务费' })).id;
  });

  it('computes A ≥ 1,000,000, B ≥ 200,000, else C over the last 12 months, exactly at the edges; leaves manual tiers alone', async () => {
    const c = {
      exactA: await customer('正好一百万有限公司'), belowA: await customer('差一分一百万有限公司'),
      exactB: await customer('正好二十万有限公司'), belowB: await customer('差一分二十万有限公司'),
      split: await customer('两张发票有限公司'), outside: await customer('一年前开票有限公司'), inside: await customer('一年内开票有限公司'),
      draftOnly: await customer('草稿发票有限公司'), manual: await customer('手工等级有限公司', { tier_mode: 'manual', tier: 'C' }),
    };
    await invoice(c.exactA, '1000000');
    await invoice(c.belowA, '999999.99');
    await invoice(c.exactB, '200000');
    await invoice(c.belowB, '199999.99');
    await invoice(c.split, '600000', plus(-30));
    await invoice(c.split, '400000');
    await invoice(c.outside, '1500000', yearAgo()); // 12 months ago to the day: outside (today − 12 months, today]
    await invoice(c.inside, '1000000', dayAfter(yearAgo()));
    await invoice(c.draftOnly, '5000000', today(), false);
    await invoice(c.manual, '2000000');
    await tierRun();
    const tiers = Object.fromEntries(await Promise.all(Object.entries(c).map(async ([k, id]) => [k, await tierOf(id)])));
    expect(tiers).toEqual({ exactA: 'A', belowA: 'B', exactB: 'B', belowB: 'C', split: 'A', outside: 'C', inside: 'A', draftOnly: 'C', manual: 'C' });
    // A tier change is a normal change: audited, version bumped; running again changes nothing.
    const version = async (id: string) => (await w.t.api('GET', `/api/v1/records/customer/${id}`)).body.version;
    const before = await version(c.exactA);
    await tierRun();
    expect(await version(c.exactA)).toBe(before);
    const audited = await w.q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE record_id = ${c.exactA} AND changes ? 'tier'`);
    expect(audited[0].n).toBe(1);

    // On demand for one customer, after the thresholds change in the CRM settings.
    const settings = (await w.t.api('GET', '/api/v1/records/crm_settings')).body.data;
    expect(settings).toHaveLength(1);
    expect(settings[0]).toMatchObject({ tier_a_min: '1000000.00', tier_b_min: '200000.00', tier_months: 12 });
    expect((await w.t.api('PATCH', `/api/v1/records/crm_settings/${settings[0].id}`, { version: settings[0].version, tier_b_min: '199999.99' })).status).toBe(200);
    const one = await w.t.api('POST', `/api/v1/crm/customers/${c.belowB}/tier`);
    expect([one.status, one.body]).toEqual([200, { customer: c.belowB, tierMode: 'auto', tier: 'B', changed: true, revenue: '199999.99' }]);
    expect(await tierOf(c.exactB)).toBe('B'); // only the one asked for
    const manual = await w.t.api('POST', `/api/v1/crm/customers/${c.manual}/tier`);
    expect(manual.body).toEqual({ customer: c.manual, tierMode: 'manual', tier: 'C', changed: false, revenue: null });
    // Not the rep's customer: it looks missing. A settings row with A below B is refused.
    expect((await w.as('repA')('POST', `/api/v1/crm/customers/${c.exactA}/tier`)).status).toBe(404);
    const fresh = (await w.t.api('GET', `/api/v1/records/crm_settings/${settings[0].id}`)).body;
    const inverted = await w.t.api('PATCH', `/api/v1/records/crm_settings/${settings[0].id}`, { version: fresh.version, tier_a_min: '100' });
    expect([inverted.status, inverted.body.error?.field]).toEqual([422, 'tier_a_min']);
  });
});

describe('overdue follow-ups', () => {
  it('lists follow-ups past their date with nothing logged since, and overdue tasks: own for a rep, the team for a manager', async () => {
    const cust = { repA: await w.create('repA', 'customer', { name: '跟进甲客户' }), repB: await w.create('repB', 'customer', { name: '跟进乙客户' }), repC: await w.create('repC', 'customer', { name: '跟进丙客户' }) };
    const at = (d: string) => `${d}T10:00:00+08:00`;
    const act = (who: Person, values: Record<string, unknown>) => w.create(who, 'activity', { kind: 'call', subject: `${who} 电话`, ...values });
    await act('repA', { customer: cust.repA.id, occurred_at: at(plus(-3)), next_followup_date: plus(-1) });
    const lead = await w.create('repA', 'lead', { company: '跟进线索', name: '赵' });
    const done = await act('repA', { lead: lead.id, occurred_at: at(plus(-5)), next_followup_date: plus(-2) });
    await act('repA', { lead: lead.id, occurred_at: at(plus(-1)) }); // followed up: the one before is done
    await act('repA', { opportunity: (await w.create('repA', 'opportunity', { name: '跟进商机' })).id, next_followup_date: plus(2) }); // not due yet
    await act('repB', { customer: cust.repB.id, occurred_at: at(plus(-2)), next_followup_date: plus(-1) });
    await act('repC', { customer: cust.repC.id, occurred_at: at(plus(-6)), next_followup_date: plus(-4) });
    await w.create('repA', 'task', { subject: '回访', due_at: at(plus(-2)) });
    await w.create('repA', 'task', { subject: '已办', due_at: at(plus(-2)), done: true });
    await w.create('repB', 'task', { subject: '明天的事', due_at: at(plus(1)) });
    expect((await w.as('repA')('GET', `/api/v1/records/activity/${done.id}`)).body.followup_done).toBe(true);

    const overdue = async (who: Person | 'admin') => {
      const r = await w.as(who)('GET', '/api/v1/crm/reports/overdue-followups');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    const row = (p: Person, activities: number, tasks: number, oldest: string | null) => ({ owner: w.ids[p], name: expect.any(String), activities, tasks, oldest });
    const all = await overdue('admin');
    expect(all.rows).toEqual(expect.arrayContaining([row('repA', 1, 1, plus(-1)), row('repB', 1, 0, plus(-1)), row('repC', 1, 0, plus(-4))]));
    expect(all.rows).toHaveLength(3);
    expect(all.total).toEqual({ activities: 3, tasks: 1 });
    expect((await overdue('repA')).rows).toEqual([row('repA', 1, 1, plus(-1))]);
    expect((await overdue('repB')).rows).toEqual([row('repB', 1, 0, plus(-1))]);
    const south = await overdue('mgrSouth');
    expect(south.rows.map((r: any) => r.owner).sort()).toEqual([w.ids.repA, w.ids.repB].sort());
    expect(south.total).toEqual({ activities: 2, tasks: 1 });
    expect((await overdue('mgrEast')).rows).toEqual([row('repC', 1, 0, plus(-4))]);
  });

  it('the shipped follow-up reminder reaches the owner once at 09:00 of the follow-up date, not again on a re-run', async () => {
    const customer = await w.create('repA', 'customer', { name: '提醒客户' });
    const activity = await w.create('repA', 'activity', { kind: 'visit', subject: '拜访提醒客户', customer: customer.id, next_followup_date: plus(1) });
    const rule = (await w.t.api('GET', '/api/v1/automation/rules')).body.data.find((x: any) => x.name.startsWith('跟进提醒'));
    expect(rule.trigger).toMatchObject({ type: 'date_reached', dateField: 'next_followup_date' });
    const fired = async () => (await w.q<{ n: number }>(sql`SELECT count(*)::int AS n FROM automation_fire WHERE rule_id = ${rule.id} AND key LIKE ${`d:${rule.id}:${activity.id}:%`}`))[0].n;
    // 09:00 in Shanghai on the follow-up date = 01:00Z.
    const moment = Date.parse(`${plus(1)}T01:00:00Z`);
    const tick = (ms: number) => scheduleTick(deps(), workers.queue, w.t.tenant.tenantId, new Date(ms), { dates: true });
    await tick(moment - 60_000);
    expect(await fired()).toBe(0);
    await tick(moment + 60_000);
    expect(await fired()).toBe(1);
    await tick(moment + 120_000);
    await tick(moment + 3_600_000);
    expect(await fired()).toBe(1);
    const mine = async () => ((await w.as('repA')('GET', '/api/v1/notifications')).body.data as any[]).filter((n) => n.recordId === activity.id);
    const notice = await waitFor(async () => (await mine())[0], 20_000, 'the follow-up reminder');
    expect(notice.title).toBe('今日跟进：拜访提醒客户');
    // The run finished: its one notification is all there is, for the owner only.
    await waitFor(async () => ((await w.t.api('GET', `/api/v1/automation/rules/${rule.id}/runs?limit=50`)).body.data as any[]).some((r) => r.status === 'done' && r.triggerKey === `d:${activity.id}:${plus(1)}`), 20_000, 'the run');
    expect(await mine()).toHaveLength(1);
    // The same job delivered again (a queue retry after a lost acknowledgement): the notify action is done already.
    const again = await runRule(deps(), { tenantId: w.t.tenant.tenantId, ruleId: rule.id, trigger: { kind: 'date', key: `d:${activity.id}:${plus(1)}`, object: 'activity', recordId: activity.id, op: 'date_reached', at: new Date(moment).toISOString() } });
    expect(['done', 'skipped']).toContain(again);
    expect(await mine()).toHaveLength(1);
    expect(((await w.as('repB')('GET', '/api/v1/notifications')).body.data as any[]).some((n) => n.recordId === activity.id)).toBe(false);
  });
});
