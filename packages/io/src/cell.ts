/**
 * One spreadsheet cell after reading, whatever the file type: CSV gives text,
 * XLSX gives numbers, dates (Excel's wall clock, in UTC fields), booleans,
 * text (rich text flattened, formulas replaced by their cached result) and
 * error values like #DIV/0!.
 */
export type CellValue = string | number | boolean | Date | CellError | null;

export class CellError {
  constructor(readonly code: string) {}
}

export interface SheetRow {
  /** The row number the user sees in Excel: the header is row 1. */
  number: number;
  cells: CellValue[];
}

export function isBlankCell(v: CellValue | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

export function isBlankRow(cells: CellValue[]): boolean {
  return cells.every(isBlankCell);
}
