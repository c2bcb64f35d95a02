import { Decimal } from '@mosaic/kernel';
import type { JournalLine } from '@mosaic/finance';
import type { StockPosted } from '@mosaic/stock';

/**
 * Which accounts a stock posting moves (小企业会计准则 codes). Pure.
 *   receipt:  Dr 1405 库存商品        Cr 1901 待处理财产损溢 (stock found / brought in without a purchase)
 *   issue:    Dr 5602 管理费用        Cr 1405 库存商品 (consumed internally)
 *   delivery: Dr 5401 主营业务成本  Cr 1405 库存商品 (cost of goods sold)
 *   transfer: nothing — both warehouses carry stock on 1405
 * A reversal is the same voucher with sides swapped. Purchase receipts, deliveries
 * and invoices will bring their own mappings (GR/IR, COGS) with those documents.
 */
export const STOCK_ACCOUNTS = { inventory: '1405', adjustment: '1901', consumption: '5602', costOfSales: '5401' } as const;

export function stockJournalLines(event: Pick<StockPosted, 'moves' | 'source' | 'kind' | 'voucher'>, account: (code: string) => string): JournalLine[] {
  const type = event.voucher.type === 'delivery_note' ? 'delivery' : event.source.entry_type;
  if (type === 'transfer') return [];
  const total = event.moves.reduce((s, m) => s.plus(m.valueChange), new Decimal(0)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  if (total.isZero()) return [];
  const inventory = account(STOCK_ACCOUNTS.inventory);
  const other = account(type === 'receipt' ? STOCK_ACCOUNTS.adjustment : type === 'delivery' ? STOCK_ACCOUNTS.costOfSales : STOCK_ACCOUNTS.consumption);
  // total > 0: stock value went up (Dr inventory); < 0: it went down (Cr inventory).
  const amount = total.abs();
  const up = total.gt(0);
  const zero = new Decimal(0);
  return [
    { account: inventory, debit: up ? amount : zero, credit: up ? zero : amount, description: '库存商品' },
    { account: other, debit: up ? zero : amount, credit: up ? amount : zero, description: type === 'receipt' ? '库存入库' : type === 'delivery' ? '销售成本' : '库存领用' },
  ];
}
