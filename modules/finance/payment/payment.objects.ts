import type { TCreateObject } from '@mosaic/meta';
import { documentListDefaults } from '@mosaic/meta';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });
const money = { precision: 18, scale: 2, min: 0 };

/**
 * 收款/付款单: money in or out of a bank or cash account, allocated (核销) to open
 * items of one party. What is not allocated stays open as an advance (预收/预付).
 * Amounts are in the payment's currency (blank: the company's); exchange_rate
 * converts them to the company currency (blank: the day's currency_rate).
 */
export const PAYMENT_OBJECTS: TCreateObject[] = [
  {
    apiName: 'payment', label: { zh: '收付款单', en: 'Payment' }, module: 'finance', isDocument: true, titleField: 'number',
    listDefaults: documentListDefaults('party', 'posting_date', 'amount', ['payment_type', 'currency', 'allocated_total']),
    fields: [
      { apiName: 'payment_type', type: 'single_select', label: { zh: '收付类型', en: 'Type' }, required: true,
        config: { options: [opt('receive', '收款', 'Receive'), opt('pay', '付款', 'Pay')] } },
      { apiName: 'party_type', type: 'single_select', label: { zh: '往来类型', en: 'Party type' }, required: true,
        config: { options: [opt('customer', '客户', 'Customer'), opt('supplier', '供应商', 'Supplier'), opt('employee', '员工', 'Employee')] } },
      { apiName: 'party', type: 'text', label: { zh: '往来单位', en: 'Party' }, required: true },
      { apiName: 'posting_date', type: 'date', label: { zh: '日期', en: 'Date' }, required: true, defaultValue: { formula: 'TODAY()' } },
      { apiName: 'number', type: 'auto_number', label: { zh: '单号', en: 'Number' }, config: { pattern: 'PAY-{YYYY}-{#####}', dateField: 'posting_date' } },
      { apiName: 'account', type: 'link', label: { zh: '收付款科目', en: 'Bank/cash account' }, required: true, config: { target: 'gl_account' } },
      { apiName: 'amount', type: 'decimal', label: { zh: '金额', en: 'Amount' }, required: true, config: money },
      { apiName: 'currency', type: 'text', label: { zh: '币种', en: 'Currency' }, config: { regex: '^[A-Z]{3}$' } },
      { apiName: 'exchange_rate', type: 'decimal', label: { zh: '汇率', en: 'Exchange rate' }, config: { precision: 18, scale: 6, min: '0.000001' } },
      { apiName: 'reference', type: 'text', label: { zh: '银行流水号', en: 'Reference' } },
      { apiName: 'remarks', type: 'text', label: { zh: '摘要', en: 'Remarks' } },
      { apiName: 'allocations', type: 'child_table', label: { zh: '核销明细', en: 'Allocations' }, config: { target: 'payment_allocation' } },
      { apiName: 'allocated_total', type: 'rollup', label: { zh: '已核销', en: 'Allocated' }, config: { rollup: { relation: 'allocations', field: 'allocated', fn: 'sum' } } },
    ],
  },
  {
    apiName: 'payment_allocation', label: { zh: '核销明细', en: 'Allocation' }, module: 'finance', isChild: true, parentObject: 'payment', titleField: 'against_id',
    fields: [
      { apiName: 'against_type', type: 'text', label: { zh: '单据类型', en: 'Document type' }, required: true, defaultValue: 'sales_invoice' },
      { apiName: 'against_id', type: 'text', label: { zh: '单据', en: 'Document' }, required: true },
      { apiName: 'allocated', type: 'decimal', label: { zh: '核销金额', en: 'Allocated' }, required: true, config: money },
      { apiName: 'discount', type: 'decimal', label: { zh: '现金折扣', en: 'Early-payment discount' }, defaultValue: '0', config: money },
      { apiName: 'write_off', type: 'decimal', label: { zh: '核销差额(坏账/无需支付)', en: 'Write-off' }, defaultValue: '0', config: money },
    ],
  },
];
