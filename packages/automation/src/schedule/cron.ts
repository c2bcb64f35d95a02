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

/** The first fire time strictly after `after` (null when the expression never fires again). */
export function nextFireAfter(expr: string, timeZone: string, after: Date): Date | null {
  try {
    return cronParser.parseExpression(expr, { tz: timeZone, currentDate: after }).next().toDate();
  } catch {
    return null;
  }
}

/**
 * When each schedule rule fires next, per process: a scheduler round parses a
 * rule's cron only when that moment has come (or the rule, its zone or an hour
 * passed since), not every second — cron parsing was ~15 % of a worker's CPU.
 * The fire itself is still claimed in the database (tick.ts), so a stale entry
 * can only make this process look again, never fire twice.
 */
export class NextFireMemo {
  private readonly next = new Map<string, { stamp: string; at: number; until: number }>();

  constructor(private readonly recheckMs = 3_600_000) {}

  /** Whether rule `id` (its definition and zone summed up in `stamp`) may have a fire time at or before `now`. */
  due(id: string, stamp: string, now: Date): boolean {
    const m = this.next.get(id);
    return !m || m.stamp !== stamp || now.getTime() >= m.at || now.getTime() >= m.until;
  }

  /** Records the rule's next fire time after `now`. */
  remember(id: string, stamp: string, expr: string, timeZone: string, now: Date): void {
    const at = nextFireAfter(expr, timeZone, now)?.getTime() ?? Number.POSITIVE_INFINITY;
    if (this.next.size > 10_000) this.next.clear();
    this.next.set(id, { stamp, at, until: now.getTime() + this.recheckMs });
  }
}
