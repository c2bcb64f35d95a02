import { describe, expect, it } from 'vitest';
import { Decimal } from '@mosaic/kernel';
import type { PostedMove } from '@mosaic/stock';
import { counterAccount, stockJournalLines, type AccountLookup } from './stock-to-ledger.rules.ts';

// The account mapping of stock postings, without a database.
const lookup = (warehouses: Record<string, string | null> = {}, entryTypes: Record<string, string> = {}): AccountLookup => ({
  inventoryOf: (w) => warehouses[w] ?? null,
  entryTypeOf: (_t, id) => entryTypes[id] ?? null,
  offsetOf: () => null,
  account: (code) => `acc-${code}`,
});
const move = (warehouse: string, value: string, extra: Partial<PostedMove> = {}): PostedMove => ({
  item: 'i', warehouse, qty: new Decimal(1), rate: new Decimal(0), valueChange: new Decimal(value), qtyAfter: new Decimal(0), valueAfter: new Decimal(0), ...extra,
});
const voucher = (type: string) => ({ type, id: 'v', postingDate: '2026-11-23' });
const sides = (lines: ReturnType<typeof stockJournalLines>) => lines.map((l) => [l.account, l.debit.toFixed(2), l.credit.toFixed(2)]);

describe('stock → ledger account mapping', () => {
  it('maps documents to their counter accounts', () => {
    expect(counterAccount('delivery_note')).toBe('5401');
    expect(counterAccount('sales_return')).toBe('5401');
    expect(counterAccount('stock_entry', 'issue')).toBe('5602');
    expect(counterAccount('stock_entry', 'transfer')).toBeNull();
    expect(counterAccount('stock_count')).toBe('1901');
    expect(counterAccount('something_new')).toBe('1901'); // unknown documents wait in 待处理 for review
    // a stock entry's own offset account wins over its type's default; a transfer has none
    expect(counterAccount('stock_entry', 'receipt', '3001')).toBe('3001');
    expect(counterAccount('stock_entry', 'issue', '4101')).toBe('4101');
    expect(counterAccount('stock_entry', 'transfer', '3001')).toBeNull();
    expect(counterAccount('delivery_note', null, '3001')).toBe('5401');
  });

  it('nets a transfer per inventory account: nothing when both sides are on 1405', () => {
    const same = stockJournalLines({ voucher: voucher('stock_transfer'), kind: 'post', source: {}, moves: [move('a', '-50'), move('b', '50')] }, lookup());
    expect(same).toEqual([]);
    const raw = stockJournalLines({ voucher: voucher('stock_transfer'), kind: 'post', source: {}, moves: [move('a', '-50'), move('raw', '50')] }, lookup({ raw: '1403' }));
    expect(sides(raw)).toEqual([['acc-1403', '50.00', '0.00'], ['acc-1405', '0.00', '50.00']]);
  });

  it('keeps a voucher balanced when per-account rounding leaves a crumb', () => {
    // 3 × 33.333333 in, one third each to three warehouses on different accounts
    const lines = stockJournalLines({ voucher: voucher('stock_entry'), kind: 'post', source: { entry_type: 'receipt' },
      moves: [move('a', '33.333333'), move('b', '33.333333'), move('c', '33.333334')] }, lookup({ a: '1403', b: '1405', c: '1406' }));
    const debit = lines.reduce((s, l) => s.plus(l.debit), new Decimal(0));
    const credit = lines.reduce((s, l) => s.plus(l.credit), new Decimal(0));
    expect(debit.toFixed(2)).toBe(credit.toFixed(2));
    expect(credit.toFixed(2)).toBe('100.00');
  });

  it('sends a re-valuation to the counter account of the document whose cost changed', () => {
    const lines = stockJournalLines({ voucher: voucher('stock_entry'), kind: 'revalue', source: { entry_type: 'receipt' }, moves: [
      move('a', '-6', { revalues: { type: 'delivery_note', id: 'd', postingDate: '2026-11-12' } }),
      move('a', '-3', { revalues: { type: 'stock_entry', id: 's', postingDate: '2026-11-14' } }),
    ] }, lookup({}, { s: 'issue' }));
    expect(sides(lines)).toEqual([['acc-1405', '0.00', '9.00'], ['acc-5401', '6.00', '0.00'], ['acc-5602', '3.00', '0.00']]);
  });
});
