import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type Workers } from '@mosaic/automation';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { mailText, startSmtp } from '../../../apps/server/test/automation-smtp.ts';
import { ok } from '../../../apps/server/test/chain-world.ts';
import { addDays } from '@mosaic/kernel';

// Payment terms and dunning (issue 9 §3) on a real PostgreSQL, with the rules
// engine running and mail going to a loopback SMTP server: due dates from the
// payment term; the shipped daily rule (made to fire every second here) sends
// each overdue invoice the reminder of the level its lateness reached — once
// per invoice and level however often it fires, never for paid items; a
// customer without an address gets its owner told instead.
let t: TestApp;
let workers: Workers;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const previousSmtp = process.env.SMTP_URL;
let today: string;
const acct: Record<string, string> = {};

beforeAll(async () => {
  smtp = await startSmtp();
  process.env.SMTP_URL = smtp.url;
  t = await createTestApp();
  today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  for (const a of (await t.api('GET', '/api/v1/records/gl_account?pageSize=500&fields=code')).body.data) acct[a.code] = a.id;
}, 120_000);

afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await smtp?.close();
  process.env.SMTP_URL = previousSmtp;
});

const submit = (object: string, id: string) => ok(t.api('POST', `/api/v1/records/${object}/${id}/submit`, { version: 1 }));
const invoice = async (customer: string, postingDate: string, net: number, extra: Record<string, unknown> = {}) => {
  const inv = await ok(t.api('POST', '/api/v1/records/sales_invoice', { customer, posting_date: postingDate, lines: [{ item: item, qty: 1, rate: net }], ...extra }), 201);
  return submit('sales_invoice', inv.id);
};
const pay = async (customer: string, invoiceId: string, amount: string) => {
  const p = await ok(t.api('POST', '/api/v1/records/payment', {
    payment_type: 'receive', party_type: 'customer', party: customer, account: acct['1002'], amount, allocations: [{ against_type: 'sales_invoice', against_id: invoiceId, allocated: amount }],
  }), 201);
  await submit('payment', p.id);
};
const notices = async () => (await ok(t.api('GET', '/api/v1/records/dunning_notice?pageSize=100&sort=created_at'))).data as any[];
let item: string;

describe('payment terms', () => {
  it('give the invoice its due date on submit: its own term, else the customer\'s, else due at once; a typed date is kept', async () => {
    item = (await ok(t.api('POST', '/api/v1/records/item', { code: 'SVC', name: '维保服务' }), 201)).id;
    const net30 = await ok(t.api('POST', '/api/v1/records/payment_term', { name: '月结30天', days: 30 }), 201);
    const net10 = await ok(t.api('POST', '/api/v1/records/payment_term', { name: '10天', days: 10 }), 201);
    expect((await t.api('POST', '/api/v1/records/payment_term', { name: '负数', days: -1 })).body.error.field).toBe('days');
    const c = await ok(t.api('POST', '/api/v1/records/customer', { name: '账期客户', payment_term: net30.id }), 201);
    const fromCustomer = await invoice(c.id, '2026-11-02', 100);
    expect(fromCustomer).toMatchObject({ payment_term: net30.id, due_date: '2026-12-02' });
    expect(await invoice(c.id, '2026-11-02', 100, { payment_term: net10.id })).toMatchObject({ payment_term: net10.id, due_date: '2026-11-12' });
    expect(await invoice(c.id, '2026-11-02', 100, { due_date: '2026-11-20' })).toMatchObject({ due_date: '2026-11-20' });
    const cash = await ok(t.api('POST', '/api/v1/records/customer', { name: '现结客户' }), 201);
    expect(await invoice(cash.id, '2026-11-02', 100)).toMatchObject({ payment_term: null, due_date: '2026-11-02' });
    // Submitted: the due date is part of the immutable invoice.
    expect((await t.api('PATCH', `/api/v1/records/sales_invoice/${fromCustomer.id}`, { version: fromCustomer.version, due_date: '2027-01-01' })).status).toBe(409);
    // These were overdue test data only: settle them so the dunning below starts clean.
    for (const inv of (await ok(t.api('GET', '/api/v1/records/sales_invoice?pageSize=50'))).data) await pay(inv.customer, inv.id, inv.grand_total);
  });
});

describe('dunning through the rules engine', () => {
  it('reminds each overdue invoice once per level, never a paid one, and tells the owner when there is no address', async () => {
    const net10 = (await ok(t.api('GET', '/api/v1/records/payment_term?filter=' + encodeURIComponent(JSON.stringify({ name: '10天' }))))).data[0].id;
    const mailed = await ok(t.api('POST', '/api/v1/records/customer', { name: '广州逾期贸易有限公司', email: 'ap@gz-overdue.cn', payment_term: net10 }), 201);
    const silent = await ok(t.api('POST', '/api/v1/records/customer', { name: '无邮箱工厂' }), 201);
    const late20 = await invoice(mailed.id, addDays(today, -30), 1000); // due today − 20 → level 2 (15 days)
    const paid = await invoice(mailed.id, addDays(today, -30), 500);
    await pay(mailed.id, paid.id, paid.grand_total);
    const late45 = await invoice(silent.id, addDays(today, -45), 2000); // no term: due at once → 45 days → level 3
    await pay(silent.id, late45.id, '260.00'); // partly paid: the rest is dunned
    const notYet = await invoice(mailed.id, today, 300); // due today + 10

    // The shipped rule, made to fire every second instead of every morning at 09:07.
    const rule = (await ok(t.api('GET', '/api/v1/automation/rules'))).data.find((r: any) => r.name.startsWith('催款提醒'));
    expect(rule).toMatchObject({ trigger: { type: 'schedule', cron: '7 9 * * *' }, actions: [{ type: 'finance_dunning' }] });
    const fast = await ok(t.api('PATCH', `/api/v1/automation/rules/${rule.id}`, { version: rule.version, trigger: { type: 'schedule', cron: '* * * * * *' } }));
    workers = await startWorkers({ db: t.testDb.db, store: t.store, url: t.testDb.url }, { tickMs: 200, slowTickMs: 3_600_000, pollMs: 300 });
    const until = Date.now() + 20_000;
    while ((await notices()).length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 3000)); // a few more fires: they must add nothing
    await ok(t.api('PATCH', `/api/v1/automation/rules/${rule.id}`, { version: fast.version, enabled: false }));
    await workers.stop();

    const sent = await notices();
    expect(sent.map((n) => [n.sales_invoice, n.level, n.days_overdue, n.outstanding, n.state, n.sent_to]).sort()).toEqual([
      [late20.id, 2, 20, '1130.00', 'sent', 'ap@gz-overdue.cn'],
      [late45.id, 3, 45, '2000.00', 'no_address', null],
    ].sort());
    const mails = smtp.received.filter((m) => m.to.includes('ap@gz-overdue.cn'));
    expect(mails).toHaveLength(1);
    expect(mailText(mails[0].raw)).toContain(`发票 ${late20.number} 已逾期 20 天，未付金额 1130.00 元`);
    expect(smtp.received.some((m) => mailText(m.raw).includes(paid.number) || mailText(m.raw).includes(notYet.number))).toBe(false);
    // No address: the customer's owner (here the admin who created it) is told to phone.
    const inbox = (await ok(t.api('GET', '/api/v1/notifications'))).data;
    expect(inbox.some((n: any) => String(n.title).includes(late45.number))).toBe(true);
  }, 60_000);

  it('runs on demand for finance: the next level once, two runs at once send nothing twice', async () => {
    const before = await notices();
    const late20 = before.find((n) => n.level === 2).sales_invoice;
    // Ten days later the 20-day invoice is 30 days late: level 3, once — however many run at once.
    const runs = await Promise.all([0, 1, 2].map(() => ok(t.api('POST', '/api/v1/finance/dunning/run', { as_of: addDays(today, 10) }))));
    const fresh = runs.flatMap((r) => r.notices);
    expect(fresh.map((n: any) => [n.salesInvoice, n.level])).toEqual([[late20, 3]]);
    const after = await notices();
    expect(after).toHaveLength(before.length + 1);
    expect(smtp.received.filter((m) => m.to.includes('ap@gz-overdue.cn'))).toHaveLength(2);
    // Bad input names the field; a sales rep may not run it.
    const bad = await t.api('POST', '/api/v1/finance/dunning/run', { as_of: '30/11/2026' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('as_of');
    expect((await t.api('POST', '/api/v1/finance/dunning/run', { when: 'now' })).body.error.field).toBe('when');
    const roles = (await ok(t.api('GET', '/api/v1/admin/roles'))).data;
    const email = `rep-${t.tenant.tenantId.slice(0, 8)}@test.local`;
    await ok(t.api('POST', '/api/v1/admin/users', { email, name: 'rep', password: 'Dunning-Pw-2026', roleIds: [roles.find((r: any) => r.code === 'sales_rep').id] }), 201);
    const token = (await ok(t.api('POST', '/api/v1/auth/login', { email, password: 'Dunning-Pw-2026' }, { token: null }))).token;
    const refused = await t.api('POST', '/api/v1/finance/dunning/run', {}, { token });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: { object: 'dunning_notice', action: 'create' } });
  }, 60_000);
});
