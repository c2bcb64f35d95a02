import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { systemGuard, type Actor } from '@mosaic/access';
import { SYSTEM_USER_ID, tenantFacts } from '@mosaic/automation';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { startSmtp } from '../../../apps/server/test/automation-smtp.ts';
import { recordDunningIntents } from '../receivables/dunning/dunning.service.ts';
import { addDays } from '@mosaic/kernel';

// The dunning mail at most once (issue 9 review): the notice is recorded as the
// mail's intent (queued) before anything is sent, claimed (sending) just before
// it goes to SMTP, and marked after. A process SIGKILLed after the SMTP server
// took the mail and before the notice said so does not cause a second mail: the
// next run leaves it, then marks it 'unknown' and asks the owner to check. A
// notice a crashed run left queued (nothing sent yet) is sent by the next run, once.
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const saved = { smtp: process.env.SMTP_URL, unknownAfter: process.env.MOSAIC_MAIL_UNKNOWN_AFTER_SECONDS };
let today: string;
let item: string;
const CHILD = path.join(import.meta.dirname, 'dunning-run.child.ts');

beforeAll(async () => {
  smtp = await startSmtp();
  process.env.SMTP_URL = smtp.url;
  t = await createTestApp();
  today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  item = (await ok(t.api('POST', '/api/v1/records/item', { code: 'SVC', name: '维保服务' }), 201)).id;
}, 120_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
  process.env.SMTP_URL = saved.smtp;
  process.env.MOSAIC_MAIL_UNKNOWN_AFTER_SECONDS = saved.unknownAfter;
});

async function ok(p: Promise<{ status: number; body: any }>, status = 200): Promise<any> {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(fn: () => Promise<T | null | false> | T | null | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
/** A customer with an address and one submitted invoice `daysLate` days past due (no payment term: due at posting). */
async function overdue(name: string, email: string, daysLate: number) {
  const c = await ok(t.api('POST', '/api/v1/records/customer', { name, email }), 201);
  const inv = await ok(t.api('POST', '/api/v1/records/sales_invoice', { customer: c.id, posting_date: addDays(today, -daysLate), lines: [{ item, qty: 1, rate: 1000 }] }), 201);
  return ok(t.api('POST', `/api/v1/records/sales_invoice/${inv.id}/submit`, { version: inv.version }));
}
const noticeOf = async (invoice: string) => (await ok(t.api('GET', `/api/v1/records/dunning_notice?filter=${encodeURIComponent(JSON.stringify({ sales_invoice: invoice }))}`))).data as any[];
const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));
const run = () => ok(t.api('POST', '/api/v1/finance/dunning/run', { as_of: today }));
/** A notice's domain events (outbox) and audit entries: its state changes are logged like any record's. */
/** The notice's events, each with the change set of the audit entry it points at (ADR 0010), and the audit entries. */
async function historyOf(notice: string) {
  return inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) => ({
    events: (await sql<{ op: string; changes: Record<string, [unknown, unknown]> }>`SELECT e.op, a.changes FROM outbox_event e JOIN audit_log a ON a.tenant_id = e.tenant_id AND a.id = e.audit_id WHERE e.object = 'dunning_notice' AND e.record_id = ${notice} ORDER BY e.seq`.execute(tx)).rows,
    audit: (await sql<{ kind: string; changes: Record<string, [unknown, unknown]> }>`SELECT kind, changes FROM audit_log WHERE object = 'dunning_notice' AND record_id = ${notice} ORDER BY at, id`.execute(tx)).rows,
  }));
}
const stateChanges = (rows: { changes: Record<string, [unknown, unknown]> }[]) => rows.map((r) => r.changes.state).filter((c) => c && c[0] !== null);

describe('dunning mail at most once', () => {
  it('a run killed after SMTP took the mail and before the notice recorded it: never a second mail; the notice ends unknown and the owner is told', async () => {
    const inv = await overdue('深圳崩溃测试有限公司', 'ap@crash.cn', 30);
    smtp.holdAcks(true); // the server has the mail; the sender waits for its "250 OK"
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, DATABASE_URL: t.testDb.url, TENANT_ID: t.tenant.tenantId, AS_OF: today, SMTP_URL: smtp.url }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise((r) => child.once('exit', r));
    await until(() => mailsTo('ap@crash.cn').length === 1, 60_000, `the mail to reach the SMTP server (child: ${out})`);
    child.kill('SIGKILL');
    await exited;
    smtp.holdAcks(false);
    const [held] = await noticeOf(inv.id);
    expect(held).toMatchObject({ level: 3, state: 'sending', sent_to: 'ap@crash.cn' });

    // The next run, within the SMTP window: it does not resend, and the notice stays as it is.
    process.env.MOSAIC_MAIL_UNKNOWN_AFTER_SECONDS = '600';
    expect((await run()).notices).toEqual([]);
    expect((await noticeOf(inv.id))[0].state).toBe('sending');
    // Past the window: unknown, still one mail, and the customer's owner (the admin who made it) is asked to check.
    process.env.MOSAIC_MAIL_UNKNOWN_AFTER_SECONDS = '1';
    await sleep(1200);
    await run();
    await run();
    expect((await noticeOf(inv.id)).map((n) => n.state)).toEqual(['unknown']);
    expect(mailsTo('ap@crash.cn')).toHaveLength(1);
    const h = await historyOf(held.id);
    expect(h.events.map((e) => e.op)).toEqual(['create', 'update', 'update']);
    expect(stateChanges(h.events)).toEqual([['queued', 'sending'], ['sending', 'unknown']]);
    expect(stateChanges(h.audit)).toEqual([['queued', 'sending'], ['sending', 'unknown']]);
    const inbox = (await ok(t.api('GET', '/api/v1/notifications'))).data as any[];
    const told = inbox.filter((n) => String(n.title).includes(inv.number));
    expect(told).toHaveLength(1);
    expect(told[0].body).toContain('未知');
  }, 120_000);

  it('a notice a crashed run left queued is sent by the next run, once, even with runs side by side', async () => {
    const inv = await overdue('广州排队贸易有限公司', 'ap@queued.cn', 20);
    // Step 1 only, as if the process died right after committing it.
    const facts = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => tenantFacts(tx));
    const actor: Actor = { tenantId: t.tenant.tenantId, userId: SYSTEM_USER_ID, companyId: facts.companyId, departmentId: null, departmentIds: [], isAdmin: true, roleIds: [], locale: 'zh-CN', timeZone: facts.timeZone };
    const ids = await recordDunningIntents({ db: t.testDb.db, store: t.store, guard: systemGuard(actor) }, today);
    expect(ids).toHaveLength(1);
    const [queued] = await noticeOf(inv.id);
    expect(queued).toMatchObject({ id: ids![0], level: 2, state: 'queued', sent_to: 'ap@queued.cn' });
    expect(queued.message_id).toMatch(/^<dunning-[0-9a-f]{32}@mosaic>$/);
    expect(mailsTo('ap@queued.cn')).toHaveLength(0);

    await Promise.all([run(), run(), run()]);
    const [sent] = await noticeOf(inv.id);
    expect(sent).toMatchObject({ state: 'sent', error: null });
    const h = await historyOf(sent.id);
    expect(stateChanges(h.events)).toEqual([['queued', 'sending'], ['sending', 'sent']]);
    expect(h.audit.filter((a) => a.kind === 'record.update')).toHaveLength(2);
    const mails = mailsTo('ap@queued.cn');
    expect(mails).toHaveLength(1);
    expect(mails[0].messageId).toBe(queued.message_id);
    await run();
    expect(mailsTo('ap@queued.cn')).toHaveLength(1);
  }, 60_000);
});
