import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import { physical } from '@mosaic/hr';
import { Decimal } from '@mosaic/kernel';
import { registerDocumentHooks } from '@mosaic/process';
import type { RecordsCtx } from '@mosaic/records';
import { collectCost } from '../project/project-cost.service.ts';

/**
 * 采购成本归集: a supplier invoice (purchase_invoice) line bought for a project is that
 * project's `purchase` cost, at the line's net amount (VAT is input tax, not cost), collected
 * when the invoice is submitted — the invoice, not the receipt, because it carries the price
 * actually owed. A line names its project itself, or inherits it from the purchase order line
 * it invoices (the `project` this module adds to both). Cancelling the invoice reverses, per
 * project, exactly what it collected. Goods bought this way for a project should not be issued
 * to it again from stock (that would count them twice, as material too).
 */
export function registerPurchaseCostHooks(): void {
  registerDocumentHooks('purchase_invoice', {
    async onSubmit({ tx, ctx, record }) {
      for (const [project, net] of await netByProject(tx, ctx, record.id as string)) {
        await collectCost(tx, ctx, {
          project, costType: 'purchase', amount: net, postingDate: record.posting_date as string,
          sourceType: 'purchase_invoice', sourceId: record.id as string, description: `采购发票 ${String(record.number ?? '')}`,
        });
      }
    },
    async onCancel({ tx, ctx, record }) {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.guard.actor.timeZone }).format(new Date());
      for (const [project, collected] of await collectedByProject(tx, ctx, record.id as string)) {
        await collectCost(tx, ctx, {
          project, costType: 'purchase', amount: collected.neg(), postingDate: today,
          sourceType: 'purchase_invoice', sourceId: record.id as string, description: `冲销 采购发票 ${String(record.number ?? '')}`,
        });
      }
    },
  });
}

/** The invoice's net per project: each line's own project, else its order line's. */
async function netByProject(tx: Tx, ctx: RecordsCtx, invoiceId: string): Promise<Map<string, Decimal>> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const il = physical(objects, 'purchase_invoice_line');
  const ol = physical(objects, 'purchase_order_line');
  const rows = (await sql<{ project: string; net: string }>`
    SELECT COALESCE(${il.ref('project', 'il')}, ${ol.ref('project', 'ol')}) AS project, sum(${il.ref('net', 'il')})::text AS net
    FROM ${il.table} il LEFT JOIN ${ol.table} ol ON ol.id::text = ${il.ref('order_line', 'il')}
    WHERE il.parent_id = ${invoiceId} AND COALESCE(${il.ref('project', 'il')}, ${ol.ref('project', 'ol')}) IS NOT NULL
    GROUP BY 1 ORDER BY 1`.execute(tx)).rows;
  return new Map(rows.map((r) => [r.project, new Decimal(r.net)]));
}

async function collectedByProject(tx: Tx, ctx: RecordsCtx, sourceId: string): Promise<Map<string, Decimal>> {
  const c = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'project_cost');
  const rows = (await sql<{ project: string; total: string }>`SELECT ${c.ref('project')} AS project, sum(${c.ref('amount')})::text AS total
    FROM ${c.table} WHERE ${c.ref('source_id')} = ${sourceId} GROUP BY 1 HAVING sum(${c.ref('amount')}) <> 0 ORDER BY 1`.execute(tx)).rows;
  return new Map(rows.map((r) => [r.project, new Decimal(r.total)]));
}
