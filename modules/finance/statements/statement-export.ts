import type ExcelJS from 'exceljs';
import { lazyRequire } from '@mosaic/kernel';
import { amountUnit } from '@mosaic/print';

const excel = lazyRequire<typeof ExcelJS>('exceljs');

/** How a workbook shows money: thousands separated, two decimals (the figures stay numbers). */
const MONEY = '#,##0.00';

/** A statement as an XLSX workbook: one sheet, the 单位 the figures are in (the books' `currency`), the line labels and each column's figures as numbers. */
export async function statementXlsx(title: string, columns: Record<string, string>, rows: Record<string, string>[], currency: string): Promise<Buffer> {
  const wb = new (excel().Workbook)();
  const ws = wb.addWorksheet(title);
  ws.addRow([title]).font = { bold: true };
  ws.addRow(['单位', amountUnit(currency)]);
  ws.addRow(['项目', ...Object.values(columns)]).font = { bold: true };
  for (const r of rows) ws.addRow([r.label, ...Object.keys(columns).map((c) => Number(r[c]))]);
  ws.getColumn(1).width = 44;
  for (let i = 2; i <= Object.keys(columns).length + 1; i++) { ws.getColumn(i).width = 18; ws.getColumn(i).numFmt = MONEY; }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** 科目余额表 as an XLSX workbook: the 单位 (the books' `currency`), code, name, the six money columns as numbers, the totals row last. */
export async function trialBalanceXlsx(period: string, columns: Record<string, string>, rows: Record<string, string>[], totals: Record<string, string>, currency: string): Promise<Buffer> {
  const wb = new (excel().Workbook)();
  const ws = wb.addWorksheet('科目余额表');
  ws.addRow([`科目余额表 ${period}`]).font = { bold: true };
  ws.addRow(['单位', amountUnit(currency)]);
  ws.addRow(['科目编码', '科目名称', ...Object.values(columns)]).font = { bold: true };
  for (const r of rows) ws.addRow([r.code, r.name, ...Object.keys(columns).map((c) => Number(r[c]))]);
  ws.addRow(['', '合计', ...Object.keys(columns).map((c) => Number(totals[c]))]).font = { bold: true };
  ws.getColumn(1).width = 12;
  ws.getColumn(2).width = 36;
  for (let i = 3; i <= Object.keys(columns).length + 2; i++) { ws.getColumn(i).width = 16; ws.getColumn(i).numFmt = MONEY; }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

type PartyStatementSheet = {
  title: string; who: string; partyName: string; from: string; to: string;
  /** The books' currency: a company keeping them in another than the yuan says so (单位：美元), as the PDF does. */
  currency: string;
  s: { opening: string; closing: string; totals: { debit: string; credit: string }; lines: { date: string; voucherNo: string; description: string | null; debit: string; credit: string; balance: string }[] };
};

/**
 * 对账单 as an XLSX workbook: the same rows and totals as the PDF — party and
 * period, the 单位 when the books are not in yuan, the opening balance, each movement with its running balance, then
 * 本期借方/本期贷方 and 期末余额 — money as numbers so the party can sum them.
 */
export async function partyStatementXlsx(p: PartyStatementSheet): Promise<Buffer> {
  const wb = new (excel().Workbook)();
  const ws = wb.addWorksheet(p.title);
  ws.addRow([p.title]).font = { bold: true };
  ws.addRow([p.who, p.partyName]);
  ws.addRow(['期间', `${p.from} 至 ${p.to}`]);
  if (p.currency !== 'CNY') ws.addRow(['单位', amountUnit(p.currency)]);
  ws.addRow(['期初余额', '', '', '', '', Number(p.s.opening)]).getCell(6).numFmt = MONEY;
  ws.addRow(['日期', '凭证号', '摘要', '借方', '贷方', '余额']).font = { bold: true };
  for (const l of p.s.lines) ws.addRow([l.date, l.voucherNo, l.description ?? '', Number(l.debit), Number(l.credit), Number(l.balance)]);
  ws.addRow(['本期合计', '', '', Number(p.s.totals.debit), Number(p.s.totals.credit), '']).font = { bold: true };
  const closing = ws.addRow(['期末余额', '', '', '', '', Number(p.s.closing)]);
  closing.font = { bold: true };
  closing.getCell(6).numFmt = MONEY;
  ws.getColumn(1).width = 12;
  ws.getColumn(2).width = 16;
  ws.getColumn(3).width = 36;
  for (const i of [4, 5, 6]) { ws.getColumn(i).width = 16; ws.getColumn(i).numFmt = MONEY; }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
