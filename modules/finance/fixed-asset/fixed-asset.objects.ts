import type { TCreateObject } from '@mosaic/meta';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });
const METHODS = [opt('straight_line', '年限平均法', 'Straight-line'), opt('double_declining', '双倍余额递减法', 'Double-declining'), opt('sum_of_years', '年数总和法', 'Sum-of-years')];
const money = { precision: 18, scale: 2, min: 0 };

/**
 * 固定资产: categories give the defaults, each asset its cost, life and method.
 * Submitting an asset books its acquisition (Dr 1601 / Cr the paying account);
 * depreciation is posted by the monthly run (Dr expense / Cr 1602, against the
 * asset), so accumulated depreciation and net book value come from the ledger —
 * and so does disposal: an asset is disposed of when its disposal voucher exists.
 */
export const FIXED_ASSET_OBJECTS: TCreateObject[] = [
  {
    apiName: 'asset_category', label: { zh: '资产类别', en: 'Asset category' }, module: 'finance', titleField: 'name',
    fields: [
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'method', type: 'single_select', label: { zh: '折旧方法', en: 'Method' }, required: true, defaultValue: 'straight_line', config: { options: METHODS } },
      { apiName: 'life_months', type: 'integer', label: { zh: '折旧月数', en: 'Life (months)' }, required: true, config: { min: 1 } },
      { apiName: 'residual_rate', type: 'percent', label: { zh: '残值率', en: 'Residual rate' }, defaultValue: '0.05', config: { min: 0, max: 1 } },
      { apiName: 'expense_account', type: 'link', label: { zh: '折旧费用科目', en: 'Expense account' }, config: { target: 'gl_account' } },
    ],
  },
  {
    apiName: 'fixed_asset', label: { zh: '固定资产', en: 'Fixed asset' }, module: 'finance', isDocument: true, titleField: 'name',
    fields: [
      { apiName: 'acquisition_date', type: 'date', label: { zh: '取得日期', en: 'Acquired' }, required: true, defaultValue: { formula: 'TODAY()' } },
      { apiName: 'code', type: 'auto_number', label: { zh: '资产编号', en: 'Asset no.' }, config: { pattern: 'FA-{YYYY}-{#####}', dateField: 'acquisition_date' } },
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'category', type: 'link', label: { zh: '类别', en: 'Category' }, required: true, config: { target: 'asset_category' } },
      { apiName: 'cost', type: 'decimal', label: { zh: '原值', en: 'Cost' }, required: true, config: { ...money, min: '0.01' } },
      { apiName: 'method', type: 'single_select', label: { zh: '折旧方法', en: 'Method' }, config: { options: METHODS } },
      { apiName: 'life_months', type: 'integer', label: { zh: '折旧月数', en: 'Life (months)' }, config: { min: 1 } },
      { apiName: 'residual_rate', type: 'percent', label: { zh: '残值率', en: 'Residual rate' }, config: { min: 0, max: 1 } },
      { apiName: 'credit_account', type: 'link', label: { zh: '购置贷方科目', en: 'Paid from' }, required: true, config: { target: 'gl_account' } },
      { apiName: 'supplier', type: 'text', label: { zh: '供应商', en: 'Supplier' } },
      { apiName: 'cost_center', type: 'text', label: { zh: '成本中心', en: 'Cost center' } },
    ],
  },
];
