import type { TCreateObject } from '@mosaic/meta';

const CURRENCY = { regex: '^[A-Z]{3}$' };
// price_list.currency and price_list.customer (专价) are the selling module's: priceFor reads them.
const listLink = (apiName: string, zh: string, en: string) => ({ apiName, type: 'link' as const, label: { zh, en }, config: { target: 'price_list', onDelete: 'set_null' as const } });

/**
 * Price lists for quotes (crm_sales, merged into its objects by mergeObjectDefs).
 * The price list itself is the stock module's `price_list` (lines = item_price:
 * item, price, quantity break; valid from/to; customer_group = a customer tier
 * A/B/C, blank = everyone) — the one selling prices orders from, not a second
 * one, with selling's currency and only-for-this-customer link. The CRM adds a
 * default list per customer (which may be shared, e.g. 经销商价), and on the
 * quote the list asked for, the quote's currency, and which list priced each line.
 */
export const QUOTE_PRICING_OBJECTS: TCreateObject[] = [
  { apiName: 'customer', label: { zh: '客户', en: 'Customer' }, module: 'crm', fields: [listLink('price_list', '默认价目表', 'Default price list')] },
  {
    apiName: 'quote', label: { zh: '报价单', en: 'Quote' }, module: 'crm',
    fields: [
      listLink('price_list', '价目表', 'Price list'),
      // No default: a new quote is in the company's currency (selling's pricing/currency-default.ts).
      { apiName: 'currency', type: 'text', label: { zh: '币种', en: 'Currency' }, config: CURRENCY },
    ],
  },
  { apiName: 'quote_line', label: { zh: '报价明细', en: 'Quote line' }, module: 'crm', fields: [listLink('price_list', '取价价目表', 'Priced from')] },
];
