import type ExcelJS from 'exceljs';
import { lazyRequire } from '@mosaic/kernel';
import { readableObject, requireRight, type RecordsCtx } from '@mosaic/records';
import { toPivot } from './report.pivot.ts';
import { parseDefinition, runReport, type ReportResult, type RunOptions } from './report.run.ts';
import type { ReportParams } from './report.schema.ts';

const excel = lazyRequire<typeof ExcelJS>('exceljs');

/**
 * A report result as an .xlsx workbook (one sheet): a plain table, or a cross
 * table when the report has column dimensions. Runs as the guard's user, like
 * every report, and needs the `export` right on the source object. The
 * scheduled-report job (automation) calls this and mails the bytes.
 *
 *   const bytes = await renderReportXlsx(ctx, definition, { from: '2026-01-01' }, { title: '月度销售' });
 */
export async function renderReportXlsx(ctx: RecordsCtx, definition: unknown, params: ReportParams = {}, opts: RunOptions & { title?: string } = {}): Promise<Buffer> {
  const def = parseDefinition(definition);
  const { obj } = await readableObject(ctx, def.source, 'read');
  requireRight(ctx, obj, 'export');
  const result = await runReport(ctx, def, params, opts);
  return resultToXlsx(result, opts.title ?? obj.label.zh, ctx.guard.actor.locale);
}

export async function resultToXlsx(result: ReportResult, title: string, locale = 'zh-CN'): Promise<Buffer> {
  const wb = new (excel().Workbook)();
  wb.creator = 'Mosaic';
  const ws = wb.addWorksheet(safeSheetName(title));
  const label = (c: { key: string; label?: { zh: string; en?: string } }) => (locale.startsWith('en') ? c.label?.en : c.label?.zh) ?? c.label?.zh ?? c.key;
  const total = locale.startsWith('en') ? 'Total' : '合计';
  const hasColumns = result.columns.some((c) => c.role === 'column');
  const mixed = locale.startsWith('en') ? 'mixed currencies' : '混合币种';
  const none = locale.startsWith('en') ? 'no currency' : '未注明币种';
  // Money figures: a one-currency cell a number in its currency's format, a mixed one text per currency.
  const addRow = (cells: Figure[]) => {
    const row = ws.addRow(cells.map((c) => (typeof c === 'object' && c !== null && 'figure' in c ? moneyValue(c, mixed, none) : c)));
    cells.forEach((c, i) => {
      if (typeof c === 'object' && c !== null && 'figure' in c && !c.mixed && typeof c.currency === 'string' && c.currency && c.figure !== null) row.getCell(i + 1).numFmt = currencyFormat(c.currency);
    });
    return row;
  };
  if (!hasColumns) {
    const cols = result.columns;
    ws.addRow(cols.map(label)).font = { bold: true };
    for (const r of result.rows) {
      const totals = (r.$totals as string[] | undefined) ?? [];
      const row = addRow(cols.map((c) => (totals.includes(c.key) ? total : c.kind === 'measure' ? figureOf(r, c.key) : cellValue(r[`${c.key}$title`] ?? r[c.key]))));
      if (totals.length) row.font = { bold: true };
    }
  } else {
    const p = result.pivot ?? toPivot(result); // a run's result carries its pivot already
    const rowDims = result.columns.filter((c) => c.role === 'row');
    const header = [...rowDims.map(label)];
    for (const c of p.columns) for (const m of p.measures) header.push(`${c.values.map((v) => (v === null ? total : String(v))).join(' / ')}${p.measures.length > 1 ? ` · ${m}` : ''}`);
    ws.addRow(header).font = { bold: true };
    p.rows.forEach((r, i) => {
      const figures: Figure[] = r.values.map((v) => (v === null && r.total ? total : cellValue(v)));
      for (const [j] of p.columns.entries()) for (const m of p.measures) figures.push(figureOf(p.cells[i][j], m));
      const row = addRow(figures);
      if (r.total) row.font = { bold: true };
    });
  }
  ws.columns.forEach((c) => (c.width = 16));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// Decimal strings become numbers in the sheet (Excel has no decimal type; what it shows is 15 digits, enough for amounts).
function cellValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return String(v);
}

/** A measure's cell with what a money figure says about its currency (report.run.ts markMixed). */
type Figure = string | number | boolean | null | { figure: unknown; currency?: unknown; byCurrency?: unknown; mixed: boolean };

function figureOf(row: Record<string, unknown>, key: string): Figure {
  const currency = row[`${key}$currency`];
  const mixed = row[`${key}$mixed`] === true;
  if (!mixed && typeof currency !== 'string') return cellValue(row[key]);
  return { figure: row[key] ?? null, currency, byCurrency: row[`${key}$byCurrency`], mixed };
}

/**
 * A mixed cell is text, one amount per currency ("CNY 108000.00; USD 20000.00"), in the cell where the screen
 * shows it: a sheet keeps the report's shape (a column per currency would multiply a pivot's columns), and no
 * number in it is ¥ and US$ added. A mixed figure without amounts (a formula, a Δ) says "混合币种".
 */
function moneyValue(c: Exclude<Figure, string | number | boolean | null>, mixed: string, none: string): string | number | boolean | null {
  if (!c.mixed) return cellValue(c.figure);
  const by = c.byCurrency && typeof c.byCurrency === 'object' ? Object.entries(c.byCurrency as Record<string, unknown>) : [];
  return by.length ? by.sort(([a], [b]) => (a < b ? -1 : 1)).map(([ccy, v]) => `${ccy || none} ${String(v)}`).join('; ') : mixed;
}

/** Excel's number format for amounts in `currency`: its symbol (¥, $, €), else its code, and two decimals. */
export function currencyFormat(currency: string): string {
  let symbol = currency;
  try {
    symbol = new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? currency;
  } catch {
    // not an ISO code Intl knows: its code as it is
  }
  return `"${symbol.replace(/"/g, '')}"#,##0.00`;
}

function safeSheetName(s: string): string {
  return s.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Report';
}
