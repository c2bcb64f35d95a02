import type { TCreateObject } from '@mosaic/meta';

/**
 * The follow-up task rules create (跟进任务). A plain metadata object, so admins
 * can add fields and lists and reports see it like any other; the CRM module
 * will own it later and keeps these API names.
 */
export const TASK_OBJECT: TCreateObject = {
  apiName: 'task', label: { zh: '任务', en: 'Task' }, module: 'automation', titleField: 'subject',
  fields: [
    { apiName: 'subject', type: 'text', label: { zh: '主题', en: 'Subject' }, required: true },
    { apiName: 'description', type: 'long_text', label: { zh: '说明', en: 'Description' } },
    { apiName: 'due_at', type: 'datetime', label: { zh: '截止时间', en: 'Due' }, indexed: true },
    { apiName: 'remind_at', type: 'datetime', label: { zh: '提醒时间', en: 'Reminder' }, indexed: true },
    { apiName: 'done', type: 'boolean', label: { zh: '已完成', en: 'Done' }, defaultValue: false },
    { apiName: 'related_object', type: 'text', label: { zh: '关联对象', en: 'Related object' } },
    { apiName: 'related_id', type: 'text', label: { zh: '关联记录', en: 'Related record' }, indexed: true },
    { apiName: 'assignee_id', type: 'user', label: { zh: '执行人', en: 'Assignee' } },
  ],
};
