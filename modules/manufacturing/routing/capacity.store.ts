import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { tableOf } from '../mfg-tables.ts';
import type { Load } from './capacity.rules.ts';

/**
 * The load booked by job cards of live work orders: planned minutes on their
 * planned day; `openOnly` leaves out finished operations (what is still to do).
 */
export async function jobCardLoads(tx: Tx, objects: Map<string, ObjectMeta>, opts: { openOnly: boolean; from?: string; to?: string }): Promise<Load[]> {
  const J = tableOf(objects, 'job_card');
  const W = tableOf(objects, 'work_order');
  const rows = await sql<{ ws: string; day: string; minutes: number; number: string }>`
    SELECT j.${J.c('workstation')} AS ws, coalesce(j.${J.c('planned_start')}, current_date)::text AS day,
      ${opts.openOnly ? sql`greatest(coalesce(j.${J.c('planned_minutes')}, 0) - coalesce(j.${J.c('actual_minutes')}, 0), 0)` : sql`coalesce(j.${J.c('planned_minutes')}, 0)`}::float8 AS minutes,
      j.${J.c('number')} AS number
    FROM ${J.t} j JOIN ${W.t} w ON w.id = j.${J.c('work_order')}
    WHERE w.status <> 'cancelled' ${opts.openOnly ? sql`AND j.${J.c('state')} IS DISTINCT FROM 'completed'` : sql``}
      ${opts.from ? sql`AND j.${J.c('planned_start')} >= ${opts.from}::date` : sql``} ${opts.to ? sql`AND j.${J.c('planned_start')} <= ${opts.to}::date` : sql``}`.execute(tx);
  return rows.rows.map((r) => ({ workstation: r.ws, day: r.day, hours: r.minutes / 60, source: r.number }));
}

/**
 * Work orders made but not released (drafts: firmed MRP suggestions, orders
 * entered by hand): they have no job cards yet, so their load comes from their
 * routing — the caller's — on their planned start.
 */
export async function unreleasedWorkOrders(tx: Tx, objects: Map<string, ObjectMeta>): Promise<{ id: string; number: string; item: string; bom: string | null; qty: number; start: string }[]> {
  const W = tableOf(objects, 'work_order');
  return (await sql<{ id: string; number: string; item: string; bom: string | null; qty: number; start: string }>`SELECT id, ${W.c('number')} AS number,
      ${W.c('item')} AS item, ${W.c('bom')} AS bom, ${W.c('qty')}::float8 AS qty, coalesce(${W.c('planned_start')}, ${W.c('due_date')}, current_date)::text AS start
    FROM ${W.t} WHERE status = 'draft'`.execute(tx)).rows;
}
