import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';

/** A day the calendar overrides: closed although a weekday, or (调休) open although a weekend. */
export type DayKind = 'holiday' | 'workday';

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
  return new Map(rows.map((r) => [r.day, r.kind === 'workday' ? 'workday' : 'holiday']));
}
