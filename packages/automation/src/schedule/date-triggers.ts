import os from 'node:os';
import { sql } from 'kysely';
import { fieldOf, type ObjectMeta } from '@mosaic/meta';
import type { Tx } from '@mosaic/db';
import type { RuleRow, RunJob } from '../automation.types.ts';

/** How late a date trigger may still fire (a worker that was down, a record saved just after the moment). */
export const DATE_LOOKBACK_MS = 24 * 3600_000;

/**
 * Date-reached rules ("3 days before contract end"): records whose moment —
 * the date field plus the offset, at the offset's time of day (or midnight)
 * in the tenant's zone — fell in (now − lookback, now]. Each (rule, record,
 * date value) fires once: the key goes into automation_fire in the same
 * transaction that queues the job; a changed date is a new value and fires again.
 *
 *   INSERT INTO automation_fire (tenant_id, key, rule_id)
 *   SELECT $t, 'd:' || $rule || ':' || t.id || ':' || t."c_end_date", $rule FROM "o_contract" t
 *   WHERE (t."c_end_date" + interval '-3 days' + time '00:00') AT TIME ZONE $tz BETWEEN $from AND $now
 *   ON CONFLICT DO NOTHING RETURNING …
 */
export async function dueDateJobs(tx: Tx, tenantId: string, rule: RuleRow, obj: ObjectMeta, timeZone: string, now: Date): Promise<RunJob[]> {
  const f = fieldOf(obj, rule.trigger.dateField ?? '');
  if (!f?.columnName || !['date', 'datetime'].includes(f.type)) return [];
  const o = rule.trigger.offset ?? {};
  const shift = `${o.days ?? 0} days ${o.hours ?? 0} hours ${o.minutes ?? 0} minutes`;
  const col = sql.ref(`t.${f.columnName}`);
  const moment = f.type === 'date'
    ? sql`((${col} + ${o.at ?? '00:00'}::time) + ${shift}::interval) AT TIME ZONE ${timeZone}`
    : sql`(${col} + ${shift}::interval)`;
  const from = new Date(now.getTime() - DATE_LOOKBACK_MS);
  const rows = await sql<{ id: string; value: string; moment: Date }>`
    WITH due AS (
      SELECT t.id, ${col}::text AS value, ${moment} AS moment FROM ${sql.id(obj.tableName)} AS t
      WHERE ${col} IS NOT NULL AND ${moment} > ${from} AND ${moment} <= ${now}
      ORDER BY 3 LIMIT 5000 -- the rest fire on the next tick
    ), fired AS (
      INSERT INTO automation_fire (tenant_id, key, rule_id, claimed_by)
      SELECT ${tenantId}, 'd:' || ${rule.id} || ':' || due.id || ':' || due.value, ${rule.id}::uuid, ${`${os.hostname()}:${process.pid}`} FROM due
      ON CONFLICT DO NOTHING RETURNING key
    )
    SELECT due.id, due.value, due.moment FROM due JOIN fired ON fired.key = 'd:' || ${rule.id} || ':' || due.id || ':' || due.value`.execute(tx);
  return rows.rows.map((r) => ({
    tenantId, ruleId: rule.id,
    trigger: { kind: 'date', key: `d:${r.id}:${r.value}`, object: obj.apiName, recordId: r.id, op: 'date_reached', at: new Date(r.moment).toISOString() },
  }));
}
