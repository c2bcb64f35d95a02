import type { ObjectMeta } from '@mosaic/meta';
import { FILTER_FNS } from '../template/filters.ts';

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
 * An amount as a printed document and a notification write it: its currency's sign (currencySign) and the
 * `money` filter's digits — what a template's `{{$currency}}{{total|money}}` prints.
 *
 *   moneyText('100000', 'USD', 'CNY') === 'US$100,000.00'; moneyText('100000', 'CNY', 'CNY') === '¥100,000.00'
 */
export function moneyText(amount: string, ccy: string, home: string): string {
  return `${currencySign(ccy, home)}${FILTER_FNS.money(amount)}`;
}

/** Names 中国银行's 外汇牌价 uses where CLDR says otherwise (CLDR: 港元, 澳门币, 韩元). */
const BANK_NAMES: Record<string, string> = { HKD: '港币', MOP: '澳门元', KRW: '韩国元' };

/**
 * A currency's Chinese name, as documents write it in words: 人民币, 美元, 欧元, 港币, 日元, 英镑…
 * (CLDR's zh names, with the bank's names for a few); a code no one names prints as the code.
 *
 *   currencyName('USD') === '美元'; currencyName('HKD') === '港币'; currencyName('ABC') === 'ABC'
 */
export function currencyName(ccy: string): string {
  if (BANK_NAMES[ccy]) return BANK_NAMES[ccy];
  try {
    return new Intl.DisplayNames('zh-CN', { type: 'currency', fallback: 'code' }).of(ccy) ?? ccy;
  } catch {
    return ccy; // not a well-formed code
  }
}

/**
 * What a report's figures are counted in, for its 单位 line: 元 for the yuan (as Chinese statements have
 * always printed it), any other currency by its name — 单位：美元, 单位：港币.
 *
 *   amountUnit('CNY') === '元'; amountUnit('USD') === '美元'
 */
export function amountUnit(ccy: string): string {
  return ccy === 'CNY' ? '元' : currencyName(ccy);
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
