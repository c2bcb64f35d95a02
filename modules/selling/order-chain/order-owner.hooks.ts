import { sql } from 'kysely';
import { AppError, isUuid } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import { approvalRunningSql } from '@mosaic/approval';
import type { ObjectMeta } from '@mosaic/meta';
import { registerDocumentHooks } from '@mosaic/process';
import { getRecord, type RecordsCtx } from '@mosaic/records';
import { columns } from '@mosaic/stock';

/**
 * 跟单: the documents that follow a sales order belong to the order's
 * salesperson (owner and department), whoever typed them — the warehouse
 * ships, finance invoices and collects, but the rep and the rep's manager
 * follow their own orders, and their roles read these documents with the
 * `own` / `department_tree` scopes:
 *   - a delivery or invoice made against an order: the order's owner
 *     (stampFromOrder, called by their validate hooks, which also check the
 *     order from the same statement);
 *   - a sales return: its delivery's owner (the order's, when shipped against one);
 *   - a customer payment: the owner of the invoice it settles most of, else
 *     the customer's owner (an advance follows the customer's rep).
 * Set when submitted (validate step, the row still a draft); a document
 * without any of these keeps its creator.
 */
export function registerOrderOwnerHooks(): void {
  registerDocumentHooks('payment', {
    async validate({ tx, ctx, record }) {
      if (record.party_type !== 'customer' || record.payment_type !== 'receive') return;
      await stampPaymentOwner(tx, ctx, record);
    },
  });
}

/** What a follow-up document needs to know of the order (or delivery) it is made against. */
export interface LinkedDoc {
  id: string;
  status: string;
  number: string;
  customer: string;
  /** A sales order still waiting for its discount approval. */
  waiting: boolean;
  /** A delivery's own order. */
  salesOrder: string | null;
}

/**
 * Stamps a delivery (owner, department, on-time against the order's delivery
 * date) or an invoice (owner, department) from its order, and returns the
 * order's facts for the caller's checks — one statement instead of reading
 * the order and writing the document separately (this runs on every submit).
 */
export async function stampFromOrder(tx: Tx, ctx: RecordsCtx, object: 'delivery_note' | 'sales_invoice', record: Record<string, unknown>): Promise<LinkedDoc> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const doc = objects.get(object)!;
  const so = objects.get('sales_order')!;
  const D = columns(doc);
  const S = columns(so);
  const soId = record.sales_order as string;
  await assertReadable(tx, ctx, so, soId);
  const onTime = object === 'delivery_note'
    ? sql`, ${sql.id(D.on_time)} = d.${sql.ref(D.posting_date)} <= COALESCE(o.${sql.ref(S.delivery_date)}, d.${sql.ref(D.posting_date)})`
    : sql``;
  const r = await sql<LinkedDoc>`UPDATE ${sql.id(doc.tableName)} d SET owner_id = o.owner_id, department_id = o.department_id ${onTime}
    FROM ${sql.id(so.tableName)} o WHERE d.id = ${record.id as string} AND o.id = ${soId}
    RETURNING o.id, o.status, o.${sql.ref(S.number)} AS number, o.${sql.ref(S.customer)} AS customer, NULL::uuid AS "salesOrder",
      ${approvalRunningSql('sales_order', sql.ref('o.id'))} AS waiting`.execute(tx);
  if (!r.rows.length) throw new AppError('LINK_NOT_FOUND', 'sales_order: no such sales order', { field: 'sales_order' });
  return r.rows[0];
}

/** A sales return takes its delivery's owner; returns the delivery's facts for the return's checks. */
export async function stampFromDelivery(tx: Tx, ctx: RecordsCtx, record: Record<string, unknown>): Promise<LinkedDoc> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const ret = objects.get('sales_return')!;
  const dn = objects.get('delivery_note')!;
  const N = columns(dn);
  const dnId = record.delivery_note as string;
  await assertReadable(tx, ctx, dn, dnId);
  const r = await sql<LinkedDoc>`UPDATE ${sql.id(ret.tableName)} d SET owner_id = n.owner_id, department_id = n.department_id
    FROM ${sql.id(dn.tableName)} n WHERE d.id = ${record.id as string} AND n.id = ${dnId}
    RETURNING n.id, n.status, n.${sql.ref(N.number)} AS number, n.${sql.ref(N.customer)} AS customer, n.${sql.ref(N.sales_order)} AS "salesOrder", false AS waiting`.execute(tx);
  if (!r.rows.length) throw new AppError('LINK_NOT_FOUND', 'delivery_note: no such delivery note', { field: 'delivery_note' });
  return r.rows[0];
}

/** The payment's owner: the invoice it allocates most to (of this customer), else the customer's owner. */
async function stampPaymentOwner(tx: Tx, ctx: RecordsCtx, record: Record<string, unknown>): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const pay = objects.get('payment')!;
  const alloc = objects.get('payment_allocation')!;
  const si = objects.get('sales_invoice')!;
  const customer = objects.get('customer');
  const A = columns(alloc);
  const I = columns(si);
  const party = record.party as string;
  if (!isUuid(party)) return; // not a customer id: nothing to take an owner from
  // Casts on the parameter and the text column, never on an indexed id: the primary keys stay usable.
  const byCustomer = customer
    ? sql`UNION ALL SELECT c.owner_id, c.department_id, 1, 0 FROM ${sql.id(customer.tableName)} c WHERE c.id = ${party}::uuid`
    : sql``;
  await sql`WITH src AS (
      SELECT owner_id, department_id FROM (
        SELECT i.owner_id, i.department_id, 0 AS pri, a.${sql.ref(A.allocated)} AS weight
          FROM ${sql.id(alloc.tableName)} a
          JOIN ${sql.id(si.tableName)} i ON i.id = CASE WHEN a.${sql.ref(A.against_type)} = 'sales_invoice' THEN a.${sql.ref(A.against_id)}::uuid END
         WHERE a.parent_id = ${record.id as string} AND a.${sql.ref(A.against_type)} = 'sales_invoice' AND i.${sql.ref(I.customer)} = ${party}::uuid
        ${byCustomer}
      ) x ORDER BY pri, weight DESC LIMIT 1)
    UPDATE ${sql.id(pay.tableName)} p SET owner_id = src.owner_id, department_id = src.department_id FROM src
     WHERE p.id = ${record.id as string} AND (p.owner_id IS DISTINCT FROM src.owner_id OR p.department_id IS DISTINCT FROM src.department_id)`.execute(tx);
}

/**
 * The user must be able to read the document a new one is made against (as
 * reading it through the records layer would check): free when the role reads
 * every record of it; otherwise one scoped read, which refuses like a missing record.
 */
async function assertReadable(tx: Tx, ctx: RecordsCtx, obj: ObjectMeta, id: string): Promise<void> {
  if (ctx.guard.can(obj, 'read') && ctx.guard.recordScope(obj, 'read') === null) return;
  await getRecord(ctx, obj.apiName, id, { tx });
}
