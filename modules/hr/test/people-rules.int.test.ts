import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleTick, startWorkers, type Workers } from '@mosaic/automation';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { waitFor } from '../../../apps/server/test/automation-fixture.ts';
import { userWith } from '../../../apps/server/test/access-helpers.ts';
import { seedHrRules } from '../people-rules/people-rules.seed.ts';
import { installChecklistIndex, ONE_ACTIVE_TEMPLATE_INDEX } from '../checklist/checklist.install.ts';
import { inTenantTx, sql } from '@mosaic/db';
import { make, q } from './hr-fixture.ts';

// HR's shipped rules, run by the real rules engine (outbox consumer, pg-boss workers, the
// date scheduler) on real PostgreSQL: the onboarding checklist when an employee is entered,
// the offboarding one when they leave — both from the checklist templates HR edits as
// records —, and the contract-expiry reminder 30 days ahead.
let t: TestApp;
let workers: Workers;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  workers = await startWorkers({ db: t.testDb.db, store: t.store, url: t.testDb.url }, { tickMs: 200, slowTickMs: 3_600_000, pollMs: 1000 });
});

afterAll(async () => {
  await workers?.stop();
  await t?.close();
});

const tasksOf = async (employeeId: string) =>
  (await t.api('GET', `/api/v1/records/task?filter=${q({ related_id: employeeId })}&sort=created_at,id&pageSize=50&fields=subject,due_at,assignee_id,related_object`)).body.data as any[];
const roleId = async (code: string) => { const b = (await t.api('GET', '/api/v1/admin/roles')).body; return ((b.data ?? b) as any[]).find((r) => r.code === code).id as string; };
const templateNamed = async (name: string, token?: string) => {
  const list = (await t.api('GET', `/api/v1/records/hr_checklist_template?filter=${q({ name })}`, undefined, { token })).body.data as any[];
  return (await t.api('GET', `/api/v1/records/hr_checklist_template/${list[0].id}`, undefined, { token })).body;
};
const ids: Record<string, any> = {};
const ruleId = async (name: string) => ((await t.api('GET', '/api/v1/automation/rules')).body.data as any[]).find((r) => r.name === name)?.id as string;

describe('HR rules', () => {
  it('ships the three rules and each company\'s default checklist templates', async () => {
    const names = ((await t.api('GET', '/api/v1/automation/rules')).body.data as any[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['入职清单：新员工入职任务', '离职清单：员工离职任务', '劳动合同到期提醒：到期前 30 天']));
    const templates = (await t.api('GET', `/api/v1/records/hr_checklist_template?sort=kind&fields=name,kind,is_active,company_id`)).body.data as any[];
    expect(templates.map((x) => [x.name, x.kind, x.is_active, x.company_id])).toEqual([
      ['标准离职清单', 'offboarding', true, t.tenant.companyId], ['标准入职清单', 'onboarding', true, t.tenant.companyId],
    ]);
    const onboarding = (await t.api('GET', `/api/v1/records/hr_checklist_template/${templates[1].id}`)).body;
    expect(onboarding.lines.map((l: any) => [l.task, l.responsible_role, l.days_offset])).toEqual([
      ['签订劳动合同', 'hr', 0], ['开通系统账号与邮箱', 'hr', 0], ['发放电脑、工牌与门禁', 'hr', 0], ['办理社保公积金增员', 'hr', 5], ['入职培训与安全教育', 'manager', 7],
    ]);
  });

  it('hires an employee with the checklist as HR edited it: the tasks, who does them, when they are due', async () => {
    ids.hr = await userWith(t, [await roleId('hr_manager')], { name: 'hr' });
    ids.it = await userWith(t, [await roleId('employee_self')], { name: 'it' });
    ids.boss = await userWith(t, [await roleId('employee_self')], { name: 'boss' });
    const hr = ids.hr.token;
    // HR rewrites the company's onboarding checklist in the generic record views (the records API).
    const general = await templateNamed('标准入职清单', hr);
    const edited = await t.api('PATCH', `/api/v1/records/hr_checklist_template/${general.id}`, { version: general.version, lines: [
      { task: '签订劳动合同', responsible_role: 'hr', days_offset: 0 },
      { task: '开通 VPN 与代码仓库', responsible_role: 'hr', assignee: ids.it.id, days_offset: 1 },
      { task: '导师带教', responsible_role: 'manager', days_offset: 3 },
      { task: '阅读员工手册', responsible_role: 'employee', days_offset: 2 },
    ] }, { token: hr });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    // …and adds one for R&D and the teams below it.
    const rd = (await t.api('POST', '/api/v1/admin/departments', { name: '研发部', parentId: t.tenant.departmentId })).body.id;
    const fe = (await t.api('POST', '/api/v1/admin/departments', { name: '前端组', parentId: rd })).body.id;
    const rdTemplate = await make(t, 'hr_checklist_template', { name: '研发入职清单', kind: 'onboarding', department: rd, lines: [
      { task: '配置开发环境', responsible_role: 'employee', days_offset: 1 },
      { task: '代码规范培训', responsible_role: 'manager', days_offset: 5 },
    ] }, hr);

    const manager = await make(t, 'employee', { employee_no: 'M01', name: '王经理', hire_date: '2020-01-01', user: ids.boss.id }, hr);
    const hire = await make(t, 'employee', { employee_no: 'N01', name: '周新', hire_date: '2026-03-02', manager: manager.id }, hr);
    ids.hire = hire.id;
    const tasks = await waitFor(async () => { const x = await tasksOf(hire.id); return x.length >= 4 && x; }, 20_000, 'the onboarding tasks');
    // Due at 18:00 Shanghai time (10:00Z) on the hire date + the line's days; 周新 has no user of their own, so 阅读员工手册 falls to HR.
    expect(tasks.map((x) => [x.subject, new Date(x.due_at).toISOString(), x.assignee_id])).toEqual([
      ['入职：周新（N01）签订劳动合同', '2026-03-02T10:00:00.000Z', ids.hr.id],
      ['入职：周新（N01）开通 VPN 与代码仓库', '2026-03-03T10:00:00.000Z', ids.it.id],
      ['入职：周新（N01）导师带教', '2026-03-05T10:00:00.000Z', ids.boss.id],
      ['入职：周新（N01）阅读员工手册', '2026-03-04T10:00:00.000Z', ids.hr.id],
    ]);
    expect(new Set(tasks.map((x) => x.related_object))).toEqual(new Set(['employee']));

    // Someone joining a team below R&D gets R&D's checklist, the most specific one.
    const coder = await make(t, 'employee', { employee_no: 'N02', name: '李码', hire_date: '2026-03-09', department: fe, manager: manager.id, user: ids.it.id }, hr);
    const coderTasks = await waitFor(async () => { const x = await tasksOf(coder.id); return x.length >= 2 && x; }, 20_000, 'the R&D onboarding tasks');
    expect(coderTasks.map((x) => [x.subject, new Date(x.due_at).toISOString(), x.assignee_id])).toEqual([
      ['入职：李码（N02）配置开发环境', '2026-03-10T10:00:00.000Z', ids.it.id],
      ['入职：李码（N02）代码规范培训', '2026-03-14T10:00:00.000Z', ids.boss.id],
    ]);
    // Deactivated, it gives way to the company's checklist again.
    const cur = (await t.api('GET', `/api/v1/records/hr_checklist_template/${rdTemplate.id}`, undefined, { token: hr })).body;
    expect((await t.api('PATCH', `/api/v1/records/hr_checklist_template/${rdTemplate.id}`, { version: cur.version, is_active: false }, { token: hr })).status).toBe(200);
    const next = await make(t, 'employee', { employee_no: 'N03', name: '赵前', hire_date: '2026-04-01', department: fe }, hr);
    const nextTasks = await waitFor(async () => { const x = await tasksOf(next.id); return x.length >= 4 && x; }, 20_000, 'the general onboarding tasks');
    expect(nextTasks.map((x) => x.subject)).toEqual(['入职：赵前（N03）签订劳动合同', '入职：赵前（N03）开通 VPN 与代码仓库', '入职：赵前（N03）导师带教', '入职：赵前（N03）阅读员工手册']);
  });

  it('gives the offboarding checklist, counted from the leaving date, once', async () => {
    const cur = (await t.api('GET', `/api/v1/records/employee/${ids.hire}`)).body;
    const left = await t.api('PATCH', `/api/v1/records/employee/${ids.hire}`, { employment_status: 'left', leave_date: '2026-06-30', version: cur.version }, { token: ids.hr.token });
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    const all = await waitFor(async () => { const x = await tasksOf(ids.hire); return x.length >= 8 && x; }, 20_000, 'the offboarding tasks');
    // 工作交接 is the manager's, three days before the last day.
    expect(all.slice(4).map((x) => [x.subject, new Date(x.due_at).toISOString(), x.assignee_id])).toEqual([
      ['离职：周新（N01）工作交接', '2026-06-27T10:00:00.000Z', ids.boss.id],
      ['离职：周新（N01）停用系统账号', '2026-06-30T10:00:00.000Z', ids.hr.id],
      ['离职：周新（N01）办理社保公积金减员', '2026-07-05T10:00:00.000Z', ids.hr.id],
      ['离职：周新（N01）结清工资与报销', '2026-07-10T10:00:00.000Z', ids.hr.id],
    ]);
    // A later edit of someone who has left does not hand out the checklist again.
    const again = await t.api('PATCH', `/api/v1/records/employee/${ids.hire}`, { position: '顾问', version: left.body.version });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await tasksOf(ids.hire)).toHaveLength(8);
  });

  it('lets only HR edit the templates', async () => {
    const template = await templateNamed('标准离职清单');
    const attempt = (token: string) => t.api('PATCH', `/api/v1/records/hr_checklist_template/${template.id}`, { version: template.version, name: '改名' }, { token });
    const read = (token: string) => t.api('GET', `/api/v1/records/hr_checklist_template/${template.id}`, undefined, { token });
    // Staff, sales and project managers do not even see them; the general manager reads but may not change them.
    for (const code of ['employee_self', 'sales_rep', 'project_manager']) {
      const u = await userWith(t, [await roleId(code)], { name: code.replace('_', '') });
      expect([code, (await read(u.token)).status, (await attempt(u.token)).status]).toEqual([code, 404, 404]);
    }
    const gm = await userWith(t, [await roleId('general_manager')], { name: 'gm' });
    expect((await read(gm.token)).status).toBe(200);
    // Without the edit right the platform answers as for an object that is not there (the guard's rule for every door).
    const refused = await attempt(gm.token);
    expect([refused.status, refused.body.error?.code]).toEqual([404, 'OBJECT_UNKNOWN']);
    expect((await read(gm.token)).body.name).toBe('标准离职清单');
    expect((await attempt(ids.hr.token)).status).toBe(200);
    expect((await read(ids.hr.token)).body.name).toBe('改名');
  });

  it('moves a checklist rule still holding the fixed task list it first shipped with onto the templates, and leaves an edited one alone', async () => {
    const fixed = [{ type: 'create_task', subject: '入职：{{name}}（{{employee_no}}）签订劳动合同', assignee: '$owner', dueIn: { days: 1 } }];
    const edited = [...fixed, { type: 'notify', users: ['$owner'], title: '新员工 {{name}}' }];
    const setActions = async (name: string, actions: unknown[]) => {
      const rule = ((await t.api('GET', '/api/v1/automation/rules')).body.data as any[]).find((r) => r.name === name);
      const r = await t.api('PATCH', `/api/v1/automation/rules/${rule.id}`, { version: rule.version, actions });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
    const actionsOf = async (name: string) => ((await t.api('GET', '/api/v1/automation/rules')).body.data as any[]).find((r) => r.name === name).actions;
    await setActions('入职清单：新员工入职任务', fixed);
    await setActions('离职清单：员工离职任务', edited.map((a) => (a.type === 'create_task' ? { ...a, subject: '离职：{{name}}（{{employee_no}}）工作交接' } : a)));
    await seedHrRules(t.testDb.db, t.store, t.tenant.tenantId);
    expect(await actionsOf('入职清单：新员工入职任务')).toEqual([{ type: 'hr_checklist', kind: 'onboarding' }]);
    expect((await actionsOf('离职清单：员工离职任务')).map((a: any) => a.type)).toEqual(['create_task', 'notify']);
    // Installing again adds no second default template to a company that has its own.
    const templates = (await t.api('GET', '/api/v1/records/hr_checklist_template?fields=name')).body.data as any[];
    expect(templates).toHaveLength(3);
  });

  it('reminds HR 30 days before a labour contract ends, once per end date, and not for someone who has left', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const plus = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
    const staying = await make(t, 'employee', { employee_no: 'C01', name: '吴合同', hire_date: '2024-01-01', contract_end: plus(32) });
    const leaving = await make(t, 'employee', { employee_no: 'C02', name: '郑离职', hire_date: '2024-01-01', contract_end: plus(32), employment_status: 'left' });
    const deps = { db: t.testDb.db, store: t.store, url: t.testDb.url };
    // contract_end − 30 days at 09:00 Shanghai = today + 2 days, 01:00Z.
    const moment = Date.parse(`${plus(2)}T01:00:00Z`);
    const tick = (at: number) => scheduleTick(deps, workers.queue, t.tenant.tenantId, new Date(at), { dates: true });
    expect(await tick(moment - 60_000)).toBe(0);
    expect(await tick(moment + 60_000)).toBeGreaterThanOrEqual(1);
    expect(await tick(moment + 120_000)).toBe(0); // once per end date

    const notice = await waitFor(async () => ((await t.api('GET', '/api/v1/notifications')).body.data as any[]).find((n) => n.recordId === staying.id), 20_000, 'the reminder');
    expect(notice).toMatchObject({ title: '劳动合同 30 天后到期：吴合同（C01）', body: `到期日 ${plus(32)}，请确定续签或终止。` });
    const renewal = await waitFor(async () => (await tasksOf(staying.id)).find((x) => x.subject.startsWith('续签')), 20_000, 'the renewal task');
    expect(renewal.subject).toBe('续签或终止劳动合同：吴合同（C01）');
    const runs = (await t.api('GET', `/api/v1/automation/rules/${await ruleId('劳动合同到期提醒：到期前 30 天')}/runs?limit=50`)).body.data as any[];
    expect(runs.filter((r) => r.status === 'done').map((r) => r.triggerKey)).toEqual([`d:${staying.id}:${plus(32)}`]);
    expect(((await t.api('GET', '/api/v1/notifications')).body.data as any[]).some((n) => n.recordId === leaving.id)).toBe(false);
  });

  it('keeps one active template per company, kind and department: a second is refused with 409 naming kind', async () => {
    const lines = [{ task: '领取工牌', responsible_role: 'hr', days_offset: 0 }];
    const second = await t.api('POST', '/api/v1/records/hr_checklist_template', { name: '第二份入职清单', kind: 'onboarding', lines });
    expect(second.status, JSON.stringify(second.body)).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'FIELD_NOT_UNIQUE', field: 'kind' });
    expect(second.body.error.message).toContain('deactivate that one first');
    // Kept inactive it may exist; switched on beside the active one it is refused the same way.
    const spare = await make(t, 'hr_checklist_template', { name: '备用入职清单', kind: 'onboarding', is_active: false, lines });
    const on = await t.api('PATCH', `/api/v1/records/hr_checklist_template/${spare.id}`, { version: spare.version, is_active: true });
    expect([on.status, on.body.error?.field]).toEqual([409, 'kind']);
    // Another kind, or another department's own list, is no conflict.
    const rd = (await t.api('POST', '/api/v1/admin/departments', { name: '销售部', parentId: t.tenant.departmentId })).body.id;
    await make(t, 'hr_checklist_template', { name: '销售部离职清单', kind: 'offboarding', department: rd, lines });
    // Two requests at once: the index lets exactly one through.
    const race = await Promise.all(['并发一', '并发二'].map((name) => t.api('POST', '/api/v1/records/hr_checklist_template', { name, kind: 'onboarding', department: rd, lines })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('gives a company created at runtime its default checklists at once, and its first hire the onboarding tasks', async () => {
    const created = await t.api('POST', '/api/v1/admin/companies', { name: '深圳分公司' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const company = created.body.id as string;
    const templates = (await t.api('GET', `/api/v1/records/hr_checklist_template?filter=${q({ company_id: company })}&sort=kind&fields=name,kind,is_active`)).body.data as any[];
    expect(templates.map((x) => [x.name, x.kind, x.is_active])).toEqual([['标准离职清单', 'offboarding', true], ['标准入职清单', 'onboarding', true]]);
    // HR of the new company hires someone: the new company's own (default) list, not the first company's edited one.
    const hr = await userWith(t, [await roleId('hr_manager')], { name: 'hrsz', companyId: company });
    const hire = await make(t, 'employee', { employee_no: 'SZ01', name: '孙深', hire_date: '2026-05-04' }, hr.token);
    const tasks = await waitFor(async () => { const x = await tasksOf(hire.id); return x.length >= 5 && x; }, 20_000, 'the new company\'s onboarding tasks');
    expect(tasks.map((x) => [x.subject, new Date(x.due_at).toISOString()])).toEqual([
      ['入职：孙深（SZ01）签订劳动合同', '2026-05-04T10:00:00.000Z'], ['入职：孙深（SZ01）开通系统账号与邮箱', '2026-05-04T10:00:00.000Z'],
      ['入职：孙深（SZ01）发放电脑、工牌与门禁', '2026-05-04T10:00:00.000Z'], ['入职：孙深（SZ01）办理社保公积金增员', '2026-05-09T10:00:00.000Z'],
      ['入职：孙深（SZ01）入职培训与安全教育', '2026-05-11T10:00:00.000Z'],
    ]);
  });

  it('an install that finds duplicate active templates (from before the one-active index) keeps the latest edited, logs the change, and then makes the index', async () => {
    await sql`DROP INDEX ${sql.id(ONE_ACTIVE_TEMPLATE_INDEX)}`.execute(t.testDb.db.owner);
    const lines = [{ task: '领取工牌', responsible_role: 'hr', days_offset: 0 }];
    const active = (await t.api('GET', `/api/v1/records/hr_checklist_template?filter=${q({ kind: 'offboarding', is_active: true, company_id: t.tenant.companyId, department: { isNull: true } })}&fields=id`)).body.data as { id: string }[];
    expect(active).toHaveLength(1);
    const latest = await make(t, 'hr_checklist_template', { name: '新版离职清单', kind: 'offboarding', lines }); // accepted: no index to refuse it
    await installChecklistIndex(t.testDb.db, t.store, t.tenant.tenantId);
    const state = async (id: string) => (await t.api('GET', `/api/v1/records/hr_checklist_template/${id}?fields=is_active`)).body.is_active;
    expect([await state(active[0].id), await state(latest.id)]).toEqual([false, true]);
    // A record change like any other: in the audit trail, and an event for the rules.
    const logged = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) => (await sql<{ changes: unknown; events: number }>`
      SELECT a.changes, (SELECT count(*)::int FROM outbox_event e WHERE e.audit_id = a.id) AS events FROM audit_log a
      WHERE a.record_id = ${active[0].id} AND a.kind = 'record.update' ORDER BY a.id DESC LIMIT 1`.execute(tx)).rows);
    expect(logged).toEqual([{ changes: { is_active: [true, false] }, events: 1 }]);
    const index = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = ${ONE_ACTIVE_TEMPLATE_INDEX}`.execute(t.testDb.db.owner);
    expect(index.rows[0].n).toBe(1);
  });
});
