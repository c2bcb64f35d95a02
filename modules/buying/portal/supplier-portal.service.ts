import { createHash } from 'node:crypto';
import { sql } from '@mosaic/db';
import { createRole, requireAreaOrThrow, setFieldRules, setPermissions, systemGuard } from '@mosaic/access';
import { AppError } from '@mosaic/kernel';
import { createRecords, getRecord, type RecordsCtx } from '@mosaic/records';
import { LIVE, bodyOf, setSystemFields, userTx } from '../shared/buying-sql.ts';

type Row = Record<string, any>;

/**
 * 供应商门户. A supplier's portal users are ordinary users holding that
 * supplier's portal role: a role whose record scopes are filters on
 * `supplier = <this supplier>` (and, for RFQs and orders, sent ones only). The
 * one access layer applies it to every read path — list, get, count,
 * aggregate, filter, export — so a supplier never sees another's documents.
 * Suppliers get no write right on our documents: they answer RFQs, confirm
 * orders and post shipping updates through the actions below, which check
 * that the caller can see the document and then write as the system.
 */
export function portalPermissions(supplierId: string) {
  const own = { field: 'supplier', op: 'eq', value: supplierId };
  const sent = { and: [own, { field: 'status', op: 'in', value: LIVE }] };
  const scoped = (object: string, filter: unknown, actions = ['read', 'print', 'export']) => actions.map((action) => ({ object, action, scope: 'filter', filter }));
  return [
    ...scoped('supplier', { field: 'id', op: 'eq', value: supplierId }, ['read']),
    ...scoped('rfq', sent),
    ...scoped('supplier_quotation', own),
    ...scoped('purchase_order', sent),
    ...scoped('shipping_update', own, ['read', 'export']),
    { object: 'item', action: 'read', scope: 'all' },
  ];
}

/**
 * POST /api/v1/buying/supplier/{id}/portal_role — creates (once) the
 * supplier's portal role and returns it; give it to the supplier's users
 * (POST /api/v1/admin/users {roleIds: [role.id]}). Needs the right to manage roles.
 */
export async function ensurePortalRole(ctx: RecordsCtx, supplierId: string): Promise<Row> {
  requireAreaOrThrow(ctx, 'admin.roles', 'create');
  const supplier = await getRecord(ctx, 'supplier', supplierId);
  const code = `supplier_portal_${createHash('sha256').update(supplierId).digest('hex').slice(0, 20)}`;
  const existing = await userTx(ctx, async (tx) => (await sql<{ id: string }>`SELECT id FROM role WHERE code = ${code}`.execute(tx)).rows[0]);
  const role = existing ?? await createRole(ctx, {
    code, label: { zh: `供应商门户 — ${String(supplier.name)}`.slice(0, 100), en: `Supplier portal — ${String(supplier.name)}`.slice(0, 100) },
    description: `Portal user of supplier ${String(supplier.code)}: sees only this supplier's RFQs, quotations, orders and shipping updates.`,
  });
  await setPermissions(ctx, role.id, { permissions: portalPermissions(supplierId) });
  await setFieldRules(ctx, role.id, { rules: [{ object: 'supplier', field: 'portal_role', rule: 'hidden' }] });
  await userTx(ctx, (tx) => setSystemFields(tx, ctx, 'supplier', supplierId, { portal_role: role.id }));
  return { role_id: role.id, code, supplier: supplierId };
}

/** POST /api/v1/buying/purchase_order/{id}/confirm {confirmed_date} — the supplier confirms the order and its delivery date. */
export async function confirmOrder(ctx: RecordsCtx, orderId: string, raw: unknown): Promise<Row> {
  const body = bodyOf(raw);
  const date = body.confirmed_date;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new AppError('FIELD_INVALID', 'confirmed_date: a date, YYYY-MM-DD', { field: 'confirmed_date' });
  }
  const order = await visibleLiveOrder(ctx, orderId);
  await userTx(ctx, (tx) => setSystemFields(tx, ctx, 'purchase_order', order.id as string, { confirmed_date: date }));
  return getRecord(ctx, 'purchase_order', orderId);
}

/**
 * POST /api/v1/buying/purchase_order/{id}/shipping_updates {shipping_status, expected_date?, carrier?, tracking_no?, note?}
 * — a shipping_update record for the order's supplier; the order's shipping status follows it.
 */
export async function postShippingUpdate(ctx: RecordsCtx, orderId: string, raw: unknown): Promise<Row> {
  const body = bodyOf(raw);
  const order = await visibleLiveOrder(ctx, orderId);
  const system: RecordsCtx = { ...ctx, guard: systemGuard(ctx.guard.actor) };
  return userTx(system, async (tx) => {
    const [{ id }] = await createRecords(system, 'shipping_update', [{
      purchase_order: order.id, supplier: order.supplier, shipping_status: body.shipping_status, expected_date: body.expected_date ?? null,
      carrier: body.carrier ?? null, tracking_no: body.tracking_no ?? null, note: body.note ?? null,
    }], { tx });
    await setSystemFields(tx, system, 'purchase_order', order.id as string, { shipping_status: body.shipping_status as string });
    return getRecord(system, 'shipping_update', id, { tx });
  });
}

async function visibleLiveOrder(ctx: RecordsCtx, orderId: string): Promise<Row> {
  const order = await getRecord(ctx, 'purchase_order', orderId); // 404 when the caller may not see it
  if (!LIVE.includes(order.status as string)) throw new AppError('CONFLICT', `${String(order.number)} is ${String(order.status)}; only a submitted order can be confirmed or shipped.`);
  return order;
}
