import type { ReportResult } from './report.run.ts';
import type { PivotHeader, PivotTable } from './report.pivot.types.ts';

export type { PivotHeader, PivotTable };

/** A result is a pivot when it has column dimensions. */
export const hasColumnDims = (result: Pick<ReportResult, 'columns'>) => result.columns.some((c) => c.kind === 'dimension' && c.role === 'column');

/**
 * A report result with column dimensions laid out as a cross table — what the
 * web app's pivot table renders (the run's `pivot`) and the Excel export
 * writes. Subtotal rows keep their place from the query's ROLLUP ordering;
 * subtotal and total columns come after their group.
 */
export function toPivot(result: Pick<ReportResult, 'columns' | 'rows' | 'period'>): PivotTable {
  const dims = result.columns.filter((c) => c.kind === 'dimension');
  const rowKeys = dims.filter((d) => d.role !== 'column').map((d) => d.key);
  const colKeys = dims.filter((d) => d.role === 'column').map((d) => d.key);
  const measures = result.columns.filter((c) => c.kind === 'measure').flatMap((c) => [c.key, ...(result.period?.previous ? [`${c.key}$prev`] : [])]);
  const rows = new Map<string, PivotHeader>();
  const cols = new Map<string, PivotHeader>();
  const placed: { r: string; c: string; row: Record<string, unknown> }[] = [];
  for (const row of result.rows) {
    const r = headerOf(row, rowKeys);
    const c = headerOf(row, colKeys);
    if (!rows.has(r.id)) rows.set(r.id, r.header);
    if (!cols.has(c.id)) cols.set(c.id, c.header);
    placed.push({ r: r.id, c: c.id, row });
  }
  const colIds = [...cols.keys()].sort((a, b) => compareCols(cols.get(a)!, cols.get(b)!));
  const rowIds = [...rows.keys()];
  const rIndex = new Map(rowIds.map((id, i) => [id, i]));
  const cIndex = new Map(colIds.map((id, i) => [id, i]));
  const cells = rowIds.map(() => colIds.map(() => ({}) as Record<string, unknown>));
  for (const p of placed) {
    const cell = cells[rIndex.get(p.r)!][cIndex.get(p.c)!];
    for (const m of measures) {
      cell[m] = p.row[m] ?? null;
      // A money cell's currency, or its amounts per currency where they are mixed (report.run.ts markMixed).
      for (const k of [`${m}$currency`, `${m}$byCurrency`, `${m}$mixed`]) if (p.row[k] !== undefined) cell[k] = p.row[k];
    }
  }
  return { rowKeys, colKeys, rows: rowIds.map((id) => rows.get(id)!), columns: colIds.map((id) => cols.get(id)!), measures, cells };
}

function headerOf(r: Record<string, unknown>, keys: string[]): { id: string; header: PivotHeader } {
  const totals = (r.$totals as string[] | undefined) ?? [];
  const values = keys.map((k) => (totals.includes(k) ? null : r[k] ?? null));
  const titles = keys.map((k) => (totals.includes(k) ? null : r[`${k}$title`] ?? null));
  const cell = Object.fromEntries(keys.filter((k) => !totals.includes(k)).map((k) => [k, r[k] ?? null]));
  return { id: JSON.stringify([values, keys.map((k) => totals.includes(k))]), header: { values, titles, total: keys.some((k) => totals.includes(k)), cell } };
}

// Columns in value order, each subtotal after its group, the grand total last.
function compareCols(a: { values: unknown[] }, b: { values: unknown[] }): number {
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i];
    const y = b.values[i];
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}
