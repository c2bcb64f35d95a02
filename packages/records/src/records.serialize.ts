import type { SelectedField } from './records.query.ts';

/**
 * Database row → API JSON. Columns are selected under their API names; money
 * (a money field, or a lookup of one) comes back as { amount, currency } from its two columns, numbers as decimal
 * strings (never floats), dates as 'YYYY-MM-DD', date-times as ISO 8601.
 */
export function shapeRow(row: Record<string, unknown>, fields: SelectedField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { path, money } of fields) {
    const v = row[path];
    if (money) {
      out[path] = v === null || v === undefined ? null : { amount: v, currency: (row[`${path}$ccy`] as string | null)?.trim() ?? null };
    } else if (v instanceof Date) {
      out[path] = v.toISOString();
    } else {
      out[path] = v ?? null;
    }
  }
  if (row.$title !== undefined) out.$title = row.$title;
  return out;
}
