import type { TCreateField, TCreateObject } from '@mosaic/meta';
import { documentListDefaults } from '@mosaic/meta';

/**
 * 采购 — the procure-to-pay objects (API names fixed by issue 8). Each document
 * links back to the one it was made from; order lines are referenced by id
 * (`order_line`) so receipts, invoices and returns add up per order line.
 *
 * Fields marked "system" below are written only by this module's postings: a
 * database trigger (buying.install.ts) refuses any other change to them.
 */
const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });
const SHIPPING_STATUS = [opt('not_shipped', '未发货', 'Not shipped'), opt('shipped', '已发货', 'Shipped'), opt('in_transit', '运输中', 'In transit'),
  opt('delayed', '延误', 'Delayed'), opt('delivered', '已送达', 'Delivered')];
const link = (apiName: string, zh: string, en: string, target: string, required = false): TCreateField =>
  ({ apiName, type: 'link', label: { zh, en }, required, config: { target } });
const item = link('item', '物料', 'Item', 'item', true);
const qty: TCreateField = { apiName: 'qty', type: 'decimal', label: { zh: '数量', en: 'Quantity' }, required: true, config: { min: '0.000001' } };
/** The purchase order line a row refers to (its id): what three-way matching adds up by. */
const orderLine: TCreateField = { apiName: 'order_line', type: 'text', label: { zh: '订单行', en: 'Order line' }, indexed: true };
/**
 * 采购单位: the unit a line is written in (箱 when the supplier sells by the case); qty and
 * rate are per that unit, and the item's conversion (item_uom: 箱 = 12 个) takes them to the
 * stock unit. Chain figures, matching and the stock ledger all work in stock units.
 */
const purchaseUom: TCreateField = { apiName: 'uom', type: 'link', label: { zh: '单位', en: 'Unit' }, config: { target: 'uom' } };
/** A system-maintained percentage (chain status), changeable after submit by postings only. */
const systemPercent = (apiName: string, zh: string, en: string): TCreateField =>
  ({ apiName, type: 'percent', label: { zh, en }, config: { editableAfterSubmit: true } });

// VAT per line (增值税), as on sales documents: a price excludes tax (net = qty × rate)
// or includes it (net = gross ÷ (1 + rate)); each rounded to the fen per line.
const taxLineFields: TCreateField[] = [
  item,
  qty,
  { apiName: 'rate', type: 'decimal', label: { zh: '单价', en: 'Unit price' }, required: true, config: { min: 0 } },
  // No flat 13 % field default: a line without a rate takes its item's input rate, else the
  // company's standard input rate (shared/line-tax-defaults.ts), on every write path.
  { apiName: 'tax_rate', type: 'percent', label: { zh: '税率', en: 'VAT rate' }, config: { min: 0, max: 1 } },
  { apiName: 'price_includes_tax', type: 'boolean', label: { zh: '含税价', en: 'Price includes tax' }, defaultValue: false },
  { apiName: 'net', type: 'formula', label: { zh: '不含税金额', en: 'Net' }, config: { formula: 'IF(price_includes_tax, ROUND(ROUND(qty * rate, 2) / (1 + tax_rate), 2), ROUND(qty * rate, 2))' } },
  { apiName: 'tax', type: 'formula', label: { zh: '税额', en: 'VAT' }, config: { formula: 'IF(price_includes_tax, ROUND(qty * rate, 2) - net, ROUND(net * tax_rate, 2))' } },
  { apiName: 'gross', type: 'formula', label: { zh: '价税合计', en: 'Gross' }, config: { formula: 'net + tax' } },
];

const totals = (child: string): TCreateField[] => [
  { apiName: 'net_total', type: 'rollup', label: { zh: '不含税合计', en: 'Net total' }, config: { rollup: { relation: 'lines', field: 'net', fn: 'sum' } } },
  { apiName: 'tax_total', type: 'rollup', label: { zh: '税额合计', en: 'VAT total' }, config: { rollup: { relation: 'lines', field: 'tax', fn: 'sum' } } },
  { apiName: 'grand_total', type: 'rollup', label: { zh: '价税合计', en: 'Grand total' }, config: { rollup: { relation: 'lines', field: 'gross', fn: 'sum' } } },
  { apiName: 'lines', type: 'child_table', label: { zh: '明细', en: 'Lines' }, required: true, config: { target: child } },
];
const number = (zh: string, pattern: string): TCreateField => ({ apiName: 'number', type: 'auto_number', label: { zh, en: 'Number' }, config: { pattern } });
const today = (apiName: string, zh: string, en: string): TCreateField => ({ apiName, type: 'date', label: { zh, en }, required: true, defaultValue: { formula: 'TODAY()' } });
const supplier = link('supplier', '供应商', 'Supplier', 'supplier', true);
const doc = (apiName: string, zh: string, en: string, fields: TCreateField[], listDefaults?: TCreateObject['listDefaults']): TCreateObject =>
  ({ apiName, label: { zh, en }, module: 'buying', isDocument: true, titleField: 'number', fields, ...(listDefaults ? { listDefaults } : {}) });
const child = (apiName: string, parentObject: string, zh: string, en: string, fields: TCreateField[]): TCreateObject =>
  ({ apiName, label: { zh, en }, module: 'buying', isChild: true, parentObject, titleField: 'item', fields });

export const BUYING_OBJECTS: TCreateObject[] = [
  {
    apiName: 'supplier', label: { zh: '供应商', en: 'Supplier' }, module: 'buying', titleField: 'name', searchFields: ['code', 'name'],
    fields: [
      { apiName: 'code', type: 'text', label: { zh: '编码', en: 'Code' }, required: true, unique: true },
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true, indexed: true },
      { apiName: 'tax_id', type: 'text', label: { zh: '统一社会信用代码', en: 'Tax ID' } },
      { apiName: 'contact_person', type: 'text', label: { zh: '联系人', en: 'Contact' } },
      { apiName: 'phone', type: 'phone', label: { zh: '电话', en: 'Phone' } },
      { apiName: 'email', type: 'email', label: { zh: '邮箱', en: 'Email' } },
      { apiName: 'lead_time_days', type: 'integer', label: { zh: '默认交货期(天)', en: 'Lead time (days)' }, config: { min: 0 } },
      { apiName: 'portal_role', type: 'text', label: { zh: '门户角色', en: 'Portal role' } }, // system: set by the portal-role action
    ],
  },
  {
    // One record per company (the newest wins): how far invoices may stray from order and receipt.
    apiName: 'buying_settings', label: { zh: '采购设置', en: 'Buying settings' }, module: 'buying', titleField: 'qty_tolerance',
    fields: [
      { apiName: 'qty_tolerance', type: 'percent', label: { zh: '数量容差', en: 'Quantity tolerance' }, defaultValue: '0', config: { min: 0, max: 1 } },
      { apiName: 'price_tolerance', type: 'percent', label: { zh: '价格容差', en: 'Price tolerance' }, defaultValue: '0', config: { min: 0, max: 1 } },
    ],
  },
  doc('purchase_requisition', '请购单', 'Purchase requisition', [
    number('请购单号', 'PR-{YYYY}-{#####}'),
    today('request_date', '申请日期', 'Request date'),
    { apiName: 'required_date', type: 'date', label: { zh: '需求日期', en: 'Required by' } },
    link('warehouse', '收货仓库', 'Warehouse', 'warehouse', true),
    { apiName: 'source', type: 'single_select', label: { zh: '来源', en: 'Source' }, defaultValue: 'manual',
      config: { options: [opt('manual', '人工', 'Manual'), opt('reorder', '补货建议', 'Reorder'), opt('mrp', 'MRP', 'MRP')] } },
    { apiName: 'reason', type: 'text', label: { zh: '用途', en: 'Reason' } },
    systemPercent('per_ordered', '已下单%', 'Ordered %'),
    { apiName: 'lines', type: 'child_table', label: { zh: '明细', en: 'Lines' }, required: true, config: { target: 'purchase_requisition_line' } },
  ]),
  child('purchase_requisition_line', 'purchase_requisition', '请购明细', 'Requisition line', [
    item, qty,
    // The replenishment suggestion this line was made from (reorder), so it is turned into a requisition once.
    { apiName: 'source_ref', type: 'text', label: { zh: '来源记录', en: 'Source record' }, indexed: true },
    // When this line's goods are needed, if not the requisition's date (MRP firms suggestions of many dates into one).
    { apiName: 'required_date', type: 'date', label: { zh: '需求日期', en: 'Required by' } },
  ]),
  doc('rfq', '询价单', 'Request for quotation', [
    // One RFQ per supplier (SAP's model): the supplier portal scopes by `supplier` alone, and no
    // supplier ever sees whom else was asked. The RFQs of one requisition are compared side by side.
    number('询价单号', 'RFQ-{YYYY}-{#####}'),
    supplier,
    link('purchase_requisition', '请购单', 'Requisition', 'purchase_requisition'),
    today('rfq_date', '询价日期', 'RFQ date'),
    { apiName: 'quote_by', type: 'date', label: { zh: '报价截止', en: 'Quote by' } },
    { apiName: 'lines', type: 'child_table', label: { zh: '明细', en: 'Lines' }, required: true, config: { target: 'rfq_line' } },
  ]),
  child('rfq_line', 'rfq', '询价明细', 'RFQ line', [item, qty]),
  doc('supplier_quotation', '供应商报价', 'Supplier quotation', [
    number('报价单号', 'SQ-{YYYY}-{#####}'),
    supplier,
    link('rfq', '询价单', 'RFQ', 'rfq'),
    link('purchase_requisition', '请购单', 'Requisition', 'purchase_requisition'),
    today('quotation_date', '报价日期', 'Quotation date'),
    { apiName: 'valid_till', type: 'date', label: { zh: '有效期至', en: 'Valid till' } },
    ...totals('supplier_quotation_line'),
  ]),
  child('supplier_quotation_line', 'supplier_quotation', '报价明细', 'Quotation line', [
    ...taxLineFields,
    { apiName: 'lead_time_days', type: 'integer', label: { zh: '交货期(天)', en: 'Lead time (days)' }, config: { min: 0 } },
  ]),
  doc('purchase_order', '采购订单', 'Purchase order', [
    number('订单号', 'PO-{YYYY}-{#####}'),
    supplier,
    today('order_date', '下单日期', 'Order date'),
    { apiName: 'schedule_date', type: 'date', label: { zh: '要求到货日期', en: 'Required by' } },
    link('warehouse', '收货仓库', 'Warehouse', 'warehouse', true),
    link('supplier_quotation', '供应商报价', 'Supplier quotation', 'supplier_quotation'),
    link('purchase_requisition', '请购单', 'Requisition', 'purchase_requisition'),
    // system: set by the supplier (portal) and by postings
    { apiName: 'confirmed_date', type: 'date', label: { zh: '供应商确认交期', en: 'Confirmed delivery date' }, config: { editableAfterSubmit: true } },
    { apiName: 'shipping_status', type: 'single_select', label: { zh: '发运状态', en: 'Shipping status' }, config: { editableAfterSubmit: true, options: SHIPPING_STATUS } },
    systemPercent('per_received', '已收货%', 'Received %'),
    systemPercent('per_invoiced', '已开票%', 'Invoiced %'),
    ...totals('purchase_order_line'),
  ], documentListDefaults('supplier', 'order_date', 'grand_total', ['schedule_date', 'warehouse', 'per_received'])),
  child('purchase_order_line', 'purchase_order', '订单明细', 'Order line', [
    ...taxLineFields,
    purchaseUom,
    { apiName: 'requisition_line', type: 'text', label: { zh: '请购行', en: 'Requisition line' }, indexed: true },
    // system: the item's type when the order was submitted, so a later change of the item does not change this order
    { apiName: 'item_type', type: 'single_select', label: { zh: '物料类型(下单时)', en: 'Item type (as ordered)' },
      config: { options: [opt('stock', '库存物料', 'Stock item'), opt('non_stock', '非库存', 'Non-stock'), opt('service', '服务', 'Service')] } },
  ]),
  doc('purchase_receipt', '采购入库单', 'Purchase receipt', [
    number('入库单号', 'GRN-{YYYY}-{#####}'),
    supplier,
    link('purchase_order', '采购订单', 'Purchase order', 'purchase_order', true),
    link('warehouse', '仓库', 'Warehouse', 'warehouse', true),
    today('posting_date', '入库日期', 'Posting date'),
    { apiName: 'quality_hold', type: 'boolean', label: { zh: '待检(冻结)', en: 'Quality hold' }, defaultValue: false },
    // system: held → released by the quality release action
    { apiName: 'quality_status', type: 'single_select', label: { zh: '质检状态', en: 'Quality status' },
      config: { editableAfterSubmit: true, options: [opt('held', '待检冻结', 'On hold'), opt('released', '已放行', 'Released')] } },
    { apiName: 'lines', type: 'child_table', label: { zh: '明细', en: 'Lines' }, required: true, config: { target: 'purchase_receipt_line' } },
  ], documentListDefaults('supplier', 'posting_date', null, ['purchase_order', 'warehouse', 'quality_status'])),
  child('purchase_receipt_line', 'purchase_receipt', '入库明细', 'Receipt line', [
    item, qty,
    // Net unit cost (excluding deductible VAT): what the stock is valued at.
    { apiName: 'rate', type: 'decimal', label: { zh: '入库单价(不含税)', en: 'Unit cost (net)' }, required: true, config: { min: 0 } },
    { apiName: 'amount', type: 'formula', label: { zh: '金额', en: 'Amount' }, config: { formula: 'ROUND(qty * rate, 2)' } },
    orderLine,
    purchaseUom,
  ]),
  doc('purchase_invoice', '采购发票', 'Purchase invoice', [
    number('发票单号', 'PINV-{YYYY}-{#####}'),
    supplier,
    link('purchase_order', '采购订单', 'Purchase order', 'purchase_order', true),
    link('purchase_receipt', '采购入库单', 'Purchase receipt', 'purchase_receipt'),
    today('posting_date', '记账日期', 'Posting date'),
    { apiName: 'invoice_type', type: 'single_select', label: { zh: '发票类型', en: 'Invoice type' }, defaultValue: 'special',
      config: { options: [opt('special', '增值税专用发票', 'Special VAT invoice'), opt('ordinary', '增值税普通发票', 'Ordinary VAT invoice'), opt('digital', '数电票', 'Digital invoice')] } },
    { apiName: 'invoice_no', type: 'text', label: { zh: '发票号码', en: 'Invoice no.' }, config: { editableAfterSubmit: true } },
    { apiName: 'bill_date', type: 'date', label: { zh: '开票日期', en: 'Bill date' } },
    ...totals('purchase_invoice_line'),
  ], documentListDefaults('supplier', 'posting_date', 'grand_total', ['invoice_no', 'bill_date', 'purchase_order'])),
  child('purchase_invoice_line', 'purchase_invoice', '发票明细', 'Invoice line', [...taxLineFields, orderLine, purchaseUom]),
  doc('purchase_return', '采购退货单', 'Purchase return', [
    number('退货单号', 'PRET-{YYYY}-{#####}'),
    supplier,
    link('purchase_receipt', '采购入库单', 'Purchase receipt', 'purchase_receipt', true),
    link('purchase_order', '采购订单', 'Purchase order', 'purchase_order', true),
    link('warehouse', '仓库', 'Warehouse', 'warehouse', true),
    today('posting_date', '退货日期', 'Posting date'),
    { apiName: 'reason', type: 'text', label: { zh: '退货原因', en: 'Reason' } },
    { apiName: 'lines', type: 'child_table', label: { zh: '明细', en: 'Lines' }, required: true, config: { target: 'purchase_return_line' } },
  ]),
  child('purchase_return_line', 'purchase_return', '退货明细', 'Return line', [
    item, qty,
    // The rate it was received at (taken from the receipt when the return is posted).
    { apiName: 'rate', type: 'decimal', label: { zh: '入库单价(不含税)', en: 'Received rate (net)' }, config: { min: 0 } },
    orderLine,
    purchaseUom,
  ]),
  {
    // 进项税率: the VAT rate purchase lines of the item take (finance's tax_rate); blank: the company's standard input rate.
    apiName: 'item', label: { zh: '物料', en: 'Item' }, module: 'stock',
    fields: [{ apiName: 'input_tax_rate', type: 'link', label: { zh: '进项税率', en: 'Input VAT rate' }, config: { target: 'tax_rate', onDelete: 'set_null' } }],
  },
  {
    // 发运通知: what a supplier tells us about an order on its way (posted through the portal).
    apiName: 'shipping_update', label: { zh: '发运通知', en: 'Shipping update' }, module: 'buying', titleField: 'shipping_status',
    fields: [
      link('purchase_order', '采购订单', 'Purchase order', 'purchase_order', true),
      supplier,
      { apiName: 'shipping_status', type: 'single_select', label: { zh: '发运状态', en: 'Shipping status' }, required: true, config: { options: SHIPPING_STATUS } },
      { apiName: 'expected_date', type: 'date', label: { zh: '预计到货', en: 'Expected arrival' } },
      { apiName: 'carrier', type: 'text', label: { zh: '承运商', en: 'Carrier' } },
      { apiName: 'tracking_no', type: 'text', label: { zh: '运单号', en: 'Tracking no.' } },
      { apiName: 'note', type: 'long_text', label: { zh: '说明', en: 'Note' } },
    ],
  },
];

