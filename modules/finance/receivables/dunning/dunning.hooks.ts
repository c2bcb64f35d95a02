import { sql } from 'kysely';
import { registerDocumentHooks } from '@mosaic/process';
import { physical } from '../../gl/physical.ts';

/**
 * A sales invoice gets its due date when submitted: the invoice's payment term
 * (else the customer's, which is then recorded on the invoice) gives posting
 * date + days; no term at all — due on the posting date (现结). A due date
 * typed on the invoice is kept. Written in the validate step, while the row is
 * still a draft (a submitted document is immutable).
 */
export function registerDueDateHooks(): void {
  registerDocumentHooks('sales_invoice', {
    async validate({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      if (!objects.get('payment_term')) return;
      const si = physical(objects, 'sales_invoice');
      const cu = physical(objects, 'customer');
      const pt = physical(objects, 'payment_term');
      const id = record.id as string;
      await sql`UPDATE ${si.t} s SET ${si.c('payment_term')} = c.${cu.c('payment_term')}
        FROM ${cu.t} c WHERE s.id = ${id} AND c.id = s.${si.c('customer')} AND s.${si.c('payment_term')} IS NULL`.execute(tx);
      await sql`UPDATE ${si.t} s SET ${si.c('due_date')} = s.${si.c('posting_date')}
          + COALESCE((SELECT p.${pt.c('days')} FROM ${pt.t} p WHERE p.id = s.${si.c('payment_term')})::int, 0)
        WHERE s.id = ${id} AND s.${si.c('due_date')} IS NULL`.execute(tx);
    },
  });
}
