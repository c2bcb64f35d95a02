import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { ObjectMeta } from '@mosaic/meta';
import { SLA_EXAMPLES, slaCheck } from '../service/sla.service.ts';
import { crmWorld, slaCheckAt, systemCtxOf, type CrmWorld } from './crm-world.ts';

// The scheduled SLA check when something goes wrong part-way: one ticket whose data makes its
// escalation fail, a policy with a warn ratio outside 0–1, a policy whose escalation contact was
// deactivated — the healthy tickets are still timed and escalated, each failure is answered and
// told to the administrators. And it works in batches: an agent saving a ticket the check already
// passed does not wait for the rest of the run, a ticket locked by an agent is left for the next
// run, and a run that dies part-way and is run again notifies each escalation once.
let w: CrmWorld;
let su: pg.Client; // a superuser connection: direct changes, and the locks the tests hold
let tk: ObjectMeta;

beforeAll(async () => {
  w = await crmWorld();
  su = new pg.Client({ connectionString: w.t.testDb.url });
  await su.connect();
  await su.query('SET search_path = mosaic, public');
  tk = (await w.t.store.objects(w.t.tenant.tenantId)).get('ticket')!;
}, 180_000);
afterAll(async () => {
  await su?.end();
  await w?.t.close();
});

const col = (o: ObjectMeta, f: string) => `"${o.fields.find((x) => x.apiName === f)!.columnName!}"`;
const sys = () => systemCtxOf(w);
const checkAt = (minutes: number, batchSize?: number) => slaCheckAt(w, minutes, { batchSize });
const ticket = async (id: string) => (await su.query(`SELECT ${col(tk, 'sla_state')} AS sla_state, ${col(tk, 'escalation_level')}::text AS escalation_level,
  ${col(tk, 'first_response_due')} AS first_response_due FROM "${tk.tableName}" WHERE id = $1`, [id])).rows[0];
/** Every escalation (or warning) notice of ticket `recordId`, to whom: read as the superuser (a deactivated user cannot log in to look). */
const noticesOf = async (recordId: string, title = '工单已超时并升级') => (await su.query('SELECT user_id, title FROM notification WHERE record_id = $1 AND title LIKE $2 ORDER BY created_at', [recordId, `${title}%`])).rows as { user_id: string; title: string }[];
const adminNotices = async () => (await su.query("SELECT title, body, link, record_id FROM notification WHERE object = 'sla_policy' AND user_id = $1 ORDER BY created_at", [w.t.tenant.adminId])).rows;
/** Each test starts with no open ticket of an earlier one (a batch of one must reach this test's tickets in order). */
const closeOpenTickets = () => su.query(`UPDATE "${tk.tableName}" SET ${col(tk, 'state')} = 'closed'`);
/** Backends of this file's database waiting for a lock on `table`. */
const waitingOn = async (table: string) => (await su.query(`SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE NOT l.granted AND l.relation = $1::regclass AND a.datname = current_database()`, [table])).rows.map((r) => r.pid as number);
const until = async (check: () => Promise<boolean>, what: string, ms = 15_000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
};

/**
 * Holds the department table (ACCESS EXCLUSIVE) on a connection of its own: the check stops at the
 * first ticket whose escalation looks for the department's manager, and waits there — on a later
 * batch than the tickets before it — until `release`.
 */
async function holdDepartments(): Promise<{ release: () => Promise<void> }> {
  const c = new pg.Client({ connectionString: w.t.testDb.url });
  await c.connect();
  await c.query('SET search_path = mosaic, public');
  await c.query('BEGIN');
  await c.query('LOCK TABLE department IN ACCESS EXCLUSIVE MODE');
  return {
    async release() {
      await c.query('ROLLBACK');
      await c.end();
    },
  };
}

/** An agent's save of a ticket on its own connection, waiting at most 3 s for a lock (the check's, if it still holds the row). */
async function agentSaves(id: string, subject: string): Promise<void> {
  const c = new pg.Client({ connectionString: w.t.testDb.url });
  await c.connect();
  try {
    await c.query('SET search_path = mosaic, public');
    await c.query("SET lock_timeout = '3s'");
    await c.query(`UPDATE "${tk.tableName}" SET ${col(tk, 'subject')} = $2, version = version + 1 WHERE id = $1`, [id, subject]);
  } finally {
    await c.end();
  }
}

describe('the SLA check with a failing ticket and ill-kept policies', () => {
  it('escalates every healthy ticket, rolls the failing one back whole, and answers each problem once', async () => {
    const urgent = await w.create('admin', 'sla_policy', { name: '紧急', priority: 'urgent', first_response_minutes: 30, resolution_minutes: 240, business_hours: false, escalate_to: w.ids.mgrSouth });
    const high = await w.create('admin', 'sla_policy', { name: '高优先', priority: 'high', first_response_minutes: 60, resolution_minutes: 600, business_hours: false });
    const normal = await w.create('admin', 'sla_policy', { name: '普通', priority: 'normal', first_response_minutes: 30, resolution_minutes: 240, business_hours: false, escalate_to: w.ids.mgrEast });
    // A warn ratio the API refuses, as an import or a hand edit leaves it; the escalation contact leaves the company.
    const pol = (await w.t.store.objects(w.t.tenant.tenantId)).get('sla_policy')!;
    await su.query(`UPDATE "${pol.tableName}" SET ${col(pol, 'warn_ratio')} = 1.5 WHERE id = $1`, [high.id]);
    await su.query('UPDATE app_user SET active = false WHERE id = $1', [w.ids.mgrEast]);

    // Created first, so checked first: its escalation count is beyond what the next escalation can write.
    const poisoned = await w.create('repA', 'ticket', { subject: '数据异常的工单', priority: 'urgent', channel: 'web' });
    await su.query(`UPDATE "${tk.tableName}" SET ${col(tk, 'escalation_level')} = 9223372036854775807 WHERE id = $1`, [poisoned.id]);
    const healthy = await w.create('repA', 'ticket', { subject: '生产线停机', priority: 'urgent', channel: 'phone' });
    const unwarned = await w.create('repA', 'ticket', { subject: '报表导出慢', priority: 'high', channel: 'web' });
    const orphan = await w.create('repA', 'ticket', { subject: '发票抬头', priority: 'normal', channel: 'email' });

    // 50 minutes on: both 30-minute tickets are past due; the 60-minute one is past 80 % (but its ratio is 1.5).
    const run = await checkAt(50);
    expect(run).toMatchObject({ breached: 2, warned: 0 });
    expect(await ticket(healthy.id)).toMatchObject({ sla_state: 'breached', escalation_level: '1' });
    expect((await noticesOf(healthy.id)).map((n) => n.user_id).sort()).toEqual([w.ids.mgrSouth, w.ids.repA].sort());
    // The deactivated contact is passed over for the department manager (repA's: 华南经理).
    expect(await ticket(orphan.id)).toMatchObject({ sla_state: 'breached', escalation_level: '1' });
    expect((await noticesOf(orphan.id)).map((n) => n.user_id).sort()).toEqual([w.ids.mgrSouth, w.ids.repA].sort());
    // The failing ticket: nothing half done — not breached, its count untouched, nobody notified.
    expect(await ticket(poisoned.id)).toMatchObject({ sla_state: 'ok', escalation_level: '9223372036854775807' });
    expect(await noticesOf(poisoned.id)).toEqual([]);
    expect(await ticket(unwarned.id)).toMatchObject({ sla_state: 'ok' });

    expect(run.problems).toHaveLength(3);
    expect(run.problems).toEqual(expect.arrayContaining([
      {
        kind: 'ticket', policyId: urgent.id, policy: '紧急', tickets: 1, more: 0, problem: expect.stringContaining('out of range'),
        examples: [{ ticketId: poisoned.id, ticket: poisoned.number, problem: expect.stringContaining('out of range') }],
      },
      { kind: 'warn_ratio', policyId: high.id, policy: '高优先', tickets: 1, problem: expect.stringContaining('warn_ratio 1.5') },
      { kind: 'escalate_to', policyId: normal.id, policy: '普通', tickets: 1, problem: expect.stringContaining(w.ids.mgrEast) },
    ]));
    const told = await adminNotices();
    expect(told.map((n) => n.title).sort()).toEqual(['SLA 升级对象不可用：普通（1 张工单）', 'SLA 检查失败：紧急（1 张工单）', 'SLA 策略预警比例无效：高优先'].sort());
    expect(told.find((n) => n.record_id === urgent.id)).toMatchObject({ link: `/o/ticket/${poisoned.id}`, body: expect.stringContaining(`${poisoned.number}：`) });

    // Five minutes later: the failing ticket fails again (and is answered again), no one is told twice.
    const again = await checkAt(55);
    expect(again).toMatchObject({ breached: 0 });
    expect(again.problems.map((x) => x.kind).sort()).toEqual(['ticket', 'warn_ratio']);
    expect(await adminNotices()).toHaveLength(3);
    for (const id of [healthy.id, orphan.id]) expect(await noticesOf(id)).toHaveLength(2);

    // Fixed, the next run escalates it.
    await su.query(`UPDATE "${tk.tableName}" SET ${col(tk, 'escalation_level')} = 3 WHERE id = $1`, [poisoned.id]);
    expect(await checkAt(56)).toMatchObject({ breached: 1 });
    expect(await ticket(poisoned.id)).toMatchObject({ sla_state: 'breached', escalation_level: '4' });
    await su.query('UPDATE app_user SET active = true WHERE id = $1', [w.ids.mgrEast]);
  });

  it('a notice that cannot be written leaves its ticket unescalated — escalated and notified once when it can', async () => {
    await closeOpenTickets();
    const late = await w.create('repA', 'ticket', { subject: '通知失败的工单', priority: 'urgent', channel: 'phone' });
    // The escalation contact's notices fail (a constraint stands in for whatever makes a write fail).
    await su.query(`ALTER TABLE notification ADD CONSTRAINT sla_test_refuse CHECK (user_id <> '${w.ids.mgrSouth}') NOT VALID`);
    let run;
    try {
      run = await checkAt(50);
    } finally {
      await su.query('ALTER TABLE notification DROP CONSTRAINT sla_test_refuse');
    }
    expect(run).toMatchObject({ breached: 0, problems: [expect.objectContaining({ kind: 'ticket', examples: [expect.objectContaining({ ticketId: late.id, problem: expect.stringContaining('sla_test_refuse') })] })] });
    // Not escalated without its notice: the owner was not told either, the level is untouched.
    expect(await ticket(late.id)).toMatchObject({ sla_state: 'ok', escalation_level: '0' });
    expect(await noticesOf(late.id)).toEqual([]);
    expect(await checkAt(51)).toMatchObject({ breached: 1, problems: [] });
    expect(await checkAt(52)).toMatchObject({ breached: 0 });
    expect(await ticket(late.id)).toMatchObject({ sla_state: 'breached', escalation_level: '1' });
    expect((await noticesOf(late.id)).map((n) => n.user_id).sort()).toEqual([w.ids.mgrSouth, w.ids.repA].sort());
  });
});

describe('the SLA check in batches', () => {
  it('lets an agent save a ticket of a batch already done while the check is still on a later one', async () => {
    await closeOpenTickets();
    // The urgent policy escalates to its contact; the low one to the department manager (the check reads the department).
    await w.create('admin', 'sla_policy', { name: '低优先', priority: 'low', first_response_minutes: 30, resolution_minutes: 240, business_hours: false });
    const first = await w.create('repA', 'ticket', { subject: '先到的工单', priority: 'urgent', channel: 'phone' });
    const later = await w.create('repA', 'ticket', { subject: '后到的工单', priority: 'low', channel: 'phone' });

    const held = await holdDepartments();
    let running: Promise<unknown> | undefined;
    try {
      running = checkAt(50, 1);
      // The check is on `later` (its second batch), waiting for the department.
      await until(async () => (await waitingOn('department')).length > 0, 'the check to wait on the department');
      // An agent's save of `first` goes through at once: its batch committed (it is escalated) and let it go.
      await agentSaves(first.id, '先到的工单（已回电）');
      expect(await ticket(first.id)).toMatchObject({ sla_state: 'breached' });
      expect(await ticket(later.id)).toMatchObject({ sla_state: 'ok' });
    } finally {
      await held.release();
    }
    expect(await running).toMatchObject({ breached: 2, problems: [] });
    expect(await ticket(later.id)).toMatchObject({ sla_state: 'breached', escalation_level: '1' });
  });

  it('leaves a ticket an agent holds for the next run, which escalates it', async () => {
    await closeOpenTickets();
    const busy = await w.create('repA', 'ticket', { subject: '正在处理', priority: 'urgent', channel: 'phone' });
    const free = await w.create('repA', 'ticket', { subject: '无人处理', priority: 'urgent', channel: 'phone' });
    const agent = new pg.Client({ connectionString: w.t.testDb.url });
    await agent.connect();
    try {
      await agent.query('SET search_path = mosaic, public');
      await agent.query('BEGIN');
      await agent.query(`SELECT id FROM "${tk.tableName}" WHERE id = $1 FOR UPDATE`, [busy.id]);
      expect(await checkAt(50, 1)).toMatchObject({ breached: 1 });
      expect(await ticket(free.id)).toMatchObject({ sla_state: 'breached' });
      expect(await ticket(busy.id)).toMatchObject({ sla_state: 'ok' });
      await agent.query('COMMIT');
    } finally {
      await agent.end();
    }
    expect(await checkAt(55, 1)).toMatchObject({ breached: 1 });
    expect(await ticket(busy.id)).toMatchObject({ sla_state: 'breached', escalation_level: '1' });
    expect(await noticesOf(busy.id)).toHaveLength(2);
    expect(await noticesOf(free.id)).toHaveLength(2);
  });

  it('run again after dying part-way (the job queue retries it), notifies each escalation once', async () => {
    await closeOpenTickets();
    const done = await w.create('repA', 'ticket', { subject: '死前已升级', priority: 'urgent', channel: 'phone' });
    const pending = await w.create('repA', 'ticket', { subject: '死时未升级', priority: 'low', channel: 'phone' });
    const held = await holdDepartments();
    let died: unknown;
    try {
      const running = checkAt(50, 1).then(() => null, (e: unknown) => e);
      await until(async () => (await waitingOn('department')).length > 0, 'the check to wait on the department');
      // The worker's connection is lost mid-run (the process died): the batch in hand rolls back.
      for (const pid of await waitingOn('department')) await su.query('SELECT pg_terminate_backend($1)', [pid]);
      died = await running;
    } finally {
      await held.release();
    }
    expect(died).toBeTruthy();
    expect(await ticket(done.id)).toMatchObject({ sla_state: 'breached', escalation_level: '1' });
    expect(await ticket(pending.id)).toMatchObject({ sla_state: 'ok' });

    // The retry: the committed escalation is not repeated, the rolled-back one is made — once.
    expect(await checkAt(50, 1)).toMatchObject({ breached: 1 });
    expect(await checkAt(55, 1)).toMatchObject({ breached: 0 });
    expect(await ticket(done.id)).toMatchObject({ escalation_level: '1' });
    expect(await ticket(pending.id)).toMatchObject({ sla_state: 'breached', escalation_level: '1' });
    expect((await noticesOf(done.id)).map((n) => n.user_id).sort()).toEqual([w.ids.mgrSouth, w.ids.repA].sort());
    expect((await noticesOf(pending.id)).map((n) => n.user_id).sort()).toEqual([w.ids.mgrSouth, w.ids.repA].sort());
  });

  it('refuses a batch size that is not a whole number of tickets, naming it', async () => {
    await expect(slaCheck(await sys(), new Date(), { batchSize: 0 })).rejects.toMatchObject({ status: 422, message: expect.stringContaining('batchSize') });
  });
});

describe('the SLA check with many failing tickets, and owners who left', () => {
  it('answers any number of failed tickets in one problem: the exact count, the first SLA_EXAMPLES named', async () => {
    await closeOpenTickets();
    const pol = (await w.t.store.objects(w.t.tenant.tenantId)).get('sla_policy')!;
    const policy = (await su.query(`SELECT id FROM "${pol.tableName}" WHERE ${col(pol, 'name')} = '紧急'`)).rows[0] as { id: string };
    const failing: { id: string; number: string }[] = [];
    for (let i = 0; i < SLA_EXAMPLES + 3; i++) failing.push(await w.create('repA', 'ticket', { subject: `数据异常 ${i}`, priority: 'urgent', channel: 'web' }));
    await su.query(`UPDATE "${tk.tableName}" SET ${col(tk, 'escalation_level')} = 9223372036854775807 WHERE id = ANY($1::uuid[])`, [failing.map((t) => t.id)]);
    await su.query("DELETE FROM notification WHERE object = 'sla_policy'"); // the first test's notice would stand for a day

    // In batches of 7: the named tickets are the run's first, across the batches.
    const run = await checkAt(50, 7);
    expect(run).toMatchObject({ breached: 0 });
    expect(run.problems).toHaveLength(1);
    const [failed] = run.problems;
    expect(failed).toMatchObject({ kind: 'ticket', policyId: policy.id, tickets: SLA_EXAMPLES + 3, more: 3, problem: expect.stringContaining('out of range') });
    const first = [...failing].sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, SLA_EXAMPLES);
    expect(failed.examples).toEqual(first.map((t) => ({ ticketId: t.id, ticket: t.number, problem: expect.stringContaining('out of range') })));
    for (const t of failing) expect(await ticket(t.id)).toMatchObject({ sla_state: 'ok' });

    // The administrators' notice counts them all and names the same first ones.
    const [told, ...others] = await adminNotices();
    expect(others).toEqual([]);
    expect(told).toMatchObject({ title: `SLA 检查失败：紧急（${SLA_EXAMPLES + 3} 张工单）`, link: `/o/sla_policy/${policy.id}`, record_id: policy.id });
    const lines = (told.body as string).split('\n');
    expect(lines.slice(1)).toEqual([...first.map((t) => expect.stringMatching(new RegExp(`^${t.number}：.*out of range`))), `……共 ${SLA_EXAMPLES + 3} 张`]);
    await closeOpenTickets();
  });

  it('tells an owner who was deactivated nothing: the warning goes to no one, the escalation to the contact only — as an unowned ticket\'s', async () => {
    await closeOpenTickets();
    const left = await w.create('repB', 'ticket', { subject: '离职员工的工单', priority: 'urgent', channel: 'phone' });
    const unowned = await w.create('repA', 'ticket', { subject: '无人负责的工单', priority: 'urgent', channel: 'phone' });
    await su.query(`UPDATE "${tk.tableName}" SET owner_id = NULL WHERE id = $1`, [unowned.id]);
    await su.query('UPDATE app_user SET active = false WHERE id = $1', [w.ids.repB]);
    try {
      // 25 of its 30 minutes: past the 80 % warning.
      expect(await checkAt(25)).toMatchObject({ warned: 2, problems: [] });
      expect(await ticket(left.id)).toMatchObject({ sla_state: 'warning' });
      expect(await noticesOf(left.id, '工单即将超时')).toEqual([]);
      expect(await noticesOf(unowned.id, '工单即将超时')).toEqual([]);
      // Past due: escalated to the policy's contact, as the unowned ticket is.
      expect(await checkAt(50)).toMatchObject({ breached: 2, problems: [] });
      expect(await ticket(left.id)).toMatchObject({ sla_state: 'breached', escalation_level: '1' });
      expect((await noticesOf(left.id)).map((n) => n.user_id)).toEqual([w.ids.mgrSouth]);
      expect((await noticesOf(unowned.id)).map((n) => n.user_id)).toEqual([w.ids.mgrSouth]);
    } finally {
      await su.query('UPDATE app_user SET active = true WHERE id = $1', [w.ids.repB]);
    }
  });
});
