import { companyCurrency } from '../api/company-currency.ts';
import { roundDecimal, shiftDecimal, sumDecimals } from './decimal.ts';

/**
 * Display formats per locale: ¥1,234.50; 2026年11月23日 / Nov 23, 2026; 13%.
 * Intl.NumberFormat takes decimal strings exactly (ECMA-402 "NumberFormat v3"),
 * so amounts are formatted without becoming floats.
 */
export type Lang = 'zh-CN' | 'en';

/** A metadata label in the user's language (Chinese when it has no English). */
export function labelOf(label: { zh: string; en?: string } | undefined, lang: Lang): string {
  if (!label) return '';
  return lang === 'en' ? label.en || label.zh : label.zh;
}

const intlLocale = (lang: Lang) => (lang === 'en' ? 'en-US' : 'zh-CN');
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function nf(lang: Lang, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${lang}|${JSON.stringify(opts)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.NumberFormat(intlLocale(lang), opts)));
  return f;
}

function df(lang: Lang, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${lang}|${JSON.stringify(opts)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(intlLocale(lang), opts)));
  return f;
}

// A decimal string is a valid argument since ES2023 Intl; the DOM typings lag behind.
const fmt = (f: Intl.NumberFormat, v: string) => f.format(v as unknown as number);

export function formatNumber(value: unknown, lang: Lang, scale?: number): string {
  const s = scale === undefined ? shiftDecimal(value, 0) : roundDecimal(value, scale);
  if (s === null) return value === null || value === undefined ? '' : String(value);
  return fmt(nf(lang, { minimumFractionDigits: scale ?? 0, maximumFractionDigits: scale ?? 20 }), s);
}

/**
 * An amount in `currency`; without one, in the company's (GET /auth/me), not a fixed CNY. The company's own
 * currency shows its short sign (¥ for a CNY company in Chinese); any other one a sign that tells it apart
 * (currencyDisplay): ¥100,000.00 · US$20,000.00 · JP¥3,000, never three "¥"/"$" that read alike.
 */
export function formatMoney(amount: unknown, currency: string | null | undefined, lang: Lang, scale = 2): string {
  const s = roundDecimal(amount, scale);
  if (s === null) return amount === null || amount === undefined ? '' : String(amount);
  const ccy = currency || companyCurrency();
  try {
    return fmt(nf(lang, { style: 'currency', currency: ccy, currencyDisplay: currencyDisplay(ccy, lang), minimumFractionDigits: scale, maximumFractionDigits: scale }), s);
  } catch {
    return `${ccy} ${fmt(nf(lang, { minimumFractionDigits: scale }), s)}`.trim();
  }
}

/**
 * How `ccy` shows beside the company's currency. Its own: the narrow sign (¥, $). Another: the locale's
 * symbol, which CLDR keeps apart from the local currency's (zh-CN: US$, JP¥, HK$; en-US: CN¥, A$) — and its
 * code where that symbol is still the company's sign (en-US says "¥" for the yen; a CNY company's ¥ is the yuan).
 */
export function currencyDisplay(ccy: string, lang: Lang): 'narrowSymbol' | 'symbol' | 'code' {
  const home = companyCurrency();
  if (ccy === home) return 'narrowSymbol';
  const sign = (c: string, display: 'narrowSymbol' | 'symbol') => nf(lang, { style: 'currency', currency: c, currencyDisplay: display }).formatToParts(0).find((p) => p.type === 'currency')?.value;
  try {
    return sign(ccy, 'symbol') === sign(home, 'narrowSymbol') ? 'code' : 'symbol';
  } catch {
    return 'code'; // not a currency Intl knows: formatMoney shows the code it was given
  }
}

/** A value the server answers as money — a money field's, or a lookup's of one: { amount, currency }. */
export function isMoneyValue(v: unknown): v is { amount: unknown; currency?: string | null } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'amount' in v;
}

/**
 * A lookup's value as text. A lookup of a money field is money in its own currency (the linked record's,
 * a USD customer's credit limit in US$ — not the company's), at the scale its amount comes with (the
 * money field's `numeric(p,s)`: the lookup's own metadata does not say it); anything else as it is.
 */
export function formatLookup(v: unknown, lang: Lang): string {
  if (isMoneyValue(v)) return formatMoney(v.amount, v.currency, lang, /\.(\d+)$/.exec(String(v.amount))?.[1].length ?? 0);
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/**
 * Sums per currency (the aggregate's "sum:<money>@currency", { CNY: "100000.00", USD: "20000.00" }) as
 * "¥100,000.00 · US$20,000.00", each amount in its own currency: ¥ and US$ are never added together. `currency`
 * (the field's default, else the company's) comes first and takes the amounts stored without one (""), as
 * formatMoney shows such an amount; no sums at all is 0 in it — one currency shows exactly as one total.
 */
export function formatMoneyByCurrency(sums: Record<string, unknown> | null | undefined, currency: string | null | undefined, lang: Lang, scale = 2): string {
  const home = currency || companyCurrency();
  const by = new Map<string, unknown[]>();
  for (const [ccy, amount] of Object.entries(sums ?? {})) by.set(ccy || home, [...(by.get(ccy || home) ?? []), amount]);
  if (!by.size) by.set(home, ['0']);
  const order = [...by.keys()].sort((a, b) => (a === home ? -1 : b === home ? 1 : a < b ? -1 : 1));
  return order.map((ccy) => formatMoney(sumDecimals(by.get(ccy)!), ccy, lang, scale)).join(' · ');
}

/** A stored fraction (0.13) shown as percent points (13%). */
export function formatPercent(fraction: unknown, lang: Lang): string {
  const points = shiftDecimal(fraction, 2);
  if (points === null) return '';
  return `${formatNumber(points, lang)}%`;
}

/** 'YYYY-MM-DD' → 2026年11月23日 / Nov 23, 2026 (a calendar date: no time-zone shift). */
export function formatDate(value: unknown, lang: Lang): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return value ? String(value) : '';
  const d = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return value;
  return df(lang, { dateStyle: lang === 'en' ? 'medium' : 'long', timeZone: 'UTC' }).format(d);
}

export function formatDateTime(value: unknown, lang: Lang): string {
  if (typeof value !== 'string') return value ? String(value) : '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return df(lang, { dateStyle: lang === 'en' ? 'medium' : 'long', timeStyle: 'short' }).format(d);
}
