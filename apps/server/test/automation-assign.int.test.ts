import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { automationWorld, waitFor, type AutomationWorld } from './automation-fixture.ts';

// Lead assignment (issue 5): "when a lead from 广东 arrives, give it to the
// South team in turn and remind them tomorrow at 9" — round-robin exactly,
// territory branches, least open load, and the follow-up task with its reminder.
let w: AutomationWorld;

beforeAll(async () => {
  w = await automationWorld();
});
afterAll(async () => {
  await w?.close();
});

const ownersOf = async (ids: string[]) => w.sql<{ owner_id: string; n: number }>(sql`SELECT owner_id, count(*)::int AS n FROM o_sales_lead WHERE id = ANY(${ids}::uuid[]) GROUP BY owner_id`);

describe('assign owner', () => {
  it('gives 30 leads to 3 reps in turn: exactly 10 each, even when they arrive at once', async () => {
    const rule = await w.rule({
      name: '广东线索轮流分配', object: 'sales_lead', trigger: { type: 'created' }, condition: 'province = "广东"',
      actions: [
        { type: 'assign_owner', strategy: 'round_robin', departmentId: w.salesDept },
        { type: 'create_task', subject: '跟进线索：{{name}}', dueIn: { days: 1, at: '18:00' }, remindIn: { days: 1, at: '09:00' } },
      ],
    });
    // 30 leads in parallel requests, plus some from elsewhere that the condition leaves alone.
    const created = await Promise.all(Array.from({ length: 30 }, (_, i) => w.lead({ name: `线索${i}`, province: '广东' })));
    const others = await Promise.all(Array.from({ length: 3 }, (_, i) => w.lead({ name: `外省${i}`, province: '浙江' })));
    const ids = created.map((l) => l.id);
    await waitFor(async () => (await w.runs(rule.id)).filter((r) => r.status === 'done').length === 30, 30_000, '30 runs');
    const owners = await ownersOf(ids);
    expect(owners.map((o) => o.n).sort()).toEqual([10, 10, 10]);
    expect(owners.map((o) => o.owner_id).sort()).toEqual(Object.values(w.reps).sort());
    // Leads from elsewhere keep their creator (the admin) as owner.
    expect((await ownersOf(others.map((l) => l.id))).map((o) => o.owner_id)).toEqual([w.t.tenant.adminId]);

    // Each lead has one follow-up task, for its new owner, due tomorrow 18:00 and reminded at 09:00 Shanghai time.
    const tasks = await w.sql<{ related_id: string; owner_id: string; c_assignee_id: string; c_subject: string; c_remind_at: Date }>(
      sql`SELECT c_related_id AS related_id, owner_id, c_assignee_id, c_subject, c_remind_at FROM o_task`);
    expect(tasks).toHaveLength(30);
    const leadOwner = new Map((await w.sql<{ id: string; owner_id: string }>(sql`SELECT id, owner_id FROM o_sales_lead`)).map((r) => [r.id, r.owner_id]));
    for (const task of tasks) {
      expect(task.owner_id).toBe(leadOwner.get(task.related_id));
      expect(task.c_assignee_id).toBe(task.owner_id);
      expect(task.c_subject).toMatch(/^跟进线索：线索\d+$/);
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' }).format(task.c_remind_at)).toBe('09:00');
    }
    const [run] = await w.runs(rule.id);
    expect(run).toMatchObject({ status: 'done', attempts: 1, trigger: { kind: 'event', op: 'create' } });
    expect(run.actions.map((a: any) => [a.type, a.status])).toEqual([['assign_owner', 'done'], ['create_task', 'done']]);
    expect(run.inputs.values.province).toBe('广东');
  });

  it('routes by territory first, then falls back to the pool', async () => {
    const rule = await w.rule({
      name: '按行业分配', object: 'sales_lead', trigger: { type: 'created' }, condition: 'province = "江苏"',
      actions: [{
        type: 'assign_owner', strategy: 'round_robin', userIds: [w.reps.rep3],
        branches: [{ when: 'industry = "制造业"', userIds: [w.reps.rep1] }, { when: 'industry = "零售"', userIds: [w.reps.rep2] }],
      }],
    });
    const [a, b, c] = [await w.lead({ name: 'A', province: '江苏', industry: '制造业' }), await w.lead({ name: 'B', province: '江苏', industry: '零售' }), await w.lead({ name: 'C', province: '江苏', industry: '餐饮' })];
    await waitFor(async () => (await w.runs(rule.id)).filter((r) => r.status === 'done').length === 3, 15_000, 'runs');
    const owner = async (id: string) => (await w.sql<{ owner_id: string }>(sql`SELECT owner_id FROM o_sales_lead WHERE id = ${id}`))[0].owner_id;
    expect([await owner(a.id), await owner(b.id), await owner(c.id)]).toEqual([w.reps.rep1, w.reps.rep2, w.reps.rep3]);
  });

  it('gives the lead to whoever has the fewest open ones', async () => {
    const rule = await w.rule({
      name: '按负载分配', object: 'sales_lead', trigger: { type: 'created' }, condition: 'province = "福建"',
      actions: [{ type: 'assign_owner', strategy: 'least_load', departmentId: w.salesDept, openCondition: 'NOT(stage = "closed")' }],
    });
    // After the first test each rep has 10 open leads; close 5 of rep2's: rep2 is the least loaded.
    await w.sql(sql`UPDATE o_sales_lead SET c_stage = 'closed' WHERE id IN (SELECT id FROM o_sales_lead WHERE owner_id = ${w.reps.rep2} ORDER BY id LIMIT 5)`);
    const lead = await w.lead({ name: '福建客户', province: '福建' });
    await waitFor(async () => (await w.runs(rule.id)).some((r) => r.status === 'done'), 15_000, 'run');
    expect((await w.sql<{ owner_id: string }>(sql`SELECT owner_id FROM o_sales_lead WHERE id = ${lead.id}`))[0].owner_id).toBe(w.reps.rep2);
  });
});
