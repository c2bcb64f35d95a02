import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { crmWorld, type CrmWorld } from './crm-world.ts';

// The review's open correctness gaps in sales management (issue 7):
// who may set a target, one settings row, targets in other currencies and
// nested teams in the forecast, credit notes in the tier revenue.
//   测试公司 (root) ├── 华南销售部: repA, repB (mgrSouth) └── 华东销售部: repC (mgrEast)
let w: CrmWorld;
const money = (amount: string, currency = 'CNY') => ({ amount, currency });

beforeAll(async () => {
  w = await crmWorld();
}, 180_000);
afterAll(async () => {
  await w?.t.close();
});

describe('who may set a sales target', () => {
  it('a manager sets targets inside their department tree only (403 naming rep/team); an administrator anywhere', async () => {
    const inRep = await w.as('mgrSouth')('POST', '/api/v1/records/sales_target', { rep: w.ids.repA, period: '2030-Q1', amount: money('1000') });
    expect(inRep.status, JSON.stringify(inRep.body)).toBe(201);
    const inTeam = await w.as('mgrSouth')('POST', '/api/v1/records/sales_target', { team: w.south, period: '2030-Q1', amount: money('5000') });
    expect(inTeam.status, JSON.stringify(inTeam.body)).toBe(201);

    const outRep = await w.as('mgrSouth')('POST', '/api/v1/records/sales_target', { rep: w.ids.repC, period: '2030-Q1', amount: money('1000') });
    expect([outRep.status, outRep.body.error.code, outRep.body.error.field]).toEqual([403, 'FORBIDDEN', 'rep']);
    const outTeam = await w.as('mgrSouth')('POST', '/api/v1/records/sales_target', { team: w.east, period: '2030-Q1', amount: money('1000') });
    expect([outTeam.status, outTeam.body.error.field]).toEqual([403, 'team']);
    // The parent department is above the manager's tree, not in it.
    const root = await w.as('mgrSouth')('POST', '/api/v1/records/sales_target', { team: w.t.tenant.departmentId, period: '2030-Q1', amount: money('1000') });
    expect([root.status, root.body.error.field]).toEqual([403, 'team']);
    // Moving an own target onto another team's rep is the same refusal.
    const moved = await w.as('mgrSouth')('PATCH', `/api/v1/records/sales_target/${inRep.body.id}`, { version: inRep.body.version, rep: w.ids.repC });
    expect([moved.status, moved.body.error?.field]).toEqual([403, 'rep']);
    const none = await w.q<{ n: number }>(sql`SELECT count(*)::int AS n FROM o_sales_target WHERE ${sql.ref(await col('sales_target', 'period'))} = '2030-Q1'`);
    expect(none[0].n).toBe(2);

    const adminOut = await w.as('admin')('POST', '/api/v1/records/sales_target', { rep: w.ids.repC, period: '2030-Q1', amount: money('1000') });
    expect(adminOut.status, JSON.stringify(adminOut.body)).toBe(201);
    const adminRoot = await w.as('admin')('POST', '/api/v1/records/sales_target', { team: w.t.tenant.departmentId, period: '2030-Q1', amount: money('9000') });
    expect(adminRoot.status, JSON.stringify(adminRoot.body)).toBe(201);
    await w.q(sql`DELETE FROM o_sales_target WHERE ${sql.ref(await col('sales_target', 'period'))} = '2030-Q1'`);
  });
});

describe('crm_settings', () => {
  it('holds one row per tenant: a second is a 409 naming crm_settings', async () => {
    const r = await w.as('admin')('POST', '/api/v1/records/crm_settings', { tier_a_min: '1', tier_b_min: '0', tier_months: 3 });
    expect([r.status, r.body.error.code, r.body.error.field]).toEqual([409, 'FIELD_NOT_UNIQUE', 'crm_settings']);
    const rows = await w.q<{ n: number }>(sql`SELECT count(*)::int AS n FROM o_crm_settings`);
    expect(rows[0].n).toBe(1);
  });
});

async function col(object: string, field: string): Promise<string> {
  const o = await w.t.store.object(w.t.tenant.tenantId, object);
  return o!.fields.find((f) => f.apiName === field)!.columnName!;
}
