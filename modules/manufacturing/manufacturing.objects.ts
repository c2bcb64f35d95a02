import type { TCreateField, TCreateObject } from '@mosaic/meta';
import { ISO_WEEKDAYS_PATTERN } from '@mosaic/kernel';

/**
 * The manufacturing module's objects, as metadata (API names fixed by issue 10:
 * bom, routing, workstation, work_order, job_card, production_plan, mrp_run).
 * Helper objects (item_planning, mrp_suggestion, job_card_log) are the module's own.
 */
const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });
const link = (apiName: string, target: string, zh: string, en: string, extra: Partial<TCreateField> = {}): TCreateField =>
  ({ apiName, type: 'link', label: { zh, en }, config: { target }, ...extra } as TCreateField);
const dec = (apiName: string, zh: string, en: string, extra: Partial<TCreateField> = {}): TCreateField =>
  ({ apiName, type: 'decimal', label: { zh, en }, ...extra } as TCreateField);
// Fields the shop floor moves after a work order is released (submitted documents are otherwise immutable).
const live = (f: TCreateField): TCreateField => ({ ...f, config: { ...(f.config ?? {}), editableAfterSubmit: true } } as TCreateField);

const WORKSTATION: TCreateObject[] = [
  {
    apiName: 'workstation', label: { zh: '工作中心', en: 'Workstation' }, module: 'manufacturing', titleField: 'name', searchFields: ['code', 'name'],
    fields: [
      { apiName: 'code', type: 'text', label: { zh: '编码', en: 'Code' }, required: true, unique: true },
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'workshop', type: 'text', label: { zh: '车间', en: 'Workshop' } },
      dec('hourly_cost', '人工费率(元/小时)', 'Labour cost per hour', { required: true, defaultValue: '0', config: { min: 0 } }),
      dec('overhead_rate', '制造费用率(元/小时)', 'Overhead per hour', { defaultValue: '0', config: { min: 0 } }),
      { apiName: 'machines', type: 'integer', label: { zh: '并行设备数', en: 'Parallel machines' }, defaultValue: 1, config: { min: 1 } },
      // 1 = Monday … 7 = Sunday, "1,2,3,4,5" (the SLA policy's rule); holidays and 调休 make-up days override it.
      { apiName: 'working_weekdays', type: 'text', label: { zh: '工作日(1-7)', en: 'Working weekdays (1-7)' }, defaultValue: '1,2,3,4,5', config: { regex: ISO_WEEKDAYS_PATTERN } },
      { apiName: 'shifts', type: 'child_table', label: { zh: '班次', en: 'Shifts' }, config: { target: 'workstation_shift' } },
      { apiName: 'holidays', type: 'child_table', label: { zh: '日历例外', en: 'Calendar exceptions' }, config: { target: 'workstation_holiday' } },
    ],
  },
  {
    apiName: 'workstation_shift', label: { zh: '班次', en: 'Shift' }, module: 'manufacturing', isChild: true, parentObject: 'workstation', titleField: 'name',
    fields: [
      { apiName: 'name', type: 'text', label: { zh: '班次', en: 'Shift' }, required: true },
      { apiName: 'start_time', type: 'text', label: { zh: '开始', en: 'Start' } },
      { apiName: 'end_time', type: 'text', label: { zh: '结束', en: 'End' } },
      dec('hours', '产能(小时/班)', 'Capacity hours per shift', { required: true, config: { min: 0 } }),
    ],
  },
  {
    apiName: 'workstation_holiday', label: { zh: '日历例外', en: 'Calendar exception' }, module: 'manufacturing', isChild: true, parentObject: 'workstation', titleField: 'name',
    fields: [
      { apiName: 'day', type: 'date', label: { zh: '日期', en: 'Date' }, required: true },
      { apiName: 'name', type: 'text', label: { zh: '说明', en: 'Name' } },
      // 法定节假日 closes a working day; 调休 opens a weekend day.
      { apiName: 'kind', type: 'single_select', label: { zh: '类型', en: 'Kind' }, required: true, defaultValue: 'holiday',
        config: { options: [opt('holiday', '节假日', 'Holiday'), opt('workday', '调休上班', 'Make-up working day')] } },
    ],
  },
];

const ROUTING_AND_BOM: TCreateObject[] = [
  {
    apiName: 'routing', label: { zh: '工艺路线', en: 'Routing' }, module: 'manufacturing', titleField: 'name',
    fields: [
      { apiName: 'code', type: 'text', label: { zh: '编码', en: 'Code' }, required: true, unique: true },
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'operations', type: 'child_table', label: { zh: '工序', en: 'Operations' }, required: true, config: { target: 'routing_operation' } },
    ],
  },
  {
    apiName: 'routing_operation', label: { zh: '工序', en: 'Operation' }, module: 'manufacturing', isChild: true, parentObject: 'routing', titleField: 'name',
    fields: [
      { apiName: 'seq', type: 'integer', label: { zh: '工序号', en: 'Sequence' }, required: true },
      { apiName: 'name', type: 'text', label: { zh: '工序名称', en: 'Operation' }, required: true },
      link('workstation', 'workstation', '工作中心', 'Workstation', { required: true }),
      dec('setup_minutes', '准备时间(分)', 'Setup minutes', { defaultValue: '0', config: { min: 0 } }),
      dec('run_minutes', '单件工时(分)', 'Run minutes per unit', { required: true, config: { min: 0 } }),
    ],
  },
  {
    apiName: 'bom', label: { zh: '物料清单', en: 'Bill of materials' }, module: 'manufacturing', titleField: 'code', searchFields: ['code'],
    fields: [
      { apiName: 'code', type: 'auto_number', label: { zh: 'BOM编号', en: 'BOM no.' }, config: { pattern: 'BOM-{#####}' } },
      link('item', 'item', '产品', 'Item', { required: true, indexed: true }),
      { apiName: 'revision', type: 'text', label: { zh: '版本', en: 'Version' }, required: true, defaultValue: 'V1' },
      { apiName: 'is_default', type: 'boolean', label: { zh: '默认版本', en: 'Default' }, defaultValue: false },
      { apiName: 'is_active', type: 'boolean', label: { zh: '启用', en: 'Active' }, defaultValue: true },
      { apiName: 'effective_from', type: 'date', label: { zh: '生效日期', en: 'Effective from' } },
      { apiName: 'effective_to', type: 'date', label: { zh: '失效日期', en: 'Effective to' } },
      dec('quantity', '基本数量', 'Output quantity', { required: true, defaultValue: '1', config: { min: '0.000001' } }),
      link('routing', 'routing', '工艺路线', 'Routing'),
      dec('overhead_pct', '间接费用率(材料)', 'Overhead % on material', { defaultValue: '0', config: { min: 0 } }),
      { apiName: 'lines', type: 'child_table', label: { zh: '子件', en: 'Components' }, required: true, config: { target: 'bom_line' } },
      { apiName: 'by_products', type: 'child_table', label: { zh: '副产品', en: 'By-products' }, config: { target: 'bom_by_product' } },
      { apiName: 'substitutes', type: 'child_table', label: { zh: '替代料', en: 'Substitutes' }, config: { target: 'bom_substitute' } },
    ],
  },
  {
    apiName: 'bom_line', label: { zh: '子件', en: 'Component' }, module: 'manufacturing', isChild: true, parentObject: 'bom', titleField: 'item',
    fields: [
      link('item', 'item', '子件', 'Component', { required: true, indexed: true }),
      dec('qty', '用量', 'Quantity', { required: true, config: { min: '0.000001' } }),
      { apiName: 'scrap_pct', type: 'percent', label: { zh: '损耗率', en: 'Scrap %' }, defaultValue: '0', config: { min: 0, max: 0.99 } },
      // 虚拟件: planned and costed straight through to its own components, never stocked.
      { apiName: 'is_phantom', type: 'boolean', label: { zh: '虚拟件', en: 'Phantom' }, defaultValue: false },
      { apiName: 'operation_seq', type: 'integer', label: { zh: '投料工序', en: 'Consumed at operation' } },
    ],
  },
  {
    apiName: 'bom_by_product', label: { zh: '副产品', en: 'By-product' }, module: 'manufacturing', isChild: true, parentObject: 'bom', titleField: 'item',
    fields: [
      link('item', 'item', '副产品', 'By-product', { required: true }),
      dec('qty', '数量', 'Quantity', { required: true, config: { min: '0.000001' } }),
    ],
  },
  {
    apiName: 'bom_substitute', label: { zh: '替代料', en: 'Substitute' }, module: 'manufacturing', isChild: true, parentObject: 'bom', titleField: 'substitute',
    fields: [
      link('item', 'item', '主料', 'Replaces', { required: true }),
      link('substitute', 'item', '替代料', 'Substitute', { required: true }),
      dec('ratio', '替代比例', 'Units per unit replaced', { required: true, defaultValue: '1', config: { min: '0.000001' } }),
      { apiName: 'priority', type: 'integer', label: { zh: '优先级', en: 'Priority' }, defaultValue: 1 },
    ],
  },
  {
    apiName: 'item_planning', label: { zh: '计划参数', en: 'Planning parameters' }, module: 'manufacturing', titleField: 'item',
    fields: [
      link('item', 'item', '物料', 'Item', { required: true, unique: true }),
      { apiName: 'procurement', type: 'single_select', label: { zh: '获取方式', en: 'Procurement' }, required: true, defaultValue: 'make',
        config: { options: [opt('make', '自制', 'Make'), opt('buy', '采购', 'Buy')] } },
      { apiName: 'lead_time_days', type: 'integer', label: { zh: '提前期(天)', en: 'Lead time (days)' }, defaultValue: 0, config: { min: 0 } },
      dec('safety_stock', '安全库存', 'Safety stock', { defaultValue: '0', config: { min: 0 } }),
      { apiName: 'lot_policy', type: 'single_select', label: { zh: '批量规则', en: 'Lot sizing' }, required: true, defaultValue: 'lot_for_lot',
        config: { options: [opt('lot_for_lot', '按需', 'Lot for lot'), opt('fixed', '固定批量', 'Fixed'), opt('min_multiple', '最小/倍数', 'Minimum / multiple')] } },
      dec('lot_size', '固定批量', 'Fixed lot size', { config: { min: 0 } }),
      dec('min_qty', '最小批量', 'Minimum lot', { config: { min: 0 } }),
      dec('multiple', '批量倍数', 'Lot multiple', { config: { min: 0 } }),
      // 周期批量 (period order quantity): requirements of n days go into one order.
      { apiName: 'period_days', type: 'integer', label: { zh: '合并周期(天)', en: 'Planning period (days)' }, defaultValue: 0, config: { min: 0 } },
    ],
  },
];

const SHOP_FLOOR: TCreateObject[] = [
  {
    apiName: 'work_order', label: { zh: '生产工单', en: 'Work order' }, module: 'manufacturing', isDocument: true, titleField: 'number',
    listDefaults: { columns: ['number', 'item', 'qty', 'status', 'progress', 'planned_start', 'due_date', 'produced_qty'], sort: { field: 'planned_start', direction: 'desc' } },
    fields: [
      { apiName: 'number', type: 'auto_number', label: { zh: '工单号', en: 'Number' }, config: { pattern: 'WO-{YYYY}-{#####}' } },
      link('item', 'item', '产品', 'Item', { required: true }),
      link('bom', 'bom', '物料清单', 'BOM'),
      dec('qty', '计划数量', 'Quantity', { required: true, config: { min: '0.000001' } }),
      { apiName: 'planned_start', type: 'date', label: { zh: '计划开工', en: 'Planned start' } },
      { apiName: 'due_date', type: 'date', label: { zh: '计划完工', en: 'Due date' } },
      link('source_warehouse', 'warehouse', '发料仓库', 'Material warehouse', { required: true }),
      link('fg_warehouse', 'warehouse', '成品仓库', 'Finished goods warehouse', { required: true }),
      { apiName: 'backflush', type: 'boolean', label: { zh: '倒冲发料', en: 'Backflush materials' }, defaultValue: false },
      link('sales_order', 'sales_order', '销售订单', 'Sales order'),
      link('mrp_suggestion', 'mrp_suggestion', 'MRP建议', 'MRP suggestion'),
      live({ apiName: 'progress', type: 'single_select', label: { zh: '生产状态', en: 'Progress' }, defaultValue: 'planned',
        config: { options: [opt('planned', '计划', 'Planned'), opt('released', '已下达', 'Released'), opt('in_process', '生产中', 'In process'), opt('completed', '已完工', 'Completed')] } }),
      live(dec('produced_qty', '完工数量', 'Produced', { defaultValue: '0' })),
      live(dec('scrap_qty', '报废数量', 'Scrapped', { defaultValue: '0' })),
      live({ apiName: 'completed_on', type: 'date', label: { zh: '实际完工', en: 'Completed on' } }),
      live(dec('standard_cost', '标准成本', 'Standard cost')),
      live(dec('material_cost', '实际材料成本', 'Actual material cost')),
      live(dec('labour_cost', '实际人工成本', 'Actual labour cost')),
      live(dec('overhead_cost', '实际制造费用', 'Actual overhead')),
      live(dec('actual_cost', '实际总成本', 'Actual cost')),
      live(dec('variance', '成本差异', 'Variance (actual − standard)')),
    ],
  },
  {
    apiName: 'job_card', label: { zh: '工序卡', en: 'Job card' }, module: 'manufacturing', titleField: 'number',
    fields: [
      { apiName: 'number', type: 'auto_number', label: { zh: '工序卡号', en: 'Number' }, config: { pattern: 'JC-{YYYY}-{######}' } },
      link('work_order', 'work_order', '生产工单', 'Work order', { required: true, indexed: true }),
      { apiName: 'seq', type: 'integer', label: { zh: '工序号', en: 'Sequence' }, required: true },
      { apiName: 'operation', type: 'text', label: { zh: '工序', en: 'Operation' }, required: true },
      link('workstation', 'workstation', '工作中心', 'Workstation', { required: true, indexed: true }),
      dec('for_qty', '计划数量', 'Quantity', { required: true }),
      dec('planned_minutes', '计划工时(分)', 'Planned minutes'),
      { apiName: 'planned_start', type: 'date', label: { zh: '计划日期', en: 'Planned date' } },
      dec('good_qty', '合格数量', 'Good quantity', { defaultValue: '0' }),
      dec('scrap_qty', '报废数量', 'Scrapped', { defaultValue: '0' }),
      dec('actual_minutes', '实际工时(分)', 'Actual minutes', { defaultValue: '0' }),
      { apiName: 'state', type: 'single_select', label: { zh: '状态', en: 'Status' }, defaultValue: 'open',
        config: { options: [opt('open', '待开工', 'Open'), opt('in_process', '进行中', 'In process'), opt('completed', '已完成', 'Completed')] } },
    ],
  },
  {
    apiName: 'job_card_log', label: { zh: '报工记录', en: 'Work report' }, module: 'manufacturing', titleField: 'job_card',
    fields: [
      link('job_card', 'job_card', '工序卡', 'Job card', { required: true, indexed: true }),
      link('work_order', 'work_order', '生产工单', 'Work order', { required: true, indexed: true }),
      dec('good_qty', '合格数量', 'Good quantity', { required: true }),
      dec('scrap_qty', '报废数量', 'Scrapped', { defaultValue: '0' }),
      dec('minutes', '工时(分)', 'Minutes', { required: true }),
      { apiName: 'operator', type: 'user', label: { zh: '操作工', en: 'Operator' } },
      { apiName: 'report_date', type: 'date', label: { zh: '报工日期', en: 'Date' }, required: true },
    ],
  },
];

const PLANNING: TCreateObject[] = [
  {
    apiName: 'production_plan', label: { zh: '主生产计划', en: 'Production plan' }, module: 'manufacturing', isDocument: true, titleField: 'number',
    fields: [
      { apiName: 'number', type: 'auto_number', label: { zh: '计划号', en: 'Number' }, config: { pattern: 'MPS-{YYYY}-{####}' } },
      { apiName: 'description', type: 'text', label: { zh: '说明', en: 'Description' } },
      { apiName: 'lines', type: 'child_table', label: { zh: '计划明细', en: 'Lines' }, required: true, config: { target: 'production_plan_line' } },
    ],
  },
  {
    apiName: 'production_plan_line', label: { zh: '计划明细', en: 'Plan line' }, module: 'manufacturing', isChild: true, parentObject: 'production_plan', titleField: 'item',
    fields: [
      link('item', 'item', '物料', 'Item', { required: true }),
      dec('qty', '数量', 'Quantity', { required: true, config: { min: '0.000001' } }),
      { apiName: 'required_date', type: 'date', label: { zh: '需求日期', en: 'Required date' }, required: true },
    ],
  },
  {
    // 需求预测: independent demand MRP plans from beside orders and the MPS. A forecast row
    // covers one period (its bucket from period_start); sales orders due in the same period
    // consume it (mrp/forecast.rules.ts). Planners fill it by hand, by import, or generate
    // monthly rows from each item's sales history with the report engine's forecast
    // (mrp/forecast-generate.service.ts).
    apiName: 'demand_forecast', label: { zh: '需求预测', en: 'Demand forecast' }, module: 'manufacturing', titleField: 'item',
    fields: [
      link('item', 'item', '物料', 'Item', { required: true, indexed: true }),
      link('warehouse', 'warehouse', '仓库', 'Warehouse'),
      { apiName: 'period_start', type: 'date', label: { zh: '期间开始', en: 'Period start' }, required: true },
      { apiName: 'bucket', type: 'single_select', label: { zh: '期间', en: 'Period' }, required: true, defaultValue: 'month',
        config: { options: [opt('day', '日', 'Day'), opt('week', '周', 'Week'), opt('month', '月', 'Month'), opt('quarter', '季度', 'Quarter')] } },
      dec('qty', '预测数量', 'Forecast quantity', { required: true, config: { min: 0 } }),
      // report = written by POST /manufacturing/forecasts/generate, which updates its own rows and never a manual one.
      { apiName: 'source', type: 'single_select', label: { zh: '来源', en: 'Source' }, defaultValue: 'manual',
        config: { options: [opt('manual', '手工', 'Manual'), opt('report', '报表预测', 'Report forecast')] } },
    ],
  },
  {
    apiName: 'mrp_run', label: { zh: 'MRP运算', en: 'MRP run' }, module: 'manufacturing', titleField: 'number',
    fields: [
      { apiName: 'number', type: 'auto_number', label: { zh: '运算号', en: 'Number' }, config: { pattern: 'MRP-{YYYY}-{####}' } },
      { apiName: 'run_date', type: 'date', label: { zh: '计划起点', en: 'Planning date' }, required: true, defaultValue: { formula: 'TODAY()' } },
      { apiName: 'state', type: 'single_select', label: { zh: '状态', en: 'Status' }, defaultValue: 'queued',
        config: { options: [opt('queued', '排队', 'Queued'), opt('running', '运算中', 'Running'), opt('done', '完成', 'Done'), opt('failed', '失败', 'Failed')] } },
      { apiName: 'job_id', type: 'text', label: { zh: '后台任务', en: 'Job' } },
      { apiName: 'work_orders', type: 'integer', label: { zh: '计划工单数', en: 'Planned work orders' } },
      { apiName: 'purchases', type: 'integer', label: { zh: '采购建议数', en: 'Purchase suggestions' } },
      { apiName: 'message', type: 'long_text', label: { zh: '信息', en: 'Message' } },
    ],
  },
  {
    apiName: 'mrp_suggestion', label: { zh: 'MRP建议', en: 'MRP suggestion' }, module: 'manufacturing', titleField: 'item',
    fields: [
      // Indexed by (mrp_run, seq) in mfg-tables.install.ts only: a run writes 10⁵ rows, each index costs.
      link('mrp_run', 'mrp_run', 'MRP运算', 'MRP run', { required: true }),
      link('item', 'item', '物料', 'Item', { required: true }),
      { apiName: 'kind', type: 'single_select', label: { zh: '类型', en: 'Kind' }, required: true,
        config: { options: [opt('work_order', '计划工单', 'Planned work order'), opt('purchase', '采购建议', 'Purchase suggestion')] } },
      dec('qty', '数量', 'Quantity', { required: true }),
      { apiName: 'start_date', type: 'date', label: { zh: '下达日期', en: 'Release date' } },
      { apiName: 'due_date', type: 'date', label: { zh: '需求日期', en: 'Due date' } },
      { apiName: 'level', type: 'integer', label: { zh: '低位码', en: 'Low-level code' } },
      link('sales_order', 'sales_order', '销售订单', 'Sales order'),
      // Position in its run: pegs name parent suggestions by it, compactly (bench/mrp: millions of pegs).
      { apiName: 'seq', type: 'integer', label: { zh: '序号', en: 'Sequence' } },
      // Direct pegs: [{ o: parent seq, q }] or [{ t: 'sales_order'|'production_plan'|'demand_forecast'|'safety_stock'|'work_order', id, l: line, q }].
      { apiName: 'pegs', type: 'long_text', label: { zh: '需求追溯', en: 'Pegging' } },
      { apiName: 'firmed', type: 'boolean', label: { zh: '已确认', en: 'Firmed' }, defaultValue: false },
      // Not text-searched: the document's own number is. (Searchable, a run's 10⁵ rows each went through the gram trigger.)
      { apiName: 'firmed_doc', type: 'text', label: { zh: '生成单据', en: 'Firmed into' }, config: { searchable: false } },
    ],
  },
];

export const MANUFACTURING_OBJECTS: TCreateObject[] = [...WORKSTATION, ...ROUTING_AND_BOM, ...PLANNING, ...SHOP_FLOOR];
