import { sql } from 'kysely';
import { registerDocumentHooks } from '@mosaic/process';
import { columns } from '@mosaic/stock';

/**
 * 按期交货: when a delivery against an order is submitted, it records whether
 * it shipped by the order's delivery date (an order without one counts as on
 * time); a delivery without an order records nothing. Written in the
 * validate step, while the row is still a draft (a submitted document is
 * immutable), from the database's own copy of both dates. The cockpit's
 * on-time delivery rate counts these.
 */
export function registerOnTimeHooks(): void {
  registerDocumentHooks('delivery_note', {
    async validate({ tx, ctx, record }) {
      if (!record.sales_order) return;
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const dn = objects.get('delivery_note')!;
      const so = objects.get('sales_order')!;
      const D = columns(dn);
      const S = columns(so);
      await sql`UPDATE ${sql.id(dn.tableName)} d SET ${sql.id(D.on_time)} = d.${sql.ref(D.posting_date)} <= COALESCE(o.${sql.ref(S.delivery_date)}, d.${sql.ref(D.posting_date)})
        FROM ${sql.id(so.tableName)} o WHERE d.id = ${record.id as string} AND o.id = d.${sql.ref(D.sales_order)}`.execute(tx);
    },
  });
}
