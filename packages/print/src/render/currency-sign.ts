import type { ObjectMeta } from '@mosaic/meta';

/**
 * The sign a printed amount carries: the company's own currency its short sign (¥ for a CNY company),
 * any other one the sign Chinese uses to tell it apart (US$, JP¥, HK$ — Intl's `symbol` in zh-CN), or its
 * code where even that reads as the company's. The rule the web's formatMoney follows
 * (apps/web/src/lib/format.ts `currencyDisplay`), so a document prints its total as the page shows it.
 *
 *   currencySign('CNY', 'CNY') === '¥'; currencySign('USD', 'CNY') === 'US$'; currencySign('CNY', 'USD') === '¥'
 */
export function currencySign(ccy: string, home: string): string {
  const sign = (c: string, display: 'narrowSymbol' | 'symbol') =>
    new Intl.NumberFormat('zh-CN', { style: 'currency', currency: c, currencyDisplay: display }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? c;
  let shown: string;
  try {
    shown = ccy === home ? sign(ccy, 'narrowSymbol') : sign(ccy, 'symbol');
    if (ccy !== home && shown === sign(home, 'narrowSymbol')) shown = ccy;
  } catch {
    shown = ccy;
  }
  return /^[A-Z]{3}$/.test(shown) ? `${shown} ` : shown; // a code (one Intl has no sign for) stands apart from the amount
}

/**
 * The currency a document is in: its own `currency` (a quote's, an invoice's; blank is the company's), else
 * its company's. A `currency` the reader may not read (absent from the record) gives null: no sign, not a guess.
 */
export function documentCurrency(obj: ObjectMeta, record: Record<string, unknown>, companyCurrency: string): string | null {
  if (!obj.fields.some((f) => f.apiName === 'currency' && !f.archived)) return companyCurrency;
  const own = record.currency;
  if (typeof own === 'string' && /^[A-Z]{3}$/.test(own)) return own;
  return 'currency' in record ? companyCurrency : null;
}
