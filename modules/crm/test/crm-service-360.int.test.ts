import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { Decimal } from '@mosaic/kernel';
import { crmWorld, slaCheckAt, type CrmWorld } from './crm-world.ts';

// Service and the 360° view: SLA timers, the breach warning and escalation
// run by the scheduled check at moments the test chooses; tickets from
// inbound email; the satisfaction survey after close; a customer's 360° data
// with records in every related object; looking a customer up by any phone.
let w: CrmWorld;
const MIN = 60_000;

beforeAll(async () => {
  w = await crmWorld();
}, 180_000);
afterAll(async () => {
  await w?.t.close();
});

const checkAt = (minutes: number) => slaCheckAt(w, minutes);
const bell = async (who: 'repA' | 'mgrSouth') => (await w.as(who)('GET', '/api/v1/notifications')).body.data.map((n: any) => n.title as string);

describe('SLA', () => {
  let customer: any;
  let contact: any;

  it('times a ticket by its priority, warns the owner, breaches and escalates to the manager — once', async () => {
    await w.create('admin', 'sla_policy', { name: '紧急工单', priority: 'urgent', first_response_minutes: 30, resolution_minutes: 240, business_hours: false, warn_ratio: '0.8', escalate_to: w.ids.mgrSouth });
    await w.create('admin', 'sla_policy', { name: '普通工单', priority: 'normal', first_response_minutes: 240, resolution_minutes: 2880, business_hours: true });
    customer = await w.create('repA', 'customer', { name: '东莞电子厂有限公司', phone: '0769-22123456' });
    contact = await w.create('repA', 'contact', { name: '刘工', customer: customer.id, phone: '138 0013 8000', email: 'liu@dgdz.cn' });
    const ticket = await w.create('repA', 'ticket', { subject: '设备停机', customer: customer.id, contact: contact.id, priority: 'urgent', channel: 'phone' });
    expect(ticket.first_response_due).toBeNull();
    expect((await checkAt(0)).timed).toBeGreaterThanOrEqual(1);
    const timed = (await w.as('repA')('GET', `/api/v1/records/ticket/${ticket.id}`)).body;
    expect((Date.parse(timed.first_response_due) - Date.parse(timed.created_at)) / MIN).toBeCloseTo(30, 0);
    expect((Date.parse(timed.resolution_due) - Date.parse(timed.created_at)) / MIN).toBeCloseTo(240, 0);

    expect(await checkAt(20)).toMatchObject({ warned: 0, breached: 0 });
    expect(await checkAt(25)).toMatchObject({ warned: 1, breached: 0 }); // 80 % of 30 minutes
    expect(await bell('repA')).toContain(`工单即将超时：${ticket.number}`);
    expect(await checkAt(31)).toMatchObject({ breached: 1 });
    expect(await checkAt(45)).toMatchObject({ warned: 0, breached: 0 }); // escalated once
    const t = (await w.as('repA')('GET', `/api/v1/records/ticket/${ticket.id}`)).body;
    expect(t).toMatchObject({ sla_state: 'breached', escalation_level: 1, sla_policy: expect.any(String) });
    expect(await bell('mgrSouth')).toContain(`工单已超时并升级：${ticket.number}（紧急工单）`);
    const escalations = await w.q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE record_id = ${ticket.id} AND kind = 'record.escalate'`);
    expect(escalations[0].n).toBe(1);
  });

  it('a ticket answered in time does not breach its first-response target', async () => {
    const ticket = await w.create('repA', 'ticket', { subject: '咨询', customer: customer.id, priority: 'urgent' });
    await checkAt(0);
    const r = await w.as('repA')('POST', `/api/v1/crm/tickets/${ticket.id}/respond`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.state).toBe('open');
    expect((await w.as('repA')('POST', `/api/v1/crm/tickets/${ticket.id}/respond`)).status).toBe(409);
    await checkAt(35);
    expect((await w.as('repA')('GET', `/api/v1/records/ticket/${ticket.id}`)).body.sla_state).toBe('ok');
  });

  it('opens tickets from inbound email with the clock started; closes with a satisfaction survey', async () => {
    const r = await w.t.api('POST', '/api/v1/crm/tickets/inbound-email', { from: '刘工 <LIU@dgdz.cn>', subject: '发票抬头错误', text: '请重开发票', priority: 'urgent' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ channel: 'email', contact: contact.id, customer: customer.id, state: 'new' });
    expect(r.body.first_response_due).toBeTruthy();
    const bad = await w.t.api('POST', '/api/v1/crm/tickets/inbound-email', { from: 'x@y.cn' });
    expect(bad.status).toBe(422);
    const closed = await w.t.api('POST', `/api/v1/crm/tickets/${r.body.id}/close`);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed' });
    const path = new URL(closed.body.surveyUrl).pathname;
    expect((await w.t.api('POST', path, { score: 9 }, { token: null })).status).toBe(422);
    expect((await w.t.api('POST', path.slice(0, -3) + 'AAA', { score: 5 }, { token: null })).status).toBe(404);
    const ok = await w.t.api('POST', path, { score: 5, comment: '处理很快' }, { token: null });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await w.t.api('POST', path, { score: 1 }, { token: null })).status).toBe(409);
    expect((await w.t.api('GET', `/api/v1/records/ticket/${r.body.id}`)).body).toMatchObject({ csat_score: 5, csat_comment: '处理很快' });
  });

  it('shows everything about a customer in its 360° view and finds it by any contact phone', async () => {
    await w.create('repA', 'activity', { kind: 'visit', subject: '现场拜访', customer: customer.id, contact: contact.id, next_followup_date: '2026-12-10' });
    const opp = await w.create('repA', 'opportunity', { name: '产线升级', customer: customer.id, amount: '80000' });
    const q = await w.create('repA', 'quote', { customer: customer.id, opportunity: opp.id, lines: [{ description: '服务', qty: 1, list_price: '80000' }] });
    await w.create('repA', 'contract', { title: '年度维保合同', customer: customer.id, amount: '80000', end_date: '2027-12-31' });
    const camp = await w.create('admin', 'campaign', { name: '回访' });
    await w.create('admin', 'campaign_message', { campaign: camp.id, customer: customer.id, email: 'liu@dgdz.cn', state: 'sent', target_object: 'contact', target_id: contact.id });
    const wh = await w.create('admin', 'warehouse', { code: 'W1', name: '仓库' });
    const item = await w.create('admin', 'item', { code: 'SV', name: '维保服务' });
    const so = await w.create('admin', 'sales_order', { customer: customer.id, warehouse: wh.id, lines: [{ item: item.id, qty: 1, rate: 100 }] });
    const inv = await w.create('admin', 'sales_invoice', { customer: customer.id, lines: [{ item: item.id, qty: 1, rate: 100 }] });
    // A duplicate merged into it brings its records along.
    const dup = await w.create('repA', 'customer', { name: '东莞电子厂' });
    await w.create('repA', 'activity', { kind: 'note', subject: '重复客户上的备注', customer: dup.id });
    expect((await w.as('repA')('POST', '/api/v1/crm/customer/merge', { survivor: customer.id, duplicates: [dup.id] })).status).toBe(200);

    const v = await w.as('repA')('GET', `/api/v1/crm/customers/${customer.id}/360`);
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    expect(v.body.profile).toMatchObject({ id: customer.id, name: '东莞电子厂有限公司', owner_id: w.ids.repA });
    expect(v.body.contacts.map((c: any) => c.name)).toEqual(['刘工']);
    expect(v.body.mergedFrom).toEqual([dup.id]);
    // The ticket from email belongs to whoever took it in (the admin here): the rep sees their own two.
    expect(v.body.counts).toMatchObject({ activity: 2, opportunity: 1, quote: 1, ticket: 2, contract: 1 });
    const kinds = new Set(v.body.timeline.map((e: any) => e.kind));
    expect([...kinds].sort()).toEqual(['activity', 'contract', 'opportunity', 'quote', 'ticket'].sort());
    // The orders and invoices here were entered by the admin (not the rep's own), campaign emails are marketing's: the admin sees them all.
    expect(v.body.hidden).toContain('campaign_message');
    // Open opportunities summed in the database: 80000 at the first stage's win probability.
    expect(v.body.figures.openOpportunities).toMatchObject({ count: 1, amount: '80000.00' });
    const prob = (await w.as('repA')('GET', `/api/v1/records/opportunity/${opp.id}`)).body.probability;
    expect(v.body.figures.openOpportunities.weighted).toBe(new Decimal('80000').times(prob).toFixed(2));
    // The order is a draft: not an order of this year yet; the rep may read orders at all only if their role says so.
    expect(v.body.figures.ordersThisYear?.count ?? 0).toBe(0);
    const admin = (await w.t.api('GET', `/api/v1/crm/customers/${customer.id}/360`)).body;
    expect(admin.counts).toMatchObject({ email: 1, sales_order: 1, sales_invoice: 1, quote: 1, ticket: 3 });
    expect(admin.timeline.find((e: any) => e.id === so.id)).toMatchObject({ kind: 'sales_order' });
    expect(admin.timeline.find((e: any) => e.id === inv.id)).toMatchObject({ kind: 'sales_invoice' });
    expect(admin.timeline.find((e: any) => e.id === q.id).record.grand_total).toBe('90400.00');
    const times = admin.timeline.map((e: any) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    // Someone else's customer is not there for them.
    expect((await w.as('repC')('GET', `/api/v1/crm/customers/${customer.id}/360`)).status).toBe(404);

    for (const phone of ['13800138000', '+86 138-0013-8000', '0769 2212 3456']) {
      const r = await w.as('repA')('GET', `/api/v1/crm/customers/lookup?phone=${encodeURIComponent(phone)}`);
      expect(r.status).toBe(200);
      expect(r.body.data.map((c: any) => c.id), phone).toEqual([customer.id]);
    }
    expect((await w.as('repC')('GET', '/api/v1/crm/customers/lookup?phone=13800138000')).body.data).toEqual([]);
    expect((await w.as('repA')('GET', '/api/v1/crm/customers/lookup')).status).toBe(422);
  });

  it('shows a delivered, invoiced, partly paid order: the delivery, the payment and exactly what is still owed', async () => {
    const admin = w.as('admin');
    const submit = async (object: string, id: string) => {
      const r = await admin('POST', `/api/v1/records/${object}/${id}/submit`, { version: 1 });
      expect(r.status, `${object}: ${JSON.stringify(r.body)}`).toBe(200);
    };
    const buyer = await w.create('admin', 'customer', { name: '佛山陶瓷有限公司' });
    const wh = await w.create('admin', 'warehouse', { code: 'W360', name: '成品仓' });
    const item = await w.create('admin', 'item', { code: 'TILE', name: '瓷砖' });
    const receipt = await w.create('admin', 'stock_entry', { entry_type: 'receipt', warehouse: wh.id, lines: [{ item: item.id, qty: 50, rate: 40 }] });
    await submit('stock_entry', receipt.id);
    const so = await w.create('admin', 'sales_order', { customer: buyer.id, warehouse: wh.id, lines: [{ item: item.id, qty: 10, rate: 100 }] });
    await submit('sales_order', so.id);
    const dn = await w.create('admin', 'delivery_note', { customer: buyer.id, sales_order: so.id, warehouse: wh.id, lines: [{ item: item.id, qty: 10 }] });
    await submit('delivery_note', dn.id);
    const inv = await w.create('admin', 'sales_invoice', { customer: buyer.id, sales_order: so.id, lines: [{ item: item.id, qty: 10, rate: 100 }] });
    expect(inv.grand_total).toBe('1130.00'); // 1000 + 13 % VAT
    await submit('sales_invoice', inv.id);
    const accounts = (await admin('GET', '/api/v1/records/gl_account?pageSize=200&fields=code')).body.data;
    const bank = accounts.find((a: any) => a.code === '1002').id;
    const pay = await w.create('admin', 'payment', {
      payment_type: 'receive', party_type: 'customer', party: buyer.id, account: bank, amount: '500.25',
      allocations: [{ against_type: 'sales_invoice', against_id: inv.id, allocated: '500.25' }],
    });
    await submit('payment', pay.id);
    // Another customer's payment is not this one's.
    const other = await w.create('admin', 'customer', { name: '别家客户' });
    await w.create('admin', 'payment', { payment_type: 'receive', party_type: 'customer', party: other.id, account: bank, amount: '10' });

    const v = await admin('GET', `/api/v1/crm/customers/${buyer.id}/360`);
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    expect(v.body.counts).toMatchObject({ sales_order: 1, delivery: 1, sales_invoice: 1, payment: 1 });
    expect(v.body.timeline.find((e: any) => e.id === dn.id)).toMatchObject({ kind: 'delivery', object: 'delivery_note', record: { sales_order: so.id, status: 'submitted' } });
    expect(v.body.timeline.find((e: any) => e.id === pay.id)).toMatchObject({ kind: 'payment', object: 'payment', record: { amount: '500.25', allocated_total: '500.25', payment_type: 'receive' } });
    expect(v.body.timeline.filter((e: any) => e.kind === 'payment')).toHaveLength(1);
    // 1130.00 invoiced, 500.25 received against it: 629.75 still owed, on one open invoice.
    expect(v.body.receivables).toEqual({ outstanding: '629.75', open: 1, byCurrency: [{ currency: null, outstanding: '629.75', open: 1 }] });
    // The key figures: the one submitted order this year, summed exactly; no opportunity yet.
    expect(v.body.figures).toEqual({ openOpportunities: { count: 0, amount: '0.00', weighted: '0.00' }, ordersThisYear: { count: 1, total: '1130.00' } });
    expect(v.body.timeline.find((e: any) => e.id === inv.id).record).toMatchObject({ outstanding: '629.75', paid: false });
    // Both new parts are read by their own (customer, time) index, made by the CRM's install once selling and finance are there.
    const ix = await w.q<{ indexname: string }>(sql`SELECT indexname FROM pg_indexes WHERE indexname IN ('o_delivery_note_crm_timeline_idx', 'o_payment_crm_timeline_idx') ORDER BY 1`);
    expect(ix.map((r) => r.indexname)).toEqual(['o_delivery_note_crm_timeline_idx', 'o_payment_crm_timeline_idx']);

    // A USD invoice (100 dollars booked at 7.2): its entry owes dollars, and the totals are per currency, never added up.
    const usd = await w.create('admin', 'sales_invoice', { customer: buyer.id, currency: 'USD', exchange_rate: '7.2', lines: [{ item: item.id, qty: 1, rate: 100, tax_rate: 0 }] });
    await submit('sales_invoice', usd.id);
    const u = await admin('GET', `/api/v1/crm/customers/${buyer.id}/360`);
    expect(u.body.timeline.find((e: any) => e.id === usd.id).record).toMatchObject({ currency: 'USD', grand_total: '100.00', outstanding: '100.00', outstandingCurrency: 'USD', paid: false });
    expect(u.body.timeline.find((e: any) => e.id === inv.id).record).toMatchObject({ outstanding: '629.75', outstandingCurrency: null });
    expect(u.body.receivables).toEqual({
      outstanding: '1349.75', open: 2, // the ledger's company-currency figure: 629.75 + 720.00
      byCurrency: [{ currency: null, outstanding: '629.75', open: 1 }, { currency: 'USD', outstanding: '100.00', open: 1 }],
    });
  });
});
