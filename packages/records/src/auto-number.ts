import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { FieldMeta, ObjectMeta } from '@mosaic/meta';

/**
 * Gap-free numbers like SO-2026-00001. The counter row is incremented inside
 * the inserting transaction: concurrent inserts queue on its row lock, and a
 * rolled-back insert rolls its number back too, so there are no gaps and no
 * duplicates. Each rendered prefix (SO-2026-, SO-2027-) is its own series.
 */
export async function nextNumbers(tx: Tx, obj: ObjectMeta, field: FieldMeta, count: number, now: Date, timeZone: string): Promise<string[]> {
  const pattern = field.config.pattern!;
  const parts = datePartsIn(now, timeZone);
  const rendered = pattern
    .replace(/\{YYYY\}/g, parts.year)
    .replace(/\{YY\}/g, parts.year.slice(2))
    .replace(/\{MM\}/g, parts.month)
    .replace(/\{DD\}/g, parts.day);
  const counter = /\{(#+)\}/.exec(rendered)!;
  const series = `${obj.apiName}.${field.apiName}:${rendered.replace(counter[0], '#')}`;
  const r = await sql<{ last: string }>`INSERT INTO number_series (tenant_id, series, next_value)
      VALUES (mosaic_tenant(), ${series}, ${count + 1})
      ON CONFLICT (tenant_id, series) DO UPDATE SET next_value = number_series.next_value + ${count}
      RETURNING next_value - 1 AS last`.execute(tx);
  const last = Number(r.rows[0].last);
  const width = counter[1].length;
  const out: string[] = [];
  for (let n = last - count + 1; n <= last; n++) out.push(rendered.replace(counter[0], String(n).padStart(width, '0')));
  return out;
}

function datePartsIn(now: Date, timeZone: string): { year: string; month: string; day: string } {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => f.find((p) => p.type === t)!.value;
  return { year: get('year'), month: get('month'), day: get('day') };
}
