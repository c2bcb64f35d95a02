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
    for (const name of ['销售预测（按销售员）', '销售预测（按团队）', '销售目标', '逾期跟进（按负责人）', '线索来源转化率', '平均成交金额']) expect(reports).toContain(name);
  });
});
