import type { Tx } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';
import { stockPostedEvent, type Voucher } from '@mosaic/stock';

/**
 * Publishes a buying document's stock posting to the stock module's listeners
 * WITHOUT its moves: receipts and returns book their own voucher (GR/IR,
 * payable, VAT), so the generic stock → ledger flow must not book them again
 * (it would find no moves and post nothing). What publishing still does, in
 * this transaction: the stock module's follow-ups of the posting — e.g. the
 * re-valuation of later issues that a back-dated receipt queues (feat/stock) —
 * reach their listeners like any stock document's.
 */
export async function publishOwnStockPosting(tx: Tx, ctx: RecordsCtx, voucher: Voucher, kind: 'post' | 'reverse', source: Record<string, unknown>): Promise<void> {
  await stockPostedEvent({ tx, ctx, voucher, kind, moves: [], source });
}
