import { AppError, Decimal } from '@mosaic/kernel';
import type { StockMove } from '../stock-ledger/stock-ledger.service.ts';

/**
 * A stock entry's lines → stock moves. Pure.
 *   receipt:  + qty into `warehouse` at the line's rate
 *   issue:    − qty out of `warehouse`
 *   transfer: − qty out of `warehouse`, then + qty into `to_warehouse` at the rate it left
 *             (the second half is priced by the service from the first: see stock-entry.hooks.ts)
 */
export function movesOf(entry: Record<string, any>): StockMove[] {
  const lines = (entry.lines ?? []) as Record<string, any>[];
  if (!lines.length) throw new AppError('FIELD_REQUIRED', 'lines: needs at least one row', { field: 'lines' });
  if (entry.entry_type === 'transfer' && (!entry.to_warehouse || entry.to_warehouse === entry.warehouse)) {
    throw new AppError('FIELD_INVALID', 'to_warehouse: a transfer needs a different warehouse to go to', { field: 'to_warehouse' });
  }
  return lines.map((l, i) => {
    const qty = new Decimal(l.qty);
    if (entry.entry_type === 'receipt') {
      if (l.rate === null || l.rate === undefined) throw new AppError('FIELD_REQUIRED', `lines.${i}.rate: a receipt needs the unit cost`, { field: `lines.${i}.rate` });
      return { item: l.item, warehouse: entry.warehouse, qty, rate: new Decimal(l.rate) };
    }
    return { item: l.item, warehouse: entry.warehouse, qty: qty.neg() };
  });
}
