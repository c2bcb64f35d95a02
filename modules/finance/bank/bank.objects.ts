import type { TCreateObject } from '@mosaic/meta';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });

/**
 * 银行账户 and its statement lines (银行对账单), imported with packages/io
 * (POST /api/v1/import/bank_statement_line, CSV/XLSX with a column mapping;
 * the account column is matched by account number). 成本中心 and 预算 too.
 */
export const BANK_AND_BUDGET_OBJECTS: TCreateObject[] = [
  {
    apiName: 'bank_account', label: { zh: '银行账户', en: 'Bank account' }, module: 'finance', titleField: 'account_no', searchFields: ['account_no', 'name'],
    fields: [
      { apiName: 'account_no', type: 'text', label: { zh: '账号', en: 'Account no.' }, required: true },
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'bank_name', type: 'text', label: { zh: '开户行', en: 'Bank' } },
      { apiName: 'gl_account', type: 'link', label: { zh: '会计科目', en: 'GL account' }, required: true, config: { target: 'gl_account' } },
      { apiName: 'currency', type: 'text', label: { zh: '币种', en: 'Currency' }, config: { regex: '^[A-Z]{3}$' } },
    ],
  },
  {
    apiName: 'bank_statement', label: { zh: '银行对账单', en: 'Bank statement line' }, module: 'finance', titleField: 'reference',
    fields: [
      { apiName: 'bank_account', type: 'link', label: { zh: '银行账户', en: 'Bank account' }, required: true, config: { target: 'bank_account' } },
      { apiName: 'txn_date', type: 'date', label: { zh: '交易日期', en: 'Date' }, required: true },
      // Signed as the bank shows it: + money in (收入), − money out (支出).
      { apiName: 'amount', type: 'decimal', label: { zh: '金额', en: 'Amount' }, required: true, config: { precision: 18, scale: 2 } },
      { apiName: 'reference', type: 'text', label: { zh: '流水号', en: 'Reference' } },
      { apiName: 'counterparty', type: 'text', label: { zh: '对方户名', en: 'Counterparty' } },
      { apiName: 'description', type: 'text', label: { zh: '摘要', en: 'Description' } },
    ],
  },
  {
    apiName: 'cost_center', label: { zh: '成本中心', en: 'Cost center' }, module: 'finance', titleField: 'name', searchFields: ['code', 'name'],
    fields: [
      { apiName: 'code', type: 'text', label: { zh: '编码', en: 'Code' }, required: true },
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'parent', type: 'link', label: { zh: '上级', en: 'Parent' }, config: { target: 'cost_center' } },
    ],
  },
  {
    apiName: 'budget', label: { zh: '预算', en: 'Budget' }, module: 'finance', titleField: 'name',
    fields: [
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'year', type: 'text', label: { zh: '年度', en: 'Year' }, required: true, config: { regex: '^\\d{4}$' } },
      // Blank: the whole year; YYYY-MM: that month only.
      { apiName: 'period', type: 'text', label: { zh: '期间', en: 'Period' }, config: { regex: '^\\d{4}-(0[1-9]|1[0-2])$' } },
      { apiName: 'account', type: 'link', label: { zh: '科目', en: 'Account' }, required: true, config: { target: 'gl_account' } },
      { apiName: 'cost_center', type: 'text', label: { zh: '成本中心', en: 'Cost center' } },
      { apiName: 'amount', type: 'decimal', label: { zh: '预算金额', en: 'Amount' }, required: true, config: { precision: 18, scale: 2, min: 0 } },
      { apiName: 'on_overrun', type: 'single_select', label: { zh: '超预算时', en: 'On overrun' }, required: true, defaultValue: 'warn',
        config: { options: [opt('warn', '预警', 'Warn'), opt('block', '禁止', 'Block')] } },
    ],
  },
];
