import { AppError } from '@mosaic/kernel';
import { FIELD_TYPE_DEFS, PROTECTED_FIELDS, type FieldMeta } from '@mosaic/meta';
import type { SheetRow } from './cell.ts';
import { cellText, cellToInput, TitleRef } from './convert-cell.ts';
import type { ColumnPlan } from './mapping.ts';

/**
 * One data row of the file on its way in: the API values for the records
 * service, link titles still to be looked up, and every problem found so far —
 * all fields are checked, not just the first, so the user sees them at once.
 */
export interface ImportRow {
  number: number;
  values: Record<string, unknown>;
  titles: { field: FieldMeta; title: string }[];
  errors: RowProblem[];
}

export interface RowProblem {
  field: string | null;
  message: string;
}

export function buildImportRow(row: SheetRow, columns: ColumnPlan[], fields: FieldMeta[], timeZone: string): ImportRow {
  const out: ImportRow = { number: row.number, values: {}, titles: [], errors: [] };
  const currencies = new Map<string, string>();
  for (const col of columns) {
    const cell = row.cells[col.index] ?? null;
    const path = col.field.apiName;
    if (col.part === 'currency') {
      const code = cellText(cell).trim().toUpperCase();
      if (code) currencies.set(path, code);
      continue;
    }
    try {
      const v = cellToInput(cell, col.field, path, timeZone);
      if (v instanceof TitleRef) out.titles.push({ field: col.field, title: v.title });
      else if (v !== undefined) out.values[path] = v;
    } catch (e) {
      out.errors.push(problemOf(e, path));
    }
  }
  for (const [path, currency] of currencies) {
    if (path in out.values) out.values[path] = { amount: out.values[path], currency };
  }
  precheck(out, columns);
  out.errors.push(...missingRequired(out, fields));
  return out;
}

/**
 * Required fields without a default that the row leaves empty, with the
 * records service's own wording (it checks again on insert).
 */
export function missingRequired(row: ImportRow, fields: FieldMeta[]): RowProblem[] {
  const pending = new Set(row.titles.map((t) => t.field.apiName));
  return fields
    .filter((f) => f.required && !f.archived && f.columnName && !f.system && !FIELD_TYPE_DEFS[f.type].computed && (f.defaultValue === null || f.defaultValue === undefined))
    .filter((f) => !pending.has(f.apiName) && isEmpty(row.values[f.apiName]))
    .map((f) => ({ field: f.apiName, message: `${f.apiName}: ${f.label.zh} is required` }));
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** Runs each value through its field's coercer now, so one row reports all its bad fields. */
function precheck(row: ImportRow, columns: ColumnPlan[]): void {
  for (const col of columns) {
    const f = col.field;
    if (col.part !== 'value' || !(f.apiName in row.values)) continue;
    if (f.system || f.readOnly || PROTECTED_FIELDS.has(f.apiName) || FIELD_TYPE_DEFS[f.type].computed || f.type === 'child_table') continue;
    try {
      FIELD_TYPE_DEFS[f.type].coerce(row.values[f.apiName], f, f.apiName);
    } catch (e) {
      row.errors.push(problemOf(e, f.apiName));
    }
  }
}

function problemOf(e: unknown, path: string): RowProblem {
  if (e instanceof AppError) return { field: e.field ?? path, message: e.message };
  throw e;
}
