import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import { orderFigures } from '@mosaic/buying';
import { physical } from '@mosaic/hr';
import { Decimal, todayIn } from '@mosaic/kernel';
import { registerDocumentHooks } from '@mosaic/process';
import type { RecordsCtx } from '@mosaic/records';
import { collectCost } from '../project/project-cost.service.ts';

/**
 * 采购成本归集 — each purchase counts once, where its cost arises:
 *   - a service or non-stock item bought for a project is that project's `purchase` cost at the
 *     invoice line's net (VAT is input tax, not cost), collected when the supplier invoice is
 *     submitted — it is never received, so the invoice is the only document that carries it;
 *   - a stock item bought for a project goes into stock first (the receipt) and becomes the
 *     project's `material` cost only when issued to it (a stock_entry issue naming the project,
 *     cost-collection.hooks.ts), at the stock value issued. Its invoice collects nothing: counting
 *     it there too would count the same goods twice, and goods bought for a project but never
 *     issued are still stock, not cost.
 * A line names its project itself, or inherits it from the purchase order line it invoices (the
 * `project` this module adds to both). Cancelling the invoice reverses, per project, exactly
 * what it collected.
 */
export function registerPurchaseCostHooks(): void {
  registerDocumentHooks('purchase_invoice', {
    async onSubmit({ tx, ctx, record }) {
      for (const [project, net] of await netByProject(tx, ctx, record.id as string, record.purchase_order as string)) {
        await collectCost(tx, ctx, {
          project, costType: 'purchase', amount: net, postingDate: record.posting_date as string,
          sourceType: 'purchase_invoice', sourceId: record.id as string, description: `采购发票 ${String(record.number ?? '')}`,
        });
      }
    },
    async onCancel({ tx, ctx, record }) {
      const today = todayIn(ctx.guard.actor.timeZone);
      for (const [project, collected] of await collectedByProject(tx, ctx, record.id as string)) {
        await collectCost(tx, ctx, {
          project, costType: 'purchase', amount: collected.neg(), postingDate: today,
          sourceType: 'purchase_invoice', sourceId: record.id as string, description: `冲销 采购发票 ${String(record.number ?? '')}`,
        });
      }
    },
  });
}

/**
 * The net per project of the invoice's service and non-stock lines: each line's own project, else its
 * order line's. Stock or not is buying's decision (the type stamped on the order line when ordered,
 * which receipts and the invoice's voucher follow), asked through its `orderFigures`.
 */
async function netByProject(tx: Tx, ctx: RecordsCtx, invoiceId: string, orderId: string): Promise<Map<string, Decimal>> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const il = physical(objects, 'purchase_invoice_line');
  const ol = physical(objects, 'purchase_order_line');
  // `project` on both lines is this module's own field (PROJECT_LINKS).
  const rows = (await sql<{ project: string; order_line: string | null; net: string }>`
    SELECT COALESCE(${il.ref('project', 'il')}, ${ol.ref('project', 'ol')}) AS project, ${il.ref('order_line', 'il')}::text AS order_line, ${il.ref('net', 'il')}::text AS net
    FROM ${il.table} il LEFT JOIN ${ol.table} ol ON ol.id::text = ${il.ref('order_line', 'il')}
    WHERE il.parent_id = ${invoiceId} AND COALESCE(${il.ref('project', 'il')}, ${ol.ref('project', 'ol')}) IS NOT NULL
    ORDER BY il.idx`.execute(tx)).rows;
  if (!rows.length) return new Map();
  const figures = await orderFigures(tx, objects, orderId);
  const out = new Map<string, Decimal>();
  for (const r of rows) {
    // A line buying does not know as an order line is not expensed by its voucher either: no purchase cost.
    if (figures.get(r.order_line ?? '')?.stocked ?? true) continue;
    out.set(r.project, (out.get(r.project) ?? new Decimal(0)).plus(r.net ?? 0));
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

async function collectedByProject(tx: Tx, ctx: RecordsCtx, sourceId: string): Promise<Map<string, Decimal>> {
  const c = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'project_cost');
  const rows = (await sql<{ project: string; total: string }>`SELECT ${c.ref('project')} AS project, sum(${c.ref('amount')})::text AS total
    FROM ${c.table} WHERE ${c.ref('source_id')} = ${sourceId} GROUP BY 1 HAVING sum(${c.ref('amount')}) <> 0 ORDER BY 1`.execute(tx)).rows;
  return new Map(rows.map((r) => [r.project, new Decimal(r.total)]));
}
