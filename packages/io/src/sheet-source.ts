import fs from 'node:fs';
import { AppError } from '@mosaic/kernel';
import { isBlankRow, type SheetRow } from './cell.ts';
import { readCsvRows } from './parse-csv.ts';
import { readXlsxRows } from './parse-xlsx.ts';

export type SheetFormat = 'csv' | 'xlsx';

/**
 * What an uploaded file is, from its bytes (never from its name): an XLSX is a
 * ZIP; a legacy .xls (OLE2), PDFs, images and other binaries are refused; any
 * other text is read as CSV.
 */
export function sniffFormat(file: string): SheetFormat {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(4096);
  let n: number;
  try {
    n = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const bytes = head.subarray(0, n);
  if (n === 0) throw new AppError('IMPORT_INVALID', 'file: the file is empty', { field: 'file' });
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new AppError('IMPORT_INVALID', 'file: old Excel .xls files are not supported; save it as .xlsx or CSV', { field: 'file' });
  }
  const binary = ['%PDF', '\x89PNG', 'GIF8', '\xff\xd8\xff'].some((m) => bytes.subarray(0, m.length).equals(Buffer.from(m, 'latin1')));
  if (binary || bytes.includes(0)) throw new AppError('IMPORT_INVALID', 'file: not a CSV or XLSX file', { field: 'file' });
  return 'csv';
}

export function readSheet(file: string, format: SheetFormat): AsyncGenerator<SheetRow> {
  return format === 'xlsx' ? readXlsxRows(file) : readCsvRows(file);
}

/** The header row: the first row that is not blank. */
export async function readHeader(file: string, format: SheetFormat): Promise<SheetRow> {
  for await (const row of readSheet(file, format)) {
    if (!isBlankRow(row.cells)) return row;
  }
  throw new AppError('IMPORT_INVALID', 'file: the file has no header row', { field: 'file' });
}

/** Data rows (after the header, blank rows left out), for the job's "total". */
export async function countDataRows(file: string, format: SheetFormat): Promise<number> {
  let n = 0;
  let header = false;
  for await (const row of readSheet(file, format)) {
    if (isBlankRow(row.cells)) continue;
    if (header) n++;
    header = true;
  }
  return n;
}
