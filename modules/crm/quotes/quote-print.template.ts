import { registerBuiltinTemplate, type TPrintTemplateInput } from '@mosaic/print';

/**
 * 报价单 as the customer receives it: the company's letterhead (packages/print),
 * who it is for and how long it holds, each line with its list price, discount
 * and the price after it, VAT, and the total in figures and in 大写. A company
 * that wants another layout saves its own template for `quote` (设置 → 打印模板),
 * which then takes precedence over this one.
 */
export const QUOTE_TEMPLATE: TPrintTemplateInput = {
  title: '报价单',
  header: [
    { label: '报价单号', value: '{{number}}' },
    { label: '报价日期', value: '{{quote_date|date}}' },
    { label: '客户', value: '{{customer}}' },
    { label: '有效期至', value: '{{valid_until|date}}' },
    { label: '联系人', value: '{{contact}}' },
    { label: '联系电话', value: '{{contact.phone}}' },
    { label: '版本', value: '第 {{revision}} 版' },
    { label: '商机', value: '{{opportunity}}' },
  ],
  table: {
    source: 'lines',
    columns: [
      { label: '序号', value: '{{$row.no}}', width: 'auto', align: 'center' },
      { label: '产品', value: '{{item}}', width: '*' },
      { label: '描述', value: '{{description}}', width: '*' },
      { label: '数量', value: '{{qty|number}}', width: 'auto', align: 'right' },
      { label: '标准价', value: '{{list_price|number}}', width: 'auto', align: 'right' },
      { label: '折扣', value: '{{discount|percent}}', width: 'auto', align: 'right' },
      { label: '成交单价', value: '{{rate|number}}', width: 'auto', align: 'right' },
      { label: '税率', value: '{{tax_rate|percent}}', width: 'auto', align: 'right' },
      { label: '价税合计', value: '{{gross|money}}', width: 'auto', align: 'right' },
    ],
  },
  totals: [
    { label: '不含税合计', value: '{{net_total|money}}' },
    { label: '税额合计', value: '{{tax_total|money}}' },
    { label: '价税合计', value: '{{$currency}}{{grand_total|money}}' },
    { label: '价税合计（大写）', value: '{{grand_total|capital}}' },
  ],
  footer: [
    '本报价单有效期至 {{valid_until|date}}，逾期请重新询价；以上价格为含增值税价格（{{$currency.name}}）。',
    '开户行：{{$company.bank_name}}　账号：{{$company.bank_account}}　纳税人识别号：{{$company.tax_id}}',
  ],
  signatures: ['报价人', '审核', '客户确认（签章）'],
};

registerBuiltinTemplate('quote', QUOTE_TEMPLATE);
