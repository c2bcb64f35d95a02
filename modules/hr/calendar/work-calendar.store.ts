import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import { parseIsoWeekdays } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';
import { companyCalendar } from '@mosaic/calendar';
import { physical } from '../physical.ts';
import { workCalendar, type WorkCalendar } from './work-calendar.ts';

/**
 * The company calendar as HR's WorkCalendar (Monday–Friday), in one query. The one place HR
 * reads holidays: call it once per request or run and pass the result to the rules; an
 * employee's own week is `cal.withWeek(...)` of it, no second read.
 */
export async function loadWorkCalendar(tx: Tx, objects: Map<string, ObjectMeta>): Promise<WorkCalendar> {
  return workCalendar(await companyCalendar(tx, objects));
}

/** The week of an employee's shift (work_weekdays); Monday–Friday without a shift. */
export async function employeeWeek(tx: Tx, objects: Map<string, ObjectMeta>, employeeId: string): Promise<number[]> {
  const e = physical(objects, 'employee');
  const s = physical(objects, 'shift');
  const row = (await sql<{ weekdays: string | null }>`
    SELECT ${s.ref('work_weekdays', 's')} AS weekdays FROM ${e.table} e LEFT JOIN ${s.table} s ON s.id = ${e.ref('shift', 'e')}
    WHERE e.id = ${employeeId}`.execute(tx)).rows[0];
  return parseIsoWeekdays(row?.weekdays);
}
