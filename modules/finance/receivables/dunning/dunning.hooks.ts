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
      // One statement (this runs on every invoice's submit): the term — the invoice's, else the customer's — then the due date from it.
      await sql`UPDATE ${si.t} s SET ${si.c('payment_term')} = x.term,
          ${si.c('due_date')} = COALESCE(s.${si.c('due_date')}, s.${si.c('posting_date')} + COALESCE((SELECT p.${pt.c('days')} FROM ${pt.t} p WHERE p.id = x.term)::int, 0))
        FROM (SELECT s0.id, COALESCE(s0.${si.c('payment_term')}, (SELECT c.${cu.c('payment_term')} FROM ${cu.t} c WHERE c.id = s0.${si.c('customer')})) AS term
              FROM ${si.t} s0 WHERE s0.id = ${id}) x
        WHERE s.id = x.id`.execute(tx);
    },
  });
}
