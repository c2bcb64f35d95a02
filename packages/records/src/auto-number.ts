import { sql } from 'kysely';
import { todayIn } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { FieldMeta, ObjectMeta } from '@mosaic/meta';

/**
 * Gap-free numbers like SO-2026-00001 or 记-202611-0001. The counter row is
 * incremented inside the inserting transaction: concurrent inserts queue on its
 * row lock, and a rolled-back insert rolls its number back too, so there are
 * no gaps and no duplicates.
 *
 * Pattern tokens: {YYYY} {YY} {MM} {DD} (today, or the date field named by
 * config.dateField — a voucher is numbered in its posting period), {field}
 * (the value of another field, e.g. {voucher_type}), and the counter {#####}.
 * Each rendered prefix is its own series, per company.
 */
export async function assignNumbers(
  tx: Tx, obj: ObjectMeta, field: FieldMeta, rows: { values: Record<string, unknown> }[], companyId: string | null, now: Date, timeZone: string,
): Promise<string[]> {
  const pattern = field.config.pattern!;
  const rendered = rows.map((r) => render(pattern, r.values, field, now, timeZone));
  const out: string[] = new Array(rows.length);
  const groups = new Map<string, number[]>();
  rendered.forEach((p, i) => groups.set(p, [...(groups.get(p) ?? []), i]));
  for (const [prefix, indexes] of groups) {
    const counter = /\{(#+)\}/.exec(prefix)!;
    const series = `${obj.apiName}.${field.apiName}:${companyId ?? '-'}:${prefix.replace(counter[0], '#')}`;
    const r = await sql<{ last: string }>`INSERT INTO number_series (tenant_id, series, next_value)
        VALUES (mosaic_tenant(), ${series}, ${indexes.length + 1})
        ON CONFLICT (tenant_id, series) DO UPDATE SET next_value = number_series.next_value + ${indexes.length}
        RETURNING next_value - 1 AS last`.execute(tx);
    let n = Number(r.rows[0].last) - indexes.length + 1;
    for (const i of indexes) out[i] = prefix.replace(counter[0], String(n++).padStart(counter[1].length, '0'));
  }
  return out;
}

/**
 * One number drawn inside a larger statement: `cte` is a data-modifying CTE named `alias`
 * (the counter's upsert, the same as assignNumbers'), `value` the formatted number, an
 * expression over that CTE's `last` — so a writer that inserts a single row (a generated
 * voucher) draws its number and inserts the row in one round trip. Same series, same
 * padding (never cut: a counter longer than its #s is written whole, like padStart).
 */
export function numberSql(obj: ObjectMeta, field: FieldMeta, values: Record<string, unknown>, companyId: string | null, now: Date, timeZone: string, alias = 'num') {
  const prefix = render(field.config.pattern!, values, field, now, timeZone);
  const counter = /\{(#+)\}/.exec(prefix)!;
  const series = `${obj.apiName}.${field.apiName}:${companyId ?? '-'}:${prefix.replace(counter[0], '#')}`;
  const [before, after] = [prefix.slice(0, counter.index), prefix.slice(counter.index + counter[0].length)];
  const width = counter[1].length;
  const a = sql.id(alias);
  return {
    cte: sql`${a} AS (INSERT INTO number_series (tenant_id, series, next_value) VALUES (mosaic_tenant(), ${series}, 2)
        ON CONFLICT (tenant_id, series) DO UPDATE SET next_value = number_series.next_value + 1
        RETURNING next_value - 1 AS last)`,
    value: sql<string>`(${before}::text || CASE WHEN length(${a}.last::text) >= ${width}::int THEN ${a}.last::text ELSE lpad(${a}.last::text, ${width}::int, '0') END || ${after}::text)`,
  };
}

function render(pattern: string, values: Record<string, unknown>, field: FieldMeta, now: Date, timeZone: string): string {
  const dateValue = field.config.dateField ? values[field.config.dateField] : undefined;
  const parts = typeof dateValue === 'string' && /^\d{4}-\d{2}-\d{2}/.test(dateValue)
    ? { year: dateValue.slice(0, 4), month: dateValue.slice(5, 7), day: dateValue.slice(8, 10) }
    : datePartsIn(now, timeZone);
  return pattern
    .replace(/\{YYYY\}/g, parts.year)
    .replace(/\{YY\}/g, parts.year.slice(2))
    .replace(/\{MM\}/g, parts.month)
    .replace(/\{DD\}/g, parts.day)
    .replace(/\{([a-z][a-z0-9_]*)\}/g, (_m, name: string) => String(values[name] ?? '').replace(/[{}#]/g, ''));
}

function datePartsIn(now: Date, timeZone: string): { year: string; month: string; day: string } {
  const [year, month, day] = todayIn(timeZone, now).split('-');
  return { year, month, day };
}
