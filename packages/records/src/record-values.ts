import { AppError, isUuid } from '@mosaic/kernel';
import { FIELD_TYPE_DEFS, PROTECTED_FIELDS, fieldOf, type FieldMeta, type ObjectMeta } from '@mosaic/meta';
import type { AccessGuard } from '@mosaic/access';
import type { Tx } from '@mosaic/db';
import { companyCurrency } from '@mosaic/identity';

/**
 * API input → column values for one record, refusing what the caller may not
 * set: unknown fields (400), protected and computed fields (422), and fields the
 * guard marks read-only for this user. `at` prefixes error paths ("3." for the
 * fourth row of a bulk call, "lines.2." for a child row).
 */
export interface PreparedRow {
  id?: string;
  columns: Record<string, unknown>;
  /** field API name → API value, for events, audit and formula defaults. */
  values: Record<string, unknown>;
  children: { field: FieldMeta; rows: unknown[] }[];
}

export function prepareRow(obj: ObjectMeta, guard: AccessGuard, input: unknown, mode: 'create' | 'update', at: string): PreparedRow {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new AppError('VALIDATION_FAILED', `${at || 'body'}: must be a JSON object of field values`, { field: at.replace(/\.$/, '') || undefined });
  }
  const row: PreparedRow = { columns: {}, values: {}, children: [] };
  for (const [key, raw] of Object.entries(input as Record<string, unknown>)) {
    if (key === 'version' && mode === 'update') continue;
    if (key === 'id' && mode === 'create' && !obj.isChild) {
      if (!isUuid(raw)) throw new AppError('FIELD_INVALID', `${at}id: must be a UUID`, { field: `${at}id` });
      row.id = (raw as string).toLowerCase();
      continue;
    }
    if (key === 'id' && obj.isChild) continue; // child rows are matched by id in prepareChildren
    const field = fieldOf(obj, key);
    if (!field) throw new AppError('FIELD_UNKNOWN', `${at}${key}: ${obj.apiName} has no such field`, { field: `${at}${key}` });
    if (PROTECTED_FIELDS.has(key) || field.system || field.readOnly || FIELD_TYPE_DEFS[field.type].computed) {
      throw new AppError('FIELD_READ_ONLY', `${at}${key}: is set by the system and cannot be written`, { field: `${at}${key}` });
    }
    if (!guard.canWriteField(obj, field)) {
      throw new AppError('FIELD_READ_ONLY', `${at}${key}: you may not change this field`, { field: `${at}${key}` });
    }
    if (field.type === 'child_table') {
      if (!Array.isArray(raw)) throw new AppError('FIELD_INVALID', `${at}${key}: must be a list of rows`, { field: `${at}${key}` });
      if (raw.length > 1000) throw new AppError('FIELD_INVALID', `${at}${key}: at most 1,000 rows`, { field: `${at}${key}` });
      row.children.push({ field, rows: raw });
      continue;
    }
    setValue(row, field, raw, `${at}${key}`);
  }
  return row;
}

/** Coerces one value into the row (null clears the field). */
export function setValue(row: PreparedRow, field: FieldMeta, raw: unknown, path: string): void {
  const col = field.columnName!;
  if (raw === null || raw === undefined || (raw === '' && field.type !== 'text' && field.type !== 'long_text')) {
    row.columns[col] = null;
    if (field.type === 'money') row.columns[`${col}_ccy`] = null;
    row.values[field.apiName] = null;
    return;
  }
  const v = FIELD_TYPE_DEFS[field.type].coerce(raw, field, path);
  if (field.type === 'money') {
    const m = v as { amount: string; currency: string | null }; // null: fillCompanyCurrency sets it before the write
    row.columns[col] = m.amount;
    row.columns[`${col}_ccy`] = m.currency;
  } else if (field.type === 'address') {
    row.columns[col] = JSON.stringify(v);
  } else {
    row.columns[col] = v;
  }
  row.values[field.apiName] = v;
}

/**
 * Money given without a currency, on a field without a default one, is in the caller's company's currency (the
 * rule GET /auth/me gives the web app: identity's companyCurrency) — read once, and only when a row needs it.
 */
export async function fillCompanyCurrency(tx: Tx, actor: { companyId: string | null }, obj: ObjectMeta, rows: PreparedRow[]): Promise<void> {
  const money = obj.fields.filter((f) => f.type === 'money' && f.columnName);
  const missing = rows.flatMap((row) => money.filter((f) => row.columns[f.columnName!] != null && row.columns[`${f.columnName}_ccy`] === null).map((f) => ({ row, f })));
  if (!missing.length) return;
  const currency = await companyCurrency(tx, actor.companyId);
  for (const { row, f } of missing) {
    row.columns[`${f.columnName}_ccy`] = currency;
    row.values[f.apiName] = { ...(row.values[f.apiName] as object), currency };
  }
}

export function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/** A raw table row → API values per field (for old values in audit and events). */
export function rowToValues(obj: ObjectMeta, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of obj.fields) {
    if (!f.columnName || f.archived) continue;
    let v = row[f.columnName];
    if (f.type === 'money' && v !== null && v !== undefined) v = { amount: v, currency: (row[`${f.columnName}_ccy`] as string | null)?.trim() };
    if (v instanceof Date) v = v.toISOString();
    out[f.apiName] = v ?? null;
  }
  return out;
}

/** Field-by-field differences, as { field: [old, new] }. */
export function diffValues(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) changes[key] = [before[key] ?? null, after[key] ?? null];
  }
  return changes;
}
