import type { Tx } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';
import type { PostedMove, Voucher } from './stock-ledger.service.ts';

/**
 * The accounting facts of a stock posting (issue 8, "Postings"): after a
 * voucher's moves are posted, listeners get them in the same transaction —
 * finance turns them into a journal entry (flows/stock-to-ledger). The stock
 * module knows nothing of accounts.
 */
export interface StockPosted {
  tx: Tx;
  ctx: RecordsCtx;
  voucher: Voucher;
  /**
   * 'post' on submit, 'reverse' on cancel; 'revalue' when a back-dated posting
   * re-valued later issues: each move (qty 0) carries the value difference and
   * names in `revalues` the voucher whose cost it corrects.
   */
  kind: 'post' | 'reverse' | 'revalue';
  moves: PostedMove[];
  /** The source document's own fields (entry_type, …), for account choice. */
  source: Record<string, unknown>;
}

type Listener = (event: StockPosted) => Promise<void>;
const listeners: Listener[] = [];

export function onStockPosted(listener: Listener): void {
  listeners.push(listener);
}

/** Re-valuations written by postStockMoves in a transaction, waiting for that posting's event. */
const pending = new WeakMap<object, { voucher: Voucher; moves: PostedMove[] }[]>();

export function queueRevaluations(tx: Tx, voucher: Voucher, moves: PostedMove[]): void {
  pending.set(tx, [...(pending.get(tx) ?? []), { voucher, moves }]);
}

/**
 * Publishes a posting; then, in the same transaction, the re-valuations its
 * moves caused (a back-dated receipt makes later issues cost more or less), as
 * 'revalue' events — so every caller of postStockMoves gets difference vouchers
 * by publishing its own posting, without knowing about back-dating.
 */
export async function stockPosted(event: StockPosted): Promise<void> {
  for (const l of listeners) await l(event);
  const queued = pending.get(event.tx);
  if (!queued) return;
  pending.delete(event.tx);
  for (const q of queued) {
    const revalue: StockPosted = { ...event, voucher: q.voucher, kind: 'revalue', moves: q.moves };
    for (const l of listeners) await l(revalue);
  }
}
