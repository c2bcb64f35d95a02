import { AppError, monthEnd } from '@mosaic/kernel';

export interface Quarter {
  period: string;
  from: string;
  to: string;
}

/**
 * `2026-Q4` → its first and last day (`2026-10-01`, `2026-12-31`). Anything else
 * is a 422 naming `period`: the same form a sales_target's period must have.
 */
export function parseQuarter(period: unknown, field = 'period'): Quarter {
  const m = typeof period === 'string' ? /^(\d{4})-Q([1-4])$/.exec(period) : null;
  if (!m) throw new AppError('FIELD_INVALID', `${field}: a quarter like 2026-Q4 (YYYY-Qn)`, { field });
  const q = Number(m[2]);
  const firstMonth = (q - 1) * 3 + 1;
  const mm = (n: number) => String(n).padStart(2, '0');
  return { period: `${m[1]}-Q${q}`, from: `${m[1]}-${mm(firstMonth)}-01`, to: monthEnd(`${m[1]}-${mm(firstMonth + 2)}`) };
}
