import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, activeFlow, approvalWorld, line, statusOf, submitExpense, taskOf, type ApprovalWorld } from './approval-fixture.ts';

// Decisions on one approval are serialised by the instance's row lock: on a
// countersign (会签) every approval made at the same moment is counted, and
// the document is approved exactly once.
let w: ApprovalWorld;
const FIN = ['fin1', 'fin2', 'fin3'] as const;

beforeAll(async () => {
  w = await approvalWorld();
  await activeFlow(w, '三人会签', line({ id: 'fin', type: 'approval', mode: 'countersign', approvers: { kind: 'role', role: 'finance' } }));
});

afterAll(async () => {
  await w?.t.close();
});

describe('concurrent decisions', () => {
  it('counts every approval of a countersign made at once, on several documents at once', async () => {
    const docs: string[] = [];
    for (let i = 0; i < 6; i++) docs.push((await submitExpense(w, 'employee', { amount: i })).id);
    const work: [typeof FIN[number], string][] = [];
    for (const id of docs) for (const who of FIN) work.push([who, await taskOf(w, who, id)]);
    const replies = await Promise.all(work.map(([who, task]) => act(w, who, task, 'approve')));
    expect(replies.map((r) => r.status)).toEqual(work.map(() => 200));
    for (const id of docs) {
      expect(await statusOf(w, id)).toBe('approved');
      const [inst] = (await w.t.api('GET', `/api/v1/records/expense/${id}/approvals`)).body.data;
      expect(inst.tasks.map((t: any) => t.status)).toEqual(['approved', 'approved', 'approved']);
      expect(inst.events.filter((e: any) => e.action === 'finish')).toHaveLength(1);
    }
  });

  it('an approval racing a withdrawal: exactly one of them wins', async () => {
    const { id } = await submitExpense(w, 'employee', { amount: 1 });
    const tasks = await Promise.all(FIN.map((who) => taskOf(w, who, id)));
    const [withdraw, ...approvals] = await Promise.all([
      w.as('employee')('POST', `/api/v1/records/expense/${id}/withdraw`, {}),
      ...FIN.map((who, i) => act(w, who, tasks[i], 'approve')),
    ]);
    const status = await statusOf(w, id);
    if (withdraw.status === 200) {
      expect(status).toBe('draft');
    } else {
      expect(withdraw.body.error.code).toBe('CONFLICT');
      expect(status).toBe('approved');
      expect(approvals.every((r) => r.status === 200)).toBe(true);
    }
  });
});
