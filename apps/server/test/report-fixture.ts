import { expect } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { systemGuard, type AccessGuard, type Actor } from '@mosaic/access';
import type { RecordsCtx } from '@mosaic/records';
import { createTestApp, type TestApp } from '@mosaic/testing';

/**
 * The report tests' fixed fixture, made through the metadata and records APIs:
 * rpt_region ← rpt_customer ← rpt_order (amount, cost, order_date); prefixed so no built-in module's objects collide.
 *
 *   region 华南: customers A, B     region 华东: customer C
 *   orders: 2025-01-10 A 100/60   2025-02-15 C 200/150
 *           2026-01-05 A 300/200  2026-01-20 B 150/100  2026-02-10 C 400/300
 *           2026-02-28 A  50/20   2026-03-15 B 250/100
 */
export const ORDERS: [string, 'A' | 'B' | 'C', number, number][] = [
  ['2025-01-10', 'A', 100, 60], ['2025-02-15', 'C', 200, 150],
  ['2026-01-05', 'A', 300, 200], ['2026-01-20', 'B', 150, 100], ['2026-02-10', 'C', 400, 300],
  ['2026-02-28', 'A', 50, 20], ['2026-03-15', 'B', 250, 100],
];

export interface ReportFixture {
  t: TestApp;
  orderIds: string[];
  customerIds: Record<'A' | 'B' | 'C', string>;
  /** A records context for the admin, or for a custom guard. */
  ctx(guard?: AccessGuard): RecordsCtx;
  actor(userId?: string): Actor;
}

export async function createReportFixture(): Promise<ReportFixture> {
  const t = await createTestApp();
  const ok = (r: { status: number; body: unknown }, status = 201) => expect(r.status, JSON.stringify(r.body)).toBe(status);
  ok(await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'rpt_region', label: '区域', fields: [{ apiName: 'name', type: 'text', label: '名称', required: true }, { apiName: 'code', type: 'text', label: '编码' }],
  }));
  ok(await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'rpt_customer', label: '客户',
    fields: [{ apiName: 'name', type: 'text', label: '名称', required: true }, { apiName: 'region', type: 'link', label: '区域', config: { target: 'rpt_region' } }],
  }));
  ok(await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'rpt_order', label: '销售订单',
    fields: [
      { apiName: 'customer', type: 'link', label: '客户', config: { target: 'rpt_customer' } },
      { apiName: 'order_date', type: 'date', label: '日期' },
      { apiName: 'amount', type: 'decimal', label: '金额', config: { scale: 2 } },
      { apiName: 'cost', type: 'decimal', label: '成本', config: { scale: 2 } },
    ],
  }));
  const south = await t.api('POST', '/api/v1/records/rpt_region', { name: '华南', code: 'south' });
  const east = await t.api('POST', '/api/v1/records/rpt_region', { name: '华东', code: 'east' });
  const customerIds = {} as Record<'A' | 'B' | 'C', string>;
  for (const [name, region] of [['A', south], ['B', south], ['C', east]] as const) {
    const c = await t.api('POST', '/api/v1/records/rpt_customer', { name, region: region.body.id });
    ok(c);
    customerIds[name] = c.body.id;
  }
  const created = await t.api('POST', '/api/v1/records/rpt_order/bulk', {
    records: ORDERS.map(([order_date, c, amount, cost]) => ({ order_date, customer: customerIds[c], amount, cost })),
  });
  ok(created);
  const actor = (userId = t.tenant.adminId): Actor => ({
    tenantId: t.tenant.tenantId, userId, companyId: t.tenant.companyId, departmentId: t.tenant.departmentId, departmentIds: [t.tenant.departmentId],
    isAdmin: userId === t.tenant.adminId, roleIds: [], locale: 'zh-CN', timeZone: 'Asia/Shanghai',
  });
  return {
    t,
    orderIds: created.body.data.map((r: { id: string }) => r.id),
    customerIds,
    actor,
    ctx: (guard) => ({ db: t.testDb.db, store: t.store, guard: guard ?? systemGuard(actor()) }),
  };
}

/** Sets owner_id of records directly (the API never lets a caller set it). */
export async function setOwner(f: ReportFixture, table: string, ids: string[], ownerId: string): Promise<void> {
  await inTenantTx(f.t.testDb.db.owner, { tenantId: f.t.tenant.tenantId }, (tx) =>
    sql`UPDATE ${sql.id(table)} SET owner_id = ${ownerId} WHERE id = ANY(${ids}::uuid[])`.execute(tx));
}

/** A guard that sees only the user's own records of every object and may not read the fields named. */
export function ownRecordsGuard(actor: Actor, hidden: string[] = []): AccessGuard {
  return {
    ...systemGuard(actor),
    recordScope: (obj) => (obj.apiName === 'rpt_order' ? { field: 'owner_id', op: 'eq', value: { var: '$user' } } : null),
    canReadField: (_obj, field) => !hidden.includes(field.apiName),
  };
}
