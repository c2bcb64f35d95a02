import { expect } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { hashPassword, insertUser } from '@mosaic/identity';
import { newId } from '@mosaic/kernel';
import { startWorkers, type Workers } from '@mosaic/automation';
import { createTestApp, waitFor as waitForValue, type TestApp } from '@mosaic/testing';

/**
 * The world the automation tests run in: a tenant with a sales department of
 * three reps (who can log in), a `sales_lead` object and a `deal_contract` object
 * with an end date, and — unless asked not to — the rules engine's workers
 * running in this process against the test database.
 */
export const PASSWORD = 'Automation-Test-Pw-2026';
export const REPS = ['rep1', 'rep2', 'rep3'] as const;

export interface AutomationWorld {
  t: TestApp;
  salesDept: string;
  reps: Record<(typeof REPS)[number], string>;
  tokens: Record<(typeof REPS)[number], string>;
  workers: Workers | null;
  rule(body: Record<string, unknown>): Promise<any>;
  lead(values: Record<string, unknown>): Promise<any>;
  runs(ruleId: string): Promise<any[]>;
  sql<T = Record<string, unknown>>(q: ReturnType<typeof sql>): Promise<T[]>;
  close(): Promise<void>;
}

export async function automationWorld(opts: { workers?: boolean; processEnv?: Record<string, string> } = {}): Promise<AutomationWorld> {
  const t = await createTestApp({ processEnv: opts.processEnv });
  const { tenantId, companyId, departmentId: rootId } = t.tenant;
  const salesDept = newId();
  const reps = Object.fromEntries(REPS.map((r) => [r, newId()])) as AutomationWorld['reps'];
  const hash = await hashPassword(PASSWORD);
  const email = (r: string) => `${r}-${tenantId.slice(0, 8)}@test.local`;
  await inTenantTx(t.testDb.db.app, { tenantId }, async (tx) => {
    await sql`INSERT INTO department (tenant_id, id, company_id, parent_id, name, path) VALUES (${tenantId}, ${salesDept}, ${companyId}, ${rootId}, '华南销售部', ARRAY[${rootId}, ${salesDept}]::uuid[])`.execute(tx);
    for (const r of REPS) await insertUser(tx, tenantId, { id: reps[r], email: email(r), name: `销售${r}`, passwordHash: hash, departmentId: salesDept, companyId });
  });
  const tokens = {} as AutomationWorld['tokens'];
  for (const r of REPS) {
    const login = await t.api('POST', '/api/v1/auth/login', { email: email(r), password: PASSWORD }, { token: null });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    tokens[r] = login.body.token;
  }
  for (const def of OBJECTS) {
    const c = await t.api('POST', '/api/v1/meta/objects', def);
    expect(c.status, JSON.stringify(c.body)).toBe(201);
  }
  const workers = opts.workers === false ? null : await startWorkers({ db: t.testDb.db, store: t.store, url: t.testDb.url }, { tickMs: 200, slowTickMs: 3_600_000, pollMs: 1000 });
  const query = async <T>(q: ReturnType<typeof sql>) => inTenantTx(t.testDb.db.app, { tenantId }, async (tx) => (await q.execute(tx)).rows as T[]);
  return {
    t, salesDept, reps, tokens, workers,
    async rule(body) {
      const r = await t.api('POST', '/api/v1/automation/rules', body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    },
    async lead(values) {
      const r = await t.api('POST', '/api/v1/records/sales_lead', values);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    },
    async runs(ruleId) {
      const r = await t.api('GET', `/api/v1/automation/rules/${ruleId}/runs?limit=200`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.data;
    },
    sql: query,
    async close() {
      await workers?.stop();
      await t.close();
    },
  };
}

/** @mosaic/testing's waitFor with this world's argument order (`ms` before `what`). */
export const waitFor = <T>(fn: () => Promise<T | null | undefined | false>, ms = 15_000, what = 'condition'): Promise<T> => waitForValue(fn, what, ms);

const OBJECTS = [
  {
    apiName: 'sales_lead', label: '销售线索', titleField: 'name',
    fields: [
      { apiName: 'name', type: 'text', label: '名称' },
      { apiName: 'province', type: 'text', label: '省份' },
      { apiName: 'industry', type: 'text', label: '行业' },
      { apiName: 'email', type: 'email', label: '邮箱' },
      { apiName: 'score', type: 'integer', label: '评分' },
      { apiName: 'stage', type: 'text', label: '阶段' },
      { apiName: 'note', type: 'text', label: '备注' },
    ],
  },
  {
    apiName: 'deal_contract', label: '合同', titleField: 'title',
    fields: [
      { apiName: 'title', type: 'text', label: '标题' },
      { apiName: 'end_date', type: 'date', label: '到期日' },
      { apiName: 'reminded', type: 'integer', label: '提醒次数' },
    ],
  },
];
