import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { startSmtp, type Received } from '../../../apps/server/test/automation-smtp.ts';
import { sendersIdle } from '../campaigns/campaign.service.ts';
import { crmWorld, type CrmWorld } from './crm-world.ts';

// An email campaign to a segment of 500 contacts through a real SMTP server on
// loopback, at a throttled rate, with the open pixel, the click redirect and
// the unsubscribe link working as a mail client would use them, the
// unsubscribe honoured on the next campaign, and the campaign's ROI.
let w: CrmWorld;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const N = 500;

beforeAll(async () => {
  w = await crmWorld();
  smtp = await startSmtp();
  process.env.SMTP_URL = smtp.url;
  process.env.MOSAIC_PUBLIC_URL = 'https://crm.example.cn';
}, 180_000);
afterAll(async () => {
  await sendersIdle();
  delete process.env.SMTP_URL;
  await smtp?.close();
  await w?.t.close();
});

const linksOf = (m: Received) => {
  const html = m.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  return {
    click: /https:\/\/crm\.example\.cn(\/t\/c\/[^"]+)"/.exec(html)?.[1].replace(/&amp;/g, '&'),
    unsub: /https:\/\/crm\.example\.cn(\/t\/u\/[^"]+)"/.exec(html)?.[1],
    pixel: /https:\/\/crm\.example\.cn(\/t\/o\/[^"]+)"/.exec(html)?.[1],
  };
};

describe('email campaign', () => {
  let segment: string;
  let campaign: any;

  it('sends to every contact of the segment at the throttled rate, with merge fields', async () => {
    const customer = await w.create('admin', 'customer', { name: '营销测试客户有限公司' });
    const rows = Array.from({ length: N }, (_, i) => ({ name: `联系人${i}`, email: `c${i}@example.cn`, customer: customer.id, title: i % 2 ? '采购' : '经理' }));
    const bulk = await w.t.api('POST', '/api/v1/records/contact/bulk', { records: rows });
    expect(bulk.status, JSON.stringify(bulk.body).slice(0, 300)).toBe(201);
    await w.create('admin', 'contact', { name: '没有邮箱', customer: customer.id });
    segment = (await w.create('admin', 'crm_segment', { name: '营销测试客户的联系人', target: 'contact', filter: JSON.stringify({ customer: customer.id }) })).id;
    campaign = await w.create('admin', 'campaign', {
      name: '秋季新品发布', kind: 'email', segment, budget: '5000', cost: '3000', rate_per_minute: 12_000,
      subject: '{{name}}，秋季新品发布会邀请', body: '<p>尊敬的{{name}}（{{title}}）：</p><p>诚邀您参加 <a href="https://www.example.cn/launch?from=mail&amp;id=7">秋季新品发布会</a>。</p>',
    });
    const t0 = Date.now();
    const r = await w.t.api('POST', `/api/v1/crm/campaigns/${campaign.id}/send`);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toEqual({ queued: N, skipped: 0, already: 0 });
    await sendersIdle();
    const took = Date.now() - t0;
    expect(smtp.received).toHaveLength(N);
    // 12,000 a minute = one every 5 ms: 500 take at least 2.5 s.
    expect(took).toBeGreaterThanOrEqual(2400);
    expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(N);
    const first = smtp.received.find((m) => m.to[0] === 'c1@example.cn')!;
    expect(first.raw).toContain('=?UTF-8?');
    expect(Buffer.from(/=\?UTF-8\?B\?([^?]+)\?=/.exec(first.subject)?.[1] ?? '', 'base64').toString()).toContain('联系人1');
    const msgs = await w.q<{ state: string; n: number }>(sql`SELECT c_state AS state, count(*)::int AS n FROM o_campaign_message WHERE c_campaign = ${campaign.id} GROUP BY c_state`);
    expect(msgs).toEqual([{ state: 'sent', n: N }]);
    expect((await w.t.api('GET', `/api/v1/records/campaign/${campaign.id}`)).body.state).toBe('done');
  }, 240_000);

  it('records opens and clicks through the public links; forged tokens do nothing', async () => {
    const opened = smtp.received.slice(0, 40);
    for (const m of opened) {
      const r = await w.t.api('GET', linksOf(m).pixel!, undefined, { token: null });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('image/gif');
    }
    await w.t.api('GET', linksOf(opened[0]).pixel!, undefined, { token: null }); // a second open counts, the first time stays
    for (const m of smtp.received.slice(30, 50)) {
      const { click } = linksOf(m);
      const r = await w.t.api('GET', click!, undefined, { token: null });
      expect(r.status).toBe(302);
      expect(r.headers.location).toBe('https://www.example.cn/launch?from=mail&id=7');
    }
    // The redirect goes only where the token says; a changed URL or token is a 404 and records nothing.
    const { click } = linksOf(smtp.received[60]);
    expect((await w.t.api('GET', click!.replace(/u=[^&]+/, `u=${encodeURIComponent('https://evil.example.com/')}`), undefined, { token: null })).status).toBe(404);
    expect((await w.t.api('GET', click!.replace(/\.[A-Za-z0-9_-]{22}\?/, '.AAAAAAAAAAAAAAAAAAAAAA?'), undefined, { token: null })).status).toBe(404);
    const stats = (await w.t.api('GET', `/api/v1/crm/campaigns/${campaign.id}/roi`)).body;
    expect(stats.email).toMatchObject({ sent: N, opened: 50, clicked: 20, unsubscribed: 0 });
    const again = await w.q<{ open_count: number }>(sql`SELECT c_open_count AS open_count FROM o_campaign_message WHERE c_email = ${opened[0].to[0]}`);
    expect(again[0].open_count).toBe(2);
  });

  it('honours an unsubscribe on the next campaign; ROI counts leads, won revenue and cost per lead', async () => {
    const leaver = smtp.received.find((m) => m.to[0] === 'c7@example.cn')!;
    const u = await w.t.api('GET', linksOf(leaver).unsub!, undefined, { token: null });
    expect(u.status).toBe(200);
    expect(u.body).toContain('您已退订');
    const contact = (await w.t.api('GET', `/api/v1/records/contact?filter=${encodeURIComponent(JSON.stringify({ email: 'c7@example.cn' }))}`)).body.data[0];
    expect(contact.unsubscribed).toBe(true);

    const next = await w.create('admin', 'campaign', { name: '冬季促销', segment, rate_per_minute: 100_000, subject: '冬季促销', body: '<p>{{name}}，冬季促销开始了</p>' });
    smtp.received.length = 0;
    const r = await w.t.api('POST', `/api/v1/crm/campaigns/${next.id}/send`);
    expect(r.body).toEqual({ queued: N - 1, skipped: 1, already: 0 });
    await sendersIdle();
    expect(smtp.received).toHaveLength(N - 1);
    expect(smtp.received.some((m) => m.to[0] === 'c7@example.cn')).toBe(false);
    // Sending again adds nobody.
    expect((await w.t.api('POST', `/api/v1/crm/campaigns/${next.id}/send`)).body).toEqual({ queued: 0, skipped: 0, already: N });
    await sendersIdle();

    // Leads from the first campaign; one converted and won for 20,000.
    const leads = [];
    for (let i = 0; i < 4; i++) leads.push(await w.create('repA', 'lead', { company: `活动线索${i}有限公司`, name: `客${i}`, campaign: campaign.id }));
    const conv = await w.as('repA')('POST', `/api/v1/crm/leads/${leads[0].id}/convert`, { opportunity: { amount: '20000' } });
    expect(conv.status, JSON.stringify(conv.body)).toBe(200);
    const won = (await w.t.api('GET', `/api/v1/records/crm_stage?filter=${encodeURIComponent(JSON.stringify({ outcome: 'won' }))}`)).body.data[0];
    const opp = (await w.as('repA')('GET', `/api/v1/records/opportunity/${conv.body.opportunity}`)).body;
    const m = await w.as('repA')('POST', `/api/v1/crm/opportunities/${opp.id}/move`, { stage: won.id, version: opp.version });
    expect(m.status, JSON.stringify(m.body)).toBe(200);
    const roi = (await w.t.api('GET', `/api/v1/crm/campaigns/${campaign.id}/roi`)).body;
    expect(roi).toMatchObject({ cost: '3000.00', leads: 4, convertedLeads: 1, opportunities: 1, won: 1, wonRevenue: '20000.00', costPerLead: '750.00', roi: '5.6667' });
    expect(roi.email.unsubscribed).toBe(1);

    // A dollar deal from the campaign counts at today's rate (7.00), not as 1,000 yuan: revenue 27,000.00, ROI 8.
    await w.create('admin', 'currency_rate', { currency: 'USD', rate_date: '2020-01-01', rate: '7.00' });
    const usd = await w.create('repA', 'opportunity', { name: '美元单', campaign: campaign.id, amount: { amount: '1000', currency: 'USD' } });
    const moved = await w.as('repA')('POST', `/api/v1/crm/opportunities/${usd.id}/move`, { stage: won.id, version: usd.version });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const both = (await w.t.api('GET', `/api/v1/crm/campaigns/${campaign.id}/roi`)).body;
    expect(both).toMatchObject({ opportunities: 2, won: 2, wonRevenue: '27000.00', wonRevenueByCurrency: { CNY: '20000.00', USD: '1000.00' }, roi: '8.0000' });
  }, 240_000);
});
