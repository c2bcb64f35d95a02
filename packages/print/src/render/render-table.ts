import type { Content } from 'pdfmake/interfaces.js';
import { AppError, Decimal } from '@mosaic/kernel';
import { renderPdf } from '../pdf/pdf-engine.ts';
import { FILTER_FNS } from '../template/filters.ts';
import type { FilterName } from '../template/placeholders.ts';
import { contentWidth, dataTable, letterheadBlock, pageOf, totalsBlock, type Letterhead } from './layout.ts';

export type CellFormat = 'text' | FilterName;

export interface TablePdfColumn {
  /** The row property to print. */
  key: string;
  label: string;
  /** money "1,234.50", number "12", percent "13%", date "2026年11月23日", capital 大写; text as is (default). */
  format?: CellFormat;
  align?: 'left' | 'center' | 'right';
  width?: number | '*' | 'auto';
}

export interface TablePdfInput {
  title: string;
  subtitle?: string;
  /** Label–value lines under the title: 客户、期间、币种… */
  info?: { label: string; value: string }[];
  columns: TablePdfColumn[];
  rows: Record<string, unknown>[];
  /** Under the table, right-aligned: 期末余额 / 合计（大写）… */
  totals?: { label: string; value: unknown; format?: CellFormat }[];
  footer?: string[];
  /** The company block at the top (see `letterheadOf`); none when absent. */
  letterhead?: Letterhead | null;
  orientation?: 'portrait' | 'landscape';
  pageSize?: 'A4' | 'A5' | 'LETTER';
  /** The code of the currency the figures are in (the company's books'): 大写 names it unless CNY. */
  currency?: string;
}

/** A PDF carries at most this many rows; larger lists belong in an Excel export. */
export const MAX_TABLE_ROWS = 10_000;

/**
 * A titled table as a PDF, for statements and reports the other modules build
 * (对账单, 科目余额表, 工资条): the header row repeats on every page, numbers are
 * formatted from strings or Decimals (never floats), pages are numbered.
 *
 *   const pdf = await renderTablePdf({
 *     title: '客户对账单', info: [{ label: '客户', value: '深圳市华强电子有限公司' }],
 *     columns: [{ key: 'date', label: '日期', format: 'date' }, { key: 'amount', label: '金额', format: 'money' }],
 *     rows: [{ date: '2026-11-01', amount: '1200.00' }],
 *     totals: [{ label: '期末余额', value: '1200.00', format: 'money' }, { label: '大写', value: '1200.00', format: 'capital' }],
 *     letterhead: await letterheadOf(ctx, companyId),
 *   });
 */
export async function renderTablePdf(input: TablePdfInput): Promise<Buffer> {
  if (!input.columns.length) throw new AppError('FIELD_REQUIRED', 'columns: at least one column', { field: 'columns' });
  if (input.rows.length > MAX_TABLE_ROWS) throw new AppError('FIELD_INVALID', `rows: at most ${MAX_TABLE_ROWS} rows in a PDF; export larger lists to Excel`, { field: 'rows' });
  const content: Content[] = [];
  if (input.letterhead) content.push(letterheadBlock(input.letterhead, contentWidth(input.pageSize ?? 'A4', input.orientation ?? 'portrait')));
  content.push({ text: input.title, style: 'title' });
  if (input.subtitle) content.push({ text: input.subtitle, style: 'subtitle' });
  for (const line of input.info ?? []) content.push({ text: [{ text: `${line.label}：`, bold: true }, line.value], margin: [0, 0, 0, 2] });
  if (input.info?.length) content.push({ text: '', margin: [0, 0, 0, 6] });
  content.push(dataTable(
    input.columns.map((c) => ({ label: c.label, width: c.width ?? 'auto', align: c.align ?? (isNumeric(c.format) ? 'right' : 'left') })),
    input.rows.map((row) => input.columns.map((c) => formatCell(row[c.key], c.format, input.currency))),
  ));
  if (input.totals?.length) content.push(totalsBlock(input.totals.map((t) => [t.label, formatCell(t.value, t.format, input.currency)])));
  for (const line of input.footer ?? []) content.push({ text: line, margin: [0, 4, 0, 0] });
  return renderPdf(pageOf(content, input.pageSize ?? 'A4', input.orientation ?? 'portrait'));
}

/** One value as text: Decimals and money objects by their exact digits, then the format (大写 in `currency`, CNY when none). */
export function formatCell(value: unknown, format: CellFormat = 'text', currency?: string): string {
  if (value === null || value === undefined) return '';
  // Whole numbers (counts, row numbers) are exact; a fractional float has already lost the fen.
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new AppError('FIELD_INVALID', `rows: a cell holds the float ${value}; pass amounts as strings or Decimals`, { field: 'rows' });
  }
  let text: string;
  if (Decimal.isDecimal(value)) text = (value as Decimal).toFixed();
  else if (typeof value === 'object' && value !== null && 'amount' in value) text = String((value as { amount: unknown }).amount ?? '');
  else if (value instanceof Date) text = value.toISOString().slice(0, 10);
  else text = String(value);
  return format === 'text' || text === '' ? text : FILTER_FNS[format](text, currency);
}

function isNumeric(format: CellFormat | undefined): boolean {
  return format === 'money' || format === 'number' || format === 'percent';
}
