import { AppError } from '@mosaic/kernel';
import type { StockMove } from '../stock-ledger/stock-ledger.service.ts';
import type { StockLine } from '../stock-ledger/stock-lines.service.ts';

/**
 * A stock entry's lines (already in stock units) → stock moves. Pure.
 *   receipt:  + qty into `warehouse` at the line's rate
 *   issue:    − qty out of `warehouse`
 *   transfer: − qty out of `warehouse` (kept at its rate if history is re-valued: its
 *             value went on to `to_warehouse`, see stock-entry.hooks.ts)
 * Called with no lines it only checks the header (validate, before conversion).
 */
export function movesOf(entry: Record<string, any>, lines: StockLine[]): StockMove[] {
  const raw = (entry.lines ?? []) as Record<string, any>[];
  if (!raw.length) throw new AppError('FIELD_REQUIRED', 'lines: needs at least one row', { field: 'lines' });
  if (entry.entry_type === 'transfer' && (!entry.to_warehouse || entry.to_warehouse === entry.warehouse)) {
    throw new AppError('FIELD_INVALID', 'to_warehouse: a transfer needs a different warehouse to go to', { field: 'to_warehouse' });
  }
  if (entry.entry_type === 'transfer' && entry.offset_account) {
    throw new AppError('FIELD_INVALID', 'offset_account: a transfer moves stock between warehouses and has no offset account', { field: 'offset_account' });
  }
  raw.forEach((l, i) => {
    if (entry.entry_type === 'receipt' && (l.rate === null || l.rate === undefined)) {
      throw new AppError('FIELD_REQUIRED', `lines.${i}.rate: a receipt needs the unit cost`, { field: `lines.${i}.rate` });
    }
  });
  return lines.map((l) => {
    const base = { item: l.item, warehouse: entry.warehouse, batch: l.batch, serialNo: l.serialNo };
    if (entry.entry_type === 'receipt') return { ...base, qty: l.qty, rate: l.rate };
    return { ...base, qty: l.qty.neg(), keepRate: entry.entry_type === 'transfer' };
  });
}
