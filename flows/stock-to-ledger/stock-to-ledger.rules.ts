import { Decimal } from '@mosaic/kernel';
import type { JournalLine } from '@mosaic/finance';
import type { PostedMove, StockPosted } from '@mosaic/stock';

/**
 * Which accounts a stock posting moves (小企业会计准则 codes). Pure.
 *
 * Each move changes the stock value of its warehouse's inventory account
 * (warehouse.inventory_account, default 1405 库存商品; e.g. 1403 原材料), and the
 * opposite amount lands on the counter account of the document:
 *   stock_entry receipt  Cr 1901 待处理财产损溢 (stock brought in without a purchase)
 *   stock_entry issue    Dr 5602 管理费用 (consumed internally)
 *   …either, with offset_account: that account (期初入库 Cr 3001 实收资本; workshop supplies Dr 4101)
 *   delivery_note        Dr 5401 主营业务成本 (cost of goods sold)
 *   sales_return         Cr 5401 主营业务成本 (the cost comes back at the rate it left)
 *   stock_count          gain Cr 1901 / loss Dr 1901 (待处理财产损溢, until approved and written off)
 *   transfers            none: Dr to-warehouse account, Cr from-warehouse account, nothing when equal
 *   revalue              the counter account of the document whose cost is corrected
 *                        (a back-dated receipt making earlier deliveries cost more: Dr 5401, Cr 1405)
 * A reversal's moves carry negated values, so its lines come out on the other sides.
 */
export const STOCK_ACCOUNTS = { inventory: '1405', adjustment: '1901', consumption: '5602', costOfSales: '5401' } as const;

const COUNTER: Record<string, string | null> = {
  'stock_entry:receipt': STOCK_ACCOUNTS.adjustment,
  'stock_entry:issue': STOCK_ACCOUNTS.consumption,
  'stock_entry:transfer': null,
  stock_transfer: null,
  delivery_note: STOCK_ACCOUNTS.costOfSales,
  sales_return: STOCK_ACCOUNTS.costOfSales,
  stock_count: STOCK_ACCOUNTS.adjustment,
};

/**
 * The counter account for a document type (and a stock entry's entry_type and offset_account, the
 * account its user chose); unknown documents go to 1901 for review.
 */
export function counterAccount(voucherType: string, entryType?: string | null, offsetAccount?: string | null): string | null {
  const key = voucherType === 'stock_entry' ? `stock_entry:${entryType ?? 'receipt'}` : voucherType;
  if (offsetAccount && voucherType === 'stock_entry' && key !== 'stock_entry:transfer') return offsetAccount;
  return key in COUNTER ? COUNTER[key] : STOCK_ACCOUNTS.adjustment;
}

export interface AccountLookup {
  /** warehouse id → its inventory account code (null: the default 1405). */
  inventoryOf(warehouse: string): string | null;
  /** stock_entry id → entry_type (for re-valuations of other stock entries). */
  entryTypeOf(voucherType: string, id: string): string | null;
  /** stock_entry id → its offset_account (null: the entry type's default). */
  offsetOf(voucherType: string, id: string): string | null;
  /** account code → account id (throws when the chart lacks it). */
  account(code: string): string;
}

export function stockJournalLines(event: Pick<StockPosted, 'moves' | 'source' | 'kind' | 'voucher'>, lookup: AccountLookup): JournalLine[] {
  const byCode = new Map<string, Decimal>();
  const add = (code: string, amount: Decimal) => byCode.set(code, (byCode.get(code) ?? new Decimal(0)).plus(amount));
  for (const m of event.moves) {
    if (m.valueChange.isZero()) continue;
    add(lookup.inventoryOf(m.warehouse) ?? STOCK_ACCOUNTS.inventory, m.valueChange);
    const counter = counterOf(event, m, lookup);
    if (counter) add(counter, m.valueChange.neg());
  }
  return balancedLines(byCode, lookup);
}

function counterOf(event: Pick<StockPosted, 'source' | 'kind' | 'voucher'>, m: PostedMove, lookup: AccountLookup): string | null {
  if (event.kind === 'revalue' && m.revalues) {
    const { type, id } = m.revalues;
    return counterAccount(type, lookup.entryTypeOf(type, id), lookup.offsetOf(type, id)) ?? STOCK_ACCOUNTS.adjustment;
  }
  return counterAccount(event.voucher.type, event.source.entry_type as string | undefined, event.source.offset_account as string | undefined);
}

/**
 * Amounts per account rounded to the fen. A rounding crumb goes to the side
 * with more lines (where the rounding came from: 3 × 33.333333 in → 33.33 +
 * 33.33 + 33.34 against 100.00), to its largest line, so the voucher balances.
 */
function balancedLines(byCode: Map<string, Decimal>, lookup: AccountLookup): JournalLine[] {
  const rounded = [...byCode].map(([code, amount]) => ({ code, amount: amount.toDecimalPlaces(2, Decimal.ROUND_HALF_UP) })).filter((x) => !x.amount.isZero());
  if (!rounded.length) return [];
  const crumb = rounded.reduce((s, x) => s.plus(x.amount), new Decimal(0));
  if (!crumb.isZero()) {
    const debits = rounded.filter((x) => x.amount.gt(0));
    const credits = rounded.filter((x) => x.amount.lt(0));
    const side = debits.length === credits.length ? rounded : debits.length > credits.length ? debits : credits;
    const largest = side.reduce((a, b) => (a.amount.abs().gte(b.amount.abs()) ? a : b));
    largest.amount = largest.amount.minus(crumb);
  }
  const zero = new Decimal(0);
  return rounded.filter((x) => !x.amount.isZero()).sort((a, b) => a.code.localeCompare(b.code)).map((x) => ({
    account: lookup.account(x.code), debit: x.amount.gt(0) ? x.amount : zero, credit: x.amount.lt(0) ? x.amount.neg() : zero, description: DESCRIPTIONS[x.code] ?? '库存变动',
  }));
}

const DESCRIPTIONS: Record<string, string> = {
  '1405': '库存商品', '1403': '原材料', '1901': '待处理财产损溢', '5602': '库存领用', '5401': '销售成本',
};
