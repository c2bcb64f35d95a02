import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { scheduleTick, type Workers } from '@mosaic/automation';
import { slaCheck } from '../service/sla.service.ts';
import { systemCtx } from '../shared/system-ctx.ts';
import { crmWorld, startCrmWorkers, waitFor, type CrmWorld } from './crm-world.ts';

// Issue 7 promises that had no test (audit): the public web form makes a real
// CRM lead (keys, duplicate flag, the shipped assignment rule and 首次联系
// task); the ticket web form makes a routed ticket the SLA clock picks up;
// products on an opportunity add up; a contract's payment plan adds up and
// may not exceed the contract; the shipped contract-expiry reminder fires 30
// days before the end, once, for active contracts only.
let w: CrmWorld;
let workers: Workers;

beforeAll(async () => {
  w = await crmWorld();
  workers = await startCrmWorkers(w);
}, 180_000);
afterAll(async () => {
  await workers?.stop();
  await w?.t.close();
});

const publish = async (form: Record<string, unknown>) => {
  const r = await w.t.api('POST', '/api/v1/automation/forms', form);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};
const submit = (formId: string, values: unknown) => w.t.api('POST', `/f/${formId}`, values, { token: null });

describe('web forms', () => {
  it('the public lead form makes a real lead: normalised keys, flagged as a duplicate, assigned by region with a first-contact task', async () => {
    const customer = await w.create('repA', 'customer', { name: '深圳市华强电子有限公司', phone: '0755-83000000' });
    const form = await publish({
      object: 'lead', title: '免费试用申请', rateLimit: 20, defaults: { source: 'web_form' },
      fields: [{ field: 'company', required: true }, { field: 'name', required: true }, { field: 'phone', required: true }, { field: 'email' }, { field: 'address' }],
    });
    expect((await submit(form, { company: '华强电子', name: '王' })).body.error.field).toBe('phone');
    expect((await submit(form, { company: 'x', name: 'y', phone: '1', owner_id: w.ids.repC })).status).toBe(400); // only the form's fields
    const r = await submit(form, { company: '华强电子（深圳）有限公司', name: '王经理', phone: '0755 8300 0000', email: 'Wang@HuaQiang.cn', address: { province: '44', city: '4403' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const [lead] = await w.q<Record<string, any>>(sql`SELECT c_source AS source, c_name_key AS name_key, c_email_key AS email_key, c_duplicate_of_object AS dup_object, c_duplicate_of_id AS dup_id FROM o_lead WHERE id = ${r.body.id}`);
    expect(lead).toMatchObject({ source: 'web_form', name_key: '华强电子', email_key: 'wang@huaqiang.cn', dup_object: 'customer', dup_id: customer.id });
    const owner = await waitFor(async () => {
      const [row] = await w.q<{ owner_id: string }>(sql`SELECT owner_id FROM o_lead WHERE id = ${r.body.id}`);
      return [w.ids.repA, w.ids.repB].includes(row.owner_id) ? row.owner_id : null;
    }, 'the lead assigned to 华南');
    const task = await waitFor(async () => (await w.q<{ owner_id: string; subject: string }>(sql`SELECT owner_id, c_subject AS subject FROM o_task WHERE c_related_id = ${r.body.id}`))[0], 'the first-contact task');
    expect(task).toEqual({ owner_id: owner, subject: '首次联系：华强电子（深圳）有限公司 王经理' });
    // The assigned rep sees it through the API like any lead.
    const owned = (Object.entries(w.ids).find(([, id]) => id === owner)![0]) as 'repA' | 'repB';
    expect((await w.as(owned)('GET', `/api/v1/records/lead/${r.body.id}`)).body).toMatchObject({ company: '华强电子（深圳）有限公司', source: 'web_form' });
  });

  it('the ticket web form makes a ticket that is routed to its group and picked up by the SLA clock', async () => {
    await w.create('admin', 'sla_policy', { name: '普通工单（表单）', priority: 'normal', first_response_minutes: 60, resolution_minutes: 480, business_hours: false });
    await w.create('admin', 'crm_ticket_route', { name: '退换货 → 华东', category: '退换货', team: w.east });
    const form = await publish({
      object: 'ticket', title: '售后服务申请', rateLimit: 20, defaults: { channel: 'web', priority: 'normal' },
      fields: [{ field: 'subject', required: true }, { field: 'description' }, { field: 'category', required: true }],
    });
    const r = await submit(form, { subject: '收到的货物破损', description: '外箱压坏', category: '退换货' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    // 华东 has one person in the rotation (its manager oversees).
    const assigned = await waitFor(async () => (await w.q<{ assignee: string | null; owner_id: string }>(sql`SELECT c_assignee AS assignee, owner_id FROM o_ticket WHERE id = ${r.body.id}`)).find((t) => t.assignee), 'the ticket routed');
    expect(assigned).toEqual({ assignee: w.ids.repC, owner_id: w.ids.repC });
    await slaCheck(await systemCtx(w.t.testDb.db, w.t.store, w.t.tenant.tenantId));
    const t = (await w.as('repC')('GET', `/api/v1/records/ticket/${r.body.id}`)).body;
    expect(t).toMatchObject({ channel: 'web', state: 'new', category: '退换货', sla_state: 'ok' });
    expect((Date.parse(t.first_response_due) - Date.parse(t.created_at)) / 60_000).toBeCloseTo(60, 0);
  });
});

describe('figures', () => {
  it('products on an opportunity add up to its products total, and follow edits', async () => {
    const item = await w.create('admin', 'item', { code: 'MOTOR', name: '电机' });
    const opp = await w.create('repA', 'opportunity', { name: '产线改造', lines: [{ item: item.id, qty: '3', rate: '1200.50' }, { item: item.id, qty: '1', rate: '99.99' }] });
    expect(opp.lines.map((l: any) => l.amount)).toEqual(['3601.50', '99.99']);
    expect(opp.products_total).toBe('3701.49');
    const edited = await w.as('repA')('PATCH', `/api/v1/records/opportunity/${opp.id}`, { version: opp.version, lines: [{ id: opp.lines[0].id, item: item.id, qty: '2', rate: '1200.50' }] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.products_total).toBe('2401.00');
  });

  it('a contract’s payment plan adds up, tracks what is paid, and may not schedule more than the contract', async () => {
    const customer = await w.create('repA', 'customer', { name: '合同客户有限公司' });
    const c = await w.create('repA', 'contract', {
      title: '年度维保合同', customer: customer.id, amount: '120000', start_date: '2026-12-01', end_date: '2027-11-30',
      payment_plan: [{ due_date: '2026-12-15', amount: '36000', paid: true }, { due_date: '2027-06-15', amount: '48000' }, { due_date: '2027-11-30', amount: '36000' }],
    });
    expect(c).toMatchObject({ planned_total: '120000.00', paid_total: '36000.00', unpaid_total: '84000.00' });
    expect(c.number).toMatch(/^CT-\d{4}-\d{5}$/);
    const over = await w.as('repA')('POST', '/api/v1/records/contract', { title: '超额', customer: customer.id, amount: '1000', payment_plan: [{ due_date: '2027-01-01', amount: '600' }, { due_date: '2027-02-01', amount: '600' }] });
    expect(over.status).toBe(422);
    expect(over.body.error.field).toBe('payment_plan');
  });

  it('the shipped reminder tells an active contract’s owner 30 days before it ends, once; a draft contract says nothing', async () => {
    const customer = await w.create('repB', 'customer', { name: '到期提醒客户有限公司' });
    const active = await w.create('repB', 'contract', { title: '即将到期的合同', customer: customer.id, end_date: '2027-03-31', state: 'active' });
    await w.create('repB', 'contract', { title: '草稿合同', customer: customer.id, end_date: '2027-03-31', state: 'draft' });
    const deps = { db: w.t.testDb.db, store: w.t.store, url: w.t.testDb.url };
    const moment = new Date('2027-03-01T09:00:00+08:00'); // 31 March − 30 days, 09:00
    const titles = async () => (await w.as('repB')('GET', '/api/v1/notifications')).body.data.map((n: any) => n.title as string).filter((t: string) => t.startsWith('合同 30 天后到期'));
    expect(await scheduleTick(deps, workers.queue, w.t.tenant.tenantId, new Date(moment.getTime() - 3_600_000), { dates: true })).toBe(0);
    expect(await scheduleTick(deps, workers.queue, w.t.tenant.tenantId, new Date(moment.getTime() + 60_000), { dates: true })).toBeGreaterThanOrEqual(1);
    expect(await waitFor(async () => ((await titles()).length ? await titles() : null), 'the reminder')).toEqual(['合同 30 天后到期：即将到期的合同']);
    await scheduleTick(deps, workers.queue, w.t.tenant.tenantId, new Date(moment.getTime() + 120_000), { dates: true });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await titles()).toEqual(['合同 30 天后到期：即将到期的合同']);
    const runs = await w.q<{ status: string; record_id: string }>(sql`SELECT r.status, r.record_id FROM automation_run r JOIN automation_rule u ON u.id = r.rule_id WHERE u.name LIKE '合同到期提醒%'`);
    expect(runs.filter((x) => x.status === 'done').map((x) => x.record_id)).toEqual([active.id]);
  });
});
