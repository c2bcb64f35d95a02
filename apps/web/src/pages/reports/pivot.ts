import type { ReportResult } from './reports-api.ts';

/**
 * A result with column dimensions as a cross table (rows × columns), the same
 * layout as the server's Excel export (packages/reporting/src/report.pivot.ts):
 * subtotal rows keep their place from the query's ROLLUP order, subtotal and
 * total columns come after their group, a dimension a header totals over is null.
 */
export interface PivotHeader {
  values: unknown[];
  /** A link dimension's record titles, beside its ids. */
  titles: unknown[];
  total: boolean;
  /** The dimension values this header fixes: the drill-down cell part. */
  cell: Record<string, unknown>;
}

export interface PivotTable {
  rowKeys: string[];
  colKeys: string[];
  rows: PivotHeader[];
  columns: PivotHeader[];
  measures: string[];
  /** cells[row][column][measure] */
  cells: Record<string, unknown>[][];
}

export const isPivot = (result: ReportResult) => result.columns.some((c) => c.kind === 'dimension' && c.role === 'column');

export function toPivot(result: ReportResult): PivotTable {
  const dims = result.columns.filter((c) => c.kind === 'dimension');
  const rowKeys = dims.filter((d) => d.role !== 'column').map((d) => d.key);
  const colKeys = dims.filter((d) => d.role === 'column').map((d) => d.key);
  const measures = result.columns.filter((c) => c.kind === 'measure').map((c) => c.key);
  const rows = new Map<string, PivotHeader>();
  const cols = new Map<string, PivotHeader>();
  const headerOf = (r: Record<string, unknown>, keys: string[]) => {
    const totals = (r.$totals as string[] | undefined) ?? [];
    const values = keys.map((k) => (totals.includes(k) ? null : r[k] ?? null));
    const titles = keys.map((k) => (totals.includes(k) ? null : r[`${k}$title`] ?? null));
    const cell = Object.fromEntries(keys.filter((k) => !totals.includes(k)).map((k) => [k, r[k] ?? null]));
    return { id: JSON.stringify([values, keys.map((k) => totals.includes(k))]), header: { values, titles, total: keys.some((k) => totals.includes(k)), cell } };
  };
  const placed: { r: string; c: string; row: Record<string, unknown> }[] = [];
  for (const row of result.rows) {
    const r = headerOf(row, rowKeys);
    const c = headerOf(row, colKeys);
    if (!rows.has(r.id)) rows.set(r.id, r.header);
    if (!cols.has(c.id)) cols.set(c.id, c.header);
    placed.push({ r: r.id, c: c.id, row });
  }
  const colIds = [...cols.keys()].sort((a, b) => compareHeaders(cols.get(a)!, cols.get(b)!));
  const rowIds = [...rows.keys()];
  const rIndex = new Map(rowIds.map((id, i) => [id, i]));
  const cIndex = new Map(colIds.map((id, i) => [id, i]));
  const cells = rowIds.map(() => colIds.map(() => ({}) as Record<string, unknown>));
  for (const p of placed) {
    const cell = cells[rIndex.get(p.r)!][cIndex.get(p.c)!];
    for (const m of measures) cell[m] = p.row[m] ?? null;
  }
  return { rowKeys, colKeys, rows: rowIds.map((id) => rows.get(id)!), columns: colIds.map((id) => cols.get(id)!), measures, cells };
}

// Values in order, each subtotal after its group, the grand total last.
function compareHeaders(a: { values: unknown[] }, b: { values: unknown[] }): number {
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
