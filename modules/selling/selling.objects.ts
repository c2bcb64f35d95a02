import type { TCreateField, TCreateObject } from '@mosaic/meta';
import { documentListDefaults } from '@mosaic/meta';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });

// VAT per line (增值税): a price either excludes tax (net = qty × rate) or
// includes it (gross = qty × rate, net = gross ÷ (1 + rate)); each rounded to
// the fen per line, so the lines add up to the totals exactly.
const taxLineFields: TCreateField[] = [
  { apiName: 'item', type: 'link', label: { zh: '物料', en: 'Item' }, required: true, config: { target: 'item' } },
  { apiName: 'qty', type: 'decimal', label: { zh: '数量', en: 'Quantity' }, required: true, config: { min: '0.000001' } },
  { apiName: 'rate', type: 'decimal', label: { zh: '单价', en: 'Unit price' }, required: true, config: { min: 0 } },
  // No field default: a line without a rate takes its item's output rate, else the company's
  // standard one (pricing/line-defaults.ts), so a form does not offer a flat 13 % for a 9 % item.
  { apiName: 'tax_rate', type: 'percent', label: { zh: '税率', en: 'VAT rate' }, config: { min: 0, max: 1 } },
  { apiName: 'price_includes_tax', type: 'boolean', label: { zh: '含税价', en: 'Price includes tax' }, defaultValue: false },
  { apiName: 'net', type: 'formula', label: { zh: '不含税金额', en: 'Net' }, config: { formula: 'IF(price_includes_tax, ROUND(ROUND(qty * rate, 2) / (1 + tax_rate), 2), ROUND(qty * rate, 2))' } },
  { apiName: 'tax', type: 'formula', label: { zh: '税额', en: 'VAT' }, config: { formula: 'IF(price_includes_tax, ROUND(qty * rate, 2) - net, ROUND(net * tax_rate, 2))' } },
  { apiName: 'gross', type: 'formula', label: { zh: '价税合计', en: 'Gross' }, config: { formula: 'net + tax' } },
  // The unit the line is written in (箱); quantities reach the stock ledger in the item's stock unit.
  { apiName: 'uom', type: 'link', label: { zh: '单位', en: 'Unit' }, config: { target: 'uom' } },
];

// Which price list priced the line (line-defaults.ts); blank when the price was given.
const pricedFrom: TCreateField = { apiName: 'price_list', type: 'link', label: { zh: '取价价目表', en: 'Priced from' }, config: { target: 'price_list', onDelete: 'set_null' } };

// 折扣: the line's price against its list price (标价, filled from the price list by the
// priced-order route). A discount above the company's limit is an approval flow's entry
// condition on the order (e.g. `max_discount > 0.1`), as on CRM quotes; no flow, no approval.
const discountFields: TCreateField[] = [
  { apiName: 'list_rate', type: 'decimal', label: { zh: '标价', en: 'List price' }, config: { min: 0 } },
  { apiName: 'discount', type: 'formula', label: { zh: '折扣率', en: 'Discount' }, config: { formula: 'IF(COALESCE(list_rate, 0) > rate, ROUND(1 - rate / list_rate, 4), 0)' } },
];

const stockLineFields: TCreateField[] = [
  { apiName: 'uom', type: 'link', label: { zh: '单位', en: 'Unit' }, config: { target: 'uom' } },
  { apiName: 'batch', type: 'text', label: { zh: '批次', en: 'Batch' } },
  { apiName: 'serial_no', type: 'long_text', label: { zh: '序列号', en: 'Serial numbers' } },
];

const totals = (child: string): TCreateField[] => [
  { apiName: 'net_total', type: 'rollup', label: { zh: '不含税合计', en: 'Net total' }, config: { rollup: { relation: 'lines', field: 'net', fn: 'sum' } } },
  { apiName: 'tax_total', type: 'rollup', label: { zh: '税额合计', en: 'VAT total' }, config: { rollup: { relation: 'lines', field: 'tax', fn: 'sum' } } },
  { apiName: 'grand_total', type: 'rollup', label: { zh: '价税合计', en: 'Grand total' }, config: { rollup: { relation: 'lines', field: 'gross', fn: 'sum' } } },
  { apiName: 'lines', type: 'child_table', label: { zh: '明细', en: 'Lines' }, required: true, config: { target: child } },
];

export const SELLING_OBJECTS: TCreateObject[] = [
  {
    apiName: 'sales_order', label: { zh: '销售订单', en: 'Sales order' }, module: 'selling', isDocument: true, titleField: 'number',
    listDefaults: documentListDefaults('customer', 'order_date', 'grand_total', ['delivery_date', 'warehouse']),
    fields: [
      { apiName: 'number', type: 'auto_number', label: { zh: '订单号', en: 'Number' }, config: { pattern: 'SO-{YYYY}-{#####}' } },
      { apiName: 'customer', type: 'link', label: { zh: '客户', en: 'Customer' }, required: true, config: { target: 'customer' } },
      { apiName: 'order_date', type: 'date', label: { zh: '下单日期', en: 'Order date' }, required: true, defaultValue: { formula: 'TODAY()' } },
      { apiName: 'delivery_date', type: 'date', label: { zh: '交货日期', en: 'Delivery date' } },
      { apiName: 'warehouse', type: 'link', label: { zh: '发货仓库', en: 'Warehouse' }, required: true, config: { target: 'warehouse' } },
      { apiName: 'price_list', type: 'link', label: { zh: '价目表', en: 'Price list' }, config: { target: 'price_list' } },
      // The customer accepts to wait: submit reserves beyond stock and the shortfall becomes a purchase suggestion.
      { apiName: 'allow_backorder', type: 'boolean', label: { zh: '允许缺货下单', en: 'Allow backorder' }, defaultValue: false },
      { apiName: 'max_discount', type: 'rollup', label: { zh: '最大折扣率', en: 'Largest discount' }, config: { rollup: { relation: 'lines', field: 'discount', fn: 'max' } } },
      ...totals('sales_order_line'),
    ],
  },
  { apiName: 'sales_order_line', label: { zh: '订单明细', en: 'Order line' }, module: 'selling', isChild: true, parentObject: 'sales_order', titleField: 'item', fields: [...taxLineFields, ...discountFields, pricedFrom] },
  {
    apiName: 'delivery_note', label: { zh: '发货单', en: 'Delivery note' }, module: 'selling', isDocument: true, titleField: 'number',
    listDefaults: documentListDefaults('customer', 'posting_date', null, ['sales_order', 'warehouse', 'on_time']),
    fields: [
      { apiName: 'number', type: 'auto_number', label: { zh: '发货单号', en: 'Number' }, config: { pattern: 'DN-{YYYY}-{#####}' } },
      { apiName: 'customer', type: 'link', label: { zh: '客户', en: 'Customer' }, required: true, config: { target: 'customer' } },
      { apiName: 'sales_order', type: 'link', label: { zh: '销售订单', en: 'Sales order' }, config: { target: 'sales_order' } },
      { apiName: 'warehouse', type: 'link', label: { zh: '发货仓库', en: 'Warehouse' }, required: true, config: { target: 'warehouse' } },
      { apiName: 'posting_date', type: 'date', label: { zh: '发货日期', en: 'Posting date' }, required: true, defaultValue: { formula: 'TODAY()' } },
      // Set on submit (stampFromOrder, order-chain/order-owner.hooks.ts): shipped by the order's delivery date. Read-only for users (selling.install.ts).
      { apiName: 'on_time', type: 'boolean', label: { zh: '按期交货', en: 'On time' } },
      { apiName: 'lines', type: 'child_table', label: { zh: '明细', en: 'Lines' }, required: true, config: { target: 'delivery_note_line' } },
    ],
  },
  {
    apiName: 'delivery_note_line', label: { zh: '发货明细', en: 'Delivery line' }, module: 'selling', isChild: true, parentObject: 'delivery_note', titleField: 'item',
    fields: [
      { apiName: 'item', type: 'link', label: { zh: '物料', en: 'Item' }, required: true, config: { target: 'item' } },
      { apiName: 'qty', type: 'decimal', label: { zh: '数量', en: 'Quantity' }, required: true, config: { min: '0.000001' } },
      ...stockLineFields,
    ],
  },
  {
    apiName: 'sales_invoice', label: { zh: '销售发票', en: 'Sales invoice' }, module: 'selling', isDocument: true, titleField: 'number',
    listDefaults: documentListDefaults('customer', 'posting_date', 'grand_total', ['invoice_type', 'invoice_no', 'sales_order']),
    fields: [
      { apiName: 'number', type: 'auto_number', label: { zh: '发票单号', en: 'Number' }, config: { pattern: 'SI-{YYYY}-{#####}' } },
      { apiName: 'customer', type: 'link', label: { zh: '客户', en: 'Customer' }, required: true, config: { target: 'customer' } },
      { apiName: 'sales_order', type: 'link', label: { zh: '销售订单', en: 'Sales order' }, config: { target: 'sales_order' } },
      { apiName: 'delivery_note', type: 'link', label: { zh: '发货单', en: 'Delivery note' }, config: { target: 'delivery_note' } },
      { apiName: 'posting_date', type: 'date', label: { zh: '开票日期', en: 'Posting date' }, required: true, defaultValue: { formula: 'TODAY()' } },
      { apiName: 'invoice_type', type: 'single_select', label: { zh: '发票类型', en: 'Invoice type' }, defaultValue: 'digital',
        config: { options: [opt('special', '增值税专用发票', 'Special VAT invoice'), opt('ordinary', '增值税普通发票', 'Ordinary VAT invoice'), opt('digital', '数电票', 'Digital invoice')] } },
      { apiName: 'invoice_no', type: 'text', label: { zh: '发票号码', en: 'Invoice no.' }, config: { editableAfterSubmit: true } },
      { apiName: 'invoice_date', type: 'date', label: { zh: '开票日期(发票)', en: 'Invoice date' }, config: { editableAfterSubmit: true } },
      // A foreign-currency invoice: amounts in `currency`, booked at exchange_rate (blank: the day's currency_rate).
      { apiName: 'currency', type: 'text', label: { zh: '币种', en: 'Currency' }, config: { regex: '^[A-Z]{3}$' } },
      { apiName: 'exchange_rate', type: 'decimal', label: { zh: '汇率', en: 'Exchange rate' }, config: { precision: 18, scale: 6, min: '0.000001' } },
      ...totals('sales_invoice_line'),
    ],
  },
  { apiName: 'sales_invoice_line', label: { zh: '发票明细', en: 'Invoice line' }, module: 'selling', isChild: true, parentObject: 'sales_invoice', titleField: 'item', fields: [...taxLineFields, pricedFrom] },
  {
    // 销售退货: goods come back at the rate they left with (from the delivery note's ledger entries);
    // a priced return also books the credit note (红字: receivable, revenue and output VAT reduced).
    apiName: 'sales_return', label: { zh: '销售退货单', en: 'Sales return' }, module: 'selling', isDocument: true, titleField: 'number',
    listDefaults: documentListDefaults('customer', 'posting_date', 'grand_total', ['delivery_note', 'warehouse']),
    fields: [
      { apiName: 'number', type: 'auto_number', label: { zh: '退货单号', en: 'Number' }, config: { pattern: 'SR-{YYYY}-{#####}' } },
      { apiName: 'customer', type: 'link', label: { zh: '客户', en: 'Customer' }, required: true, config: { target: 'customer' } },
      { apiName: 'delivery_note', type: 'link', label: { zh: '原发货单', en: 'Delivery note' }, required: true, config: { target: 'delivery_note' } },
      { apiName: 'warehouse', type: 'link', label: { zh: '退回仓库', en: 'Warehouse' }, required: true, config: { target: 'warehouse' } },
      { apiName: 'posting_date', type: 'date', label: { zh: '退货日期', en: 'Posting date' }, required: true, defaultValue: { formula: 'TODAY()' } },
      { apiName: 'reason', type: 'text', label: { zh: '退货原因', en: 'Reason' } },
      ...totals('sales_return_line'),
    ],
  },
  {
    apiName: 'sales_return_line', label: { zh: '退货明细', en: 'Return line' }, module: 'selling', isChild: true, parentObject: 'sales_return', titleField: 'item',
    // No flat VAT default: a line without a rate or price takes the order line's it returns, else the
    // item's output rate (sales-return.hooks.ts); a line no order prices is unpriced (0: goods back only).
    fields: [...taxLineFields.map((f) => (f.apiName === 'rate' ? { ...f, required: false, defaultValue: 0 } : f)), { apiName: 'batch', type: 'text', label: { zh: '批次', en: 'Batch' } }],
  },
  {
    // What priceFor reads on a price list beyond the stock module's fields: its currency (a list prices
    // documents in that currency only) and a 专价 customer (the list prices that customer's lines only).
    apiName: 'price_list', label: { zh: '价目表', en: 'Price list' }, module: 'stock',
    fields: [
      // No default: a new list is in the company's currency (pricing/currency-default.ts).
      { apiName: 'currency', type: 'text', label: { zh: '币种', en: 'Currency' }, config: { regex: '^[A-Z]{3}$' } },
      { apiName: 'customer', type: 'link', label: { zh: '仅限客户', en: 'Only for customer' }, indexed: true, config: { target: 'customer', onDelete: 'cascade' } },
    ],
  },
  {
    // The item's output VAT rate (finance's tax_rate); blank: the company's standard rate (salesTaxRate).
    apiName: 'item', label: { zh: '物料', en: 'Item' }, module: 'stock',
    fields: [{ apiName: 'tax_rate', type: 'link', label: { zh: '销项税率', en: 'Output VAT rate' }, config: { target: 'tax_rate', onDelete: 'set_null' } }],
  },
];
