import { AppError, Decimal } from '@mosaic/kernel';
import { getRecord, requireRight, type RecordsCtx } from '@mosaic/records';
import { reserveStock } from '@mosaic/stock';
import { objectsOf, setSystemFields, userTx } from '../shared/buying-sql.ts';
import { returnedBefore } from '../purchase-return/purchase-return.hooks.ts';

type Row = Record<string, any>;

/**
 * POST /api/v1/buying/purchase_receipt/{id}/release — 质检放行: goods received
 * on quality hold become available to sell. Their hold was a reservation of
 * the whole receipt; releasing it frees what is still there (what was
 * returned released its own hold). Needs the right to submit receipts.
 */
export async function releaseQualityHold(ctx: RecordsCtx, receiptId: string): Promise<Row> {
  return userTx(ctx, async (tx) => {
    const objects = await objectsOf(ctx);
    const receipt = await getRecord(ctx, 'purchase_receipt', receiptId, { tx });
    requireRight(ctx, objects.get('purchase_receipt')!, 'submit');
    if (receipt.status !== 'submitted' || receipt.quality_status !== 'held') {
      throw new AppError('CONFLICT', `${String(receipt.number)} is not on quality hold.`);
    }
    const returned = await returnedBefore(tx, ctx, receiptId, receiptId);
    const release = (receipt.lines as Row[]).map((l) => {
      const back = Decimal.min(returned.get(l.order_line) ?? 0, l.qty);
      returned.set(l.order_line, (returned.get(l.order_line) ?? new Decimal(0)).minus(back));
      return { item: l.item as string, warehouse: receipt.warehouse as string, qty: new Decimal(l.qty).minus(back).neg() };
    });
    await reserveStock(tx, objects, ctx.guard.actor.tenantId, release);
    await setSystemFields(tx, ctx, 'purchase_receipt', receiptId, { quality_status: 'released' });
    return getRecord(ctx, 'purchase_receipt', receiptId, { tx });
  });
}
