import { AppError } from '@mosaic/kernel';
import { getRecord, type RecordsCtx } from '@mosaic/records';
import { amountUnit, booksHeadOf, formatCell, renderTablePdf, type TablePdfColumn } from '@mosaic/print';
import type { PartyType } from '../journal-entry/journal-entry.rules.ts';
import { partyStatement } from '../receivables/receivables.report.ts';
import type { TrialBalanceRow } from '../gl/trial-balance.report.ts';

const PARTY_LABEL: Record<PartyType, { title: string; who: string }> = {
  customer: { title: '客户对账单', who: '客户' }, supplier: { title: '供应商对账单', who: '供应商' }, employee: { title: '员工往来对账单', who: '员工' },
};

export type PartyStatementQuery = { companyId: string; partyType: PartyType; party: string; from: string; to: string };

/** The 对账单's figures with the party's name and the title for its kind: what the PDF and the XLSX both print. */
export async function partyStatementFor(ctx: RecordsCtx, q: PartyStatementQuery) {
  if (!/^[0-9a-f-]{36}$/i.test(q.party)) throw new AppError('FIELD_REQUIRED', 'party: which customer, supplier or employee (an id)', { field: 'party' });
  const s = await partyStatement(ctx, q);
  const party = await getRecord(ctx, q.partyType, q.party);
  return { s, partyName: String(party.name ?? party.code ?? q.party), label: PARTY_LABEL[q.partyType] };
}

/**
 * 对账单 as a PDF on the company's letterhead: the movements on the party's
 * control account between two dates, the running balance, opening and closing,
 * the closing in words (大写) and a line for the party to confirm it.
 * The figures are the books', in the company's currency: a company keeping them
 * in another than the yuan says so (单位：美元) and its 大写 names it (美元陆佰叁拾元整).
 */
export async function partyStatementPdf(ctx: RecordsCtx, q: PartyStatementQuery): Promise<Buffer> {
  const { s, partyName, label } = await partyStatementFor(ctx, q);
  const { letterhead, currency } = await booksHeadOf(ctx, q.companyId);
  return renderTablePdf({
    title: label.title,
    info: [
      { label: label.who, value: partyName }, { label: '期间', value: `${q.from} 至 ${q.to}` },
      ...(currency === 'CNY' ? [] : [{ label: '单位', value: amountUnit(currency) }]), { label: '期初余额', value: formatCell(s.opening, 'money') },
    ],
    columns: [
      { key: 'date', label: '日期', format: 'date', width: 'auto' }, { key: 'voucherNo', label: '凭证号', width: 'auto' }, { key: 'description', label: '摘要', width: '*' },
      { key: 'debit', label: '借方', format: 'money', align: 'right' }, { key: 'credit', label: '贷方', format: 'money', align: 'right' }, { key: 'balance', label: '余额', format: 'money', align: 'right' },
    ],
    rows: s.lines.map((l) => ({ ...l, description: l.description ?? '' })),
    totals: [
      { label: '本期借方', value: s.totals.debit, format: 'money' }, { label: '本期贷方', value: s.totals.credit, format: 'money' },
      { label: '期末余额', value: s.closing, format: 'money' }, { label: '大写', value: s.closing.replace(/^-/, ''), format: 'capital' },
    ],
    footer: ['如核对无误，请签章确认；如有不符，请注明差异。', '对方确认（签章）：____________    日期：____________'],
    letterhead, currency,
  });
}

/** A statement (资产负债表 / 利润表 / 现金流量表) as a PDF: the line items and each column's figures, in the company's currency (单位). */
export async function statementPdf(ctx: RecordsCtx, companyId: string, title: string, period: string, columns: Record<string, string>, rows: Record<string, string>[]): Promise<Buffer> {
  const cols: TablePdfColumn[] = [{ key: 'label', label: '项目', width: '*' }, ...Object.entries(columns).map(([key, label]) => ({ key, label, format: 'money' as const, align: 'right' as const, width: 90 }))];
  const { letterhead, currency } = await booksHeadOf(ctx, companyId);
  return renderTablePdf({ title, info: [{ label: '期间', value: period }, { label: '单位', value: amountUnit(currency) }], columns: cols, rows, letterhead, currency });
}

export const TRIAL_BALANCE_COLUMNS = {
  openingDebit: '期初借方', openingCredit: '期初贷方', periodDebit: '本期借方', periodCredit: '本期贷方', closingDebit: '期末借方', closingCredit: '期末贷方',
} as const;

/** 科目余额表 as a PDF (landscape: six money columns), totals as the last row, in the company's currency (单位). */
export async function trialBalancePdf(ctx: RecordsCtx, companyId: string, period: string, tb: { rows: TrialBalanceRow[]; totals: Record<string, string> }): Promise<Buffer> {
  const { letterhead, currency } = await booksHeadOf(ctx, companyId);
  return renderTablePdf({
    title: '科目余额表', orientation: 'landscape', info: [{ label: '期间', value: period }, { label: '单位', value: amountUnit(currency) }],
    columns: [
      { key: 'code', label: '科目编码', width: 'auto' }, { key: 'name', label: '科目名称', width: '*' },
      ...Object.entries(TRIAL_BALANCE_COLUMNS).map(([key, label]) => ({ key, label, format: 'money' as const, align: 'right' as const, width: 72 })),
    ],
    rows: [...(tb.rows as unknown as Record<string, unknown>[]), { code: '', name: '合计', ...tb.totals }],
    letterhead, currency,
  });
}
