import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, activeFlow, addPerson, approvalWorld, line, statusOf, submitExpense, taskOf, type ApprovalWorld } from './approval-fixture.ts';

// Countersign (会签), or-sign (或签), percentage, manager chains, a user field,
// auto-approval of the submitter, parallel branches with CC (抄送), transfer and
// 加签 — each flow picked by its entry condition on the expense's category.
let w: ApprovalWorld;

const byCategory = (category: string, def: { nodes: unknown[]; edges: unknown[] }) => ({ entryCondition: `category = "${category}"`, priority: 10, ...def });

beforeAll(async () => {
  w = await approvalWorld();
  const fin = (extra: Record<string, unknown>) => ({ id: 'fin', type: 'approval', label: '财务', ...extra });
  const ids = w.ids;
  await activeFlow(w, '会签', byCategory('cs', line(fin({ mode: 'countersign', approvers: { kind: 'users', userIds: [ids.fin1, ids.fin2] } }))));
  await activeFlow(w, '或签', byCategory('or', line(fin({ mode: 'or_sign', approvers: { kind: 'role', role: 'finance' } }))));
  await activeFlow(w, '比例', byCategory('pct', line(fin({ mode: 'percentage', percentage: 60, approvers: { kind: 'role', role: 'finance' } }))));
  await activeFlow(w, '逐级', byCategory('chain', line({ id: 'chain', type: 'approval', approvers: { kind: 'manager_chain', levels: 2 } })));
  await activeFlow(w, '复核人', byCategory('field', line({ id: 'rev', type: 'approval', approvers: { kind: 'field', field: 'reviewer' } })));
  await activeFlow(w, '自批', byCategory('self', line({ id: 'self', type: 'approval', autoApproveSubmitter: true, approvers: { kind: 'users', userIds: [ids.employee] } })));
  await activeFlow(w, '转交', byCategory('one', line(fin({ approvers: { kind: 'users', userIds: [ids.fin1] } }))));
  await activeFlow(w, '并行', byCategory('par', {
    nodes: [
      { id: 'start', type: 'start' }, { id: 'split', type: 'parallel_split' },
      { id: 'a', type: 'approval', approvers: { kind: 'users', userIds: [ids.fin1] } },
      { id: 'b', type: 'approval', approvers: { kind: 'users', userIds: [ids.fin2] } },
      { id: 'join', type: 'parallel_join' }, { id: 'cc', type: 'cc', recipients: { userIds: [ids.other], roles: ['general_manager'] } }, { id: 'end', type: 'end' },
    ],
    edges: [
      { source: 'start', target: 'split' }, { source: 'split', target: 'a' }, { source: 'split', target: 'b' },
      { source: 'a', target: 'join' }, { source: 'b', target: 'join' }, { source: 'join', target: 'cc' }, { source: 'cc', target: 'end' },
    ],
  }));
});

afterAll(async () => {
  await w?.t.close();
});

describe('approval modes', () => {
  it('countersign: both must approve', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'cs', amount: 1 });
    await act(w, 'fin1', await taskOf(w, 'fin1', id), 'approve');
    expect(await statusOf(w, id)).toBe('submitted');
    await act(w, 'fin2', await taskOf(w, 'fin2', id), 'approve');
    expect(await statusOf(w, id)).toBe('approved');
  });

  it('countersign: one rejection rejects', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'cs', amount: 1 });
    await act(w, 'fin1', await taskOf(w, 'fin1', id), 'approve');
    await act(w, 'fin2', await taskOf(w, 'fin2', id), 'reject', { comment: '超标' });
    expect(await statusOf(w, id)).toBe('draft');
  });

  it('countersign: two approvers acting at the same moment are both counted', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'cs', amount: 1 });
    const [t1, t2] = [await taskOf(w, 'fin1', id), await taskOf(w, 'fin2', id)];
    const [r1, r2] = await Promise.all([act(w, 'fin1', t1, 'approve'), act(w, 'fin2', t2, 'approve')]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(await statusOf(w, id)).toBe('approved');
    const [inst] = (await w.t.api('GET', `/api/v1/records/expense/${id}/approvals`)).body.data;
    expect(inst.tasks.map((t: any) => t.status)).toEqual(['approved', 'approved']);
    expect(inst.events.filter((e: any) => e.action === 'finish')).toHaveLength(1);
  });

  it('or-sign: the first of the role to approve decides; the others are cancelled', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'or', amount: 1 });
    const t2 = await taskOf(w, 'fin2', id);
    const t3 = await taskOf(w, 'fin3', id);
    await act(w, 'fin2', t2, 'approve');
    expect(await statusOf(w, id)).toBe('approved');
    const late = await act(w, 'fin3', t3, 'approve');
    expect(late.body.error.code).toBe('CONFLICT');
    const [inst] = (await w.t.api('GET', `/api/v1/records/expense/${id}/approvals`)).body.data;
    expect(inst.tasks.map((t: any) => t.status).sort()).toEqual(['approved', 'cancelled', 'cancelled']);
  });

  it('percentage: 60 % of three is two approvals; a rejection alone does not decide', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'pct', amount: 1 });
    await act(w, 'fin1', await taskOf(w, 'fin1', id), 'reject', { comment: '不同意' });
    expect(await statusOf(w, id)).toBe('submitted');
    await act(w, 'fin2', await taskOf(w, 'fin2', id), 'approve');
    expect(await statusOf(w, id)).toBe('submitted');
    await act(w, 'fin3', await taskOf(w, 'fin3', id), 'approve');
    expect(await statusOf(w, id)).toBe('approved'); // 2 of 3 = 67 % ≥ 60 %, fin1's rejection notwithstanding
  });

  it('percentage: rejected as soon as 60 % is out of reach', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'pct', amount: 1 });
    await act(w, 'fin1', await taskOf(w, 'fin1', id), 'reject');
    const t3 = await taskOf(w, 'fin3', id);
    await act(w, 'fin2', await taskOf(w, 'fin2', id), 'reject');
    expect(await statusOf(w, id)).toBe('draft'); // at most 1 of 3 can approve now
    expect((await act(w, 'fin3', t3, 'approve')).body.error.code).toBe('CONFLICT');
  });

  it('a chain of managers approves level by level', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'chain', amount: 1 });
    const gmInbox = await w.as('gm')('GET', '/api/v1/approvals/inbox?box=pending');
    expect(gmInbox.body.data.some((x: any) => x.recordId === id)).toBe(false);
    await act(w, 'salesManager', await taskOf(w, 'salesManager', id), 'approve');
    await act(w, 'gm', await taskOf(w, 'gm', id), 'approve');
    expect(await statusOf(w, id)).toBe('approved');
  });

  it('the approver named in a user field of the record decides', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'field', amount: 1, reviewer: w.ids.fin3 });
    await act(w, 'fin3', await taskOf(w, 'fin3', id), 'approve');
    expect(await statusOf(w, id)).toBe('approved');
  });

  it('an approver without any right on expenses still decides and reads the history; a stranger does not', async () => {
    const auditor = await addPerson(w, '外部审计');
    const stranger = await addPerson(w, '陌生人');
    const { id } = await submitExpense(w, 'employee', { category: 'field', amount: 1, reviewer: auditor.id });
    expect((await auditor.api('GET', `/api/v1/records/expense/${id}`)).status).toBe(404); // no read right of its own
    const inbox = await auditor.api('GET', '/api/v1/approvals/inbox?box=pending');
    const task = inbox.body.data.find((x: any) => x.recordId === id).task.id;
    expect((await stranger.api('POST', `/api/v1/approvals/tasks/${task}/approve`, {})).status).toBe(404);
    expect((await stranger.api('GET', `/api/v1/records/expense/${id}/approvals`)).status).toBe(404);
    const history = await auditor.api('GET', `/api/v1/records/expense/${id}/approvals`);
    expect(history.status).toBe(200);
    expect((await auditor.api('POST', `/api/v1/approvals/tasks/${task}/approve`, { comment: '无异议' })).status).toBe(200);
    expect(await statusOf(w, id)).toBe('approved');
  });

  it('approves at once when the approver is the submitter (option)', async () => {
    const { id, submit } = await submitExpense(w, 'employee', { category: 'self', amount: 1 });
    expect(submit.status).toBe('approved');
    expect(submit.$awaitingApproval).toBeUndefined();
    const [inst] = (await w.t.api('GET', `/api/v1/records/expense/${id}/approvals`)).body.data;
    expect(inst.events.map((e: any) => e.action)).toEqual(['start', 'auto_approve', 'finish']);
  });

  it('parallel branches both approve before the join; then CC to a user and a role, without a decision', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'par', amount: 1 });
    const [ta, tb] = [await taskOf(w, 'fin1', id), await taskOf(w, 'fin2', id)];
    await act(w, 'fin2', tb, 'approve');
    expect(await statusOf(w, id)).toBe('submitted');
    await act(w, 'fin1', ta, 'approve');
    expect(await statusOf(w, id)).toBe('approved');
    for (const who of ['other', 'gm'] as const) {
      const cc = await w.as(who)('GET', '/api/v1/approvals/inbox?box=cc');
      expect(cc.body.data.some((x: any) => x.recordId === id)).toBe(true);
    }
  });

  it('a rejection in one parallel branch rejects the whole approval', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'par', amount: 1 });
    const tb = await taskOf(w, 'fin2', id);
    const ta = await taskOf(w, 'fin1', id);
    await act(w, 'fin1', ta, 'reject');
    expect(await statusOf(w, id)).toBe('draft');
    expect((await act(w, 'fin2', tb, 'approve')).body.error.code).toBe('CONFLICT');
  });
});

describe('transfer and 加签', () => {
  it('transfers a task: the new assignee decides, the old one no longer can', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'one', amount: 1 });
    const t1 = await taskOf(w, 'fin1', id);
    const bad = await act(w, 'fin1', t1, 'transfer', { userId: w.ids.fin1 });
    expect(bad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'userId' });
    const r = await act(w, 'fin1', t1, 'transfer', { userId: w.ids.fin2, comment: '出差，请代批' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await act(w, 'fin1', t1, 'approve')).body.error.code).toBe('CONFLICT');
    await act(w, 'fin2', await taskOf(w, 'fin2', id), 'approve');
    expect(await statusOf(w, id)).toBe('approved');
    const [inst] = (await w.t.api('GET', `/api/v1/records/expense/${id}/approvals`)).body.data;
    expect(inst.tasks.map((t: any) => [t.assignee.name, t.status, t.origin])).toEqual([['财务甲', 'transferred', 'flow'], ['财务乙', 'approved', 'transfer']]);
    expect(inst.events.find((e: any) => e.action === 'transfer')).toMatchObject({ targetUser: { name: '财务乙' }, comment: '出差，请代批' });
  });

  it('offers the assignee the users to transfer to by name or e-mail, without those already approving; nobody else may ask', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'cs', amount: 1 }); // 会签: 财务甲 and 财务乙 both approve here
    const t1 = await taskOf(w, 'fin1', id);
    const names = async (q: string) => {
      const r = await w.as('fin1')('GET', `/api/v1/approvals/tasks/${t1}/candidates?q=${encodeURIComponent(q)}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.data.map((u: { name: string }) => u.name);
    };
    expect(await names('财务')).toEqual(['财务丙']);
    expect(await names('fin')).toEqual(['财务丙']); // by e-mail
    expect(await names('%')).toEqual([]); // LIKE's wildcards are plain text
    const all = await w.as('fin1')('GET', `/api/v1/approvals/tasks/${t1}/candidates`);
    expect(all.body.data.find((u: any) => u.name === '员工小王')).toMatchObject({ email: expect.stringContaining('employee-'), department: '销售部' });
    // The task is fin1's: the submitter, fin2 and a malformed id all get the 404 of a missing task.
    expect((await w.as('employee')('GET', `/api/v1/approvals/tasks/${t1}/candidates?q=财务`)).status).toBe(404);
    expect((await w.as('fin2')('GET', `/api/v1/approvals/tasks/${t1}/candidates`)).status).toBe(404);
    expect((await w.as('fin1')('GET', '/api/v1/approvals/tasks/nope/candidates')).status).toBe(404);
    expect((await w.as('fin1')('GET', `/api/v1/approvals/tasks/${t1}/candidates?q=${'x'.repeat(101)}`)).body.error).toMatchObject({ field: 'q' });
    // Once decided, the task offers nobody.
    await act(w, 'fin1', t1, 'approve');
    expect((await w.as('fin1')('GET', `/api/v1/approvals/tasks/${t1}/candidates`)).status).toBe(404);
  });

  it('adds an approver before: they decide first, then the task opens again', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'one', amount: 1 });
    const t1 = await taskOf(w, 'fin1', id);
    const r = await act(w, 'fin1', t1, 'add-approver', { userId: w.ids.fin3, position: 'before', comment: '请丙先看' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await act(w, 'fin1', t1, 'approve')).body.error.code).toBe('CONFLICT'); // waiting now
    await act(w, 'fin3', await taskOf(w, 'fin3', id), 'approve');
    expect(await statusOf(w, id)).toBe('submitted');
    await act(w, 'fin1', await taskOf(w, 'fin1', id), 'approve');
    expect(await statusOf(w, id)).toBe('approved');
  });

  it('adds an approver after: they decide once this task is approved', async () => {
    const { id } = await submitExpense(w, 'employee', { category: 'one', amount: 1 });
    const t1 = await taskOf(w, 'fin1', id);
    await act(w, 'fin1', t1, 'add-approver', { userId: w.ids.gm, position: 'after' });
    const early = await w.as('gm')('GET', '/api/v1/approvals/inbox?box=pending');
    expect(early.body.data.some((x: any) => x.recordId === id)).toBe(false);
    await act(w, 'fin1', t1, 'approve');
    expect(await statusOf(w, id)).toBe('submitted');
    await act(w, 'gm', await taskOf(w, 'gm', id), 'approve');
    expect(await statusOf(w, id)).toBe('approved');
  });
});
