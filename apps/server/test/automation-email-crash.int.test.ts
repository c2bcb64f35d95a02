import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { automationWorld, waitFor, type AutomationWorld } from './automation-fixture.ts';
import { startWorkerChild, type WorkerChild } from './automation-child.ts';
import { startSmtp } from './automation-smtp.ts';

// Exactly once under a crash (issue 5): a worker process is SIGKILLed in the
// middle of a rule job — its first email delivered to a real SMTP server, its
// second one mid-connection — and a new worker finishes the job: the first
// email is not sent again, the second is sent once.
let w: AutomationWorld;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const children: WorkerChild[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  w = await automationWorld({ workers: false }); // the workers are the child processes
});
afterAll(async () => {
  for (const c of children) await c.kill();
  await w?.close();
  await smtp?.close();
});

const ENV = () => ({ SMTP_URL: smtp.url, MOSAIC_JOB_EXPIRE_SECONDS: '3', MOSAIC_JOB_MAINTENANCE_SECONDS: '1', MOSAIC_JOB_RETRY_DELAY_SECONDS: '1' });

describe('email exactly once when the worker is killed mid-job', () => {
  it('does not resend what was sent, and sends what was not', async () => {
    const rule = await w.rule({
      name: '新线索邮件', object: 'sales_lead', trigger: { type: 'created' }, condition: 'name = "崩溃测试"',
      actions: [
        { type: 'send_email', to: ['{{email}}'], subject: '欢迎，{{name}}', body: '您好 {{name}}，感谢您的关注。' },
        { type: 'send_email', to: ['boss@test.local'], subject: '新线索：{{name}}', body: '来自 {{province}} 的新线索' },
      ],
    });
    const first = await startWorkerChild(w.t.testDb.url, ENV());
    children.push(first);
    // The first email goes through; the second connection is held before the SMTP greeting.
    smtp.hold(false);
    const lead = await w.lead({ name: '崩溃测试', email: 'customer@test.local', province: '广东' });
    await waitFor(async () => smtp.received.length === 1, 20_000, 'the first email');
    smtp.hold(true);
    await waitFor(async () => smtp.stalled.length === 1, 20_000, 'the worker connecting for the second email');
    await first.kill();
    expect(smtp.received).toHaveLength(1); // killed before the second one could be sent

    smtp.hold(false);
    const second = await startWorkerChild(w.t.testDb.url, ENV());
    children.push(second);
    // The killed worker's job expires (3 s) and is retried by the new worker.
    const [run] = await waitFor(async () => {
      const runs = await w.runs(rule.id);
      return runs[0]?.status === 'done' ? runs : null;
    }, 30_000, 'the retried run');
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received.map((m) => m.to)).toEqual([['customer@test.local'], ['boss@test.local']]);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(2);
    expect(run).toMatchObject({ status: 'done', attempts: 2, recordId: lead.id });
    expect(run.actions.map((a: any) => [a.index, a.status])).toEqual([[0, 'already_done'], [1, 'done']]);
    const actionRuns = await w.sql<{ action_index: number; status: string }>(sql`SELECT action_index, status FROM action_run WHERE rule_id = ${rule.id} ORDER BY action_index`);
    expect(actionRuns).toEqual([{ action_index: 0, status: 'done' }, { action_index: 1, status: 'done' }]);
    // Nothing more arrives later.
    await new Promise((r) => setTimeout(r, 2000));
    expect(smtp.received).toHaveLength(2);
    await second.stop();
  }, 120_000); // two worker processes start and one is killed: slow on a loaded 2-core machine
});
