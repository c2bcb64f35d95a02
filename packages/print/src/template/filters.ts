import { Decimal, parseDecimal } from '@mosaic/kernel';
import { amountInWords } from '../capital/amount-in-words.ts';
import type { FilterName } from './placeholders.ts';

/**
 * The template filters. Each takes the text a field prints as and returns the
 * text to print; a value a filter cannot read (text under `money`) prints
 * unchanged rather than failing the whole document. `currency` is the code of
 * the document's currency (null: the reader may not know it), which 大写 names.
 */
export const FILTER_FNS: Record<FilterName, (value: string, currency?: string | null) => string> = {
  /** "1234.5" → "1,234.50" */
  money: (v) => numeric(v, (d) => groupThousands(d.toFixed(2, Decimal.ROUND_HALF_UP))),
  /** "12.000000" → "12", "1.250" → "1.25" */
  number: (v) => numeric(v, (d) => groupThousands(d.toFixed())),
  /** "0.13" → "13%" */
  percent: (v) => numeric(v, (d) => `${d.times(100).toFixed()}%`),
  /** "2026-11-23" → "2026年11月23日"; a date-time keeps its time: "2026年11月23日 14:05" */
  date: (v) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(v);
    if (!m) return v;
    return `${m[1]}年${m[2]}月${m[3]}日${m[4] ? ` ${m[4]}:${m[5]}` : ''}`;
  },
  /** "1234.56" → "壹仟贰佰叁拾肆元伍角陆分"; in US dollars "美元壹仟贰佰叁拾肆元伍角陆分" */
  capital: (v, currency) => numeric(v, (d) => amountInWords(d, currency ?? undefined)),
};

export function applyFilters(value: string, filters: FilterName[], currency?: string | null): string {
  if (value === '') return '';
  return filters.reduce((v, f) => FILTER_FNS[f](v, currency), value);
}

function numeric(v: string, format: (d: Decimal) => string): string {
  const d = parseDecimal(v);
  return d ? format(d) : v;
}

function groupThousands(fixed: string): string {
  const [int, frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}
