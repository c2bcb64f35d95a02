import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDocumentHooks } from '@mosaic/process';
import { act, activeFlow, approvalWorld, statusOf, submitExpense, taskOf, type ApprovalWorld } from './approval-fixture.ts';

// 审批流: a two-level approval with a condition branch (amount > 50,000 needs
// the general manager after the department manager), reject and resubmit,
// reject to an earlier node, return for changes, withdraw, the history on the
// record, the inbox — and the document ends approved with its onApprove hooks run.
let w: ApprovalWorld;
const approvedHooks: string[] = [];

registerDocumentHooks('expense', {
  async onApprove({ record }) {
    approvedHooks.push(String(record.id));
  },
});

const twoLevel = {
  nodes: [
    { id: 'start', type: 'start' },
    { id: 'mgr', type: 'approval', label: '部门经理', approvers: { kind: 'manager' } },
    { id: 'amount', type: 'condition', label: '金额判断' },
    { id: 'gm', type: 'approval', label: '总经理', approvers: { kind: 'role', role: 'general_manager' } },
    { id: 'end', type: 'end' },
  ],
  edges: [
    { source: 'start', target: 'mgr' },
    { source: 'mgr', target: 'amount' },
    { source: 'amount', target: 'gm', condition: 'amount > 50000' },
    { source: 'amount', target: 'end', default: true },
    { source: 'gm', target: 'end' },
  ],
};

beforeAll(async () => {
  w = await approvalWorld();
  await activeFlow(w, '费用审批', twoLevel);
});

afterAll(async () => {
  await w?.t.close();
});

describe('a two-level approval with a condition branch', () => {
  it('sends a large expense to the department manager, then the general manager, and approves it', async () => {
    const { id, submit } = await submitExpense(w, 'employee', { amount: 60000 });
    expect(submit).toMatchObject({ status: 'submitted', $awaitingApproval: true });
    const mgrTask = await taskOf(w, 'salesManager', id);
    const r1 = await act(w, 'salesManager', mgrTask, 'approve', { comment: '同意' });
    expect(r1.status, JSON.stringify(r1.body)).toBe(200);
    expect(await statusOf(w, id)).toBe('submitted');
    const gmTask = await taskOf(w, 'gm', id);
    const r2 = await act(w, 'gm', gmTask, 'approve', { comment: '批准' });
    expect(r2.body.status).toBe('approved');
    expect(await statusOf(w, id)).toBe('approved');
    // The hook is registered in this test process: it runs only when the API does (not under MOSAIC_TEST_TOPOLOGY=multi).
    if (!w.t.topology) expect(approvedHooks).toContain(id);
    // Each step rang the right bell: the approvers when it was their turn, the submitter at the end.
    const bell = async (who: 'salesManager' | 'gm' | 'employee') => (await w.as(who)('GET', '/api/v1/notifications')).body.data.filter((n: any) => n.recordId === id);
    expect(await bell('salesManager')).toContainEqual(expect.objectContaining({ kind: 'approval', title: '待审批：差旅费', link: `/o/expense/${id}` }));
    expect((await bell('gm')).map((n: any) => n.title)).toEqual(['待审批：差旅费']);
    expect((await bell('employee')).map((n: any) => n.title)).toEqual(['审批已通过：差旅费']);

    const h = await w.as('employee')('GET', `/api/v1/records/expense/${id}/approvals`);
    expect(h.status).toBe(200);
    const [inst] = h.body.data;
    expect(inst).toMatchObject({ status: 'approved', flow: { name: '费用审批', version: 1 }, title: '差旅费' });
    expect(inst.tasks.map((t: any) => [t.nodeLabel, t.assignee.name, t.status, t.comment])).toEqual([
      ['部门经理', '销售经理李', 'approved', '同意'],
      ['总经理', '总经理张', 'approved', '批准'],
    ]);
    expect(inst.events.map((e: any) => e.action)).toEqual(['start', 'approve', 'branch', 'approve', 'finish']);
    expect(inst.events[1]).toMatchObject({ actor: { id: w.ids.salesManager, name: '销售经理李' }, comment: '同意' });
    expect(inst.events[2].detail).toMatchObject({ target: 'gm' });
  });

  it('a small expense needs the department manager only', async () => {
    const { id } = await submitExpense(w, 'employee', { amount: 800 });
    await act(w, 'salesManager', await taskOf(w, 'salesManager', id), 'approve');
    expect(await statusOf(w, id)).toBe('approved');
    const gm = await w.as('gm')('GET', '/api/v1/approvals/inbox?box=pending');
    expect(gm.body.data.some((x: any) => x.recordId === id)).toBe(false);
  });

  it('a rejected expense goes back to draft, and resubmitting starts a new approval', async () => {
    const { id } = await submitExpense(w, 'employee', { amount: 70000 });
    const r = await act(w, 'salesManager', await taskOf(w, 'salesManager', id), 'reject', { comment: '发票不全' });
    expect(r.body.status).toBe('rejected');
    const doc = (await w.t.api('GET', `/api/v1/records/expense/${id}`)).body;
    expect(doc.status).toBe('draft');
    const fixed = await w.as('employee')('PATCH', `/api/v1/records/expense/${id}`, { version: doc.version, subject: '差旅费（补发票）' });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    const again = await w.as('employee')('POST', `/api/v1/records/expense/${id}/submit`, { version: fixed.body.version });
    expect(again.body).toMatchObject({ status: 'submitted', $awaitingApproval: true });
    await act(w, 'salesManager', await taskOf(w, 'salesManager', id), 'approve');
    await act(w, 'gm', await taskOf(w, 'gm', id), 'approve');
    expect(await statusOf(w, id)).toBe('approved');
    const h = (await w.as('employee')('GET', `/api/v1/records/expense/${id}/approvals`)).body.data;
    expect(h.map((i: any) => i.status)).toEqual(['approved', 'rejected']);
    expect(h[1].tasks[0]).toMatchObject({ status: 'rejected', comment: '发票不全' });
  });

  it('rejects back to an earlier node: the department manager decides again', async () => {
    const { id } = await submitExpense(w, 'employee', { amount: 90000 });
    await act(w, 'salesManager', await taskOf(w, 'salesManager', id), 'approve');
    const gmTask = await taskOf(w, 'gm', id);
    const bad = await act(w, 'gm', gmTask, 'reject', { toNode: 'gm' });
    expect(bad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'toNode' });
    const r = await act(w, 'gm', gmTask, 'reject', { comment: '请经理再核实', toNode: 'mgr' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('running');
    expect(await statusOf(w, id)).toBe('submitted');
    await act(w, 'salesManager', await taskOf(w, 'salesManager', id), 'approve', { comment: '已核实' });
    await act(w, 'gm', await taskOf(w, 'gm', id), 'approve');
    expect(await statusOf(w, id)).toBe('approved');
  });

  it('returns an expense for changes with a comment (the comment is required)', async () => {
    const { id } = await submitExpense(w, 'employee', { amount: 100 });
    const task = await taskOf(w, 'salesManager', id);
    const missing = await act(w, 'salesManager', task, 'return', {});
    expect(missing.status).toBe(422);
    const r = await act(w, 'salesManager', task, 'return', { comment: '请补充行程单' });
    expect(r.body.status).toBe('returned');
    expect(await statusOf(w, id)).toBe('draft');
    expect(r.body.events.at(-1)).toMatchObject({ action: 'finish', comment: '请补充行程单' });
  });

  it('the submitter withdraws; nobody else can', async () => {
    const { id } = await submitExpense(w, 'employee', { amount: 100 });
    const task = await taskOf(w, 'salesManager', id);
    const notMine = await w.as('other')('POST', `/api/v1/records/expense/${id}/withdraw`, {});
    expect(notMine.body.error.code).toBe('FORBIDDEN');
    const r = await w.as('employee')('POST', `/api/v1/records/expense/${id}/withdraw`, { comment: '金额填错了' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('withdrawn');
    expect(await statusOf(w, id)).toBe('draft');
    const late = await act(w, 'salesManager', task, 'approve');
    expect(late.body.error.code).toBe('CONFLICT');
    const twice = await w.as('employee')('POST', `/api/v1/records/expense/${id}/withdraw`, {});
    expect(twice.body.error.code).toBe('CONFLICT');
  });

  it('a task is answered only for its assignee: anyone else gets 404 as for a missing task', async () => {
    const { id } = await submitExpense(w, 'employee', { amount: 100 });
    const task = await taskOf(w, 'salesManager', id);
    for (const action of ['approve', 'reject', 'comment']) {
      const r = await act(w, 'other', task, action, { comment: 'x' });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('NOT_FOUND');
    }
    const admin = await w.t.api('POST', `/api/v1/approvals/tasks/${task}/approve`, {});
    expect(admin.status).toBe(404);
    const missing = await act(w, 'salesManager', '00000000-0000-4000-8000-000000000000', 'approve');
    expect(missing.status).toBe(404);
    expect(await statusOf(w, id)).toBe('submitted');
  });

  it('comments without deciding, and refuses a second decision on a decided task', async () => {
    const { id } = await submitExpense(w, 'employee', { amount: 100 });
    const task = await taskOf(w, 'salesManager', id);
    const c = await act(w, 'salesManager', task, 'comment', { comment: '我看一下' });
    expect(c.body.events.at(-1)).toMatchObject({ action: 'comment', comment: '我看一下' });
    await act(w, 'salesManager', task, 'approve');
    const again = await act(w, 'salesManager', task, 'approve');
    expect(again.body.error.code).toBe('CONFLICT');
  });
});

describe('edge cases', () => {
  it('a retried approval with the same Idempotency-Key is answered from the first, not decided twice', async () => {
    const { id } = await submitExpense(w, 'employee', { amount: 100 });
    const task = await taskOf(w, 'salesManager', id);
    const send = () => w.t.api('POST', `/api/v1/approvals/tasks/${task}/approve`, { comment: 'ok' }, { token: w.tokens.salesManager, headers: { 'idempotency-key': `approve-${task}` } });
    const first = await send();
    const retry = await send();
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.status).toBe('approved');
  });


  it('when nobody resolves (the general manager has no manager above him), the administrators decide', async () => {
    const { id } = await submitExpense(w, 'gm', { amount: 100 });
    const admin = await w.t.api('GET', '/api/v1/approvals/inbox?box=pending');
    const row = admin.body.data.find((x: any) => x.recordId === id);
    expect(row).toBeTruthy();
    await w.t.api('POST', `/api/v1/approvals/tasks/${row.task.id}/approve`, {});
    expect(await statusOf(w, id)).toBe('approved');
  });

  it('a document cancelled while awaiting approval closes its approval on the next action', async () => {
    const { id } = await submitExpense(w, 'employee', { amount: 100 });
    const task = await taskOf(w, 'salesManager', id);
    const doc = (await w.t.api('GET', `/api/v1/records/expense/${id}`)).body;
    const cancel = await w.t.api('POST', `/api/v1/records/expense/${id}/cancel`, { version: doc.version, reason: '不报了' });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const r = await act(w, 'salesManager', task, 'approve');
    expect(r.body.error.code).toBe('CONFLICT');
    expect(await statusOf(w, id)).toBe('cancelled');
    const [inst] = (await w.t.api('GET', `/api/v1/records/expense/${id}/approvals`)).body.data;
    expect(inst.status).toBe('cancelled');
    expect(inst.tasks[0].status).toBe('cancelled');
  });
});

describe('the inbox', () => {
  it('lists 待我审批, 我发起的 and 已处理 with paging', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await submitExpense(w, 'employee', { amount: 10 + i })).id);
    const page1 = await w.as('salesManager')('GET', '/api/v1/approvals/inbox?box=pending&pageSize=2');
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.total).toBeGreaterThanOrEqual(3);
    expect(page1.body.data[0]).toMatchObject({ object: 'expense', flowName: '费用审批', submittedBy: { name: '员工小王' }, task: { nodeLabel: '部门经理', status: 'pending' } });
    const page2 = await w.as('salesManager')('GET', '/api/v1/approvals/inbox?box=pending&pageSize=2&page=2');
    expect(page2.body.data[0].task.id).not.toBe(page1.body.data[0].task.id);

    await act(w, 'salesManager', await taskOf(w, 'salesManager', ids[0]), 'approve');
    const done = await w.as('salesManager')('GET', '/api/v1/approvals/inbox?box=done');
    expect(done.body.data[0]).toMatchObject({ recordId: ids[0], task: { status: 'approved' } });
    const mine = await w.as('employee')('GET', '/api/v1/approvals/inbox?box=submitted');
    const row = mine.body.data.find((x: any) => x.recordId === ids[1]);
    expect(row).toMatchObject({ instanceStatus: 'running', pendingWith: [{ id: w.ids.salesManager, name: '销售经理李' }] });
    const bad = await w.as('employee')('GET', '/api/v1/approvals/inbox?box=everything');
    expect(bad.status).toBe(422);
  });

  it('an approver reads the history of a record they were asked to decide; a malformed id is a 404', async () => {
    const { id } = await submitExpense(w, 'employee', { amount: 10 });
    const mgr = await w.as('salesManager')('GET', `/api/v1/records/expense/${id}/approvals`);
    expect(mgr.status).toBe(200);
    const bogus = await w.as('other')('GET', '/api/v1/records/expense/not-a-uuid/approvals');
    expect(bogus.status).toBe(404);
  });
});
