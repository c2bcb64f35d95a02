import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { installModules } from '@mosaic/server';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { roleWith, userWith } from './access-helpers.ts';

// An object's list defaults (migration 0073): the columns, sort and filter its list opens with.
// Modules ship them for the lists people open daily; an admin changes them in the list view
// designer, checked on save; the next start gives a tenant the module's defaults it lacks and
// never replaces an admin's.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** The next start: every module installed into the tenant again. */
async function restart(): Promise<void> {
  const { tenantId } = t.tenant;
  t.store.invalidate(tenantId);
  await installModules(t.testDb.db, t.store, [tenantId]);
  t.store.invalidate(tenantId);
}

const listDefaultsOf = async (object: string) => (await t.api('GET', `/api/v1/meta/objects/${object}`)).body.listDefaults;

describe('list defaults', () => {
  it('ships a sales order list with its number, customer, date, status and total, newest first', async () => {
    const ld = await listDefaultsOf('sales_order');
    expect(ld.columns.slice(0, 5)).toEqual(['number', 'customer', 'order_date', 'status', 'grand_total']);
    expect(ld.sort).toEqual({ field: 'order_date', direction: 'desc' });
    for (const object of ['purchase_order', 'sales_invoice', 'purchase_invoice', 'delivery_note', 'purchase_receipt', 'payment', 'journal_entry', 'work_order']) {
      const d = await listDefaultsOf(object);
      expect(d?.columns, object).toContain('status');
      expect(d?.sort?.direction, object).toBe('desc');
    }
    for (const object of ['customer', 'lead', 'opportunity', 'ticket', 'item', 'employee', 'project']) expect((await listDefaultsOf(object))?.columns.length, object).toBeGreaterThan(3);
  });

  it('refuses columns, a sort or a filter the list cannot use, naming the entry', async () => {
    const cases: [unknown, string][] = [
      [{ columns: ['number', 'status', 'no_such_field'] }, 'listDefaults.columns.2'],
      [{ columns: ['number', 'lines'] }, 'listDefaults.columns.1'],
      [{ columns: ['number', 'customer.name'] }, 'listDefaults.columns.1'],
      [{ columns: ['number', 'number'] }, 'listDefaults.columns.1'],
      [{ columns: ['number'], sort: { field: 'lines', direction: 'desc' } }, 'listDefaults.sort.field'],
      [{ columns: ['number'], sort: { field: 'order_date', direction: 'down' } }, 'listDefaults.sort.direction'],
      [{ columns: ['number'], filter: { field: 'grand_total', op: 'contains_all', value: 1 } }, 'listDefaults.filter'],
      [{ columns: ['number'], filter: { nope: 1 } }, 'listDefaults.filter'],
      [{ columns: [] }, 'listDefaults.columns'],
    ];
    for (const [listDefaults, field] of cases) {
      const r = await t.api('PATCH', '/api/v1/meta/objects/sales_order', { listDefaults });
      expect(r.status, JSON.stringify(listDefaults)).toBe(422);
      expect(r.body.error, JSON.stringify(listDefaults)).toMatchObject({ code: 'META_INVALID', field });
    }
    expect((await listDefaultsOf('sales_order')).columns[0]).toBe('number');
  });

  it('answers an admin\'s change at once, and keeps it through the next start', async () => {
    const mine = { columns: ['number', 'grand_total', 'customer'], sort: { field: 'grand_total', direction: 'desc' }, filter: { field: 'status', op: 'in', value: ['draft', 'submitted'] } };
    const r = await t.api('PATCH', '/api/v1/meta/objects/sales_order', { listDefaults: mine });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await listDefaultsOf('sales_order')).toEqual(mine);
    await restart();
    expect(await listDefaultsOf('sales_order')).toEqual(mine);
  });

  it('gives a tenant made before list defaults the module\'s on its next start', async () => {
    await inTenantTx(t.testDb.db.owner, { tenantId: t.tenant.tenantId }, (tx) => sql`UPDATE meta_object SET list_defaults = NULL WHERE api_name = 'purchase_order'`.execute(tx));
    t.store.invalidate(t.tenant.tenantId);
    expect(await listDefaultsOf('purchase_order')).toBeUndefined();
    await restart();
    expect((await listDefaultsOf('purchase_order')).columns.slice(0, 5)).toEqual(['number', 'supplier', 'order_date', 'status', 'grand_total']);
  });

  it('starts even when the module\'s defaults name a field the tenant\'s admin archived, leaving that list its own', async () => {
    expect((await t.api('PATCH', '/api/v1/meta/objects/delivery_note/fields/on_time', { archived: true })).status).toBe(200);
    await inTenantTx(t.testDb.db.owner, { tenantId: t.tenant.tenantId }, (tx) => sql`UPDATE meta_object SET list_defaults = NULL WHERE api_name = 'delivery_note'`.execute(tx));
    await restart();
    expect(await listDefaultsOf('delivery_note')).toBeUndefined();
    expect((await listDefaultsOf('sales_invoice')).columns).toContain('grand_total');
  });

  it('lets only an admin change them', async () => {
    const reader = await roleWith(t, 'ld_reader', [{ object: 'sales_order', action: 'read', scope: 'all' }]);
    const user = await userWith(t, [reader], { name: 'ld-reader' });
    const r = await t.api('PATCH', '/api/v1/meta/objects/sales_order', { listDefaults: { columns: ['number'] } }, { token: user.token });
    expect(r.status).toBe(403);
  });
});
