/**
 * The shape of a pivot (report.pivot.ts lays it out), in a file that imports
 * nothing, so the web app takes these types from here (type-only) instead of
 * keeping a copy of its own.
 */
export interface PivotHeader {
  /** One value per dimension of the axis; `null` where the header totals over that dimension. */
  values: unknown[];
  /** A link dimension's record titles, beside its ids (`null` for other dimensions and totals). */
  titles: unknown[];
  total: boolean;
  /** The dimension values this header fixes: its part of a drill-down cell. */
  cell: Record<string, unknown>;
}

export interface PivotTable {
  /** The dimension keys of the row axis and of the column axis. */
  rowKeys: string[];
  colKeys: string[];
  rows: PivotHeader[];
  columns: PivotHeader[];
  measures: string[];
  /** cells[rowIndex][columnIndex][measure]; a money measure's also `<measure>$currency`, or `$byCurrency` and `$mixed: true` where mixed. */
  cells: Record<string, unknown>[][];
}
