import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';
import { columns } from '@mosaic/stock';

/**
 * 信用额度: a customer with a credit limit may not have more outstanding than it:
 *   open receivables — the customer's sub-ledger on 1122 (Σ debit − credit of
 *     the gl lines with party_type 'customer' and party = the customer)
 *   + open orders — submitted orders' grand totals not yet invoiced
 *   + this order's grand total.
 * Over the limit → 422 CREDIT_LIMIT_EXCEEDED naming the customer, with figures.
 */
export async function checkCreditLimit(tx: Tx, ctx: RecordsCtx, record: Record<string, unknown>): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const customer = objects.get('customer')!;
  const C = columns(customer);
  const row = (await sql<{ limit: string | null; name: string }>`SELECT ${sql.ref(C.credit_limit)}::text AS limit, ${sql.ref(C.name)} AS name
    FROM ${sql.id(customer.tableName)} WHERE id = ${record.customer as string}`.execute(tx)).rows[0];
  if (!row || row.limit === null) return;
  const limit = new Decimal(row.limit);
  const receivable = await openReceivable(tx, objects, record.customer as string);
  const orders = await openOrders(tx, objects, record.customer as string, record.id as string);
  const total = receivable.plus(orders).plus(new Decimal((record.grand_total as string) ?? 0));
  if (total.gt(limit)) {
    throw new AppError('CREDIT_LIMIT_EXCEEDED', `customer: ${row.name} would owe ${total.toFixed(2)} (receivable ${receivable.toFixed(2)} + open orders ${orders.toFixed(2)} + this order ${new Decimal((record.grand_total as string) ?? 0).toFixed(2)}), over the credit limit ${limit.toFixed(2)}`, {
      field: 'customer', details: { limit: limit.toFixed(2), receivable: receivable.toFixed(2), openOrders: orders.toFixed(2), total: total.toFixed(2) },
    });
  }
}

async function openReceivable(tx: Tx, objects: Map<string, any>, customer: string): Promise<Decimal> {
  const gl = objects.get('gl_entry');
  if (!gl) return new Decimal(0);
  const G = columns(gl);
  const acc = objects.get('gl_account')!;
  const r = await sql<{ open: string }>`SELECT COALESCE(sum(g.${sql.ref(G.debit)} - g.${sql.ref(G.credit)}), 0)::text AS open FROM ${sql.id(gl.tableName)} g
    JOIN ${sql.id(acc.tableName)} a ON a.id = g.${sql.ref(G.account)}
    WHERE a.${sql.ref(columns(acc).code)} = '1122' AND g.${sql.ref(G.party_type)} = 'customer' AND g.${sql.ref(G.party)} = ${customer}`.execute(tx);
  return new Decimal(r.rows[0].open);
}

/** Submitted orders of the customer (other than this one): grand total less what was invoiced against each. */
async function openOrders(tx: Tx, objects: Map<string, any>, customer: string, self: string): Promise<Decimal> {
  const so = objects.get('sales_order')!;
  const si = objects.get('sales_invoice')!;
  const S = columns(so);
  const I = columns(si);
  const r = await sql<{ open: string }>`SELECT COALESCE(sum(GREATEST(o.${sql.ref(S.grand_total)} - COALESCE(
      (SELECT sum(i.${sql.ref(I.grand_total)}) FROM ${sql.id(si.tableName)} i WHERE i.status = 'submitted' AND i.${sql.ref(I.sales_order)} = o.id), 0), 0)), 0)::text AS open
    FROM ${sql.id(so.tableName)} o WHERE o.status IN ('submitted', 'approved') AND o.${sql.ref(S.customer)} = ${customer} AND o.id <> ${self}`.execute(tx);
  return new Decimal(r.rows[0].open);
}
