import fs from 'node:fs';
import { sql } from 'kysely';
import { inTenantTx, type Tx } from '@mosaic/db';
import { readSheet, sniffFormat, type SheetFormat } from '@mosaic/io';
import { AppError, isCalendarDate, isUuid, parseIsoWeekdays } from '@mosaic/kernel';
import { createRecords, fileFacts, filePath, updateRecords, type RecordsCtx } from '@mosaic/records';
import { physical } from '../physical.ts';
import { loadWorkCalendar } from '../calendar/work-calendar.store.ts';
import { computeAttendance, minuteOf, type DayOff, type DayResult, type Punch, type Shift } from './attendance.rules.ts';

/** Header names a time clock's export uses, Chinese or English. */
const HEADERS = {
  employeeNo: ['工号', '员工编号', 'employee_no', 'employee no', 'emp_no'],
  punchTime: ['打卡时间', 'punch_time', 'punch time', 'datetime'],
  date: ['日期', 'date'],
  time: ['时间', 'time'],
};

export interface AttendanceImportResult {
  punches: number;
  days: number;
  created: number;
  updated: number;
  late: number;
  early: number;
  absent: number;
  /** Working days without punches the employee spent on approved leave (请假, not 旷工). */
  leave: number;
}

/**
 * Imports a time clock's punch file (CSV or XLSX, uploaded through POST
 * /api/v1/files): columns 工号 + 打卡时间, or 工号 + 日期 + 时间. Punches become one
 * attendance record per employee and day, lateness, early leaving, overtime and
 * absence computed against the employee's shift (its hours and its week) and the company calendar
 * (attendance.rules.ts: a holiday is neither absent nor a working day). A day
 * already recorded is updated, so importing the same file twice changes nothing.
 * All or nothing: a bad row refuses the file with the row number.
 */
export async function importPunches(ctx: RecordsCtx, dataDir: string, fileId: unknown): Promise<AttendanceImportResult> {
  if (typeof fileId !== 'string' || !isUuid(fileId)) throw new AppError('FIELD_REQUIRED', 'file: the id of an uploaded punch file', { field: 'file' });
  const actor = ctx.guard.actor;
  return inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const [file] = await fileFacts(tx, [fileId]);
    const path = file && filePath(dataDir, file.sha256);
    if (!path || !fs.existsSync(path)) throw new AppError('FILE_NOT_FOUND', `file: no uploaded file with id ${fileId}`, { field: 'file' });
    const punches = await readPunches(path, sniffFormat(path));
    const shifts = await shiftsOf(tx, ctx, [...new Set(punches.map((p) => p.employeeNo))]);
    const dates = punches.map((p) => p.date).sort();
    const dayOff = await daysOffOf(tx, ctx, shifts, dates[0], dates[dates.length - 1]);
    const cal = await loadWorkCalendar(tx, await ctx.store.objects(actor.tenantId));
    const days = computeAttendance(punches, new Map([...shifts].map(([no, s]) => [no, s.shift])), cal, dayOff);
    const { created, updated } = await saveDays(tx, ctx, days, shifts);
    const count = (f: (d: DayResult) => boolean) => days.filter(f).length;
    return {
      punches: punches.length, days: days.length, created, updated,
      late: count((d) => d.lateMinutes > 0), early: count((d) => d.earlyMinutes > 0), absent: count((d) => d.dayStatus === 'absent'), leave: count((d) => d.dayStatus === 'leave'),
    };
  });
}

async function readPunches(path: string, format: SheetFormat): Promise<Punch[]> {
  const punches: Punch[] = [];
  let cols: { no: number; at: number; date: number; time: number } | null = null;
  for await (const row of readSheet(path, format)) {
    const cells = row.cells;
    if (cells.every((c) => c === null || String(c).trim() === '')) continue;
    if (!cols) {
      const names = cells.map((c) => String(c ?? '').trim().toLowerCase());
      const find = (options: string[]) => names.findIndex((n) => options.includes(n));
      cols = { no: find(HEADERS.employeeNo), at: find(HEADERS.punchTime), date: find(HEADERS.date), time: find(HEADERS.time) };
      if (cols.no < 0 || (cols.at < 0 && (cols.date < 0 || cols.time < 0))) {
        throw new AppError('IMPORT_MAPPING', 'file: the punch file needs the columns 工号 and 打卡时间 (or 工号, 日期 and 时间)', { field: 'file' });
      }
      continue;
    }
    const employeeNo = String(cells[cols.no] ?? '').trim();
    if (!employeeNo) throw rowError(row.number, '工号 is empty');
    const moment = cols.at >= 0 ? splitMoment(cells[cols.at], row.number) : { date: dateOf(cells[cols.date], row.number), time: timeOf(cells[cols.time], row.number) };
    try {
      punches.push({ employeeNo, date: moment.date, minute: minuteOf(moment.time, 'punch_time') });
    } catch {
      throw rowError(row.number, `"${moment.time}" is not a time of day`);
    }
  }
  if (!punches.length) throw new AppError('IMPORT_INVALID', 'file: the punch file has no punches', { field: 'file' });
  return punches;
}

const rowError = (n: number, why: string) => new AppError('IMPORT_ROWS_FAILED', `Row ${n}: ${why}; nothing was imported.`, { field: 'file', details: [{ row: n, message: why }] });
const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-03-02 08:58", "2026/3/2 8:58:30" or an Excel date-time (wall clock in the UTC fields). */
function splitMoment(v: unknown, row: number): { date: string; time: string } {
  if (v instanceof Date) return { date: v.toISOString().slice(0, 10), time: `${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}` };
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2}:\d{2}(?::\d{2})?)$/.exec(String(v ?? '').trim());
  const date = m && calendarDate(m[1], m[2], m[3]);
  if (!m || !date) throw rowError(row, `打卡时间 "${String(v ?? '').slice(0, 30)}" is not a date and time`);
  return { date, time: m[4] };
}

function dateOf(v: unknown, row: number): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(String(v ?? '').trim());
  const date = m && calendarDate(m[1], m[2], m[3]);
  if (!m || !date) throw rowError(row, `日期 "${String(v ?? '').slice(0, 30)}" is not a date`);
  return date;
}

/** The YYYY-MM-DD of year, month and day when the calendar has that day (not 2026-02-30), else null. */
function calendarDate(y: string, m: string, d: string): string | null {
  const date = `${y}-${pad(Number(m))}-${pad(Number(d))}`;
  return isCalendarDate(date) ? date : null;
}

function timeOf(v: unknown, row: number): string {
  if (v instanceof Date) return `${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}`;
  if (typeof v === 'number' && v >= 0 && v < 1) return `${pad(Math.floor(v * 24))}:${pad(Math.round(v * 1440) % 60)}`; // Excel time fraction
  if (v === null || v === undefined || String(v).trim() === '') throw rowError(row, '时间 is empty');
  return String(v).trim();
}

interface EmployeeShift {
  id: string;
  shiftId: string;
  shift: Shift;
  hireDate: string;
  leaveDate: string | null;
}

/**
 * The days in [from, to] each employee of the file owed no work: outside their employment, or
 * covered by an approved leave request (any type; whether it is paid is payroll's business).
 */
async function daysOffOf(tx: Tx, ctx: RecordsCtx, shifts: Map<string, EmployeeShift>, from: string, to: string): Promise<(employeeNo: string, date: string) => DayOff | null> {
  const lr = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'leave_request');
  const byId = new Map([...shifts].map(([no, s]) => [s.id, no]));
  const leave = (await sql<{ employee: string; from: string; to: string }>`
    SELECT ${lr.ref('employee')} AS employee, ${lr.ref('from_date')}::text AS "from", ${lr.ref('to_date')}::text AS "to" FROM ${lr.table}
    WHERE status = 'approved' AND ${lr.ref('employee')} = ANY(${[...byId.keys()]}::uuid[])
      AND ${lr.ref('from_date')} <= ${to}::date AND ${lr.ref('to_date')} >= ${from}::date`.execute(tx)).rows;
  return (employeeNo, date) => {
    const e = shifts.get(employeeNo);
    if (!e) return null;
    if (date < e.hireDate || (e.leaveDate && date > e.leaveDate)) return 'not_employed';
    return leave.some((l) => byId.get(l.employee) === employeeNo && l.from <= date && date <= l.to) ? 'leave' : null;
  };
}

async function shiftsOf(tx: Tx, ctx: RecordsCtx, numbers: string[]): Promise<Map<string, EmployeeShift>> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const e = physical(objects, 'employee');
  const s = physical(objects, 'shift');
  const rows = (await sql<{ id: string; no: string; shift_id: string | null; start: string | null; end: string | null; grace: number | null; weekdays: string | null; hire: string; left: string | null }>`
    SELECT e.id, ${e.ref('employee_no', 'e')} AS no, s.id AS shift_id, ${e.ref('hire_date', 'e')}::text AS hire, ${e.ref('leave_date', 'e')}::text AS "left", ${s.ref('start_time', 's')} AS start, ${s.ref('end_time', 's')} AS "end", ${s.ref('grace_minutes', 's')} AS grace,
      ${s.ref('work_weekdays', 's')} AS weekdays
    FROM ${e.table} e LEFT JOIN ${s.table} s ON s.id = ${e.ref('shift', 'e')} WHERE ${e.ref('employee_no', 'e')} = ANY(${numbers})`.execute(tx)).rows;
  const out = new Map<string, EmployeeShift>();
  for (const no of numbers) {
    const r = rows.find((x) => x.no === no);
    if (!r) throw new AppError('IMPORT_ROWS_FAILED', `工号 ${no}: no such employee; nothing was imported.`, { field: 'file' });
    if (!r.shift_id) throw new AppError('IMPORT_ROWS_FAILED', `工号 ${no}: the employee has no shift; nothing was imported.`, { field: 'file' });
    out.set(no, { id: r.id, shiftId: r.shift_id, shift: { start: minuteOf(r.start!), end: minuteOf(r.end!), graceMinutes: r.grace ?? 0, weekdays: parseIsoWeekdays(r.weekdays) }, hireDate: r.hire, leaveDate: r.left });
  }
  return out;
}

async function saveDays(tx: Tx, ctx: RecordsCtx, days: DayResult[], shifts: Map<string, EmployeeShift>): Promise<{ created: number; updated: number }> {
  if (!days.length) return { created: 0, updated: 0 };
  const a = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'attendance');
  const ids = [...shifts.values()].map((s) => s.id);
  const dates = days.map((d) => d.date).sort();
  const existing = (await sql<{ id: string; version: number; employee: string; date: string }>`
    SELECT id, version, ${a.ref('employee')} AS employee, ${a.ref('date')}::text AS date FROM ${a.table}
    WHERE ${a.ref('employee')} = ANY(${ids}::uuid[]) AND ${a.ref('date')} BETWEEN ${dates[0]}::date AND ${dates[dates.length - 1]}::date`.execute(tx)).rows;
  const known = new Map(existing.map((r) => [`${r.employee}\u0000${r.date}`, r]));
  const creates: Record<string, unknown>[] = [];
  const updates: { id: string; version: number; values: Record<string, unknown> }[] = [];
  for (const d of days) {
    const emp = shifts.get(d.employeeNo)!;
    const values = {
      employee: emp.id, date: d.date, shift: emp.shiftId, first_in: d.firstIn, last_out: d.lastOut, late_minutes: d.lateMinutes,
      early_minutes: d.earlyMinutes, day_status: d.dayStatus, overtime_hours: String(d.overtimeHours), overtime_kind: d.overtimeKind,
    };
    const row = known.get(`${emp.id}\u0000${d.date}`);
    if (row) updates.push({ id: row.id, version: row.version, values });
    else creates.push(values);
  }
  if (creates.length) await createRecords(ctx, 'attendance', creates, { tx });
  if (updates.length) await updateRecords(ctx, 'attendance', updates, { tx });
  return { created: creates.length, updated: updates.length };
}
