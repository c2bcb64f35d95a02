import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { Sql, SqlRuntime } from './sql-convert.ts';
import { localParts, pad2, toDate, toDatetime, toNumber, type Runtime, type Value } from './values.ts';

/**
 * TEXT(value, format) formats, Excel-style:
 *   numbers  "0", "0.00", "#,##0.00", "0%", "0.0%"   (half-up rounding, up to 10 decimals)
 *   dates    "yyyy-mm-dd", "yyyy/m/d", "yyyy年mm月dd日", "yyyy-mm-dd hh:mm:ss", "hh:mm"
 * mm after hh or before ss means minutes, as in Excel. The format must be
 * written literally, so SQL gets a fixed to_char pattern (as a parameter).
 */
export const TEXT_FORMAT_NAMES = ['0', '0.00', '#,##0', '#,##0.00', '0%', '0.0%', 'yyyy-mm-dd', 'yyyy/mm/dd', 'yyyy年mm月dd日', 'yyyy年m月d日', 'yyyy-mm', 'yyyy-mm-dd hh:mm', 'yyyy-mm-dd hh:mm:ss', 'hh:mm'];

type Part = 'yyyy' | 'yy' | 'mm' | 'm' | 'dd' | 'd' | 'hh' | 'h' | 'mi' | 'ss' | { text: string };
export type TextFormat =
  | { kind: 'number'; decimals: number; grouped: boolean; percent: boolean }
  | { kind: 'date'; time: boolean; parts: Part[] };

const LITERAL = /^[-/:. T年月日时分秒号]$/;
const PG_PART: Record<string, string> = { yyyy: 'YYYY', yy: 'YY', mm: 'MM', m: 'FMMM', dd: 'DD', d: 'FMDD', hh: 'HH24', h: 'FMHH24', mi: 'MI', ss: 'SS' };

export function parseTextFormat(format: string): TextFormat | null {
  const n = /^(#,##)?0(?:\.(0{1,10}))?(%)?$/.exec(format);
  if (n) return { kind: 'number', grouped: !!n[1], decimals: n[2]?.length ?? 0, percent: !!n[3] };
  const parts: Part[] = [];
  const re = /yyyy|yy|mm|m|dd|d|hh|h|ss|[^ymdhs]/giy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(format))) {
    const tok = m[0].toLowerCase();
    consumed += m[0].length;
    if (/^[ymdhs]/.test(tok)) parts.push(tok as Part);
    else if (LITERAL.test(tok)) parts.push({ text: tok });
    else return null;
  }
  if (consumed !== format.length || !parts.some((p) => typeof p === 'string')) return null;
  // Excel: m/mm right after an hour or right before seconds means minutes.
  const tokens = parts.map((p, i) => ({ p, i })).filter((x) => typeof x.p === 'string');
  tokens.forEach(({ p, i }, k) => {
    if ((p === 'm' || p === 'mm') && (tokens[k - 1]?.p === 'hh' || tokens[k - 1]?.p === 'h' || tokens[k + 1]?.p === 'ss')) parts[i] = 'mi';
  });
  return { kind: 'date', parts, time: parts.some((p) => p === 'hh' || p === 'h' || p === 'mi' || p === 'ss') };
}

export function formatValue(v: Value, f: TextFormat, rt: Runtime): string | null {
  if (f.kind === 'number') {
    const d = toNumber(v);
    if (d === null) return null;
    let r = (f.percent ? d.times(100) : d).toDecimalPlaces(f.decimals, Decimal.ROUND_HALF_UP);
    if (r.isZero()) r = new Decimal(0); // no "-0.00"
    let s = r.toFixed(f.decimals);
    if (f.grouped) s = s.replace(/^(-?)(\d+)/, (_, sign: string, int: string) => sign + int.replace(/\B(?=(\d{3})+$)/g, ','));
    return f.percent ? `${s}%` : s;
  }
  const date = typeof v === 'string' ? toDate(v, rt.timeZone) : null;
  const t = date === null ? toDatetime(v, rt.timeZone) : null;
  if (date === null && t === null) return null;
  const p = date !== null ? { y: +date.slice(0, 4), m: +date.slice(5, 7), d: +date.slice(8, 10), h: 0, mi: 0, s: 0 } : localParts(t!, rt.timeZone);
  const out: Record<string, string> = {
    yyyy: String(p.y).padStart(4, '0'), yy: pad2(p.y % 100), mm: pad2(p.m), m: String(p.m), dd: pad2(p.d), d: String(p.d),
    hh: pad2(p.h), h: String(p.h), mi: pad2(p.mi), ss: pad2(p.s),
  };
  return f.parts.map((x) => (typeof x === 'string' ? out[x] : x.text)).join('');
}

/** `x` is already converted to the format's type: numeric, or a date or timestamptz for date formats (see TEXT's sig). */
export function formatSql(x: Sql, f: TextFormat, isDate: boolean, rt: SqlRuntime): Sql {
  if (f.kind === 'number') {
    const scaled = f.percent ? sql`(${x} * 100)` : x;
    const rounded = sql`round(${scaled}, ${sql.raw(String(f.decimals))})`;
    const body = f.grouped
      ? sql`to_char(${rounded}, ${`FM${'999,'.repeat(10)}990${f.decimals ? `.${'0'.repeat(f.decimals)}` : ''}`}::text)`
      : sql`(${rounded})::text`;
    return f.percent ? sql`(${body} || '%')` : body;
  }
  const pattern = f.parts.map((p) => (typeof p === 'string' ? PG_PART[p] : `"${p.text}"`)).join('');
  return isDate ? sql`to_char((${x})::timestamp, ${pattern}::text)` : sql`to_char((${x}) AT TIME ZONE ${rt.tz()}, ${pattern}::text)`;
}
