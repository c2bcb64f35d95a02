import { AppError } from '@mosaic/kernel';
import type { ChartAccount } from './small-business.chart.ts';
import { SMALL_BUSINESS_CHART } from './small-business.chart.ts';
import { IFRS_CHART } from './ifrs.chart.ts';

/** The charts of accounts a company can be set up with (POST /api/v1/finance/chart-setup). */
export const CHART_TEMPLATES: Record<string, { label: { zh: string; en: string }; accounts: ChartAccount[] }> = {
  small_business: { label: { zh: '小企业会计准则', en: 'Accounting Standards for Small Business Enterprises (PRC, 2013)' }, accounts: SMALL_BUSINESS_CHART },
  ifrs: { label: { zh: '国际财务报告准则（通用科目表）', en: 'IFRS (general chart)' }, accounts: IFRS_CHART },
};

/** `value` as a template name, or FIELD_INVALID naming `field` (own keys only: not 'constructor' or '__proto__'). */
export function chartTemplateOrThrow(value: unknown, field: string): string {
  if (typeof value !== 'string' || !Object.hasOwn(CHART_TEMPLATES, value)) {
    throw new AppError('FIELD_INVALID', `${field}: one of ${Object.keys(CHART_TEMPLATES).join(', ')}`, { field });
  }
  return value;
}

/** What a company gets when nobody chose: the chart every module was written against. */
export const DEFAULT_CHART = 'small_business';

/**
 * The chart a new company gets when its creator chose none. A company has no
 * country of its own; its book currency says which standard it reports under:
 * 人民币 books → 小企业会计准则, any other → the IFRS-style chart. The rule is
 * data, sent to the web app with the templates (GET /finance/chart-templates
 * → defaults), so the set-up form preselects what the server would choose.
 */
export const CHART_DEFAULTS: { byCurrency: Record<string, string>; other: string } = { byCurrency: { CNY: DEFAULT_CHART }, other: 'ifrs' };

export function defaultChartFor(currency: string): string {
  return chartDefaultOf(CHART_DEFAULTS, currency);
}

/** The default in `defaults` for a book currency (own keys only). */
export function chartDefaultOf(defaults: typeof CHART_DEFAULTS, currency: string): string {
  const c = currency.trim();
  return Object.hasOwn(defaults.byCurrency, c) ? defaults.byCurrency[c] : defaults.other;
}

/** A template's accounts with `isGroup` set where another account names it as parent. */
export function templateAccounts(template: string): (ChartAccount & { isGroup: boolean })[] {
  const accounts = CHART_TEMPLATES[template]?.accounts ?? CHART_TEMPLATES[DEFAULT_CHART].accounts;
  const parents = new Set(accounts.map((x) => x.parent).filter(Boolean));
  return accounts.map((x) => ({ ...x, isGroup: parents.has(x.code) }));
}
