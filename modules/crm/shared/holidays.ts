import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { companyCalendar } from '@mosaic/calendar';

/**
 * The days CRM's business calendar overrides (business-time.ts calendarOf):
 * the company calendar's holidays and 调休 days (@mosaic/calendar, shared with
 * the workstations), then CRM's own crm_holiday rows, which win on their day
 * (a service desk open on a public holiday). The one place CRM reads holidays.
 */
export async function crmHolidays(tx: Tx, objects: Map<string, ObjectMeta>): Promise<{ day: string; is_workday: boolean }[]> {
  const days = new Map([...(await companyCalendar(tx, objects))].map(([day, kind]) => [day, kind === 'workday']));
  const h = objects.get('crm_holiday');
  if (h) {
    const col = (f: string) => sql.ref(h.fields.find((x) => x.apiName === f)!.columnName!);
    const own = (await sql<{ day: string; is_workday: boolean | null }>`SELECT to_char(${col('day')}, 'YYYY-MM-DD') AS day, ${col('is_workday')} AS is_workday FROM ${sql.id(h.tableName)}`.execute(tx)).rows;
    for (const r of own) days.set(r.day, r.is_workday === true);
  }
  return [...days].map(([day, is_workday]) => ({ day, is_workday }));
}
