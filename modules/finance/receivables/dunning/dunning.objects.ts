import type { TCreateObject } from '@mosaic/meta';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });

/** A notice's states; installDunning adds the ones a tenant installed before them lacks. */
export const DUNNING_STATES = [
  opt('queued', '待发送', 'Queued'), opt('sending', '发送中', 'Sending'), opt('sent', '已发送', 'Sent'),
  opt('no_address', '无邮箱(已通知负责人)', 'No address (owner notified)'), opt('failed', '发送失败', 'Failed'),
  opt('unknown', '发送结果未知(已通知负责人核实)', 'Outcome unknown (owner asked to check)'),
];

/**
 * 付款条件与催款 (issue 9 §3): payment terms give each sales invoice its due
 * date; dunning levels say how long after it which reminder goes out; each
 * reminder sent is a dunning_notice — one per invoice and level, ever.
 * customer and sales_invoice are extended (installed after selling).
 */
export const DUNNING_OBJECTS: TCreateObject[] = [
  {
    apiName: 'payment_term', label: { zh: '付款条件', en: 'Payment term' }, module: 'finance', titleField: 'name',
    fields: [
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true, unique: true },
      { apiName: 'days', type: 'integer', label: { zh: '账期(天)', en: 'Days' }, required: true, config: { min: 0, max: 3650 } },
      { apiName: 'description', type: 'text', label: { zh: '说明', en: 'Description' } },
    ],
  },
  {
    apiName: 'customer', label: { zh: '客户', en: 'Customer' }, module: 'crm',
    fields: [{ apiName: 'payment_term', type: 'link', label: { zh: '付款条件', en: 'Payment term' }, config: { target: 'payment_term' } }],
  },
  {
    apiName: 'sales_invoice', label: { zh: '销售发票', en: 'Sales invoice' }, module: 'selling',
    fields: [
      { apiName: 'payment_term', type: 'link', label: { zh: '付款条件', en: 'Payment term' }, config: { target: 'payment_term' } },
      // Blank: set on submit from the payment term (posting date + days; the customer's term when the invoice names none).
      { apiName: 'due_date', type: 'date', label: { zh: '到期日', en: 'Due date' }, indexed: true },
    ],
  },
  {
    apiName: 'dunning_level', label: { zh: '催款级别', en: 'Dunning level' }, module: 'finance', titleField: 'name',
    fields: [
      { apiName: 'level', type: 'integer', label: { zh: '级别', en: 'Level' }, required: true, unique: true, config: { min: 1, max: 9 } },
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'days_overdue', type: 'integer', label: { zh: '逾期天数≥', en: 'Days overdue from' }, required: true, config: { min: 1, max: 3650 } },
      { apiName: 'subject', type: 'text', label: { zh: '邮件标题', en: 'Email subject' }, required: true },
      { apiName: 'body', type: 'long_text', label: { zh: '邮件正文', en: 'Email body' }, required: true },
    ],
  },
  {
    apiName: 'dunning_notice', label: { zh: '催款记录', en: 'Dunning notice' }, module: 'finance', titleField: 'sales_invoice',
    fields: [
      { apiName: 'customer', type: 'link', label: { zh: '客户', en: 'Customer' }, required: true, indexed: true, config: { target: 'customer' } },
      { apiName: 'sales_invoice', type: 'link', label: { zh: '销售发票', en: 'Sales invoice' }, required: true, config: { target: 'sales_invoice' } },
      { apiName: 'level', type: 'integer', label: { zh: '级别', en: 'Level' }, required: true },
      { apiName: 'due_date', type: 'date', label: { zh: '到期日', en: 'Due date' } },
      { apiName: 'days_overdue', type: 'integer', label: { zh: '逾期天数', en: 'Days overdue' } },
      // In the invoice's currency (`currency`): what the reminder asked for. Notices made before it had one hold the company's currency.
      { apiName: 'outstanding', type: 'decimal', label: { zh: '未收金额', en: 'Outstanding' }, config: { precision: 18, scale: 2 } },
      { apiName: 'currency', type: 'text', label: { zh: '币种', en: 'Currency' }, config: { regex: '^[A-Z]{3}$' } },
      { apiName: 'sent_to', type: 'text', label: { zh: '发送至', en: 'Sent to' } },
      // queued → sending → sent | failed, or unknown when the sender died while handing the mail to SMTP (never resent: at most once).
      { apiName: 'state', type: 'single_select', label: { zh: '状态', en: 'State' }, required: true, defaultValue: 'sent',
        config: { options: DUNNING_STATES } },
      { apiName: 'error', type: 'text', label: { zh: '错误', en: 'Error' } },
      { apiName: 'sent_at', type: 'datetime', label: { zh: '发送时间', en: 'Sent at' } },
      // The mail as recorded with the notice (the outbox row): what the sender sends, with a stable Message-ID.
      { apiName: 'message_id', type: 'text', label: { zh: '邮件 Message-ID', en: 'Message-ID' } },
      { apiName: 'subject', type: 'text', label: { zh: '邮件标题', en: 'Email subject' } },
      { apiName: 'body', type: 'long_text', label: { zh: '邮件正文', en: 'Email body' } },
      { apiName: 'claimed_at', type: 'datetime', label: { zh: '开始发送', en: 'Handed to SMTP at' } },
    ],
  },
];

/**
 * The levels a tenant starts with (an administrator edits them as data). A reminder speaks in the invoice's
 * currency: {{outstanding}} is what is still owed in it, {{currency_unit}} its unit as Chinese writes it
 * after an amount (元, 美元, 港币 — `amountUnit`), {{currency}} its code (CNY, USD).
 */
export const DEFAULT_LEVELS = [
  { level: 1, name: '友好提醒', days_overdue: 1, subject: '付款提醒：发票 {{number}} 已到期', body: '尊敬的{{customer}}：\n\n发票 {{number}}（到期日 {{due_date}}）尚有 {{outstanding}} {{currency_unit}}未付，请尽快安排付款。如已付款，请忽略本邮件。' },
  { level: 2, name: '二次催款', days_overdue: 15, subject: '第二次付款提醒：发票 {{number}} 已逾期 {{days_overdue}} 天', body: '尊敬的{{customer}}：\n\n发票 {{number}} 已逾期 {{days_overdue}} 天，未付金额 {{outstanding}} {{currency_unit}}。请于一周内付款。' },
  { level: 3, name: '最后通知', days_overdue: 30, subject: '最后付款通知：发票 {{number}}', body: '尊敬的{{customer}}：\n\n发票 {{number}} 已逾期 {{days_overdue}} 天，未付金额 {{outstanding}} {{currency_unit}}。如七日内仍未付款，我们将暂停供货。' },
];

/**
 * The built-in texts earlier versions shipped, each with the one that replaces it: they said 元 whatever the
 * invoice's currency. A tenant's level still holding one exactly is upgraded on install (installDunning).
 */
export const FORMER_LEVEL_TEXTS: ReadonlyMap<string, string> = new Map([
  ['尊敬的{{customer}}：\n\n发票 {{number}}（到期日 {{due_date}}）尚有 {{outstanding}} 元未付，请尽快安排付款。如已付款，请忽略本邮件。', DEFAULT_LEVELS[0].body],
  ['尊敬的{{customer}}：\n\n发票 {{number}} 已逾期 {{days_overdue}} 天，未付金额 {{outstanding}} 元。请于一周内付款。', DEFAULT_LEVELS[1].body],
  ['尊敬的{{customer}}：\n\n发票 {{number}} 已逾期 {{days_overdue}} 天，未付金额 {{outstanding}} 元。如七日内仍未付款，我们将暂停供货。', DEFAULT_LEVELS[2].body],
]);
