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
  if (!hasColumns) {
    const cols = result.columns;
    ws.addRow(cols.map(label)).font = { bold: true };
    for (const r of result.rows) {
      const totals = (r.$totals as string[] | undefined) ?? [];
      const row = ws.addRow(cols.map((c) => (totals.includes(c.key) ? total : cellValue(r[`${c.key}$title`] ?? r[c.key]))));
      if (totals.length) row.font = { bold: true };
    }
  } else {
    const p = result.pivot ?? toPivot(result); // a run's result carries its pivot already
    const rowDims = result.columns.filter((c) => c.role === 'row');
    const header = [...rowDims.map(label)];
    for (const c of p.columns) for (const m of p.measures) header.push(`${c.values.map((v) => (v === null ? total : String(v))).join(' / ')}${p.measures.length > 1 ? ` · ${m}` : ''}`);
    ws.addRow(header).font = { bold: true };
    p.rows.forEach((r, i) => {
      const cells: unknown[] = r.values.map((v) => (v === null && r.total ? total : cellValue(v)));
      for (const [j] of p.columns.entries()) for (const m of p.measures) cells.push(cellValue(p.cells[i][j][m]));
      const row = ws.addRow(cells);
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

function safeSheetName(s: string): string {
  return s.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Report';
}
