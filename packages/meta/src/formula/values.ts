import { Decimal, parseDecimal } from '@mosaic/kernel';

/**
 * Run-time values of the interpreter: number → Decimal, text → string,
 * boolean, date → 'YYYY-MM-DD', date-time → Date, child rows → arrays, empty → null.
 *
 * Null semantics match PostgreSQL so that a formula means the same in both:
 * arithmetic and comparisons with null give null; SUM/COUNT/AVG/MIN/MAX skip
 * nulls; `&` and CONCATENATE treat null as ""; IF(null, …) takes the else
 * branch; division by zero gives null (SQL: NULLIF).
 */
export type Value = Decimal | string | boolean | Date | null | Value[];

export function num(v: unknown): Decimal | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return new Decimal(v ? 1 : 0);
  return parseDecimal(v);
}

export function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && 'toFixed' in (v as object)) return (v as Decimal).toFixed();
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

export function bool(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  const n = num(v);
  return n ? !n.isZero() : null;
}

export function date(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  return null;
}

export function datetime(v: unknown): Date | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v;
  if (typeof v === 'string') {
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

export const dayMs = 86_400_000;
export const toDayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / dayMs;
export const fromDayNumber = (n: number) => new Date(n * dayMs).toISOString().slice(0, 10);

/** Compares two values of the same kind: -1, 0, 1, or null if either is null. */
export function compare(a: unknown, b: unknown): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  const na = typeof a === 'string' && typeof b === 'string' ? null : num(a);
  const nb = typeof a === 'string' && typeof b === 'string' ? null : num(b);
  if (na && nb) return na.cmp(nb);
  if (a instanceof Date || b instanceof Date) {
    const x = datetime(a)?.getTime();
    const y = datetime(b)?.getTime();
    return x === undefined || y === undefined ? null : Math.sign(x - y);
  }
  const sa = text(a)!;
  const sb = text(b)!;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
