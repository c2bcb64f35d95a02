import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';

/**
 * A day the calendar overrides: closed as a public holiday (法定节假日), closed as a
 * rest day swapped into a holiday week (调休休息), or open although a weekend (调休上班).
 * Business hours treat both closed kinds alike; pay tells them apart (HR overtime).
 */
export type DayKind = 'holiday' | 'rest' | 'workday';

/**
 * The company calendar's days, YYYY-MM-DD → kind, in one query; empty when
 * the tenant lacks the object (nothing overridden: plain weekdays apply).
 * Names come from metadata (ADR 0003).
 */
export async function companyCalendar(tx: Tx, objects: Map<string, ObjectMeta>): Promise<Map<string, DayKind>> {
  const o = objects.get('company_holiday');
  const col = (f: string) => o?.fields.find((x) => x.apiName === f)?.columnName;
  if (!o || !col('day') || !col('kind')) return new Map();
  const rows = (await sql<{ day: string; kind: string | null }>`SELECT to_char(${sql.ref(col('day')!)}, 'YYYY-MM-DD') AS day, ${sql.ref(col('kind')!)} AS kind
    FROM ${sql.id(o.tableName)}`.execute(tx)).rows;
  return new Map(rows.map((r) => [r.day, r.kind === 'workday' || r.kind === 'rest' ? r.kind : 'holiday']));
}
