import type { Tx } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';
import { postStockMoves, reversalMoves, type PostedMove, type StockMove, type Voucher } from './stock-ledger.service.ts';
import { stockPosted } from './stock-posting.events.ts';

/** The voucher a stock document posts under: its type, id and posting date. */
export function voucherOf(type: string, record: Record<string, unknown>): Voucher {
  return { type, id: record.id as string, postingDate: record.posting_date as string };
}

/** Posts a document's moves and publishes the accounting facts (and any re-valuations) in the same transaction. */
export async function postDocumentMoves(tx: Tx, ctx: RecordsCtx, voucher: Voucher, moves: StockMove[], source: Record<string, unknown>): Promise<PostedMove[]> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const posted = await postStockMoves(tx, objects, ctx.guard.actor.tenantId, voucher, moves);
  await stockPosted({ tx, ctx, voucher, kind: 'post', moves: posted, source });
  return posted;
}

/** Cancels a document's stock: every entry reversed at the value it carries now, published as a reversal. */
export async function reverseDocumentMoves(tx: Tx, ctx: RecordsCtx, voucher: Voucher, source: Record<string, unknown>): Promise<PostedMove[]> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const posted = await postStockMoves(tx, objects, ctx.guard.actor.tenantId, voucher, await reversalMoves(tx, objects, voucher));
  await stockPosted({ tx, ctx, voucher, kind: 'reverse', moves: posted, source });
  return posted;
}
