import fs from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError } from '@mosaic/kernel';
import type { SheetRow } from './cell.ts';
import { detectTextEncoding, sniffDelimiter, type TextEncodingName } from './text-encoding.ts';

/**
 * Streams a CSV's records as rows, decoding UTF-8 (BOM stripped) or GB18030.
 * Blank lines are kept as blank rows so row numbers match what Excel shows.
 *
 *   file → [iconv gb18030 →] csv-parse → { number: 2, cells: ['华为', '1200.50'] }
 */
export async function* readCsvRows(file: string, encoding?: TextEncodingName): AsyncGenerator<SheetRow> {
  const enc = encoding ?? (await detectTextEncoding(file));
  const delimiter = sniffDelimiter(firstLine(file, enc));
  const parser = parse({ bom: true, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, max_record_size: 1_000_000 });
  const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  const stages: Readable[] = enc === 'utf8' ? [input] : [input, iconv.decodeStream('gb18030') as unknown as Readable];
  // pipeline() destroys every stage when one fails (or when we stop early), so nothing hangs.
  const rows = (pipeline as (...s: unknown[]) => Readable)(...stages, parser, () => {});
  let n = 0;
  try {
    for await (const record of rows) {
      n++;
      yield { number: n, cells: record as string[] };
    }
  } catch (e) {
    if (e instanceof CsvError) throw new AppError('IMPORT_INVALID', `file: the CSV cannot be read at row ${n + 1}: ${e.message}`, { field: 'file' });
    throw e;
  } finally {
    rows.destroy();
  }
}

function firstLine(file: string, enc: TextEncodingName): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const text = enc === 'utf8' ? buf.subarray(0, n).toString('utf8') : iconv.decode(buf.subarray(0, n), 'gb18030');
    return text.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  } finally {
    fs.closeSync(fd);
  }
}
