import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { crmWorld, type CrmWorld, type Person } from './crm-world.ts';

// The CRM analytics shipped as shared reports of the report engine, run the
// way a dashboard runs them (GET /reports/:id/run as the viewer), with exact
// figures: conversion by lead source, average deal size and sales cycle,
// activities per rep.
let w: CrmWorld;
const DAY = 86_400_000;
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const quarter = () => {
  const t = today();
  const q = Math.floor((Number(t.slice(5, 7)) - 1) / 3);
  const last = new Date(Date.UTC(Number(t.slice(0, 4)), q * 3 + 3, 0)).toISOString().slice(0, 10);
  return { from: `${t.slice(0, 4)}-${String(q * 3 + 1).padStart(2, '0')}-01`, to: last };
};

beforeAll(async () => {
  w = await crmWorld();
}, 180_000);
afterAll(async () => {
  await w?.t.close();
});

async function run(who: Person | 'admin', name: string, params: Record<string, string> = {}) {
  const list = (await w.as(who)('GET', '/api/v1/reports')).body.data as any[];
  const report = list.find((r) => r.name === name);
  expect(report, name).toBeTruthy();
  const r = await w.as(who)('GET', `/api/v1/reports/${report.id}/run?${new URLSearchParams(params)}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body.rows as any[]).filter((x) => !x.$totals?.length);
}
const n4 = (v: unknown) => (v === null ? null : Number(v).toFixed(4));

describe('CRM analytics as installed reports', () => {
  it('conversion rate by lead source', async () => {
    const leads = async (source: string, count: number, converted: number) => {
      for (let i = 0; i < count; i++) {
        const lead = await w.create('admin', 'lead', { company: `${source}公司${i}`, name: `联系人${i}`, source, phone: `1380000${source.length}${i}${count}` });
        if (i < converted) {
          const r = await w.as('admin')('POST', `/api/v1/crm/leads/${lead.id}/convert`, { createOpportunity: false });
          expect(r.status, JSON.stringify(r.body)).toBe(200);
        }
      }
    };
    await leads('web_form', 4, 2);
    await leads('referral', 3, 1);
    await leads('exhibition', 1, 0);
    const rows = await run('admin', '线索来源转化率');
    expect(rows.map((r) => [r.source, Number(r.leads), Number(r.converted), n4(r.conversion)])).toEqual([
      ['web_form', 4, 2, '0.5000'], ['referral', 3, 1, '0.3333'], ['exhibition', 1, 0, '0.0000'],
    ]);
  });

  it('average deal size and sales cycle (days from creation to won) per rep; a rep sees their own', async () => {
    const stages = Object.fromEntries(((await w.t.api('GET', '/api/v1/records/crm_stage?pageSize=50&fields=name')).body.data as any[]).map((s) => [s.name, s.id]));
    const won = async (who: Person, amount: number, ageDays: number) => {
      const opp = await w.create(who, 'opportunity', { name: `${who} 赢单 ${amount}`, amount });
      // Created `ageDays` ago (created_at is protected in the API: the test moves it in the database).
      await w.q(sql`UPDATE o_opportunity SET created_at = now() - make_interval(days => ${ageDays}) WHERE id = ${opp.id}`);
      const r = await w.as(who)('POST', `/api/v1/crm/opportunities/${opp.id}/move`, { stage: stages['赢单'], version: opp.version });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.cycle_days).toBe(String(ageDays));
    };
    await won('repA', 100000, 10);
    await won('repA', 50000, 20);
    await won('repB', 30000, 5);
    await w.create('repB', 'opportunity', { name: '在谈', amount: 999999 }); // open: not in the figures
    const rows = await run('admin', '平均成交金额与销售周期', quarter());
    const pick = (r: any) => ({ rep: r.owner_id, won: Number(r.won_count), amount: Number(r.won).toFixed(2), avgDeal: Number(r.avg_deal).toFixed(2), avgCycle: Number(r.avg_cycle_days).toFixed(2) });
    expect(rows.map(pick).sort((a, b) => a.amount.localeCompare(b.amount))).toEqual([
      { rep: w.ids.repA, won: 2, amount: '150000.00', avgDeal: '75000.00', avgCycle: '15.00' },
      { rep: w.ids.repB, won: 1, amount: '30000.00', avgDeal: '30000.00', avgCycle: '5.00' },
    ].sort((a, b) => a.amount.localeCompare(b.amount)));
    expect((await run('repB', '平均成交金额与销售周期', quarter())).map(pick)).toEqual([{ rep: w.ids.repB, won: 1, amount: '30000.00', avgDeal: '30000.00', avgCycle: '5.00' }]);
  });

  it('activities per rep and kind in the period', async () => {
    const customer = await w.create('repA', 'customer', { name: '跟进统计客户' });
    const other = await w.create('repB', 'customer', { name: '跟进统计客户二' });
    for (const kind of ['call', 'call', 'visit']) await w.create('repA', 'activity', { kind, subject: kind, customer: customer.id });
    await w.create('repB', 'activity', { kind: 'meeting', subject: '会议', customer: other.id });
    // Last year: outside the period.
    await w.create('repB', 'activity', { kind: 'call', subject: '旧电话', customer: other.id, occurred_at: new Date(Date.now() - 400 * DAY).toISOString() });
    const rows = await run('mgrSouth', '销售员跟进量', quarter());
    const counts = rows.map((r) => [r.owner_id === w.ids.repA ? 'repA' : r.owner_id === w.ids.repB ? 'repB' : r.owner_id, r.kind, Number(r.activities)]).sort((a, b) => String(a).localeCompare(String(b)));
    expect(counts).toEqual([['repA', 'call', 2], ['repA', 'visit', 1], ['repB', 'meeting', 1]]);
    expect((await run('repA', '销售员跟进量', quarter())).reduce((s, r) => s + Number(r.activities), 0)).toBe(3);
  });
});
