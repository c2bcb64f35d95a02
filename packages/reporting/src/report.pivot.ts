import type { ReportResult } from './report.run.ts';

export interface PivotTable {
  /** Row header tuples (one value per row dimension; `null` with `total` for subtotal/grand-total rows). */
  rows: { values: unknown[]; total: boolean }[];
  columns: { values: unknown[]; total: boolean }[];
  measures: string[];
  /** cells[rowIndex][columnIndex][measure] */
  cells: Record<string, unknown>[][];
}

/**
 * A report result with column dimensions laid out as a cross table (for the
 * pivot widget and the Excel export). Subtotal rows/columns keep their place
 * from the query's ROLLUP ordering; a dimension a row totals over shows as null.
 */
export function toPivot(result: ReportResult): PivotTable {
  const dims = result.columns.filter((c) => c.kind === 'dimension');
  const rowDims = dims.filter((d) => d.role === 'row').map((d) => d.key);
  const colDims = dims.filter((d) => d.role === 'column').map((d) => d.key);
  const measures = result.columns.filter((c) => c.kind === 'measure').flatMap((c) => [c.key, ...(result.period?.previous ? [`${c.key}$prev`] : [])]);
  const rows = new Map<string, { values: unknown[]; total: boolean }>();
  const cols = new Map<string, { values: unknown[]; total: boolean }>();
  const keyOf = (r: Record<string, unknown>, keys: string[]) => {
    const totals = (r.$totals as string[] | undefined) ?? [];
    const values = keys.map((k) => (totals.includes(k) ? null : r[k] ?? null));
    return { id: JSON.stringify([values, keys.map((k) => totals.includes(k))]), values, total: keys.some((k) => totals.includes(k)) };
  };
  const placed: { r: string; c: string; row: Record<string, unknown> }[] = [];
  for (const row of result.rows) {
    const rk = keyOf(row, rowDims);
    const ck = keyOf(row, colDims);
    if (!rows.has(rk.id)) rows.set(rk.id, { values: rk.values, total: rk.total });
    if (!cols.has(ck.id)) cols.set(ck.id, { values: ck.values, total: ck.total });
    placed.push({ r: rk.id, c: ck.id, row });
  }
  const colIds = [...cols.keys()].sort((a, b) => compareCols(cols.get(a)!, cols.get(b)!));
  const rowIds = [...rows.keys()];
  const rIndex = new Map(rowIds.map((id, i) => [id, i]));
  const cIndex = new Map(colIds.map((id, i) => [id, i]));
  const cells = rowIds.map(() => colIds.map(() => ({}) as Record<string, unknown>));
  for (const p of placed) {
    const cell = cells[rIndex.get(p.r)!][cIndex.get(p.c)!];
    for (const m of measures) cell[m] = p.row[m] ?? null;
  }
  return { rows: rowIds.map((id) => rows.get(id)!), columns: colIds.map((id) => cols.get(id)!), measures, cells };
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
