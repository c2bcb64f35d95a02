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
  /** 'post' on submit, 'reverse' on cancel. */
  kind: 'post' | 'reverse';
  moves: PostedMove[];
  /** The source document's own fields (entry_type, …), for account choice. */
  source: Record<string, unknown>;
}

type Listener = (event: StockPosted) => Promise<void>;
const listeners: Listener[] = [];

export function onStockPosted(listener: Listener): void {
  listeners.push(listener);
}

export async function stockPosted(event: StockPosted): Promise<void> {
  for (const l of listeners) await l(event);
}
