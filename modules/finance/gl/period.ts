import { AppError, monthEnd } from '@mosaic/kernel';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A period's first and last day, and the next period's first day (YYYY-MM-DD). */
export function periodBounds(period: string): { first: string; last: string; nextFirst: string; next: string; previous: string } {
  if (!PERIOD.test(period ?? '')) throw new AppError('FIELD_INVALID', 'period: YYYY-MM', { field: 'period' });
  const [y, m] = period.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  const previous = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  return { first: `${period}-01`, last: monthEnd(period), nextFirst: `${next}-01`, next, previous };
}
