import fs from 'node:fs';
import type ExcelJS from 'exceljs';
import { AppError, lazyRequire } from '@mosaic/kernel';
import { CellError, type CellValue, type SheetRow } from './cell.ts';

const excel = lazyRequire<typeof ExcelJS>('exceljs');

/**
 * Streams the rows of the first worksheet of an XLSX with exceljs's streaming
 * reader, so a 100,000-row file never sits in memory (shared strings do: they
 * are the file's dictionary). Row numbers are the sheet's own.
 */
export async function* readXlsxRows(file: string): AsyncGenerator<SheetRow> {
  const input = fs.createReadStream(file);
  const reader = new (excel().stream.xlsx.WorkbookReader)(input, {
    sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'ignore',
  });
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet as unknown as AsyncIterable<{ number: number; values: unknown[] }>) {
        yield { number: row.number, cells: rowCells(row.values) };
      }
      break; // the first worksheet only
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('IMPORT_INVALID', `file: the XLSX file cannot be read (${String((e as Error)?.message ?? e).slice(0, 200)})`, { field: 'file', cause: e });
  } finally {
    input.destroy();
  }
  if (!sheets) throw new AppError('IMPORT_INVALID', 'file: the XLSX file has no worksheet', { field: 'file' });
}

/** exceljs row values are 1-based and sparse. */
function rowCells(values: unknown[]): CellValue[] {
  const out: CellValue[] = [];
  for (let i = 1; i < values.length; i++) out.push(normaliseCell(values[i]));
  return out;
}

/** A cell value as exceljs gives it → a plain value: rich text flattened, formulas by result, hyperlinks by text. */
export function normaliseCell(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : new CellError('#NUM!');
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
  if ('formula' in o || 'sharedFormula' in o) return normaliseCell(o.result);
  if ('error' in o) return new CellError(String(o.error));
  if ('hyperlink' in o) return normaliseCell(o.text) ?? String(o.hyperlink ?? '');
  if ('text' in o) return normaliseCell(o.text);
  return null;
}
