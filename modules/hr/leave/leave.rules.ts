import { AppError, Decimal } from '@mosaic/kernel';
import { workingDaysBetween, type WorkCalendar } from '../calendar/work-calendar.ts';

export type Accrual = 'monthly' | 'yearly' | 'none';

/** "2026-03" → 3; refuses anything else, naming the field. */
export function monthOf(period: string, field = 'month'): { year: number; month: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(String(period ?? ''));
  if (!m) throw new AppError('FIELD_INVALID', `${field}: YYYY-MM`, { field });
  return { year: Number(m[1]), month: Number(m[2]) };
}

/**
 * Days accrued in `year` through the month `through` (inclusive):
 *   monthly  annual × (months employed this year through that month) ÷ 12, to 0.01 day
 *   yearly   the whole annual entitlement once employed in the year
 *   none     0 (the type has no balance: 病假, 事假 are not accrued)
 * Computed from the count of months, not added month by month, so running the
 * accrual twice, or late, gives the same figure and rounding never drifts.
 */
export function accruedDays(annualDays: Decimal, accrual: Accrual, hireDate: string, through: string): Decimal {
  const { year, month } = monthOf(through);
  const hired = monthOf(hireDate.slice(0, 7), 'hire_date');
  if (accrual === 'none' || hired.year > year || (hired.year === year && hired.month > month)) return new Decimal(0);
  if (accrual === 'yearly') return annualDays;
  const firstMonth = hired.year < year ? 1 : hired.month;
  const months = month - firstMonth + 1;
  return annualDays.times(months).div(12).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** What is left to take: accrued − used (approved) − pending (submitted, awaiting approval). */
export function availableDays(accrued: Decimal, used: Decimal, pending: Decimal): Decimal {
  return accrued.minus(used).minus(pending);
}

/**
 * The most days a request from `from` to `to` may take: its working days by the company
 * calendar. A leave over National Day does not spend the closed days; one over a 调休
 * Saturday spends that day. Less is allowed (half days, a day partly worked).
 */
export function leaveDayLimit(from: string, to: string, cal: WorkCalendar): number {
  return workingDaysBetween(from, to, cal).length;
}
