import type { TCreateObject } from '@mosaic/meta';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });

/** 汇率 (company currency per unit, by day) and 税率 (VAT rates and the accounts they post to). */
export const CURRENCY_AND_TAX_OBJECTS: TCreateObject[] = [
  {
    apiName: 'currency_rate', label: { zh: '汇率', en: 'Exchange rate' }, module: 'finance', titleField: 'currency',
    fields: [
      { apiName: 'currency', type: 'text', label: { zh: '币种', en: 'Currency' }, required: true, config: { regex: '^[A-Z]{3}$' } },
      { apiName: 'rate_date', type: 'date', label: { zh: '日期', en: 'Date' }, required: true },
      { apiName: 'rate', type: 'decimal', label: { zh: '汇率(本位币/单位外币)', en: 'Rate' }, required: true, config: { precision: 18, scale: 6, min: '0.000001' } },
    ],
  },
  {
    apiName: 'tax_rate', label: { zh: '税率', en: 'Tax rate' }, module: 'finance', titleField: 'name',
    fields: [
      { apiName: 'code', type: 'text', label: { zh: '编码', en: 'Code' }, required: true },
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'rate', type: 'percent', label: { zh: '税率', en: 'Rate' }, required: true, config: { min: 0, max: 1 } },
      { apiName: 'direction', type: 'single_select', label: { zh: '销项/进项', en: 'Output/input' }, required: true,
        config: { options: [opt('output', '销项', 'Output'), opt('input', '进项', 'Input')] } },
      { apiName: 'is_exempt', type: 'boolean', label: { zh: '免税', en: 'Exempt' }, defaultValue: false },
      { apiName: 'account', type: 'link', label: { zh: '科目', en: 'Account' }, config: { target: 'gl_account' } },
    ],
  },
];
