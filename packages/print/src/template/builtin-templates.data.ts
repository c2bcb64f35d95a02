import type { TPrintTemplateInput } from './template.schema.ts';

/**
 * The built-in templates of the selling documents (进销存 issue, item 6): what a
 * company prints until it saves its own. Any other object — quotation,
 * purchase_order, a custom one — prints with the generic template built from
 * its metadata. A built-in that no longer fits its object (a field renamed) is
 * skipped for the generic one rather than printing blanks.
 */
const lineColumns = [
  { label: '序号', value: '{{$row.no}}', width: 'auto' as const, align: 'center' as const },
  { label: '物料编码', value: '{{item.code}}', width: 'auto' as const },
  { label: '物料名称', value: '{{item}}', width: '*' as const },
  { label: '规格型号', value: '{{item.spec}}', width: 'auto' as const },
  { label: '数量', value: '{{qty|number}}', width: 'auto' as const, align: 'right' as const },
  { label: '单价', value: '{{rate|number}}', width: 'auto' as const, align: 'right' as const },
  { label: '税率', value: '{{tax_rate|percent}}', width: 'auto' as const, align: 'right' as const },
  { label: '税额', value: '{{tax|money}}', width: 'auto' as const, align: 'right' as const },
  { label: '价税合计', value: '{{gross|money}}', width: 'auto' as const, align: 'right' as const },
];

const totals = [
  { label: '不含税合计', value: '{{net_total|money}}' },
  { label: '税额合计', value: '{{tax_total|money}}' },
  { label: '价税合计', value: '{{$currency}}{{grand_total|money}}' },
  { label: '价税合计（大写）', value: '{{grand_total|capital}}' },
];

const bank = '开户行：{{$company.bank_name}}　账号：{{$company.bank_account}}';

export const BUILTIN_TEMPLATES: Record<string, TPrintTemplateInput> = {
  sales_order: {
    title: '销售订单',
    header: [
      { label: '订单号', value: '{{number}}' },
      { label: '下单日期', value: '{{order_date|date}}' },
      { label: '客户', value: '{{customer}}' },
      { label: '交货日期', value: '{{delivery_date|date}}' },
      { label: '发货仓库', value: '{{warehouse}}' },
    ],
    table: { source: 'lines', columns: lineColumns },
    totals,
    footer: [bank],
    signatures: ['制单', '审核', '客户确认'],
  },
  delivery_note: {
    title: '发货单',
    header: [
      { label: '发货单号', value: '{{number}}' },
      { label: '发货日期', value: '{{posting_date|date}}' },
      { label: '客户', value: '{{customer}}' },
      { label: '销售订单', value: '{{sales_order}}' },
      { label: '发货仓库', value: '{{warehouse}}' },
    ],
    table: {
      source: 'lines',
      columns: [lineColumns[0], lineColumns[1], lineColumns[2], lineColumns[3], { label: '数量', value: '{{qty|number}}', width: 60, align: 'right' }],
    },
    footer: ['请收货人当面点清货物，如有异议请于三日内提出。'],
    signatures: ['发货人', '承运人', '收货人（签字）'],
  },
  sales_invoice: {
    title: '销售发票',
    header: [
      { label: '单号', value: '{{number}}' },
      { label: '开票日期', value: '{{posting_date|date}}' },
      { label: '客户', value: '{{customer}}' },
      { label: '销售订单', value: '{{sales_order}}' },
      { label: '发票类型', value: '{{invoice_type}}' },
      { label: '发票号码', value: '{{invoice_no}}' },
    ],
    table: { source: 'lines', columns: lineColumns },
    totals,
    footer: [bank, '销售方纳税人识别号：{{$company.tax_id}}'],
    signatures: ['制单', '审核', '收款人'],
  },
};
