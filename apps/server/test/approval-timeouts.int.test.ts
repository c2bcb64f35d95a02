import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { advanceClock, resetClock } from '@mosaic/kernel';
import { setApprovalNotifier, sweepApprovalTimeouts, sweepOnce, type ApprovalNotice, type ApprovalNotifier } from '@mosaic/approval';
import { act, activeFlow, approvalWorld, line, statusOf, submitExpense, taskOf, type ApprovalWorld } from './approval-fixture.ts';

// Timeouts: a sweep acts on overdue tasks by the kernel clock, which the test
// moves forward instead of sleeping — escalation to the manager, automatic
// approval and rejection, a reminder; and only one process sweeps at a time.
let w: ApprovalWorld;
const notices: ApprovalNotice[] = [];
const HOUR = 3_600_000;

const timed = (category: string, action: string, approvers: Record<string, unknown>) => ({
  entryCondition: `category = "${category}"`,
  ...line({ id: 'step', type: 'approval', label: '审批', approvers, timeout: { hours: 2, action } }),
});
let bell: ApprovalNotifier | null = null;
const sweep = () => sweepApprovalTimeouts({ db: w.t.testDb.db, store: w.t.store }, { tenantIds: [w.t.tenant.tenantId] });

beforeAll(async () => {
  w = await approvalWorld();
  bell = setApprovalNotifier(async (_tx, n) => {
    notices.push(n);
  });
  await activeFlow(w, '超时上报', timed('esc', 'escalate_to_manager', { kind: 'manager' }));
  await activeFlow(w, '超时通过', timed('auto', 'auto_approve', { kind: 'users', userIds: [w.ids.fin1] }));
  await activeFlow(w, '超时驳回', timed('rej', 'auto_reject', { kind: 'users', userIds: [w.ids.fin1] }));
  await activeFlow(w, '超时提醒', timed('remind', 'notify', { kind: 'users', userIds: [w.ids.fin2] }));
});

afterEach(() => resetClock());

afterAll(async () => {
  setApprovalNotifier(bell); // the bell, as the rules engine's module set it, for the files after this one
  await w?.t.close();
});

describe('approval timeouts', () => {
  it('escalates an overdue task to the assignee’s manager', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'esc', amount: 1 });
    const task = await taskOf(w, 'salesManager', id);
    expect(notices).toContainEqual(expect.objectContaining({ kind: 'task', userIds: [w.ids.salesManager], taskId: task, recordId: id }));
    advanceClock(1 * HOUR);
    expect((await sweep()).handled).toBe(0); // not due yet
    advanceClock(2 * HOUR);
    expect((await sweep()).handled).toBeGreaterThanOrEqual(1);
    expect((await act(w, 'salesManager', task, 'approve')).body.error.code).toBe('CONFLICT');
    // 销售部's manager is the assignee himself, so the escalation goes up to 测试公司's: the general manager.
    await act(w, 'gm', await taskOf(w, 'gm', id), 'approve');
    expect(await statusOf(w, id)).toBe('approved');
    const [inst] = (await w.t.api('GET', `/api/v1/records/expense/${id}/approvals`)).body.data;
    expect(inst.events.find((e: any) => e.action === 'escalate')).toMatchObject({ actor: null, targetUser: { id: w.ids.gm } });
    expect(inst.tasks.map((t: any) => [t.assignee.id, t.status, t.origin])).toEqual([[w.ids.salesManager, 'transferred', 'flow'], [w.ids.gm, 'approved', 'escalation']]);
  });

  it('approves an overdue task automatically', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'auto', amount: 1 });
    advanceClock(3 * HOUR);
    await sweep();
    expect(await statusOf(w, id)).toBe('approved');
    const [inst] = (await w.t.api('GET', `/api/v1/records/expense/${id}/approvals`)).body.data;
    expect(inst.tasks[0]).toMatchObject({ status: 'approved', comment: '超时自动通过' });
  });

  it('rejects an overdue task automatically: the document returns to draft', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'rej', amount: 1 });
    advanceClock(3 * HOUR);
    await sweep();
    expect(await statusOf(w, id)).toBe('draft');
  });

  it('reminds once and leaves the task open', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'remind', amount: 1 });
    advanceClock(3 * HOUR);
    await sweep();
    await sweep();
    expect(notices.filter((n) => n.kind === 'timeout' && n.recordId === id)).toHaveLength(1);
    await act(w, 'fin2', await taskOf(w, 'fin2', id), 'approve');
    expect(await statusOf(w, id)).toBe('approved');
  });

  it('a decision made before the sweep wins', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'rej', amount: 1 });
    await act(w, 'fin1', await taskOf(w, 'fin1', id), 'approve');
    advanceClock(3 * HOUR);
    await sweep();
    expect(await statusOf(w, id)).toBe('approved');
  });

  it('only one process sweeps at a time (advisory lock)', async () => {
    const deps = { db: w.t.testDb.db, store: w.t.store };
    const other = new pg.Client({ connectionString: w.t.testDb.url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock(7283040)');
      expect(await sweepOnce(deps)).toBe(false);
      await other.query('SELECT pg_advisory_unlock(7283040)');
      expect(await sweepOnce(deps)).toBe(true);
    } finally {
      await other.end();
    }
  });
});
