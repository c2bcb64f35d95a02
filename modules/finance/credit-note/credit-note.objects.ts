import type { TCreateObject } from '@mosaic/meta';

/**
 * 销售红字发票/贷项通知单: revenue and output VAT given back to a customer —
 * returns, price reductions — reducing what an invoice still has open, or
 * left as a credit for the customer when no invoice is named.
 */
export const CREDIT_NOTE_OBJECTS: TCreateObject[] = [
  {
    apiName: 'credit_note', label: { zh: '红字发票', en: 'Credit note' }, module: 'finance', isDocument: true, titleField: 'number',
    fields: [
      { apiName: 'posting_date', type: 'date', label: { zh: '日期', en: 'Date' }, required: true, defaultValue: { formula: 'TODAY()' } },
      { apiName: 'number', type: 'auto_number', label: { zh: '单号', en: 'Number' }, config: { pattern: 'CN-{YYYY}-{#####}', dateField: 'posting_date' } },
      { apiName: 'customer', type: 'text', label: { zh: '客户', en: 'Customer' }, required: true },
      { apiName: 'against_invoice', type: 'text', label: { zh: '原发票', en: 'Original invoice' } },
      { apiName: 'reason', type: 'text', label: { zh: '原因', en: 'Reason' } },
      { apiName: 'net_amount', type: 'decimal', label: { zh: '不含税金额', en: 'Net' }, required: true, config: { precision: 18, scale: 2, min: '0.01' } },
      { apiName: 'tax_rate', type: 'percent', label: { zh: '税率', en: 'VAT rate' }, defaultValue: '0.13', config: { min: 0, max: 1 } },
      { apiName: 'tax_amount', type: 'formula', label: { zh: '税额', en: 'VAT' }, config: { formula: 'ROUND(net_amount * tax_rate, 2)' } },
      { apiName: 'gross_amount', type: 'formula', label: { zh: '价税合计', en: 'Gross' }, config: { formula: 'net_amount + tax_amount' } },
      { apiName: 'invoice_type', type: 'single_select', label: { zh: '发票类型', en: 'Invoice type' }, defaultValue: 'digital',
        config: { options: [{ value: 'special', label: { zh: '增值税专用发票', en: 'Special VAT invoice' } }, { value: 'ordinary', label: { zh: '增值税普通发票', en: 'Ordinary VAT invoice' } }, { value: 'digital', label: { zh: '数电票', en: 'Digital invoice' } }] } },
      { apiName: 'invoice_no', type: 'text', label: { zh: '发票号码', en: 'Invoice no.' }, config: { editableAfterSubmit: true } },
    ],
  },
];
