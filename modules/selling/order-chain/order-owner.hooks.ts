import { sql } from 'kysely';
import { registerDocumentHooks } from '@mosaic/process';
import { columns } from '@mosaic/stock';

/**
 * 跟单: a delivery or invoice made against a sales order belongs to the order's
 * salesperson (owner and department), whoever typed it — the warehouse ships,
 * finance invoices, but the rep and the rep's manager follow their own
 * orders, and their roles read these documents with the `own` /
 * `department_tree` scopes. Set when submitted (validate step, the row still
 * a draft); a document without an order keeps its creator.
 */
export function registerOrderOwnerHooks(): void {
  for (const object of ['delivery_note', 'sales_invoice']) {
    registerDocumentHooks(object, {
      async validate({ tx, ctx, record }) {
        if (!record.sales_order) return;
        const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
        const doc = objects.get(object)!;
        const so = objects.get('sales_order')!;
        const D = columns(doc);
        await sql`UPDATE ${sql.id(doc.tableName)} d SET owner_id = o.owner_id, department_id = o.department_id
          FROM ${sql.id(so.tableName)} o WHERE d.id = ${record.id as string} AND o.id = d.${sql.ref(D.sales_order)}
            AND (d.owner_id IS DISTINCT FROM o.owner_id OR d.department_id IS DISTINCT FROM o.department_id)`.execute(tx);
      },
    });
  }
}
