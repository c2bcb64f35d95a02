import { expect } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { hashPassword, insertUser } from '@mosaic/identity';
import { newId } from '@mosaic/kernel';
import { createTestApp, type TestApp } from '@mosaic/testing';

/**
 * The organisation the approval tests run in:
 *
 *   测试公司 (root, manager: gm)
 *   └── 销售部 (manager: salesManager) — employee, other
 *   财务部 (under root, no manager)   — fin1, fin2, fin3 (role "finance")
 *
 * gm also has the role "general_manager". Everyone has the role "staff", which may
 * read, create, edit, submit and cancel expenses. Everyone logs in for real.
 */
export const PASSWORD = 'Approval-Test-Pw-2026';
export const PEOPLE = ['employee', 'salesManager', 'gm', 'fin1', 'fin2', 'fin3', 'other'] as const;
export type Person = (typeof PEOPLE)[number];

export interface ApprovalWorld {
  t: TestApp;
  ids: Record<Person, string>;
  tokens: Record<Person, string>;
  as(person: Person): (method: string, url: string, body?: unknown) => ReturnType<TestApp['api']>;
}

export async function approvalWorld(): Promise<ApprovalWorld> {
  const t = await createTestApp();
  const { tenantId, companyId, departmentId: rootId } = t.tenant;
  const ids = Object.fromEntries(PEOPLE.map((p) => [p, newId()])) as Record<Person, string>;
  const salesId = newId();
  const financeId = newId();
  const hash = await hashPassword(PASSWORD);
  await inTenantTx(t.testDb.db.app, { tenantId }, async (tx) => {
    await sql`INSERT INTO department (tenant_id, id, company_id, parent_id, name, path) VALUES
      (${tenantId}, ${salesId}, ${companyId}, ${rootId}, '销售部', ARRAY[${rootId}, ${salesId}]::uuid[]),
      (${tenantId}, ${financeId}, ${companyId}, ${rootId}, '财务部', ARRAY[${rootId}, ${financeId}]::uuid[])`.execute(tx);
    const dept: Record<Person, string> = { employee: salesId, salesManager: salesId, other: salesId, gm: rootId, fin1: financeId, fin2: financeId, fin3: financeId };
    const names: Record<Person, string> = { employee: '员工小王', salesManager: '销售经理李', gm: '总经理张', fin1: '财务甲', fin2: '财务乙', fin3: '财务丙', other: '路人' };
    for (const p of PEOPLE) {
      await insertUser(tx, tenantId, { id: ids[p], email: `${p}-${tenantId.slice(0, 8)}@test.local`, name: names[p], passwordHash: hash, departmentId: dept[p], companyId });
    }
    await sql`UPDATE department SET manager_id = ${ids.salesManager} WHERE id = ${salesId}`.execute(tx);
    await sql`UPDATE department SET manager_id = ${ids.gm} WHERE id = ${rootId}`.execute(tx);
    // general_manager may already be there (a built-in role): use it, whoever made it.
    const roles = { general_manager: '', finance: '', staff: '' };
    for (const code of Object.keys(roles) as (keyof typeof roles)[]) {
      await sql`INSERT INTO role (tenant_id, id, code, label) VALUES (${tenantId}, ${newId()}, ${code}, ${JSON.stringify({ zh: code })}) ON CONFLICT DO NOTHING`.execute(tx);
      roles[code] = (await sql<{ id: string }>`SELECT id FROM role WHERE code = ${code}`.execute(tx)).rows[0].id;
    }
    const members: [Person, keyof typeof roles][] = [['gm', 'general_manager'], ['fin1', 'finance'], ['fin2', 'finance'], ['fin3', 'finance'], ...PEOPLE.map((p) => [p, 'staff'] as [Person, 'staff'])];
    for (const [p, r] of members) await sql`INSERT INTO user_role (tenant_id, user_id, role_id) VALUES (${tenantId}, ${ids[p]}, ${roles[r]})`.execute(tx);
    for (const action of ['read', 'create', 'edit', 'submit', 'cancel']) {
      await sql`INSERT INTO role_permission (tenant_id, role_id, object, action, scope) VALUES (${tenantId}, ${roles.staff}, 'expense', ${action}, 'all')`.execute(tx);
    }
  });
  const tokens = {} as Record<Person, string>;
  for (const p of PEOPLE) {
    const r = await t.api('POST', '/api/v1/auth/login', { email: `${p}-${tenantId.slice(0, 8)}@test.local`, password: PASSWORD }, { token: null });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    tokens[p] = r.body.token;
  }
  const created = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'expense', label: '费用报销', isDocument: true, titleField: 'subject',
    fields: [
      { apiName: 'subject', type: 'text', label: '事由' },
      { apiName: 'amount', type: 'decimal', label: '金额' },
      { apiName: 'category', type: 'text', label: '类别' },
      { apiName: 'reviewer', type: 'user', label: '复核人' },
    ],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { t, ids, tokens, as: (p) => (method, url, body) => t.api(method, url, body, { token: tokens[p] }) };
}

/** Nodes and edges in a line: start → …nodes → end. */
export function line(...nodes: Record<string, unknown>[]) {
  const all = [{ id: 'start', type: 'start' }, ...nodes, { id: 'end', type: 'end' }];
  return { nodes: all, edges: all.slice(1).map((n, i) => ({ source: all[i].id as string, target: n.id as string })) };
}

/** Creates and activates a flow on `expense` (as the admin). */
export async function activeFlow(w: ApprovalWorld, name: string, definition: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const c = await w.t.api('POST', '/api/v1/approval-flows', { object: 'expense', name, definition });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const a = await w.t.api('POST', `/api/v1/approval-flows/${c.body.id}/activate`);
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return a.body;
}

/** A new expense by `who`, submitted; returns its id and the submit reply. */
export async function submitExpense(w: ApprovalWorld, who: Person, values: Record<string, unknown>): Promise<{ id: string; submit: any }> {
  const c = await w.as(who)('POST', '/api/v1/records/expense', { subject: '差旅费', ...values });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const s = await w.as(who)('POST', `/api/v1/records/expense/${c.body.id}/submit`, { version: c.body.version });
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  return { id: c.body.id, submit: s.body };
}

/** The pending task of `who` on record `recordId` (fails the test when there is none). */
export async function taskOf(w: ApprovalWorld, who: Person, recordId: string): Promise<string> {
  const r = await w.as(who)('GET', '/api/v1/approvals/inbox?box=pending&pageSize=200');
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const row = r.body.data.find((x: any) => x.recordId === recordId);
  expect(row, `${who} has no pending task on ${recordId}`).toBeTruthy();
  return row.task.id;
}

export async function act(w: ApprovalWorld, who: Person, taskId: string, action: string, body: Record<string, unknown> = {}) {
  return w.as(who)('POST', `/api/v1/approvals/tasks/${taskId}/${action}`, body);
}

export async function statusOf(w: ApprovalWorld, id: string): Promise<string> {
  return (await w.t.api('GET', `/api/v1/records/expense/${id}`)).body.status;
}

/** One more user, in 销售部 and with no role at all (so no right on expenses), logged in. */
export async function addPerson(w: ApprovalWorld, name: string): Promise<{ id: string; api: (method: string, url: string, body?: unknown) => ReturnType<TestApp['api']> }> {
  const { tenantId, companyId } = w.t.tenant;
  const id = newId();
  const email = `${id.slice(-12)}@test.local`;
  await inTenantTx(w.t.testDb.db.app, { tenantId }, async (tx) => {
    await insertUser(tx, tenantId, { id, email, name, passwordHash: await hashPassword(PASSWORD), companyId });
  });
  const r = await w.t.api('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { token: null });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { id, api: (method, url, body) => w.t.api(method, url, body, { token: r.body.token }) };
}
