import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { sendDigest, sendDueReminders, sendNotificationEmails } from '@mosaic/automation';
import { automationWorld, waitFor, type AutomationWorld } from './automation-fixture.ts';

// The rules API (admins only, validated against metadata), the bell
// (notifications, unread count, live SSE push, preferences, digest),
// task reminders and public forms (web-to-lead).
let w: AutomationWorld;
const deps = () => ({ db: w.t.testDb.db, store: w.t.store, url: w.t.testDb.url });

beforeAll(async () => {
  w = await automationWorld();
});
afterAll(async () => {
  await w?.close();
});

describe('rules API', () => {
  const base = { name: 'r', object: 'sales_lead', trigger: { type: 'created' }, actions: [{ type: 'notify', users: ['$owner'], title: 'x' }] };
  it.each([
    [{ condition: 'amount > 1' }, 400, 'FIELD_UNKNOWN', 'condition.amount'],
    [{ condition: 'score >' }, 422, 'FORMULA_SYNTAX', undefined],
    [{ condition: 'score + 1' }, 422, 'FORMULA_TYPE', 'condition'],
    [{ actions: [{ type: 'launch_rocket' }] }, 422, 'VALIDATION_FAILED', 'actions.0.type'],
    [{ actions: [{ type: 'update_record', values: { owner_id: 'x' } }] }, 422, 'FIELD_READ_ONLY', 'actions.0.values.owner_id'],
    [{ actions: [{ type: 'update_record', values: { score: { formula: 'nope + 1' } } }] }, 400, 'FIELD_UNKNOWN', 'actions.0.values.score.nope'],
    [{ actions: [{ type: 'send_email', to: ['{{missing}}'], subject: 's', body: 'b' }] }, 400, 'FIELD_UNKNOWN', 'actions.0.to.0.missing'],
    [{ actions: [{ type: 'call_webhook', url: 'https://x.example', secret: 'short' }] }, 422, 'VALIDATION_FAILED', 'actions.0.secret'],
    [{ trigger: { type: 'submitted' } }, 422, 'VALIDATION_FAILED', 'trigger.type'],
    [{ trigger: { type: 'schedule', cron: 'every day' } }, 422, 'VALIDATION_FAILED', 'trigger.cron'],
    [{ trigger: { type: 'date_reached', dateField: 'name' } }, 422, 'VALIDATION_FAILED', 'trigger.dateField'],
    [{ trigger: { type: 'updated', fields: ['nope'] } }, 400, 'FIELD_UNKNOWN', 'trigger.fields.0'],
    [{ object: 'nothing_here' }, 404, 'OBJECT_UNKNOWN', 'object'],
  ])('refuses %j', async (patch, status, code, field) => {
    const r = await w.t.api('POST', '/api/v1/automation/rules', { ...base, ...patch });
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.body.error.code).toBe(code);
    if (field) expect(r.body.error.field).toBe(field);
  });

  it('is for administrators only', async () => {
    for (const [method, url, body] of [['GET', '/api/v1/automation/rules'], ['POST', '/api/v1/automation/rules', base], ['GET', '/api/v1/automation/forms'], ['POST', '/api/v1/automation/hooks', { name: 'x' }]] as const) {
      const r = await w.t.api(method, url, body, { token: w.tokens.rep1 });
      expect(r.status, url).toBe(403);
    }
  });

  it('creates, reads, updates with the version it read, and deletes', async () => {
    const rule = await w.rule({ ...base, name: '改名前' });
    expect((await w.t.api('GET', `/api/v1/automation/rules/${rule.id}`)).body).toMatchObject({ name: '改名前', version: 1, enabled: true });
    expect((await w.t.api('PATCH', `/api/v1/automation/rules/${rule.id}`, { name: 'x', version: 7 })).status).toBe(409);
    const up = await w.t.api('PATCH', `/api/v1/automation/rules/${rule.id}`, { name: '改名后', enabled: false, version: 1 });
    expect(up.body).toMatchObject({ name: '改名后', enabled: false, version: 2 });
    expect((await w.t.api('GET', '/api/v1/automation/rules?object=sales_lead')).body.data.map((r: any) => r.name)).toContain('改名后');
    expect((await w.t.api('DELETE', `/api/v1/automation/rules/${rule.id}`)).status).toBe(204);
    expect((await w.t.api('GET', `/api/v1/automation/rules/${rule.id}`)).status).toBe(404);
    expect((await w.t.api('GET', '/api/v1/automation/catalog')).body.actions).toEqual(expect.arrayContaining(['assign_owner', 'call_webhook', 'create_task', 'send_email', 'start_approval']));
  });
});

describe('notifications', () => {
  it('pushes a rule’s notification live over SSE, counts it unread, marks it read', async () => {
    await w.rule({ name: '通知 rep1', object: 'sales_lead', trigger: { type: 'created' }, condition: 'name = "通知我"',
      actions: [{ type: 'notify', users: [w.reps.rep1], title: '新线索 {{name}}', body: '省份 {{province}}' }] });
    await w.t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = w.t.app.server.address() as AddressInfo;
    const events: string[] = [];
    const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/notifications/stream', headers: { authorization: `Bearer ${w.tokens.rep1}` } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (d: string) => events.push(d));
    });
    await waitFor(async () => events.join('').includes('event: ready'), 10_000, 'stream ready');
    const lead = await w.lead({ name: '通知我', province: '广东' });
    await waitFor(async () => events.join('').includes('event: notification'), 15_000, 'the push');
    req.destroy();
    const pushed = JSON.parse(/event: notification\ndata: (.*)\n/.exec(events.join(''))![1]);
    expect(pushed).toMatchObject({ title: '新线索 通知我', body: '省份 广东', userId: w.reps.rep1, recordId: lead.id, link: `/records/sales_lead/${lead.id}` });
    const as1 = (m: string, u: string, b?: unknown) => w.t.api(m, u, b, { token: w.tokens.rep1 });
    expect((await as1('GET', '/api/v1/notifications/unread-count')).body).toEqual({ unread: 1 });
    expect((await w.t.api('GET', '/api/v1/notifications/unread-count', undefined, { token: w.tokens.rep2 })).body).toEqual({ unread: 0 });
    const list = (await as1('GET', '/api/v1/notifications?unread=true')).body;
    expect(list.data).toHaveLength(1);
    expect((await as1('POST', '/api/v1/notifications/read', { ids: [list.data[0].id] })).body).toEqual({ unread: 0 });
  });

  it('follows preferences: email per notification, a daily digest once', async () => {
    const as2 = (m: string, u: string, b?: unknown) => w.t.api(m, u, b, { token: w.tokens.rep2 });
    expect((await as2('GET', '/api/v1/notifications/preferences')).body).toEqual({ inApp: true, email: false, digest: false });
    expect((await as2('PUT', '/api/v1/notifications/preferences', { email: true, digest: true })).body).toEqual({ inApp: true, email: true, digest: true });
    await w.rule({ name: '通知 rep2', object: 'sales_lead', trigger: { type: 'created' }, condition: 'name = "邮件通知"', actions: [{ type: 'notify', users: [w.reps.rep2], title: '邮件通知 {{name}}' }] });
    await w.lead({ name: '邮件通知' });
    await waitFor(async () => (await as2('GET', '/api/v1/notifications/unread-count')).body.unread === 1, 15_000, 'notification');
    expect(await sendNotificationEmails(deps(), w.t.tenant.tenantId)).toBe(1);
    expect(await sendNotificationEmails(deps(), w.t.tenant.tenantId)).toBe(0);
    expect(await sendDigest(deps(), w.t.tenant.tenantId, '2026-03-02')).toBe(1);
    expect(await sendDigest(deps(), w.t.tenant.tenantId, '2026-03-02')).toBe(0);
  });

  it('reminds a task’s assignee once when remind_at comes', async () => {
    const due = new Date(Date.now() - 60_000).toISOString();
    const task = await w.t.api('POST', '/api/v1/records/task', { subject: '回访客户', remind_at: due, assignee_id: w.reps.rep3 });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    expect(await sendDueReminders(deps(), w.t.tenant.tenantId, new Date())).toBe(1);
    expect(await sendDueReminders(deps(), w.t.tenant.tenantId, new Date())).toBe(0);
    const list = (await w.t.api('GET', '/api/v1/notifications', undefined, { token: w.tokens.rep3 })).body.data;
    expect(list[0]).toMatchObject({ kind: 'reminder', title: '任务提醒：回访客户', recordId: task.body.id, link: `/o/task/${task.body.id}` }); // the task's page in the web app
  });
});

describe('public forms (web-to-lead)', () => {
  it('serve a definition with prefill, create records as the system, fire rules, and rate-limit per IP', async () => {
    const form = await w.t.api('POST', '/api/v1/automation/forms', {
      object: 'sales_lead', title: '免费试用申请', fields: [{ field: 'name', required: true }, { field: 'email' }, { field: 'province' }],
      prefill: ['province'], defaults: { stage: 'web' }, rateLimit: 3,
    });
    expect(form.status, JSON.stringify(form.body)).toBe(201);
    await w.rule({ name: '外链线索通知', object: 'sales_lead', trigger: { type: 'public_form', formId: form.body.id },
      actions: [{ type: 'assign_owner', userIds: [w.reps.rep3] }, { type: 'notify', users: ['$owner'], title: '网站线索 {{name}}' }] });
    const def = await w.t.api('GET', `/f/${form.body.id}?province=广东&name=不许预填`, undefined, { token: null });
    expect(def.status).toBe(200);
    expect(def.body.fields.map((f: any) => [f.field, f.type, f.required, f.value])).toEqual([['name', 'text', true, undefined], ['email', 'email', false, undefined], ['province', 'text', false, '广东']]);
    const submit = (body: unknown) => w.t.api('POST', `/f/${form.body.id}`, body, { token: null });
    expect((await submit({ name: '访客公司', email: 'v@visitor.example', province: '广东' })).status).toBe(201);
    expect((await submit({ name: 'x', owner_id: w.reps.rep1 })).body.error).toMatchObject({ code: 'FIELD_UNKNOWN', field: 'owner_id' });
    expect((await submit({ email: 'v@visitor.example' })).body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'name' });
    expect((await submit({ name: '第四次' })).status).toBe(429);
    const [row] = await w.sql<{ c_stage: string; created_by: string }>(sql`SELECT c_stage, created_by FROM o_sales_lead WHERE c_name = '访客公司'`);
    expect(row).toEqual({ c_stage: 'web', created_by: '00000000-0000-0000-0000-000000000000' });
    await waitFor(async () => (await w.t.api('GET', '/api/v1/notifications', undefined, { token: w.tokens.rep3 })).body.data.some((n: any) => n.title === '网站线索 访客公司'), 15_000, 'the rule');
    expect((await w.t.api('GET', '/f/00000000-0000-0000-0000-000000000001', undefined, { token: null })).status).toBe(404);
  });
});
