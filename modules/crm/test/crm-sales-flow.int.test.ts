import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import type { Workers } from '@mosaic/automation';
import { importAndWait } from '@mosaic/io/test-kit';
import { crmWorld, startCrmWorkers, waitFor, type CrmWorld } from './crm-world.ts';

// Issue 7, the sales path end to end on a real PostgreSQL with the rules
// engine running: a lead arrives → duplicate check → the shipped rule assigns
// it by region in turn within the team and sets a "首次联系" task due in one
// working day → conversion into customer + contact + opportunity, keeping its
// activities → the opportunity moves through the stages (required fields
// enforced) → a quote whose discount is above the limit waits for the
// manager's approval → won: a sales order in one action.
let w: CrmWorld;
let workers: Workers;

beforeAll(async () => {
  w = await crmWorld();
  workers = await startCrmWorkers(w, 500);
}, 180_000);
afterAll(async () => {
  await workers?.stop();
  await w?.t.close();
});

describe('the CRM objects', () => {
  it('installs with the fixed API names, the standard pipeline and the default rules', async () => {
    const objects = (await w.t.api('GET', '/api/v1/meta/objects')).body.data.map((o: any) => o.apiName);
    for (const name of ['lead', 'customer', 'contact', 'opportunity', 'activity', 'task', 'campaign', 'quote', 'contract', 'ticket', 'kb_article', 'pool_move', 'crm_pipeline', 'crm_stage']) expect(objects).toContain(name);
    const stages = (await w.t.api('GET', '/api/v1/records/crm_stage?sort=sequence&fields=name,probability,outcome')).body.data;
    expect(stages.map((s: any) => [s.name, s.probability])).toEqual([['初步接洽', '0.100000'], ['需求确认', '0.300000'], ['方案报价', '0.600000'], ['商务谈判', '0.800000'], ['赢单', '1.000000'], ['输单', '0.000000']]);
    const rules = (await w.t.api('GET', '/api/v1/automation/rules')).body.data.map((r: any) => r.name);
    expect(rules).toContain('新线索：按区域轮流分配并创建首次联系任务');
    // Fields the CRM keeps are not writable through the API.
    const r = await w.as('admin')('POST', '/api/v1/records/customer', { name: '测试', in_pool: true });
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe('in_pool');
  });
});

describe('duplicate detection', () => {
  it('normalises company names: suffixes, (深圳)/（深圳）, province and city prefixes, full-width, case and spaces', async () => {
    const keys = await w.q<{ k: string }>(sql`SELECT crm_normalize_company(x) AS k FROM unnest(ARRAY[
      '深圳市华强电子有限公司', '华强电子（深圳）有限公司', '广东省深圳市华强电子股份有限公司', '华强电子(深圳)有限责任公司', ' 华强 电子 ', 'ＨＵＡＱＩＡＮＧ Tech Co., Ltd.', 'huaqiang tech'
    ]) AS x`);
    expect(keys.map((k) => k.k)).toEqual(['华强电子', '华强电子', '华强电子', '华强电子', '华强电子', 'huaqiangtech', 'huaqiangtech']);
  });

  it('flags a new lead that matches a customer by name, phone or email, and answers the check endpoint', async () => {
    const customer = await w.create('repA', 'customer', { name: '深圳市华强电子有限公司', phone: '0755-83000000', email: 'buy@huaqiang.cn' });
    const byName = await w.create('repC', 'lead', { company: '华强电子（深圳）有限公司', name: '王经理' });
    expect(byName).toMatchObject({ duplicate_of_object: 'customer', duplicate_of_id: customer.id });
    const byPhone = await w.create('repC', 'lead', { company: '别的名字', name: '李', phone: '075583000000' });
    expect(byPhone.duplicate_of_id).toBe(customer.id);
    const byEmail = await w.create('repC', 'lead', { company: '又一个', name: '赵', email: 'BUY@huaqiang.cn' });
    expect(byEmail.duplicate_of_id).toBe(customer.id);
    const fresh = await w.create('repC', 'lead', { company: '全新科技有限公司', name: '钱' });
    expect(fresh.duplicate_of_id).toBeNull();
    // A second lead for the same new company matches the first lead.
    const again = await w.create('repB', 'lead', { company: '全新科技', name: '孙' });
    expect(again).toMatchObject({ duplicate_of_object: 'lead', duplicate_of_id: fresh.id });

    const check = await w.as('repB')('POST', '/api/v1/crm/duplicates', { name: '广东华强电子股份有限公司', phone: '+86 0755 8300 0000' });
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(check.body.data[0]).toMatchObject({ object: 'customer', id: customer.id, ownerId: w.ids.repA, matchedOn: ['name'] });
    const bad = await w.as('repB')('POST', '/api/v1/crm/duplicates', {});
    expect(bad.status).toBe(422);
  });

  it('flags duplicates in an import too', async () => {
    const csv = '公司名称,联系人,电话\r\n华强电子有限公司,周,13800000001\r\n独一无二有限公司,吴,13800000002\r\n';
    const job = await importAndWait(w.t, 'lead', { name: 'leads.csv', content: Buffer.from(csv), mime: 'text/csv' });
    expect(job.status, JSON.stringify(job)).toBe('done');
    const rows = await w.q<{ company: string; dup: string | null }>(sql`SELECT c_company AS company, c_duplicate_of_object AS dup FROM o_lead WHERE c_phone IN ('13800000001', '13800000002') ORDER BY c_phone`);
    expect(rows).toEqual([{ company: '华强电子有限公司', dup: 'customer' }, { company: '独一无二有限公司', dup: null }]);
  });

  it('merges duplicates: linked records move to the survivor, the duplicate stays with its history', async () => {
    const keep = await w.create('repA', 'customer', { name: '东莞五金制品有限公司', phone: '0769-22000000' });
    const dup = await w.create('repA', 'customer', { name: '东莞五金制品', email: 'sales@dgwj.cn' });
    expect(dup.duplicate_of_id).toBe(keep.id);
    const contact = await w.create('repA', 'contact', { name: '陈', customer: dup.id });
    const act = await w.create('repA', 'activity', { kind: 'call', subject: '电话沟通', customer: dup.id });
    const m = await w.as('repA')('POST', '/api/v1/crm/customer/merge', { survivor: keep.id, duplicates: [dup.id] });
    expect(m.status, JSON.stringify(m.body)).toBe(200);
    expect(m.body.moved).toMatchObject({ 'contact.customer': 1, 'activity.customer': 1 });
    expect((await w.as('repA')('GET', `/api/v1/records/contact/${contact.id}`)).body.customer).toBe(keep.id);
    expect((await w.as('repA')('GET', `/api/v1/records/activity/${act.id}`)).body.customer).toBe(keep.id);
    const merged = (await w.as('repA')('GET', `/api/v1/records/customer/${dup.id}`)).body;
    expect(merged.merged_into).toBe(keep.id);
    expect((await w.as('repA')('GET', `/api/v1/records/customer/${keep.id}`)).body.email).toBe('sales@dgwj.cn');
    const history = await w.q<{ kind: string }>(sql`SELECT kind FROM audit_log WHERE record_id = ${dup.id} ORDER BY at, id`);
    expect(history.map((h) => h.kind)).toEqual(['record.create', 'record.merge']);
    // Someone who may not edit the duplicate cannot merge it.
    const other = await w.create('repB', 'customer', { name: '东莞五金制品有限责任公司' });
    const refused = await w.as('repA')('POST', '/api/v1/crm/customer/merge', { survivor: keep.id, duplicates: [other.id] });
    expect(refused.status).toBe(404);
    expect(refused.body.error.field).toBe('duplicates.0');
  });
});

describe('lead → won', () => {
  it('assigns web leads by region in turn within the team, with a 首次联系 task due in one working day', async () => {
    const leads: any[] = [];
    for (let i = 0; i < 4; i++) leads.push(await w.create('admin', 'lead', { company: `广州客户${i}有限公司`, name: `联系人${i}`, source: 'web_form', address: { province: '44', city: '4401' } }));
    const shanghai = await w.create('admin', 'lead', { company: '上海客户有限公司', name: '沪', source: 'web_form', address: { province: '31' } });
    const owners = await waitFor(async () => {
      const rows = await w.q<{ id: string; owner_id: string }>(sql`SELECT id, owner_id FROM o_lead WHERE id = ANY(${[...leads, shanghai].map((l) => l.id)}::uuid[])`);
      return rows.every((r) => r.owner_id !== w.t.tenant.adminId) && rows.length === 5 ? new Map(rows.map((r) => [r.id, r.owner_id])) : null;
    }, 'assignment');
    // 广东 goes to 华南: its two reps in turn, two each (the manager is not in the rotation).
    const count = (id: string) => leads.filter((l) => owners.get(l.id) === id).length;
    expect([count(w.ids.repA), count(w.ids.repB)]).toEqual([2, 2]);
    expect(owners.get(shanghai.id)).toBe(w.ids.repC);
    const tasks = await waitFor(async () => {
      const rows = await w.q<{ related_id: string; owner_id: string; subject: string; due: Date; created: Date }>(sql`SELECT c_related_id AS related_id, owner_id, c_subject AS subject, c_due_at AS due, created_at AS created FROM o_task WHERE c_related_object = 'lead'`);
      return rows.length === 5 ? rows : null;
    }, 'tasks');
    for (const task of tasks) {
      expect(task.owner_id).toBe(owners.get(task.related_id));
      expect(task.subject).toMatch(/^首次联系：/);
      // One working day: the next Monday–Friday, same time of day.
      const hours = (task.due.getTime() - task.created.getTime()) / 3_600_000;
      const dow = new Date(task.created.getTime() + 8 * 3_600_000).getUTCDay();
      expect(Math.round(hours)).toBe(dow === 5 ? 72 : dow === 6 ? 48 : 24);
    }
    const moves = await w.q<{ action: string }>(sql`SELECT c_action AS action FROM o_pool_move WHERE c_target_id = ${shanghai.id}`);
    expect(moves).toEqual([{ action: 'assign' }]);
  });

  it('converts a lead in one step, keeps its activities, moves the opportunity through the stages, and wins it via an approved quote', async () => {
    const lead = await w.create('repA', 'lead', { company: '佛山陶瓷有限公司', name: '黄总', phone: '13900000000', email: 'huang@fstc.cn', source: 'manual', address: { province: '44' } });
    const call = await w.create('repA', 'activity', { kind: 'call', subject: '首次电话', lead: lead.id, next_followup_date: '2026-12-01' });

    const conv = await w.as('repA')('POST', `/api/v1/crm/leads/${lead.id}/convert`, { opportunity: { name: '佛山陶瓷 生产线改造' } });
    expect(conv.status, JSON.stringify(conv.body)).toBe(200);
    const { customer, contact, opportunity } = conv.body;
    expect(conv.body.activitiesLinked).toBe(1);
    const act = (await w.as('repA')('GET', `/api/v1/records/activity/${call.id}`)).body;
    expect([act.lead, act.customer, act.contact, act.opportunity]).toEqual([lead.id, customer, contact, opportunity]);
    const convertedLead = (await w.as('repA')('GET', `/api/v1/records/lead/${lead.id}`)).body;
    expect(convertedLead).toMatchObject({ state: 'converted', converted_customer: customer, converted_opportunity: opportunity });
    expect((await w.as('repA')('POST', `/api/v1/crm/leads/${lead.id}/convert`, {})).status).toBe(409);
    expect((await w.as('repA')('GET', `/api/v1/records/customer/${customer}`)).body).toMatchObject({ name: '佛山陶瓷有限公司', phone: '13900000000', owner_id: w.ids.repA });

    const stages = new Map<string, string>((await w.t.api('GET', '/api/v1/records/crm_stage?fields=name')).body.data.map((s: any) => [s.name, s.id]));
    let opp = (await w.as('repA')('GET', `/api/v1/records/opportunity/${opportunity}`)).body;
    expect(opp).toMatchObject({ stage: stages.get('初步接洽'), probability: '0.100000' });
    const move = (stage: string, values?: Record<string, unknown>) => w.as('repA')('POST', `/api/v1/crm/opportunities/${opportunity}/move`, { stage: stages.get(stage), version: opp.version, values });

    const refused = await move('需求确认');
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'amount' });
    let r = await move('需求确认', { amount: '120000', expected_close_date: '2026-12-31' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ probability: '0.300000', amount: { amount: '120000.00', currency: 'CNY' }, weighted_amount: '36000.00' });
    opp = r.body;
    r = await move('方案报价', { contact, decision_maker: '黄总' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    opp = r.body;
    expect((await move('商务谈判')).body.error.field).toBe('budget_confirmed');
    r = await move('商务谈判', { budget_confirmed: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const board = await w.as('repA')('GET', `/api/v1/crm/pipelines/${opp.pipeline}/kanban`);
    expect(board.status).toBe(200);
    expect(board.body.stages.find((s: any) => s.name === '商务谈判').cards.map((c: any) => c.id)).toContain(opportunity);
    // Others' kanban does not show it.
    expect(board.body.stages.find((s: any) => s.name === '商务谈判').total).toBe(1);
    const boardC = await w.as('repC')('GET', `/api/v1/crm/pipelines/${opp.pipeline}/kanban`);
    expect(boardC.body.stages.find((s: any) => s.name === '商务谈判').total).toBe(0);

    // Discount approval: a quote with a line discounted above 10 % goes to the rep's manager.
    const flow = await w.t.api('POST', '/api/v1/approval-flows', {
      object: 'quote', name: '报价折扣审批', definition: {
        entryCondition: 'max_discount > 0.1',
        nodes: [{ id: 'start', type: 'start' }, { id: 'mgr', type: 'approval', label: '销售经理', approvers: { kind: 'manager' } }, { id: 'end', type: 'end' }],
        edges: [{ source: 'start', target: 'mgr' }, { source: 'mgr', target: 'end' }],
      },
    });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    expect((await w.t.api('POST', `/api/v1/approval-flows/${flow.body.id}/activate`)).status).toBe(200);
    const wh = await w.create('admin', 'warehouse', { code: 'FG', name: '成品仓' });
    const item = await w.create('admin', 'item', { code: 'KILN', name: '窑炉' });
    const quote = await w.create('repA', 'quote', {
      customer, opportunity, contact, warehouse: wh.id, valid_until: '2026-12-31',
      lines: [{ item: item.id, qty: 2, list_price: '60000', discount: '0.15' }, { item: item.id, description: '安装', qty: 1, list_price: '5000' }],
    });
    expect(quote).toMatchObject({ max_discount: '0.150000', net_total: '107000.00', tax_total: '13910.00', grand_total: '120910.00' });
    const submit = await w.as('repA')('POST', `/api/v1/records/quote/${quote.id}/submit`, { version: quote.version });
    expect(submit.body).toMatchObject({ status: 'submitted', $awaitingApproval: true });
    const early = await w.as('repA')('POST', `/api/v1/crm/quotes/${quote.id}/won`, {});
    expect(early.status).toBe(409);
    const inbox = await w.as('mgrSouth')('GET', '/api/v1/approvals/inbox?box=pending');
    const task = inbox.body.data.find((x: any) => x.recordId === quote.id);
    expect(task).toBeTruthy();
    expect((await w.as('mgrSouth')('POST', `/api/v1/approvals/tasks/${task.task.id}/approve`, { comment: '同意 15% 折扣' })).status).toBe(200);

    const won = await w.as('repA')('POST', `/api/v1/crm/quotes/${quote.id}/won`, {});
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    const so = (await w.as('repA')('GET', `/api/v1/records/sales_order/${won.body.salesOrder}`)).body;
    expect(so).toMatchObject({ status: 'draft', customer, net_total: '107000.00', grand_total: '120910.00' });
    expect(so.lines.map((l: any) => [l.qty, l.rate])).toEqual([['2.000000', '51000.000000'], ['1.000000', '5000.000000']].map(([q, r]) => [expect.stringMatching(new RegExp(`^${q.split('.')[0]}`)), expect.stringMatching(new RegExp(`^${r.split('.')[0]}`))]));
    expect((await w.as('repA')('GET', `/api/v1/records/quote/${quote.id}`)).body).toMatchObject({ status: 'approved', outcome: 'won', sales_order: so.id });
    const closed = (await w.as('repA')('GET', `/api/v1/records/opportunity/${opportunity}`)).body;
    expect(closed).toMatchObject({ stage: stages.get('赢单'), probability: '1.000000' });
    expect(closed.won_at).toBeTruthy();
    const log = await w.q<{ n: number }>(sql`SELECT count(*)::int AS n FROM o_opportunity_stage_log WHERE c_opportunity = ${opportunity}`);
    expect(log[0].n).toBe(4);
    expect((await w.as('repA')('POST', `/api/v1/crm/quotes/${quote.id}/won`, {})).status).toBe(409);
  }, 60_000);

  it('a quote within the discount limit needs no approval', async () => {
    const c = await w.create('repB', 'customer', { name: '中山灯饰有限公司' });
    const q = await w.create('repB', 'quote', { customer: c.id, lines: [{ description: '灯具', qty: 10, list_price: '100', discount: '0.05' }] });
    const s = await w.as('repB')('POST', `/api/v1/records/quote/${q.id}/submit`, { version: q.version });
    expect(s.body).toMatchObject({ status: 'submitted' });
    expect(s.body.$awaitingApproval).toBeFalsy();
    // No product on the line and no warehouse: winning says what is missing.
    const r = await w.as('repB')('POST', `/api/v1/crm/quotes/${q.id}/won`, {});
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe('warehouse');
  });

  it('reports the funnel (reach, conversion, days per stage) and win rate per rep on the report engine, through access rights', async () => {
    const stages = new Map<string, string>((await w.t.api('GET', '/api/v1/records/crm_stage?fields=name')).body.data.map((s: any) => [s.name, s.id]));
    let opp = await w.create('repB', 'opportunity', { name: '会输的商机' });
    const move = async (stage: string, values?: Record<string, unknown>) => {
      const r = await w.as('repB')('POST', `/api/v1/crm/opportunities/${opp.id}/move`, { stage: stages.get(stage), version: opp.version, values });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      opp = r.body;
    };
    await move('需求确认', { amount: '5000', expected_close_date: '2026-12-31' });
    expect((await w.as('repB')('POST', `/api/v1/crm/opportunities/${opp.id}/move`, { stage: stages.get('输单'), version: opp.version })).body.error.field).toBe('close_reason');
    await move('输单', { close_reason: '价格太高' });
    const pipeline = opp.pipeline;

    const f = await w.as('mgrSouth')('GET', `/api/v1/crm/reports/funnel?pipeline=${pipeline}`);
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    const row = (name: string) => f.body.stages.find((s: any) => s.name === name);
    expect(f.body.stages.map((s: any) => s.name)).toEqual(['初步接洽', '需求确认', '方案报价', '商务谈判', '赢单', '输单']);
    expect([row('初步接洽').reached, row('需求确认').reached, row('方案报价').reached, row('商务谈判').reached, row('赢单').reached, row('输单').reached]).toEqual([2, 2, 1, 1, 1, 1]);
    expect([row('需求确认').conversion, row('方案报价').conversion, row('赢单').conversion]).toEqual(['1.0000', '0.5000', '1.0000']);
    expect(row('需求确认').avgDays).toMatch(/^\d+\.\d{2}$/);
    expect(row('赢单').openNow).toBe(1);
    // A rep's funnel counts only what the rep may see.
    const mine = (await w.as('repB')('GET', `/api/v1/crm/reports/funnel?pipeline=${pipeline}`)).body;
    expect(mine.stages.map((s: any) => s.reached)).toEqual([1, 1, 0, 0, 0, 1]);

    const wr = (await w.as('mgrSouth')('GET', '/api/v1/crm/reports/win-rate')).body.rows.filter((r: any) => !r.$totals);
    const of = (id: string) => wr.find((r: any) => r.owner_id === id);
    expect(of(w.ids.repA)).toMatchObject({ won: 1, lost: 0, won_amount: '120000.00' });
    expect(Number(of(w.ids.repA).win_rate)).toBe(1);
    expect(of(w.ids.repB)).toMatchObject({ won: 0, lost: 1 });
    expect(Number(of(w.ids.repB).win_rate)).toBe(0);
    expect((await w.as('repB')('GET', '/api/v1/crm/reports/funnel')).status).toBe(422);
  });
});
