import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { runRule, type RunJob } from '@mosaic/automation';
import { automationWorld, waitFor, type AutomationWorld } from './automation-fixture.ts';
import { startWorkerChild, type WorkerChild } from './automation-child.ts';
import { startSmtp } from './automation-smtp.ts';

// send_email at most once (issue 5), the same mechanism as dunning's mail
// (mail-once.ts): a worker process SIGKILLed after the real SMTP server on
// loopback took a rule's mail and before the worker heard so: the retried job
// does not send it again, sends the rule's next mail once, and the stale mail
// turns 'unknown' with the rule's author told. A mail that never left (the
// SMTP server was unreachable) is sent by the job's retry, once.
let w: AutomationWorld;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const children: WorkerChild[] = [];
const saved = { smtp: process.env.SMTP_URL };

beforeAll(async () => {
  smtp = await startSmtp();
  w = await automationWorld({ workers: false }); // the workers are the child processes
});
afterAll(async () => {
  for (const c of children) await c.kill();
  await w?.close();
  await smtp?.close();
  process.env.SMTP_URL = saved.smtp;
});

const ENV = () => ({
  SMTP_URL: smtp.url, MOSAIC_JOB_LEASE_SECONDS: '2', MOSAIC_JOB_MAINTENANCE_SECONDS: '1', MOSAIC_JOB_RETRY_DELAY_SECONDS: '1',
  MOSAIC_MAIL_UNKNOWN_AFTER_SECONDS: '4', MOSAIC_AUTOMATION_SLOW_TICK_MS: '1000',
});
const mails = (id: string) => w.sql<{ state: string; sent_to: string; error: string | null }>(sql`SELECT state, sent_to, error FROM rule_mail WHERE rule_id = ${id} ORDER BY action_index`);

describe('rule email at most once', () => {
  it('never resends a mail the SMTP server may have had when the worker was killed; sends the rest once; tells the author it is unknown', async () => {
    const rule = await w.rule({
      name: '新线索邮件', object: 'sales_lead', trigger: { type: 'created' }, condition: 'name = "崩溃测试"',
      actions: [
        { type: 'send_email', to: ['{{email}}'], subject: '欢迎，{{name}}', body: '您好 {{name}}，感谢您的关注。' },
        { type: 'send_email', to: ['boss@test.local'], subject: '新线索：{{name}}', body: '来自 {{province}} 的新线索' },
      ],
    });
    const first = await startWorkerChild(w.t.testDb.url, ENV());
    children.push(first);
    // The server takes the first mail and keeps its "250 OK" back: the worker is killed waiting for it.
    smtp.holdAcks(true);
    const lead = await w.lead({ name: '崩溃测试', email: 'customer@test.local', province: '广东' });
    await waitFor(async () => smtp.received.length === 1, 30_000, 'the first email at the SMTP server');
    await first.kill();
    smtp.holdAcks(false);
    expect(await mails(rule.id)).toEqual([{ state: 'sending', sent_to: 'customer@test.local', error: null }]);

    const second = await startWorkerChild(w.t.testDb.url, ENV());
    children.push(second);
    // The killed worker's job comes back after its lease and the new worker finishes it.
    const [run] = await waitFor(async () => {
      const runs = await w.runs(rule.id);
      return runs[0]?.status === 'done' ? runs : null;
    }, 40_000, 'the retried run');
    expect(run).toMatchObject({ status: 'done', recordId: lead.id });
    expect(run.attempts).toBeGreaterThanOrEqual(2);
    // The first mail is reported as it stands — 'sending', or 'unknown' if the sweep got there first — and not sent again.
    expect(run.actions.map((a: any) => [a.index, a.status])).toEqual([[0, 'done'], [1, 'done']]);
    expect(['sending', 'unknown']).toContain(run.actions[0].result.state);
    expect(run.actions[1].result.state).toBe('sent');
    expect(smtp.received.map((m) => m.to)).toEqual([['customer@test.local'], ['boss@test.local']]);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(2);

    // Past the SMTP window the sweep calls the first one unknown, and the rule's author (the admin) hears of it.
    const states = await waitFor(async () => {
      const m = await mails(rule.id);
      return m[0]?.state === 'unknown' ? m : null;
    }, 30_000, 'the unknown mail');
    expect(states.map((m) => m.state)).toEqual(['unknown', 'sent']);
    const inbox = (await w.t.api('GET', '/api/v1/notifications')).body.data as any[];
    const told = inbox.filter((n) => String(n.title).includes('新线索邮件'));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ recordId: lead.id });
    expect(told[0].body).toContain('customer@test.local');
    // Nothing more is sent later.
    await new Promise((r) => setTimeout(r, 2000));
    expect(smtp.received).toHaveLength(2);
    await second.stop();
  }, 180_000); // two worker processes start and one is killed: slow on a loaded 2-core machine

  it('a mail that never left (SMTP unreachable) is sent by the job’s retry, once', async () => {
    for (const c of children) await c.kill(); // this test runs the job itself
    const rule = await w.rule({
      name: '不可达重试', object: 'sales_lead', trigger: { type: 'created' }, condition: 'name = "不可达"',
      actions: [{ type: 'send_email', to: ['{{email}}'], subject: '您好 {{name}}', body: '正文' }],
    });
    const lead = await w.lead({ name: '不可达', email: 'later@test.local' });
    const [e] = await w.sql<{ seq: string; at: Date }>(sql`SELECT seq, at FROM outbox_event WHERE record_id = ${lead.id} AND op = 'create'`);
    const job: RunJob = { tenantId: w.t.tenant.tenantId, ruleId: rule.id, trigger: { kind: 'event', key: `e:${e.seq}`, object: 'sales_lead', recordId: lead.id, op: 'create', seq: Number(e.seq), at: new Date(e.at).toISOString() } };
    const deps = { db: w.t.testDb.db, store: w.t.store, url: w.t.testDb.url };
    const before = smtp.received.length;
    process.env.SMTP_URL = `smtp://127.0.0.1:${await closedPort()}`; // nobody listens: the connection is refused
    await expect(runRule(deps, job, 1)).rejects.toThrow(/did not leave/);
    expect(await mails(rule.id)).toMatchObject([{ state: 'queued', sent_to: 'later@test.local' }]);
    process.env.SMTP_URL = smtp.url;
    expect(await runRule(deps, job, 2)).toBe('done');
    expect(await runRule(deps, job, 3)).toBe('done'); // a duplicate delivery of the job: already done
    expect(smtp.received.slice(before).map((m) => m.to)).toEqual([['later@test.local']]);
    expect(await mails(rule.id)).toMatchObject([{ state: 'sent', error: null }]);
    const [run] = await w.runs(rule.id);
    expect(run).toMatchObject({ status: 'done', attempts: 3, actions: [{ index: 0, status: 'already_done' }] });
  }, 60_000);

  it('the run log shows a run of several actions as running from its first action\'s commit until it ends', async () => {
    for (const c of children) await c.kill(); // this test runs the job itself
    const rule = await w.rule({
      name: '运行中', object: 'sales_lead', trigger: { type: 'created' }, condition: 'name = "运行中"',
      actions: [
        { type: 'update_record', values: { province: '浙江' } },
        { type: 'send_email', to: ['boss@test.local'], subject: '线索：{{name}}', body: '省份 {{province}}' },
      ],
    });
    const lead = await w.lead({ name: '运行中', email: 'running@test.local', province: '广东' });
    const [e] = await w.sql<{ seq: string; at: Date }>(sql`SELECT seq, at FROM outbox_event WHERE record_id = ${lead.id} AND op = 'create'`);
    const job: RunJob = { tenantId: w.t.tenant.tenantId, ruleId: rule.id, trigger: { kind: 'event', key: `e:${e.seq}`, object: 'sales_lead', recordId: lead.id, op: 'create', seq: Number(e.seq), at: new Date(e.at).toISOString() } };
    const before = smtp.received.length;
    process.env.SMTP_URL = smtp.url;
    smtp.holdAcks(true); // the second action waits at the SMTP server
    const running = runRule({ db: w.t.testDb.db, store: w.t.store, url: w.t.testDb.url }, job, 1);
    try {
      await waitFor(async () => smtp.received.length === before + 1, 30_000, 'the email at the SMTP server');
      const [run] = await w.runs(rule.id);
      expect(run).toMatchObject({ status: 'running', recordId: lead.id });
      expect(run.actions.map((a: any) => [a.index, a.status])).toEqual([[0, 'done']]);
    } finally {
      smtp.holdAcks(false);
    }
    expect(await running).toBe('done');
    const [done] = await w.runs(rule.id);
    expect(done).toMatchObject({ status: 'done', attempts: 1 }); // finishing what it logged as running is the same attempt
    expect(done.actions.map((a: any) => [a.index, a.status])).toEqual([[0, 'done'], [1, 'done']]);
  }, 60_000);
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
