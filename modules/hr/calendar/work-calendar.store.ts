import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { companyCalendar } from '@mosaic/calendar';
import { workCalendar, type WorkCalendar } from './work-calendar.ts';

/**
 * The company calendar as HR's WorkCalendar, in one query. The one place HR reads
 * holidays: call it once per request or run and pass the result to the rules.
 */
export async function loadWorkCalendar(tx: Tx, objects: Map<string, ObjectMeta>): Promise<WorkCalendar> {
  return workCalendar(await companyCalendar(tx, objects));
}
