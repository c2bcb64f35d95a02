import type { TCreateObject } from '@mosaic/meta';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });
const PARTY_TYPES = [opt('customer', '客户', 'Customer'), opt('supplier', '供应商', 'Supplier'), opt('employee', '员工', 'Employee')];
const VOUCHER_TYPES = [opt('记', '记账凭证', 'General'), opt('收', '收款凭证', 'Receipt'), opt('付', '付款凭证', 'Payment'), opt('转', '转账凭证', 'Transfer')];

// A line in a foreign currency keeps its original amount beside the company-currency
// debit/credit (外币金额), so open items can be revalued and settled at another rate;
// cost_center is the 成本中心 dimension budgets and 明细账 read.
const FOREIGN_AND_COST_CENTER: TCreateObject['fields'] = [
  { apiName: 'currency', type: 'text', label: { zh: '币种', en: 'Currency' }, config: { regex: '^[A-Z]{3}$' } },
  { apiName: 'fc_debit', type: 'decimal', label: { zh: '原币借方', en: 'Debit (currency)' }, config: { precision: 18, scale: 2 } },
  { apiName: 'fc_credit', type: 'decimal', label: { zh: '原币贷方', en: 'Credit (currency)' }, config: { precision: 18, scale: 2 } },
  { apiName: 'cost_center', type: 'text', label: { zh: '成本中心', en: 'Cost center' } },
  // 现金流量项目: set on a cash line to classify it by hand; blank lines are classified from the other side of the voucher.
  { apiName: 'cash_flow_item', type: 'text', label: { zh: '现金流量项目', en: 'Cash-flow item' } },
];

/** Finance objects (API names fixed by issue 9). gl_entry is written only by postings. */
export const FINANCE_OBJECTS: TCreateObject[] = [
  {
    apiName: 'gl_account', label: { zh: '会计科目', en: 'Account' }, module: 'finance', titleField: 'name', searchFields: ['code', 'name'],
    fields: [
      { apiName: 'code', type: 'text', label: { zh: '科目编码', en: 'Code' }, required: true }, // unique per company: index in gl-tables.install.ts
      { apiName: 'name', type: 'text', label: { zh: '科目名称', en: 'Name' }, required: true },
      { apiName: 'account_type', type: 'single_select', label: { zh: '类别', en: 'Type' }, required: true,
        config: { options: [opt('asset', '资产', 'Asset'), opt('liability', '负债', 'Liability'), opt('equity', '所有者权益', 'Equity'), opt('cost', '成本', 'Cost'), opt('income', '收入', 'Income'), opt('expense', '费用', 'Expense')] } },
      { apiName: 'balance_side', type: 'single_select', label: { zh: '余额方向', en: 'Balance side' }, required: true, config: { options: [opt('debit', '借', 'Debit'), opt('credit', '贷', 'Credit')] } },
      { apiName: 'parent', type: 'link', label: { zh: '上级科目', en: 'Parent' }, config: { target: 'gl_account' } },
      { apiName: 'is_group', type: 'boolean', label: { zh: '汇总科目', en: 'Group' }, defaultValue: false },
    ],
  },
  {
    apiName: 'fiscal_period', label: { zh: '会计期间', en: 'Fiscal period' }, module: 'finance', titleField: 'period',
    fields: [
      // unique per company: index in gl-tables.install.ts
      { apiName: 'period', type: 'text', label: { zh: '期间', en: 'Period' }, required: true, config: { regex: '^\\d{4}-(0[1-9]|1[0-2])$' } },
      { apiName: 'is_closed', type: 'boolean', label: { zh: '已结账', en: 'Closed' }, defaultValue: false },
    ],
  },
  {
    apiName: 'journal_entry', label: { zh: '记账凭证', en: 'Journal entry' }, module: 'finance', isDocument: true, titleField: 'number',
    listDefaults: { columns: ['number', 'voucher_type', 'posting_date', 'status', 'description', 'total_debit', 'total_credit'], sort: { field: 'posting_date', direction: 'desc' } },
    fields: [
      { apiName: 'voucher_type', type: 'single_select', label: { zh: '凭证字', en: 'Voucher type' }, required: true, defaultValue: '记', config: { options: VOUCHER_TYPES } },
      { apiName: 'posting_date', type: 'date', label: { zh: '记账日期', en: 'Posting date' }, required: true, defaultValue: { formula: 'TODAY()' } },
      { apiName: 'number', type: 'auto_number', label: { zh: '凭证号', en: 'Number' }, config: { pattern: '{voucher_type}-{YYYY}{MM}-{####}', dateField: 'posting_date' } },
      { apiName: 'description', type: 'text', label: { zh: '摘要', en: 'Description' } },
      { apiName: 'red_reversal', type: 'boolean', label: { zh: '红字冲销', en: 'Red-ink reversal' }, defaultValue: false },
      { apiName: 'source_type', type: 'text', label: { zh: '来源单据类型', en: 'Source type' } },
      { apiName: 'source_id', type: 'text', label: { zh: '来源单据', en: 'Source' } },
      { apiName: 'lines', type: 'child_table', label: { zh: '分录', en: 'Lines' }, required: true, config: { target: 'journal_entry_line' } },
      { apiName: 'total_debit', type: 'rollup', label: { zh: '借方合计', en: 'Total debit' }, config: { rollup: { relation: 'lines', field: 'debit', fn: 'sum' } } },
      { apiName: 'total_credit', type: 'rollup', label: { zh: '贷方合计', en: 'Total credit' }, config: { rollup: { relation: 'lines', field: 'credit', fn: 'sum' } } },
    ],
  },
  {
    apiName: 'journal_entry_line', label: { zh: '凭证分录', en: 'Journal line' }, module: 'finance', isChild: true, parentObject: 'journal_entry', titleField: 'description',
    fields: [
      { apiName: 'description', type: 'text', label: { zh: '摘要', en: 'Description' } },
      { apiName: 'account', type: 'link', label: { zh: '科目', en: 'Account' }, required: true, config: { target: 'gl_account' } },
      { apiName: 'debit', type: 'decimal', label: { zh: '借方', en: 'Debit' }, config: { precision: 18, scale: 2 } },
      { apiName: 'credit', type: 'decimal', label: { zh: '贷方', en: 'Credit' }, config: { precision: 18, scale: 2 } },
      // Sub-ledger dimension (往来): who the amount is owed by/to, and the document it settles against.
      // Receivables and payables are the lines on 1122/2202 with these set (ERPNext-style open items).
      { apiName: 'party_type', type: 'single_select', label: { zh: '往来类型', en: 'Party type' }, config: { options: PARTY_TYPES } },
      { apiName: 'party', type: 'text', label: { zh: '往来单位', en: 'Party' } },
      { apiName: 'against_type', type: 'text', label: { zh: '核销单据类型', en: 'Against type' } },
      { apiName: 'against_id', type: 'text', label: { zh: '核销单据', en: 'Against document' } },
      ...FOREIGN_AND_COST_CENTER,
    ],
  },
  {
    apiName: 'gl_entry', label: { zh: '总账分录', en: 'GL entry' }, module: 'finance', titleField: 'voucher_no',
    fields: [
      { apiName: 'account', type: 'link', label: { zh: '科目', en: 'Account' }, required: true, config: { target: 'gl_account' } },
      { apiName: 'posting_date', type: 'date', label: { zh: '记账日期', en: 'Posting date' }, required: true, indexed: true },
      { apiName: 'period', type: 'text', label: { zh: '期间', en: 'Period' }, required: true, config: { regex: '^\\d{4}-(0[1-9]|1[0-2])$' } },
      { apiName: 'debit', type: 'decimal', label: { zh: '借方', en: 'Debit' }, config: { precision: 18, scale: 2 } },
      { apiName: 'credit', type: 'decimal', label: { zh: '贷方', en: 'Credit' }, config: { precision: 18, scale: 2 } },
      { apiName: 'description', type: 'text', label: { zh: '摘要', en: 'Description' } },
      { apiName: 'voucher_no', type: 'text', label: { zh: '凭证号', en: 'Voucher no.' }, required: true },
      { apiName: 'journal_entry', type: 'link', label: { zh: '凭证', en: 'Journal entry' }, required: true, config: { target: 'journal_entry' } },
      // Sub-ledger dimension (往来): who the amount is owed by/to, and the document it settles against.
      // Receivables and payables are the lines on 1122/2202 with these set (ERPNext-style open items).
      { apiName: 'party_type', type: 'single_select', label: { zh: '往来类型', en: 'Party type' }, config: { options: PARTY_TYPES } },
      { apiName: 'party', type: 'text', label: { zh: '往来单位', en: 'Party' } },
      { apiName: 'against_type', type: 'text', label: { zh: '核销单据类型', en: 'Against type' } },
      { apiName: 'against_id', type: 'text', label: { zh: '核销单据', en: 'Against document' } },
      ...FOREIGN_AND_COST_CENTER,
    ],
  },
];
