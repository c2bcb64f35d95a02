import type { TCreateField, TCreateObject } from '@mosaic/meta';
import { SALES_MGMT_OBJECTS } from './sales/sales.objects.ts';

/**
 * An SLA target of at most a year of minutes: beyond it the business-time walk (ten years of
 * days, business-time.ts) could run out and answer "no working day" for a policy that has them.
 */
const SLA_MAX_MINUTES = 525_600;
const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });
const select = (apiName: string, zh: string, en: string, options: ReturnType<typeof opt>[], extra: Partial<TCreateField> = {}): TCreateField =>
  ({ apiName, type: 'single_select', label: { zh, en }, config: { options }, ...extra });
const link = (apiName: string, target: string, zh: string, en: string, extra: Partial<TCreateField> = {}): TCreateField =>
  ({ apiName, type: 'link', label: { zh, en }, config: { target, onDelete: 'set_null' }, ...extra });
const f = (apiName: string, type: TCreateField['type'], zh: string, en: string, extra: Partial<TCreateField> = {}): TCreateField =>
  ({ apiName, type, label: { zh, en }, ...extra });

/**
 * Fields the CRM writes itself (crm.install.ts marks them read-only for the
 * API): the normalised keys duplicate detection matches on, what it found,
 * and the public-pool bookkeeping.
 */
export const SYSTEM_WRITTEN: Record<string, string[]> = {
  lead: ['name_key', 'phone_key', 'phone_rkey', 'email_key', 'duplicate_of_object', 'duplicate_of_id', 'merged_into', 'last_followup_at', 'in_pool', 'converted_customer', 'converted_contact', 'converted_opportunity', 'converted_at'],
  customer: ['name_key', 'phone_key', 'phone_rkey', 'email_key', 'duplicate_of_object', 'duplicate_of_id', 'merged_into', 'last_followup_at', 'in_pool'],
  contact: ['phone_key', 'phone_rkey', 'email_key'],
  opportunity: ['pipeline', 'stage', 'stage_entered_at', 'probability', 'won_at', 'lost_at'],
  quote: ['sales_order', 'outcome'],
  ticket: ['first_response_due', 'resolution_due', 'first_responded_at', 'resolved_at', 'closed_at', 'sla_state', 'escalation_level', 'csat_score', 'csat_comment'],
};

/** What lead and customer share: how duplicates are found and the pool keeps time. */
const dedupeAndPool = (self: string): TCreateField[] => [
  f('name_key', 'text', '名称归一键', 'Normalised name', { indexed: true }),
  f('phone_key', 'text', '电话归一键', 'Normalised phone', { indexed: true, config: { keyOf: 'phone' } }),
  // The digits reversed: "ends with 2222" is a prefix search on it (global search by a number's last digits).
  f('phone_rkey', 'text', '电话尾号键', 'Phone digits reversed', { indexed: true, config: { keyOf: 'phone', keyReversed: true } }),
  // lower(email) in a query cannot use an index under row-level security (lower() is not leakproof): the key is stored.
  f('email_key', 'text', '邮箱归一键', 'Normalised email', { indexed: true, config: { keyOf: 'email' } }),
  f('duplicate_of_object', 'text', '疑似重复对象', 'Duplicate of (object)'),
  f('duplicate_of_id', 'text', '疑似重复记录', 'Duplicate of (record)'),
  // Indexed: the 360° view asks "who was merged into this customer?" on every open.
  link('merged_into', self, '已合并到', 'Merged into', { indexed: true }),
  f('last_followup_at', 'datetime', '最近跟进', 'Last follow-up', { indexed: true }),
  f('in_pool', 'boolean', '在公海', 'In public pool', { defaultValue: false, indexed: true }),
  f('unsubscribed', 'boolean', '退订邮件', 'Unsubscribed', { defaultValue: false }),
];

const SOURCES = [opt('web_form', '网站表单', 'Web form'), opt('import', '导入', 'Import'), opt('api', '接口', 'API'), opt('manual', '手工录入', 'Manual'),
  opt('campaign', '市场活动', 'Campaign'), opt('referral', '转介绍', 'Referral'), opt('exhibition', '展会', 'Exhibition')];

const quoteLineFields: TCreateField[] = [
  link('item', 'item', '产品', 'Item'),
  f('description', 'text', '描述', 'Description'),
  f('qty', 'decimal', '数量', 'Quantity', { required: true, config: { min: '0.000001' } }),
  f('list_price', 'decimal', '标准价', 'List price', { required: true, config: { min: 0 } }),
  f('discount', 'percent', '折扣率', 'Discount', { defaultValue: '0', config: { min: 0, max: 1 } }),
  // No field default: selling's line defaults give the item's output rate, else the company's standard one.
  f('tax_rate', 'percent', '税率', 'VAT rate', { config: { min: 0, max: 1 } }),
  f('rate', 'formula', '成交单价', 'Unit price', { config: { formula: 'ROUND(list_price * (1 - discount), 2)' } }),
  f('net', 'formula', '不含税金额', 'Net', { config: { formula: 'ROUND(qty * rate, 2)' } }),
  f('tax', 'formula', '税额', 'VAT', { config: { formula: 'ROUND(net * tax_rate, 2)' } }),
  f('gross', 'formula', '价税合计', 'Gross', { config: { formula: 'net + tax' } }),
];

/**
 * The CRM's objects (issue 7 fixes the API names: lead, customer, contact,
 * opportunity, activity, task — owned by the automation package —, campaign,
 * quote, contract, ticket, kb_article). Plain metadata: admins extend them
 * with fields like any object; the owner is the standard owner_id column.
 */
export const CRM_OBJECTS: TCreateObject[] = [
  {
    apiName: 'customer', label: { zh: '客户', en: 'Customer' }, module: 'crm', titleField: 'name', searchFields: ['name', 'phone'],
    listDefaults: { columns: ['name', 'tier', 'industry', 'phone', 'owner_id', 'last_followup_at', 'credit_limit'], sort: { field: 'created_at', direction: 'desc' } },
    fields: [
      f('name', 'text', '客户名称', 'Name', { required: true, indexed: true }),
      f('phone', 'phone', '电话', 'Phone', { indexed: true }),
      f('email', 'email', '邮箱', 'Email', { indexed: true }),
      select('tier', '客户等级', 'Tier', [opt('A', 'A 类', 'A'), opt('B', 'B 类', 'B'), opt('C', 'C 类', 'C')]),
      select('tier_mode', '等级方式', 'Tier set by', [opt('auto', '按营收计算', 'Computed from revenue'), opt('manual', '手工指定', 'By hand')], { defaultValue: 'manual' }),
      f('industry', 'text', '行业', 'Industry'),
      f('address', 'address', '地址', 'Address'),
      f('credit_limit', 'money', '信用额度', 'Credit limit'),
      select('source', '来源', 'Source', SOURCES),
      ...dedupeAndPool('customer'),
    ],
  },
  {
    apiName: 'contact', label: { zh: '联系人', en: 'Contact' }, module: 'crm', titleField: 'name', searchFields: ['name', 'phone'],
    fields: [
      f('name', 'text', '姓名', 'Name', { required: true }),
      { apiName: 'customer', type: 'link', label: { zh: '客户', en: 'Customer' }, config: { target: 'customer', onDelete: 'cascade' } },
      f('phone', 'phone', '电话', 'Phone', { indexed: true }),
      f('email', 'email', '邮箱', 'Email', { indexed: true }),
      f('title', 'text', '职务', 'Title'),
      f('unsubscribed', 'boolean', '退订邮件', 'Unsubscribed', { defaultValue: false }),
      // Stored by trigger (crm.install.ts): phone and e-mail lookups compare these with plain
      // equality, which row-level security lets use an index; crm_normalize_phone(phone) would not.
      f('phone_key', 'text', '电话归一键', 'Normalised phone', { indexed: true, config: { keyOf: 'phone' } }),
      f('phone_rkey', 'text', '电话尾号键', 'Phone digits reversed', { indexed: true, config: { keyOf: 'phone', keyReversed: true } }),
      f('email_key', 'text', '邮箱归一键', 'Normalised email', { indexed: true, config: { keyOf: 'email' } }),
    ],
  },
  {
    apiName: 'campaign', label: { zh: '市场活动', en: 'Campaign' }, module: 'crm', titleField: 'name',
    fields: [
      f('name', 'text', '活动名称', 'Name', { required: true }),
      select('kind', '类型', 'Kind', [opt('email', '邮件营销', 'Email'), opt('event', '会议活动', 'Event'), opt('exhibition', '展会', 'Exhibition'), opt('online_ad', '线上广告', 'Online ads'), opt('other', '其他', 'Other')], { defaultValue: 'email' }),
      select('state', '状态', 'State', [opt('planned', '计划中', 'Planned'), opt('sending', '发送中', 'Sending'), opt('done', '已完成', 'Done')], { defaultValue: 'planned' }),
      f('start_date', 'date', '开始日期', 'Start'),
      f('end_date', 'date', '结束日期', 'End'),
      f('budget', 'decimal', '预算', 'Budget', { config: { scale: 2, min: 0 } }),
      f('cost', 'decimal', '实际成本', 'Actual cost', { config: { scale: 2, min: 0 } }),
      link('segment', 'crm_segment', '目标客群', 'Segment'),
      f('subject', 'text', '邮件主题', 'Email subject'),
      f('body', 'long_text', '邮件正文模板', 'Email body template'),
      f('rate_per_minute', 'integer', '每分钟发送上限', 'Sends per minute', { defaultValue: 600, config: { min: 1, max: 100000 } }),
    ],
  },
  {
    apiName: 'crm_segment', label: { zh: '客群', en: 'Segment' }, module: 'crm', titleField: 'name',
    fields: [
      f('name', 'text', '名称', 'Name', { required: true }),
      select('target', '对象', 'Object', [opt('customer', '客户', 'Customers'), opt('contact', '联系人', 'Contacts'), opt('lead', '线索', 'Leads')], { required: true }),
      f('filter', 'long_text', '筛选条件 (JSON)', 'Filter (JSON)'),
    ],
  },
  {
    apiName: 'campaign_message', label: { zh: '营销邮件', en: 'Campaign email' }, module: 'crm', titleField: 'email',
    fields: [
      { apiName: 'campaign', type: 'link', label: { zh: '市场活动', en: 'Campaign' }, required: true, indexed: true, config: { target: 'campaign', onDelete: 'cascade' } },
      f('target_object', 'text', '收件对象', 'Recipient object'),
      f('target_id', 'text', '收件记录', 'Recipient record', { indexed: true }),
      link('customer', 'customer', '客户', 'Customer', { indexed: true }),
      f('email', 'email', '邮箱', 'Email'),
      select('state', '状态', 'State', [opt('queued', '待发送', 'Queued'), opt('sent', '已发送', 'Sent'), opt('failed', '失败', 'Failed'), opt('skipped', '已退订跳过', 'Skipped (unsubscribed)')], { defaultValue: 'queued' }),
      f('sent_at', 'datetime', '发送时间', 'Sent at'),
      f('opened_at', 'datetime', '首次打开', 'First opened'),
      f('open_count', 'integer', '打开次数', 'Opens', { defaultValue: 0 }),
      f('clicked_at', 'datetime', '首次点击', 'First click'),
      f('click_count', 'integer', '点击次数', 'Clicks', { defaultValue: 0 }),
      f('unsubscribed_at', 'datetime', '退订时间', 'Unsubscribed at'),
      f('error', 'text', '错误', 'Error'),
    ],
  },
  {
    apiName: 'lead', label: { zh: '线索', en: 'Lead' }, module: 'crm', titleField: 'company', searchFields: ['company', 'name', 'phone'],
    listDefaults: { columns: ['company', 'name', 'phone', 'source', 'state', 'owner_id', 'last_followup_at'], sort: { field: 'created_at', direction: 'desc' } },
    fields: [
      f('company', 'text', '公司名称', 'Company', { indexed: true }),
      f('name', 'text', '联系人', 'Contact name', { required: true }),
      f('title', 'text', '职务', 'Title'),
      f('phone', 'phone', '电话', 'Phone', { indexed: true }),
      f('email', 'email', '邮箱', 'Email', { indexed: true }),
      f('industry', 'text', '行业', 'Industry'),
      f('address', 'address', '地区', 'Region'),
      select('source', '来源', 'Source', SOURCES, { defaultValue: 'manual' }),
      link('campaign', 'campaign', '市场活动', 'Campaign', { indexed: true }),
      select('state', '状态', 'State', [opt('new', '新线索', 'New'), opt('working', '跟进中', 'Working'), opt('converted', '已转化', 'Converted'), opt('disqualified', '无效', 'Disqualified')], { defaultValue: 'new' }),
      link('converted_customer', 'customer', '转化客户', 'Converted customer'),
      link('converted_contact', 'contact', '转化联系人', 'Converted contact'),
      link('converted_opportunity', 'opportunity', '转化商机', 'Converted opportunity'),
      f('converted_at', 'datetime', '转化时间', 'Converted at'),
      ...dedupeAndPool('lead'),
    ],
  },
  {
    apiName: 'crm_pipeline', label: { zh: '销售流程', en: 'Pipeline' }, module: 'crm', titleField: 'name',
    fields: [
      f('name', 'text', '名称', 'Name', { required: true, unique: true }),
      f('is_default', 'boolean', '默认', 'Default', { defaultValue: false }),
    ],
  },
  {
    apiName: 'crm_stage', label: { zh: '销售阶段', en: 'Stage' }, module: 'crm', titleField: 'name',
    fields: [
      { apiName: 'pipeline', type: 'link', label: { zh: '销售流程', en: 'Pipeline' }, required: true, indexed: true, config: { target: 'crm_pipeline', onDelete: 'cascade' } },
      f('name', 'text', '阶段', 'Stage', { required: true }),
      f('sequence', 'integer', '顺序', 'Order', { required: true }),
      f('probability', 'percent', '赢单率', 'Win probability', { required: true, config: { min: 0, max: 1 } }),
      f('required_fields', 'text', '进入本阶段必填字段', 'Fields required to enter', { config: { maxLength: 2000 } }),
      select('outcome', '结果', 'Outcome', [opt('open', '进行中', 'Open'), opt('won', '赢单', 'Won'), opt('lost', '输单', 'Lost')], { defaultValue: 'open' }),
    ],
  },
  {
    apiName: 'opportunity', label: { zh: '商机', en: 'Opportunity' }, module: 'crm', titleField: 'name', searchFields: ['name'],
    listDefaults: { columns: ['name', 'customer', 'stage', 'amount', 'probability', 'expected_close_date', 'owner_id'], sort: { field: 'created_at', direction: 'desc' } },
    fields: [
      f('name', 'text', '商机名称', 'Name', { required: true }),
      link('customer', 'customer', '客户', 'Customer', { indexed: true }),
      link('contact', 'contact', '联系人', 'Contact'),
      link('lead', 'lead', '来源线索', 'From lead', { indexed: true }),
      link('campaign', 'campaign', '市场活动', 'Campaign', { indexed: true }),
      link('pipeline', 'crm_pipeline', '销售流程', 'Pipeline'),
      link('stage', 'crm_stage', '阶段', 'Stage', { indexed: true }),
      f('probability', 'percent', '赢单率', 'Win probability'),
      // Money (its currency in c_amount_ccy): tenants made when it was a decimal beside a text `currency` are
      // upgraded by crm.install.ts (upgradeOpportunityAmount).
      f('amount', 'money', '预计金额', 'Amount', { config: { scale: 2, min: 0 } }),
      f('weighted_amount', 'formula', '加权金额', 'Weighted amount', { config: { formula: 'ROUND(amount * probability, 2)', stored: false } }),
      f('expected_close_date', 'date', '预计成交日期', 'Expected close'),
      f('decision_maker', 'text', '决策人', 'Decision maker'),
      f('budget_confirmed', 'boolean', '预算已确认', 'Budget confirmed', { defaultValue: false }),
      f('stage_entered_at', 'datetime', '进入阶段时间', 'Entered stage at'),
      f('won_at', 'datetime', '赢单时间', 'Won at'),
      f('lost_at', 'datetime', '输单时间', 'Lost at'),
      f('close_reason', 'text', '赢单/输单原因', 'Won/lost reason'),
    ],
  },
  {
    apiName: 'opportunity_stage_log', label: { zh: '阶段变更记录', en: 'Stage history' }, module: 'crm', titleField: 'to_stage',
    fields: [
      { apiName: 'opportunity', type: 'link', label: { zh: '商机', en: 'Opportunity' }, required: true, indexed: true, config: { target: 'opportunity', onDelete: 'cascade' } },
      link('from_stage', 'crm_stage', '原阶段', 'From'),
      link('to_stage', 'crm_stage', '新阶段', 'To'),
      f('moved_at', 'datetime', '变更时间', 'Moved at'),
      f('days_in_from', 'decimal', '原阶段停留天数', 'Days in previous stage', { config: { scale: 2 } }),
    ],
  },
  {
    apiName: 'activity', label: { zh: '跟进记录', en: 'Activity' }, module: 'crm', titleField: 'subject',
    fields: [
      select('kind', '方式', 'Kind', [opt('call', '电话', 'Call'), opt('visit', '拜访', 'Visit'), opt('meeting', '会议', 'Meeting'), opt('note', '备注', 'Note'), opt('email', '邮件', 'Email')], { required: true }),
      f('subject', 'text', '主题', 'Subject', { required: true }),
      f('content', 'long_text', '内容', 'Content'),
      f('occurred_at', 'datetime', '发生时间', 'When', { defaultValue: { formula: 'NOW()' }, indexed: true }),
      f('next_followup_date', 'date', '下次跟进日期', 'Next follow-up', { indexed: true }),
      link('lead', 'lead', '线索', 'Lead', { indexed: true }),
      link('customer', 'customer', '客户', 'Customer', { indexed: true }),
      link('contact', 'contact', '联系人', 'Contact'),
      link('opportunity', 'opportunity', '商机', 'Opportunity', { indexed: true }),
    ],
  },
  {
    apiName: 'contract', label: { zh: '合同', en: 'Contract' }, module: 'crm', titleField: 'number',
    fields: [
      f('number', 'auto_number', '合同编号', 'Number', { config: { pattern: 'CT-{YYYY}-{#####}' } }),
      f('title', 'text', '合同名称', 'Title', { required: true }),
      link('customer', 'customer', '客户', 'Customer', { required: true, indexed: true }),
      link('opportunity', 'opportunity', '商机', 'Opportunity'),
      f('amount', 'decimal', '合同金额', 'Amount', { config: { scale: 2, min: 0 } }),
      f('start_date', 'date', '生效日期', 'Start'),
      f('end_date', 'date', '到期日期', 'Expires', { indexed: true }),
      f('terms', 'long_text', '条款', 'Terms'),
      select('state', '状态', 'State', [opt('draft', '草稿', 'Draft'), opt('active', '执行中', 'Active'), opt('expired', '已到期', 'Expired'), opt('terminated', '已终止', 'Terminated')], { defaultValue: 'draft' }),
      { apiName: 'payment_plan', type: 'child_table', label: { zh: '回款计划', en: 'Payment plan' }, config: { target: 'contract_payment' } },
    ],
  },
  {
    apiName: 'contract_payment', label: { zh: '回款计划', en: 'Payment plan line' }, module: 'crm', isChild: true, parentObject: 'contract', titleField: 'due_date',
    fields: [f('due_date', 'date', '计划日期', 'Due', { required: true }), f('amount', 'decimal', '金额', 'Amount', { required: true, config: { scale: 2 } }), f('paid', 'boolean', '已回款', 'Paid', { defaultValue: false })],
  },
  {
    apiName: 'kb_article', label: { zh: '知识库文章', en: 'Knowledge article' }, module: 'crm', titleField: 'title', searchFields: ['title'],
    fields: [
      f('title', 'text', '标题', 'Title', { required: true }),
      f('category', 'text', '分类', 'Category'),
      f('body', 'long_text', '正文', 'Body'),
      f('published', 'boolean', '已发布', 'Published', { defaultValue: false }),
    ],
  },
  {
    apiName: 'sla_policy', label: { zh: 'SLA 策略', en: 'SLA policy' }, module: 'crm', titleField: 'name',
    fields: [
      f('name', 'text', '名称', 'Name', { required: true }),
      select('priority', '优先级', 'Priority', PRIORITIES(), { required: true }),
      f('first_response_minutes', 'integer', '首次响应时限(分钟)', 'First response (minutes)', { required: true, config: { min: 1, max: SLA_MAX_MINUTES } }),
      f('resolution_minutes', 'integer', '解决时限(分钟)', 'Resolution (minutes)', { required: true, config: { min: 1, max: SLA_MAX_MINUTES } }),
      f('business_hours', 'boolean', '按工作时间计', 'Business hours only', { defaultValue: true }),
      f('warn_ratio', 'percent', '预警比例', 'Warn at', { defaultValue: '0.8', config: { min: 0, max: 1 } }),
      { apiName: 'escalate_to', type: 'user', label: { zh: '升级给', en: 'Escalate to' } },
    ],
  },
  {
    apiName: 'crm_holiday', label: { zh: '节假日', en: 'Holiday' }, module: 'crm', titleField: 'name',
    fields: [
      f('day', 'date', '日期', 'Date', { required: true, unique: true }),
      f('name', 'text', '名称', 'Name'),
      f('is_workday', 'boolean', '调休上班', 'Working day (调休)', { defaultValue: false }),
    ],
  },
  {
    apiName: 'ticket', label: { zh: '工单', en: 'Ticket' }, module: 'crm', titleField: 'number', searchFields: ['subject'],
    listDefaults: { columns: ['number', 'subject', 'customer', 'priority', 'state', 'sla_state', 'assignee', 'resolution_due'], sort: { field: 'created_at', direction: 'desc' } },
    fields: [
      f('number', 'auto_number', '工单号', 'Number', { config: { pattern: 'TK-{YYYY}-{#####}' } }),
      f('subject', 'text', '主题', 'Subject', { required: true }),
      f('description', 'long_text', '描述', 'Description'),
      link('customer', 'customer', '客户', 'Customer', { indexed: true }),
      link('contact', 'contact', '联系人', 'Contact'),
      select('channel', '渠道', 'Channel', [opt('email', '邮件', 'Email'), opt('web', '网页表单', 'Web form'), opt('phone', '电话', 'Phone')], { defaultValue: 'phone' }),
      f('category', 'text', '分类', 'Category'),
      select('priority', '优先级', 'Priority', PRIORITIES(), { defaultValue: 'normal', required: true }),
      select('state', '状态', 'State', [opt('new', '新建', 'New'), opt('open', '处理中', 'Open'), opt('pending', '等待客户', 'Pending'), opt('resolved', '已解决', 'Resolved'), opt('closed', '已关闭', 'Closed')], { defaultValue: 'new' }),
      link('sla_policy', 'sla_policy', 'SLA 策略', 'SLA policy'),
      link('kb_article', 'kb_article', '知识库文章', 'Knowledge article'),
      f('first_response_due', 'datetime', '首次响应截止', 'First response due', { indexed: true }),
      f('resolution_due', 'datetime', '解决截止', 'Resolution due', { indexed: true }),
      f('first_responded_at', 'datetime', '首次响应时间', 'First responded'),
      f('resolved_at', 'datetime', '解决时间', 'Resolved'),
      f('closed_at', 'datetime', '关闭时间', 'Closed'),
      select('sla_state', 'SLA 状态', 'SLA state', [opt('ok', '正常', 'OK'), opt('warning', '即将超时', 'Warning'), opt('breached', '已超时', 'Breached')], { defaultValue: 'ok' }),
      f('escalation_level', 'integer', '升级次数', 'Escalations', { defaultValue: 0 }),
      f('csat_score', 'integer', '满意度', 'Satisfaction (1–5)', { config: { min: 1, max: 5 } }),
      f('csat_comment', 'text', '满意度评价', 'Satisfaction comment'),
    ],
  },
  {
    apiName: 'crm_pool_rule', label: { zh: '公海规则', en: 'Pool rule' }, module: 'crm', titleField: 'name',
    fields: [
      f('name', 'text', '名称', 'Name', { required: true }),
      select('target', '对象', 'Object', [opt('customer', '客户', 'Customers'), opt('lead', '线索', 'Leads')], { required: true }),
      f('idle_days', 'integer', '未跟进天数', 'Days without follow-up', { required: true, config: { min: 1 } }),
      f('claim_limit', 'integer', '每人最多领取', 'Most a rep may hold from the pool', { defaultValue: 50, config: { min: 0 } }),
      f('tier', 'text', '仅限等级', 'Only tier'),
      f('active', 'boolean', '启用', 'Active', { defaultValue: true }),
    ],
  },
  {
    apiName: 'pool_move', label: { zh: '公海流转记录', en: 'Pool move' }, module: 'crm', titleField: 'action',
    fields: [
      f('target_object', 'text', '对象', 'Object', { required: true }),
      f('target_id', 'text', '记录', 'Record', { required: true, indexed: true }),
      select('action', '动作', 'Action', [opt('release', '退回公海', 'Returned to pool'), opt('claim', '领取', 'Claimed'), opt('assign', '分配', 'Assigned')], { required: true }),
      { apiName: 'from_owner', type: 'user', label: { zh: '原负责人', en: 'From' } },
      { apiName: 'to_owner', type: 'user', label: { zh: '新负责人', en: 'To' } },
      f('reason', 'text', '原因', 'Reason'),
      f('moved_at', 'datetime', '时间', 'When', { indexed: true }),
    ],
  },
  {
    apiName: 'crm_territory', label: { zh: '销售区域', en: 'Territory' }, module: 'crm', titleField: 'province',
    fields: [
      f('province', 'text', '省份代码', 'Province code', { required: true, unique: true }),
      { apiName: 'team', type: 'department', label: { zh: '销售团队', en: 'Team' }, required: true },
    ],
  },
];

/**
 * Installed after selling and automation (module crm_sales): quotes price
 * items and become sales orders; opportunities list products.
 */
export const CRM_SALES_OBJECTS: TCreateObject[] = [
  { apiName: 'contract', label: { zh: '合同', en: 'Contract' }, module: 'crm', fields: [link('quote', 'quote', '报价单', 'Quote')] },
  {
    apiName: 'opportunity', label: { zh: '商机', en: 'Opportunity' }, module: 'crm', titleField: 'name',
    fields: [{ apiName: 'lines', type: 'child_table', label: { zh: '产品', en: 'Products' }, config: { target: 'opportunity_line' } }],
  },
  {
    apiName: 'opportunity_line', label: { zh: '商机产品', en: 'Opportunity product' }, module: 'crm', isChild: true, parentObject: 'opportunity', titleField: 'item',
    fields: [link('item', 'item', '产品', 'Item'), f('qty', 'decimal', '数量', 'Quantity', { required: true }), f('rate', 'decimal', '单价', 'Unit price', { required: true })],
  },
  {
    apiName: 'quote', label: { zh: '报价单', en: 'Quote' }, module: 'crm', isDocument: true, titleField: 'number',
    fields: [
      f('number', 'auto_number', '报价单号', 'Number', { config: { pattern: 'QT-{YYYY}-{#####}' } }),
      link('customer', 'customer', '客户', 'Customer', { required: true, indexed: true }),
      link('opportunity', 'opportunity', '商机', 'Opportunity', { indexed: true }),
      link('contact', 'contact', '联系人', 'Contact'),
      f('quote_date', 'date', '报价日期', 'Date', { required: true, defaultValue: { formula: 'TODAY()' } }),
      f('valid_until', 'date', '有效期至', 'Valid until'),
      f('revision', 'integer', '版本', 'Revision', { defaultValue: 1 }),
      link('previous', 'quote', '上一版本', 'Previous revision'),
      link('warehouse', 'warehouse', '发货仓库', 'Warehouse'),
      { apiName: 'max_discount', type: 'rollup', label: { zh: '最大折扣率', en: 'Largest discount' }, config: { rollup: { relation: 'lines', field: 'discount', fn: 'max' } } },
      { apiName: 'net_total', type: 'rollup', label: { zh: '不含税合计', en: 'Net total' }, config: { rollup: { relation: 'lines', field: 'net', fn: 'sum' } } },
      { apiName: 'tax_total', type: 'rollup', label: { zh: '税额合计', en: 'VAT total' }, config: { rollup: { relation: 'lines', field: 'tax', fn: 'sum' } } },
      { apiName: 'grand_total', type: 'rollup', label: { zh: '价税合计', en: 'Grand total' }, config: { rollup: { relation: 'lines', field: 'gross', fn: 'sum' } } },
      { apiName: 'lines', type: 'child_table', label: { zh: '明细', en: 'Lines' }, required: true, config: { target: 'quote_line' } },
      select('outcome', '结果', 'Outcome', [opt('open', '待定', 'Open'), opt('won', '赢单', 'Won'), opt('lost', '输单', 'Lost')], { defaultValue: 'open', config: { options: [opt('open', '待定', 'Open'), opt('won', '赢单', 'Won'), opt('lost', '输单', 'Lost')], editableAfterSubmit: true } }),
      link('sales_order', 'sales_order', '销售订单', 'Sales order', { config: { target: 'sales_order', onDelete: 'set_null', editableAfterSubmit: true } }),
    ],
  },
  { apiName: 'quote_line', label: { zh: '报价明细', en: 'Quote line' }, module: 'crm', isChild: true, parentObject: 'quote', titleField: 'description', fields: quoteLineFields },
  ...SALES_MGMT_OBJECTS,
];

function PRIORITIES() {
  return [opt('urgent', '紧急', 'Urgent'), opt('high', '高', 'High'), opt('normal', '普通', 'Normal'), opt('low', '低', 'Low')];
}
