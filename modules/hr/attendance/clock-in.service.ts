import { sql } from 'kysely';
import { systemGuard } from '@mosaic/access';
import { inTenantTx } from '@mosaic/db';
import { AppError, clock, parseIsoWeekdays } from '@mosaic/kernel';
import { createRecords, getRecord, updateRecords, type RecordsCtx } from '@mosaic/records';
import { physical } from '../physical.ts';
import { loadWorkCalendar } from '../calendar/work-calendar.store.ts';
import { computeDay, hhmm, minuteOf } from './attendance.rules.ts';

/**
 * 网页打卡: the caller clocks in or out now, as the employee linked to their
 * user. The day's attendance row keeps the first and the last punch and is
 * recomputed against the shift like an imported one (attendance.rules.ts). The
 * clock is the server's, in the user's time zone — the browser's is not trusted.
 * Written with the system's rights: an employee may punch without rights on
 * attendance, and only for themselves.
 */
export async function clockIn(ctx: RecordsCtx, now: Date = clock.now()): Promise<Record<string, unknown>> {
  const actor = ctx.guard.actor;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: actor.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(now).reduce<Record<string, string>>((o, p) => ({ ...o, [p.type]: p.value }), {});
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  const sys: RecordsCtx = { ...ctx, guard: systemGuard(actor) };
  return inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const objects = await ctx.store.objects(actor.tenantId);
    const e = physical(objects, 'employee');
    const s = physical(objects, 'shift');
    const a = physical(objects, 'attendance');
    const me = (await sql<{ id: string; shift_id: string | null; start: string | null; end: string | null; grace: number | null; weekdays: string | null }>`
      SELECT e.id, s.id AS shift_id, ${s.ref('start_time', 's')} AS start, ${s.ref('end_time', 's')} AS "end", ${s.ref('grace_minutes', 's')} AS grace,
        ${s.ref('work_weekdays', 's')} AS weekdays
      FROM ${e.table} e LEFT JOIN ${s.table} s ON s.id = ${e.ref('shift', 'e')}
      WHERE ${e.ref('user', 'e')} = ${actor.userId} AND ${e.ref('employment_status', 'e')} = 'active' LIMIT 1`.execute(tx)).rows[0];
    if (!me) throw new AppError('CONFLICT', 'Your user is not linked to an active employee; ask HR.', { field: 'employee' });
    if (!me.shift_id) throw new AppError('CONFLICT', 'You have no shift; ask HR to assign one.', { field: 'shift' });
    const existing = (await sql<{ id: string; version: number; first_in: string | null; last_out: string | null }>`
      SELECT id, version, ${a.ref('first_in')} AS first_in, ${a.ref('last_out')} AS last_out FROM ${a.table}
      WHERE ${a.ref('employee')} = ${me.id} AND ${a.ref('date')} = ${date}::date FOR UPDATE`.execute(tx)).rows[0];
    const punches = [minute, ...[existing?.first_in, existing?.last_out].filter((x): x is string => !!x).map((x) => minuteOf(x))];
    const shift = { start: minuteOf(me.start!), end: minuteOf(me.end!), graceMinutes: me.grace ?? 0, weekdays: parseIsoWeekdays(me.weekdays) };
    const day = computeDay('', date, punches, shift, await loadWorkCalendar(tx, objects));
    const values = {
      employee: me.id, date, shift: me.shift_id, first_in: day.firstIn, last_out: punches.length > 1 ? day.lastOut : null,
      late_minutes: day.lateMinutes, early_minutes: punches.length > 1 ? day.earlyMinutes : 0,
      day_status: punches.length > 1 ? day.dayStatus : day.lateMinutes ? 'late' : 'present',
      overtime_hours: String(punches.length > 1 ? day.overtimeHours : 0), overtime_kind: day.overtimeKind,
    };
    const id = existing
      ? (await updateRecords(sys, 'attendance', [{ id: existing.id, version: existing.version, values }], { tx }))[0].id
      : (await createRecords(sys, 'attendance', [values], { tx }))[0].id;
    return { ...(await getRecord(sys, 'attendance', id, { tx })), punched_at: hhmm(minute) };
  });
}
