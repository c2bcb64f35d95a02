import type { TCreateObject } from '@mosaic/meta';

/**
 * The stock module's objects, as metadata (API names fixed by issue 8). Admins
 * may add fields to them like to any object; the ledger and balance are written
 * only by the stock ledger service (the database refuses anything else).
 */
const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });

export const STOCK_OBJECTS: TCreateObject[] = [
  {
    apiName: 'uom', label: { zh: '计量单位', en: 'Unit of measure' }, module: 'stock', titleField: 'name',
    fields: [
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true, unique: true },
      { apiName: 'whole_number', type: 'boolean', label: { zh: '必须为整数', en: 'Whole numbers only' }, defaultValue: false },
    ],
  },
  {
    apiName: 'warehouse', label: { zh: '仓库', en: 'Warehouse' }, module: 'stock', titleField: 'name',
    fields: [
      { apiName: 'code', type: 'text', label: { zh: '编码', en: 'Code' }, required: true, unique: true },
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'allow_negative', type: 'boolean', label: { zh: '允许负库存', en: 'Allow negative stock' }, defaultValue: false },
    ],
  },
  {
    apiName: 'item', label: { zh: '物料', en: 'Item' }, module: 'stock', titleField: 'name', searchFields: ['code', 'name'],
    fields: [
      { apiName: 'code', type: 'text', label: { zh: '物料编码', en: 'Item code' }, required: true, unique: true },
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true, indexed: true },
      { apiName: 'spec', type: 'text', label: { zh: '规格型号', en: 'Specification' } },
      { apiName: 'item_type', type: 'single_select', label: { zh: '类型', en: 'Type' }, required: true, defaultValue: 'stock',
        config: { options: [opt('stock', '库存物料', 'Stock item'), opt('non_stock', '非库存', 'Non-stock'), opt('service', '服务', 'Service')] } },
      { apiName: 'uom', type: 'link', label: { zh: '单位', en: 'Unit' }, config: { target: 'uom' } },
      { apiName: 'valuation_method', type: 'single_select', label: { zh: '计价方法', en: 'Valuation' }, required: true, defaultValue: 'moving_average',
        config: { options: [opt('moving_average', '移动加权平均', 'Moving average'), opt('fifo', '先进先出', 'FIFO')] } },
      { apiName: 'allow_negative', type: 'boolean', label: { zh: '允许负库存', en: 'Allow negative stock' }, defaultValue: false },
      { apiName: 'standard_price', type: 'money', label: { zh: '标准单价', en: 'Standard price' } },
    ],
  },
  {
    apiName: 'stock_ledger_entry', label: { zh: '库存流水', en: 'Stock ledger entry' }, module: 'stock', titleField: 'voucher_type',
    fields: [
      { apiName: 'item', type: 'link', label: { zh: '物料', en: 'Item' }, required: true, config: { target: 'item' } },
      { apiName: 'warehouse', type: 'link', label: { zh: '仓库', en: 'Warehouse' }, required: true, config: { target: 'warehouse' } },
      { apiName: 'posting_date', type: 'date', label: { zh: '过账日期', en: 'Posting date' }, required: true, indexed: true },
      { apiName: 'qty', type: 'decimal', label: { zh: '数量', en: 'Quantity' }, required: true },
      { apiName: 'rate', type: 'decimal', label: { zh: '单位成本', en: 'Rate' } },
      { apiName: 'value_change', type: 'decimal', label: { zh: '金额变动', en: 'Value change' } },
      { apiName: 'qty_after', type: 'decimal', label: { zh: '结存数量', en: 'Quantity after' } },
      { apiName: 'value_after', type: 'decimal', label: { zh: '结存金额', en: 'Value after' } },
      { apiName: 'voucher_type', type: 'text', label: { zh: '单据类型', en: 'Voucher type' }, required: true },
      { apiName: 'voucher_id', type: 'text', label: { zh: '单据', en: 'Voucher' }, required: true, indexed: true },
    ],
  },
  {
    apiName: 'stock_balance', label: { zh: '库存余额', en: 'Stock balance' }, module: 'stock', titleField: 'item',
    fields: [
      { apiName: 'item', type: 'link', label: { zh: '物料', en: 'Item' }, required: true, config: { target: 'item' } },
      { apiName: 'warehouse', type: 'link', label: { zh: '仓库', en: 'Warehouse' }, required: true, config: { target: 'warehouse' } },
      { apiName: 'on_hand', type: 'decimal', label: { zh: '现存量', en: 'On hand' } },
      { apiName: 'reserved', type: 'decimal', label: { zh: '已预留', en: 'Reserved' } },
      { apiName: 'value', type: 'decimal', label: { zh: '库存金额', en: 'Value' } },
      { apiName: 'fifo_layers', type: 'long_text', label: { zh: '先进先出批次', en: 'FIFO layers' } },
      { apiName: 'available', type: 'formula', label: { zh: '可用量', en: 'Available' }, config: { formula: 'COALESCE(on_hand, 0) - COALESCE(reserved, 0)', stored: false } },
    ],
  },
  {
    apiName: 'stock_entry', label: { zh: '库存单据', en: 'Stock entry' }, module: 'stock', isDocument: true, titleField: 'number',
    fields: [
      { apiName: 'number', type: 'auto_number', label: { zh: '单号', en: 'Number' }, config: { pattern: 'STE-{YYYY}-{#####}' } },
      { apiName: 'entry_type', type: 'single_select', label: { zh: '类型', en: 'Type' }, required: true,
        config: { options: [opt('receipt', '入库', 'Receipt'), opt('issue', '出库', 'Issue'), opt('transfer', '调拨', 'Transfer')] } },
      { apiName: 'posting_date', type: 'date', label: { zh: '过账日期', en: 'Posting date' }, required: true, defaultValue: { formula: 'TODAY()' } },
      { apiName: 'warehouse', type: 'link', label: { zh: '仓库', en: 'Warehouse' }, required: true, config: { target: 'warehouse' } },
      { apiName: 'to_warehouse', type: 'link', label: { zh: '调入仓库', en: 'To warehouse' }, config: { target: 'warehouse' } },
      { apiName: 'lines', type: 'child_table', label: { zh: '明细', en: 'Lines' }, required: true, config: { target: 'stock_entry_line' } },
    ],
  },
  {
    apiName: 'stock_entry_line', label: { zh: '库存单据明细', en: 'Stock entry line' }, module: 'stock', isChild: true, parentObject: 'stock_entry', titleField: 'item',
    fields: [
      { apiName: 'item', type: 'link', label: { zh: '物料', en: 'Item' }, required: true, config: { target: 'item' } },
      { apiName: 'qty', type: 'decimal', label: { zh: '数量', en: 'Quantity' }, required: true, config: { min: '0.000001' } },
      { apiName: 'rate', type: 'decimal', label: { zh: '单位成本', en: 'Rate' }, config: { min: 0 } },
      { apiName: 'amount', type: 'formula', label: { zh: '金额', en: 'Amount' }, config: { formula: 'ROUND(qty * rate, 2)' } },
    ],
  },
];
