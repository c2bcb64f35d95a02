import { formatMoney, formatMoneyByCurrency, formatNumber, type Lang } from '../../lib/format.ts';
import { sumDecimals } from '../../lib/decimal.ts';
import type { ReportResult } from './reports-api.ts';

type Row = Record<string, unknown>;

/**
 * One figure of a report as the server answers it (packages/reporting markMixed): a money
 * measure's cell carries `<key>$currency`, or — when its records are in several currencies —
 * is null with `<key>$mixed` and `<key>$byCurrency` ({ CNY: "100000.00", USD: "20000.00" }).
 */
export interface ReportCell {
  value: unknown;
  /** The one currency of a money figure. */
  currency?: string;
  /** Where mixed: the amounts per currency (a formula or a Δ over mixed money has none). */
  byCurrency?: Record<string, unknown>;
  mixed: boolean;
}

export function reportCell(row: Row, key: string): ReportCell {
  const currency = row[`${key}$currency`];
  const by = row[`${key}$byCurrency`];
  return {
    value: row[key],
    ...(typeof currency === 'string' ? { currency } : {}),
    ...(by && typeof by === 'object' ? { byCurrency: by as Record<string, unknown> } : {}),
    mixed: row[`${key}$mixed`] === true,
  };
}

/**
 * A figure as text: money in its own currency (¥8,000.00 / $20,000.00); mixed money one amount per
 * currency (¥108,000.00 · $20,000.00, never one added number); '—' for a mixed figure with no amounts
 * (a margin over mixed money); any other number as before.
 */
export function figureText(cell: ReportCell, lang: Lang): string {
  if (cell.mixed) return cell.byCurrency ? formatMoneyByCurrency(cell.byCurrency, null, lang) : '—';
  // '' is an amount stored without a currency: formatMoney shows it in the company's.
  if (cell.currency !== undefined && cell.value !== null && cell.value !== undefined) return formatMoney(cell.value, cell.currency, lang);
  return formatNumber(cell.value, lang);
}

/**
 * A measure's total over the result: its grand-total row when there is one, else its detail rows
 * added up — per currency for money, so detail rows in ¥ and US$ give a mixed total, not their sum.
 */
export function totalCell(result: Pick<ReportResult, 'columns' | 'rows'>, detail: Row[], key: string): ReportCell {
  const dims = result.columns.filter((c) => c.kind === 'dimension');
  const total = result.rows.find((r) => (r.$totals as string[] | undefined)?.length === dims.length) ?? (dims.length ? null : result.rows[0]);
  if (total) return reportCell(total, key);
  if (!detail.length) return { value: null, mixed: false };
  const cells = detail.map((r) => reportCell(r, key));
  if (!cells.some((c) => c.currency !== undefined || c.byCurrency)) return { value: sumDecimals(cells.map((c) => c.value)), mixed: cells.some((c) => c.mixed) };
  const by = new Map<string, unknown[]>();
  const add = (ccy: string, v: unknown) => by.set(ccy, [...(by.get(ccy) ?? []), v]);
  for (const c of cells) {
    if (c.byCurrency) for (const [ccy, v] of Object.entries(c.byCurrency)) add(ccy, v);
    else if (c.currency !== undefined && c.value !== null && c.value !== undefined) add(c.currency, c.value);
  }
  const sums = Object.fromEntries([...by].map(([ccy, vs]) => [ccy, sumDecimals(vs)]));
  if (by.size === 1) { const [currency] = by.keys(); return { value: sums[currency], currency, mixed: false }; }
  return { value: null, byCurrency: sums, mixed: true };
}

/**
 * Whether a chart of these measures cannot be drawn honestly: a figure it would plot is mixed, or its
 * figures are in different currencies (one axis has one unit). The widget says so instead of a wrong bar.
 */
export function chartMixed(detail: Row[], measureKeys: string[], total?: ReportCell): boolean {
  if (total?.mixed) return true;
  return measureKeys.some((k) => {
    const cells = detail.map((r) => reportCell(r, k));
    return cells.some((c) => c.mixed) || new Set(cells.flatMap((c) => (c.currency === undefined ? [] : [c.currency]))).size > 1;
  });
}
