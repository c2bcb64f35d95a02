import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { parseIsoWeekdays } from '@mosaic/kernel';
import { companyCalendar } from '@mosaic/calendar';
import { tableOf } from '../mfg-tables.ts';
import type { Routing, Workstation } from './routing.types.ts';

/** Every routing with its operations in sequence (two queries). */
export async function loadRoutings(tx: Tx, objects: Map<string, ObjectMeta>): Promise<Map<string, Routing>> {
  const R = tableOf(objects, 'routing');
  const O = tableOf(objects, 'routing_operation');
  const heads = await sql<Record<string, any>>`SELECT id, ${R.c('code')} AS code, ${R.c('name')} AS name FROM ${R.t}`.execute(tx);
  const out = new Map<string, Routing>(heads.rows.map((r) => [r.id, { id: r.id, code: r.code, name: r.name, operations: [] }]));
  const ops = await sql<Record<string, any>>`SELECT parent_id, ${O.c('seq')} AS seq, ${O.c('name')} AS name, ${O.c('workstation')} AS ws,
      coalesce(${O.c('setup_minutes')}, 0)::text AS setup, ${O.c('run_minutes')}::text AS run FROM ${O.t} ORDER BY parent_id, ${O.c('seq')}, idx`.execute(tx);
  for (const r of ops.rows) out.get(r.parent_id)?.operations.push({ seq: Number(r.seq), name: r.name, workstation: r.ws, setupMinutes: r.setup, runMinutes: r.run });
  return out;
}

/**
 * Every workstation with its shifts summed and its calendar exceptions: the
 * company calendar's holidays and 调休 days (@mosaic/calendar), overridden by
 * the workstation's own on the same day (a line that runs through a holiday).
 */
export async function loadWorkstations(tx: Tx, objects: Map<string, ObjectMeta>): Promise<Map<string, Workstation>> {
  const W = tableOf(objects, 'workstation');
  const S = tableOf(objects, 'workstation_shift');
  const H = tableOf(objects, 'workstation_holiday');
  const rows = await sql<Record<string, any>>`SELECT w.id, w.${W.c('code')} AS code, w.${W.c('name')} AS name, w.${W.c('workshop')} AS workshop,
      coalesce(w.${W.c('hourly_cost')}, 0)::text AS hourly, coalesce(w.${W.c('overhead_rate')}, 0)::text AS overhead,
      coalesce(w.${W.c('machines')}, 1) AS machines, w.${W.c('working_weekdays')} AS weekdays,
      coalesce((SELECT sum(s.${S.c('hours')}) FROM ${S.t} s WHERE s.parent_id = w.id), 8)::text AS hours
    FROM ${W.t} w`.execute(tx);
  // A workstation only asks open or closed: a swapped rest day is closed like a holiday.
  const closedOrOpen = [...await companyCalendar(tx, objects)].map(([day, kind]) => [day, kind === 'workday' ? 'workday' : 'holiday'] as const);
  const out = new Map<string, Workstation>();
  for (const r of rows.rows) {
    out.set(r.id, {
      id: r.id, code: r.code, name: r.name, workshop: r.workshop, hourlyCost: r.hourly, overheadRate: r.overhead, machines: Number(r.machines),
      weekdays: parseIsoWeekdays(r.weekdays), hoursPerDay: r.hours, exceptions: new Map(closedOrOpen),
    });
  }
  const days = await sql<Record<string, any>>`SELECT parent_id, ${H.c('day')}::text AS day, ${H.c('kind')} AS kind FROM ${H.t}`.execute(tx);
  for (const r of days.rows) out.get(r.parent_id)?.exceptions.set(r.day, r.kind === 'workday' ? 'workday' : 'holiday');
  return out;
}
