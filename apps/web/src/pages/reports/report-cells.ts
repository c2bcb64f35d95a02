import { formatMoney, formatMoneyByCurrency, formatNumber, type Lang } from '../../lib/format.ts';
import { isDecimal, roundDecimal, shiftDecimal, sumDecimals } from '../../lib/decimal.ts';
import type { ReportResult, ResultColumn } from './reports-api.ts';

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
  /** The digits a plain number shows (its column's `scale`, where the server knows it). */
  scale?: number;
}

/** The figure of `key` in `row`; with its column, at the column's scale. */
export function reportCell(row: Row, key: string, column?: Pick<ResultColumn, 'scale'>): ReportCell {
  const currency = row[`${key}$currency`];
  const by = row[`${key}$byCurrency`];
  return {
    value: row[key],
    ...(column?.scale !== undefined ? { scale: column.scale } : {}),
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
  return formatNumber(cell.value, lang, cell.scale ?? plainScale(cell.value));
}

/**
 * The digits of a figure whose field says none (a sum of a formula, a ratio): a count or an integer's
 * sum none, a decimal two — 42,520.50 and 171,990.52, not 42,520.5 and 171,990.517131.
 */
function plainScale(value: unknown): number | undefined {
  if (!isDecimal(value)) return undefined;
  return String(value).includes('.') ? 2 : 0;
}

/** The comparison of a figure with the previous period: that period's figure, and the change in percent. */
export interface Comparison {
  previous: ReportCell;
  /** 'up' / 'down' / 'flat'; null when there is no percentage (nothing before, or mixed money). */
  trend: 'up' | 'down' | 'flat' | null;
  /** "+10.3%", "−36.6%"; '—' when there is none. */
  change: string;
}

export function comparisonOf(row: Row, key: string, lang: Lang, column?: Pick<ResultColumn, 'scale'>): Comparison {
  const pct = row[`${key}$deltaPct`];
  const previous = reportCell(row, `${key}$prev`, column);
  if (pct === null || pct === undefined || row[`${key}$deltaPct$mixed`] === true || !isDecimal(pct)) return { previous, trend: null, change: '—' };
  const points = roundDecimal(shiftDecimal(pct, 2), 1) ?? '0'; // percent points to one decimal: 10.3, −36.6
  const size = points.replace(/^-/, '');
  const trend = !/[1-9]/.test(size) ? 'flat' : points.startsWith('-') ? 'down' : 'up';
  return { previous, trend, change: `${trend === 'up' ? '+' : trend === 'down' ? '−' : ''}${formatNumber(size, lang, 1)}%` };
}

/** What the previous side of a comparison is called: 去年同期 when it is a year back, else 上期. */
export function previousLabel(result: Pick<ReportResult, 'period'>): 'lastYear' | 'previousPeriod' | null {
  const p = result.period;
  if (!p?.previous) return null;
  return p.shift && p.shift.days === 0 && p.shift.months > 0 && p.shift.months % 12 === 0 ? 'lastYear' : 'previousPeriod';
}

/** A date bucket's value as its period reads: 2026-03, 2026 Q1, 2026 (the server answers each bucket's first day). */
export function bucketText(value: unknown, bucket: string | undefined): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const [y, m] = [value.slice(0, 4), Number(value.slice(5, 7))];
  switch (bucket) {
    case 'month': return `${y}-${value.slice(5, 7)}`;
    case 'quarter': return `${y} Q${Math.floor((m - 1) / 3) + 1}`;
    case 'year': return y;
    default: return value.slice(0, 10);
  }
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
