import type { TCreateField, TCreateObject } from '@mosaic/meta';

/**
 * The stock module's objects, as metadata (API names fixed by issue 8). Admins
 * may add fields to them like to any object; the ledger and balance are written
 * only by the stock ledger service (the database refuses anything else).
 */
const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });

/** Line fields every stock document shares: the unit the line is written in, batch and serial numbers. */
export const trackingFields: TCreateField[] = [
  { apiName: 'uom', type: 'link', label: { zh: '单位', en: 'Unit' }, config: { target: 'uom' } },
  { apiName: 'batch', type: 'text', label: { zh: '批次', en: 'Batch' } },
  { apiName: 'serial_no', type: 'long_text', label: { zh: '序列号', en: 'Serial numbers' } },
];

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
      // The books' account for this warehouse's stock (科目编码): 1405 库存商品 when empty, 1403 原材料 for a raw-material store.
      { apiName: 'inventory_account', type: 'text', label: { zh: '存货科目', en: 'Inventory account' }, config: { regex: '^[0-9]{4,12}$' } },
    ],
  },
  {
    apiName: 'location', label: { zh: '库位', en: 'Location' }, module: 'stock', titleField: 'name',
    fields: [
      { apiName: 'warehouse', type: 'link', label: { zh: '仓库', en: 'Warehouse' }, required: true, config: { target: 'warehouse', onDelete: 'cascade' } },
      { apiName: 'code', type: 'text', label: { zh: '库位编码', en: 'Code' }, required: true, unique: true },
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'is_active', type: 'boolean', label: { zh: '启用', en: 'Active' }, defaultValue: true },
    ],
  },
  {
    apiName: 'item', label: { zh: '物料', en: 'Item' }, module: 'stock', titleField: 'name', searchFields: ['code', 'name'],
    listDefaults: { columns: ['code', 'name', 'spec', 'item_type', 'uom', 'category', 'standard_price'], sort: { field: 'code', direction: 'asc' } },
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
      { apiName: 'barcode', type: 'text', label: { zh: '条码', en: 'Barcode' }, indexed: true },
      { apiName: 'category', type: 'text', label: { zh: '分类', en: 'Category' }, indexed: true },
      { apiName: 'batch_tracked', type: 'boolean', label: { zh: '批次管理', en: 'Batch tracked' }, defaultValue: false },
      { apiName: 'serial_tracked', type: 'boolean', label: { zh: '序列号管理', en: 'Serial tracked' }, defaultValue: false },
      { apiName: 'default_supplier', type: 'text', label: { zh: '默认供应商', en: 'Default supplier' } },
      { apiName: 'uoms', type: 'child_table', label: { zh: '单位换算', en: 'Unit conversions' }, config: { target: 'item_uom' } },
      { apiName: 'reorder', type: 'child_table', label: { zh: '安全库存', en: 'Reorder levels' }, config: { target: 'item_reorder' } },
    ],
  },
  {
    // 箱 = 12 个: one `uom` of this item holds `factor` of its stock unit (item.uom).
    apiName: 'item_uom', label: { zh: '单位换算', en: 'Unit conversion' }, module: 'stock', isChild: true, parentObject: 'item', titleField: 'uom',
    fields: [
      { apiName: 'uom', type: 'link', label: { zh: '单位', en: 'Unit' }, required: true, config: { target: 'uom' } },
      { apiName: 'factor', type: 'decimal', label: { zh: '换算系数', en: 'Factor' }, required: true, config: { min: '0.000001' } },
    ],
  },
  {
    // Safety stock per item × warehouse: below min_qty available, a replenishment suggestion is raised.
    apiName: 'item_reorder', label: { zh: '安全库存', en: 'Reorder level' }, module: 'stock', isChild: true, parentObject: 'item', titleField: 'warehouse',
    fields: [
      { apiName: 'warehouse', type: 'link', label: { zh: '仓库', en: 'Warehouse' }, required: true, config: { target: 'warehouse' } },
      { apiName: 'min_qty', type: 'decimal', label: { zh: '最低库存', en: 'Minimum' }, required: true, config: { min: 0 } },
      { apiName: 'max_qty', type: 'decimal', label: { zh: '最高库存', en: 'Maximum' }, config: { min: 0 } },
      { apiName: 'reorder_qty', type: 'decimal', label: { zh: '再订货量', en: 'Reorder quantity' }, config: { min: 0 } },
      { apiName: 'buyer', type: 'user', label: { zh: '采购员', en: 'Buyer' } },
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
      { apiName: 'batch', type: 'text', label: { zh: '批次', en: 'Batch' } },
      { apiName: 'serial_no', type: 'long_text', label: { zh: '序列号', en: 'Serial numbers' } },
      // Moves that must keep their rate when history is re-valued (reversals, transfers out).
      { apiName: 'rate_fixed', type: 'boolean', label: { zh: '固定成本', en: 'Rate fixed' }, defaultValue: false },
      // A re-valuation entry (qty 0) names the entry whose value it corrects.
      { apiName: 'revalues_entry', type: 'text', label: { zh: '重估对象', en: 'Re-values entry' } },
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
      { apiName: 'last_posting_date', type: 'date', label: { zh: '最后过账日期', en: 'Last posting date' } },
      { apiName: 'last_issue_date', type: 'date', label: { zh: '最后出库日期', en: 'Last issue date' } },
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
      // The books' other side of a receipt or an issue (科目编码), when it is not the default 1901 / 5602:
      // 3001 实收资本 for opening stock (期初入库), 4101 制造费用 for supplies used in the workshop.
      { apiName: 'offset_account', type: 'text', label: { zh: '对方科目', en: 'Offset account' }, config: { regex: '^[0-9]{4,12}$' } },
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
      ...trackingFields,
    ],
  },
  {
    apiName: 'stock_transfer', label: { zh: '调拨单', en: 'Stock transfer' }, module: 'stock', isDocument: true, titleField: 'number',
    fields: [
      { apiName: 'number', type: 'auto_number', label: { zh: '单号', en: 'Number' }, config: { pattern: 'TRF-{YYYY}-{#####}' } },
      { apiName: 'posting_date', type: 'date', label: { zh: '过账日期', en: 'Posting date' }, required: true, defaultValue: { formula: 'TODAY()' } },
      { apiName: 'from_warehouse', type: 'link', label: { zh: '调出仓库', en: 'From warehouse' }, required: true, config: { target: 'warehouse' } },
      { apiName: 'to_warehouse', type: 'link', label: { zh: '调入仓库', en: 'To warehouse' }, required: true, config: { target: 'warehouse' } },
      { apiName: 'lines', type: 'child_table', label: { zh: '明细', en: 'Lines' }, required: true, config: { target: 'stock_transfer_line' } },
    ],
  },
  {
    apiName: 'stock_transfer_line', label: { zh: '调拨明细', en: 'Transfer line' }, module: 'stock', isChild: true, parentObject: 'stock_transfer', titleField: 'item',
    fields: [
      { apiName: 'item', type: 'link', label: { zh: '物料', en: 'Item' }, required: true, config: { target: 'item' } },
      { apiName: 'qty', type: 'decimal', label: { zh: '数量', en: 'Quantity' }, required: true, config: { min: '0.000001' } },
      ...trackingFields,
    ],
  },
  {
    // 盘点: the counted quantity per line; submitting posts counted − on hand as a gain or a loss.
    apiName: 'stock_count', label: { zh: '盘点单', en: 'Stock count' }, module: 'stock', isDocument: true, titleField: 'number',
    fields: [
      { apiName: 'number', type: 'auto_number', label: { zh: '单号', en: 'Number' }, config: { pattern: 'CNT-{YYYY}-{#####}' } },
      { apiName: 'posting_date', type: 'date', label: { zh: '盘点日期', en: 'Count date' }, required: true, defaultValue: { formula: 'TODAY()' } },
      { apiName: 'warehouse', type: 'link', label: { zh: '仓库', en: 'Warehouse' }, required: true, config: { target: 'warehouse' } },
      { apiName: 'lines', type: 'child_table', label: { zh: '明细', en: 'Lines' }, required: true, config: { target: 'stock_count_line' } },
    ],
  },
  {
    apiName: 'stock_count_line', label: { zh: '盘点明细', en: 'Count line' }, module: 'stock', isChild: true, parentObject: 'stock_count', titleField: 'item',
    fields: [
      { apiName: 'item', type: 'link', label: { zh: '物料', en: 'Item' }, required: true, config: { target: 'item' } },
      { apiName: 'counted_qty', type: 'decimal', label: { zh: '实盘数量', en: 'Counted' }, required: true, config: { min: 0 } },
      { apiName: 'uom', type: 'link', label: { zh: '单位', en: 'Unit' }, config: { target: 'uom' } },
      { apiName: 'rate', type: 'decimal', label: { zh: '盘盈单价', en: 'Rate for a gain' }, config: { min: 0 } },
      { apiName: 'batch', type: 'text', label: { zh: '批次', en: 'Batch' } },
    ],
  },
  {
    // Price lists (价目表): selling or buying, for a customer group or everyone, valid from/to, with quantity breaks.
    apiName: 'price_list', label: { zh: '价目表', en: 'Price list' }, module: 'stock', titleField: 'name',
    fields: [
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'list_type', type: 'single_select', label: { zh: '类型', en: 'Type' }, required: true, defaultValue: 'selling',
        config: { options: [opt('selling', '销售', 'Selling'), opt('buying', '采购', 'Buying')] } },
      { apiName: 'customer_group', type: 'text', label: { zh: '客户组', en: 'Customer group' } },
      { apiName: 'valid_from', type: 'date', label: { zh: '生效日期', en: 'Valid from' } },
      { apiName: 'valid_to', type: 'date', label: { zh: '失效日期', en: 'Valid to' } },
      { apiName: 'price_includes_tax', type: 'boolean', label: { zh: '含税价', en: 'Prices include tax' }, defaultValue: false },
      { apiName: 'is_active', type: 'boolean', label: { zh: '启用', en: 'Active' }, defaultValue: true },
      { apiName: 'prices', type: 'child_table', label: { zh: '价格', en: 'Prices' }, config: { target: 'item_price' } },
    ],
  },
  {
    apiName: 'item_price', label: { zh: '物料价格', en: 'Item price' }, module: 'stock', isChild: true, parentObject: 'price_list', titleField: 'item',
    fields: [
      { apiName: 'item', type: 'link', label: { zh: '物料', en: 'Item' }, required: true, config: { target: 'item' } },
      { apiName: 'uom', type: 'link', label: { zh: '单位', en: 'Unit' }, config: { target: 'uom' } },
      { apiName: 'min_qty', type: 'decimal', label: { zh: '起订量', en: 'From quantity' }, defaultValue: 0, config: { min: 0 } },
      { apiName: 'rate', type: 'decimal', label: { zh: '单价', en: 'Price' }, required: true, config: { min: 0 } },
    ],
  },
  {
    // Raised once when available stock falls below an item × warehouse minimum; closed when restocked.
    apiName: 'replenishment_suggestion', label: { zh: '补货建议', en: 'Replenishment suggestion' }, module: 'stock', titleField: 'item',
    fields: [
      { apiName: 'item', type: 'link', label: { zh: '物料', en: 'Item' }, required: true, config: { target: 'item' } },
      { apiName: 'warehouse', type: 'link', label: { zh: '仓库', en: 'Warehouse' }, required: true, config: { target: 'warehouse' } },
      { apiName: 'available', type: 'decimal', label: { zh: '可用量', en: 'Available' } },
      { apiName: 'min_qty', type: 'decimal', label: { zh: '最低库存', en: 'Minimum' } },
      { apiName: 'suggested_qty', type: 'decimal', label: { zh: '建议补货量', en: 'Suggested quantity' } },
      { apiName: 'state', type: 'single_select', label: { zh: '状态', en: 'State' }, required: true, defaultValue: 'open',
        config: { options: [opt('open', '待处理', 'Open'), opt('cleared', '已补足', 'Cleared')] } },
      { apiName: 'raised_at', type: 'datetime', label: { zh: '提出时间', en: 'Raised at' } },
      { apiName: 'cleared_at', type: 'datetime', label: { zh: '解除时间', en: 'Cleared at' } },
    ],
  },
];
