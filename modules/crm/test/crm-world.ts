import { expect } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { hashPassword, insertUser } from '@mosaic/identity';
import { newId } from '@mosaic/kernel';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { startWorkers, type Workers } from '@mosaic/automation';
import { slaCheck } from '../service/sla.service.ts';
import { systemCtx } from '../shared/system-ctx.ts';

/**
 * The sales organisation the CRM tests run in, everyone logging in for real:
 *
 *   测试公司
 *   ├── 华南销售部 (manager: mgrSouth, role sales_manager) — repA, repB (sales_rep); territory 广东 (44)
 *   └── 华东销售部 (manager: mgrEast, role sales_manager)  — repC (sales_rep);        territory 上海 (31)
 */
export const PASSWORD = 'Crm-Test-Pw-2026';
export const PEOPLE = ['repA', 'repB', 'repC', 'mgrSouth', 'mgrEast'] as const;
export type Person = (typeof PEOPLE)[number];

export interface CrmWorld {
  t: TestApp;
  ids: Record<Person, string>;
  south: string;
  east: string;
  as(p: Person | 'admin'): (method: string, url: string, body?: unknown) => ReturnType<TestApp['api']>;
  /** Each person's session token (for requests api() cannot make, e.g. reading a PDF's bytes). */
  tokens: Record<Person, string>;
  /** Creates a record as `who` and expects 201. */
  create(who: Person | 'admin', object: string, values: Record<string, unknown>): Promise<any>;
  q<T = Record<string, unknown>>(query: ReturnType<typeof sql>): Promise<T[]>;
}

export async function crmWorld(): Promise<CrmWorld> {
  const t = await createTestApp();
  const { tenantId, companyId, departmentId: rootId } = t.tenant;
  const ids = Object.fromEntries(PEOPLE.map((p) => [p, newId()])) as Record<Person, string>;
  const south = newId();
  const east = newId();
  const hash = await hashPassword(PASSWORD);
  const email = (p: string) => `${p.toLowerCase()}-${tenantId.slice(0, 8)}@test.local`;
  await inTenantTx(t.testDb.db.app, { tenantId }, async (tx) => {
    await sql`INSERT INTO department (tenant_id, id, company_id, parent_id, name, path) VALUES
      (${tenantId}, ${south}, ${companyId}, ${rootId}, '华南销售部', ARRAY[${rootId}, ${south}]::uuid[]),
      (${tenantId}, ${east}, ${companyId}, ${rootId}, '华东销售部', ARRAY[${rootId}, ${east}]::uuid[])`.execute(tx);
    const dept: Record<Person, string> = { repA: south, repB: south, mgrSouth: south, repC: east, mgrEast: east };
    const names: Record<Person, string> = { repA: '销售甲', repB: '销售乙', repC: '销售丙', mgrSouth: '华南经理', mgrEast: '华东经理' };
    for (const p of PEOPLE) await insertUser(tx, tenantId, { id: ids[p], email: email(p), name: names[p], passwordHash: hash, departmentId: dept[p], companyId });
    await sql`UPDATE department SET manager_id = ${ids.mgrSouth} WHERE id = ${south}`.execute(tx);
    await sql`UPDATE department SET manager_id = ${ids.mgrEast} WHERE id = ${east}`.execute(tx);
    const role = async (code: string) => (await sql<{ id: string }>`SELECT id FROM role WHERE code = ${code}`.execute(tx)).rows[0].id;
    const rep = await role('sales_rep');
    const mgr = await role('sales_manager');
    for (const p of PEOPLE) await sql`INSERT INTO user_role (tenant_id, user_id, role_id) VALUES (${tenantId}, ${ids[p]}, ${p.startsWith('mgr') ? mgr : rep})`.execute(tx);
  });
  const tokens = {} as Record<Person, string>;
  for (const p of PEOPLE) {
    const r = await t.api('POST', '/api/v1/auth/login', { email: email(p), password: PASSWORD }, { token: null });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    tokens[p] = r.body.token;
  }
  const as: CrmWorld['as'] = (p) => (method, url, body) => t.api(method, url, body, p === 'admin' ? {} : { token: tokens[p] });
  for (const [province, team] of [['44', south], ['31', east]]) {
    const r = await t.api('POST', '/api/v1/records/crm_territory', { province, team });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  return {
    t, ids, south, east, as, tokens,
    async create(who, object, values) {
      const r = await as(who)('POST', `/api/v1/records/${object}`, values);
      expect(r.status, `${object}: ${JSON.stringify(r.body)}`).toBe(201);
      return r.body;
    },
    q: (query) => inTenantTx(t.testDb.db.app, { tenantId }, async (tx) => (await query.execute(tx)).rows as never),
  };
}

/** The rules engine's workers beside the world, polling fast so the tests wait little. */
export function startCrmWorkers(w: CrmWorld, pollMs = 300): Promise<Workers> {
  return startWorkers({ db: w.t.testDb.db, store: w.t.store, url: w.t.testDb.url }, { tickMs: 200, slowTickMs: 3_600_000, pollMs });
}

export { waitFor } from '@mosaic/testing';

/** The world's system context: what the scheduled jobs run as. */
export const systemCtxOf = (w: CrmWorld) => systemCtx(w.t.testDb.db, w.t.store, w.t.tenant.tenantId);

/** The scheduled SLA check as its job runs it, `minutes` from now (a moment the test chooses). */
export async function slaCheckAt(w: CrmWorld, minutes: number, opts?: { batchSize?: number }) {
  return slaCheck(await systemCtxOf(w), new Date(Date.now() + minutes * 60_000), opts);
}
