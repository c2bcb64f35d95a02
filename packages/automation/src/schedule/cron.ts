import cronParser from 'cron-parser';
import { AppError } from '@mosaic/kernel';

/**
 * Cron expressions of schedule rules: 5 fields (minute precision) or 6 with
 * seconds first, read in the tenant's time zone ("0 9 * * 1-5" is 9:00 on
 * weekdays in Asia/Shanghai).
 */
export function checkCron(expr: string, timeZone: string, field = 'trigger.cron'): void {
  const n = expr.trim().split(/\s+/).length;
  if (n < 5 || n > 6) throw new AppError('VALIDATION_FAILED', `${field}: a cron expression has 5 or 6 fields`, { field });
  try {
    cronParser.parseExpression(expr, { tz: timeZone });
  } catch (e) {
    throw new AppError('VALIDATION_FAILED', `${field}: ${(e as Error).message}`, { field });
  }
}

/**
 * The fire times in (from, to], oldest first, at most `max` (the latest ones).
 * A scheduler that was down longer than its window does not replay every
 * missed minute: it fires what falls inside the window.
 */
export function fireTimesBetween(expr: string, timeZone: string, from: Date, to: Date, max = 10): Date[] {
  const out: Date[] = [];
  // Walk back from just after `to`: prev() gives the last fire time before the current date.
  const back = cronParser.parseExpression(expr, { tz: timeZone, currentDate: new Date(to.getTime() + 1) });
  while (out.length < max) {
    let d: Date;
    try {
      d = back.prev().toDate();
    } catch {
      break;
    }
    if (d.getTime() <= from.getTime()) break;
    out.push(d);
  }
  return out.reverse();
}
