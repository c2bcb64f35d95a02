import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { lazyRequire } from '@mosaic/kernel';
import { stringify } from 'csv-stringify/sync';
import type { OutCell } from './export-values.ts';

const excel = lazyRequire<typeof ExcelJS>('exceljs');

/**
 * Turns pages of rows into a file stream, one page in memory at a time.
 * CSV: UTF-8 with a BOM (so Excel on Chinese Windows opens it as UTF-8), CRLF.
 * XLSX: exceljs's streaming WorkbookWriter, inline strings (no shared-strings
 * table growing with the file); the next page is produced only once the
 * reader has taken the previous one.
 */
export type RowPages = AsyncIterable<OutCell[][]>;

export function csvStream(header: string[], pages: RowPages): Readable {
  const format = (rows: OutCell[][]) => stringify(rows, { record_delimiter: 'windows', cast: { number: (n) => String(n) } });
  async function* chunks() {
    yield `\uFEFF${format([header])}`;
    for await (const rows of pages) if (rows.length) yield format(rows);
  }
  return Readable.from(chunks(), { objectMode: false });
}

export function xlsxStream(sheetName: string, header: string[], pages: RowPages): Readable {
  const out = new PassThrough();
  const book = new (excel().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = book.addWorksheet(safeSheetName(sheetName));
  void (async () => {
    sheet.addRow(header).commit();
    for await (const rows of pages) {
      for (const r of rows) sheet.addRow(r).commit();
      if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
      if (out.destroyed) return; // the client went away
    }
    sheet.commit();
    await book.commit();
  })().catch((err) => out.destroy(err));
  return out;
}

/** Excel: at most 31 characters, none of []:*?/\ . */
function safeSheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';
}
