/**
 * @mosaic/automation — the rules engine (规则引擎): rules as metadata
 * (trigger → condition → actions), an outbox consumer that queues one job per
 * (event, rule), workers on a PostgreSQL job queue (pg-boss), schedules and
 * date triggers, notifications with live push, public forms and inbound hooks.
 */
import './actions/builtin.ts';

export { automationModule } from './module.ts';
export { startWorkers, type Workers, type WorkerOptions } from './engine/workers.ts';
export { registerAction, actionTypes, ActionFailure, type ActionDef, type ValidateCtx } from './actions/registry.ts';
export { SYSTEM_USER_ID, MAX_CAUSE_DEPTH, type AutomationDeps, type ActionContext, type RuleRow, type RunJob, type TriggerInfo, type Cause } from './automation.types.ts';
export { ZCreateRule, ZUpdateRule, ZRunQuery, TRIGGER_TYPES, type TCreateRule, type TUpdateRule } from './rules/rule.schema.ts';
export { listRules, getRule, createRule, updateRule, deleteRule, type RuleView, type RuleDeps } from './rules/rule.service.ts';
export { listRuns, getRun, type RunView } from './rules/run-log.query.ts';
export { runRule } from './engine/run-rule.ts';
export { consumeTenant } from './engine/consumer.ts';
export { queueFor, closeQueue, workWithLease, RUN_QUEUE, type Queue } from './engine/queue.ts';
export { scheduleTick } from './schedule/tick.ts';
export { sendDueReminders } from './notifications/reminders.ts';
export { sendDigest, sendNotificationEmails } from './notifications/notification-mail.ts';
export { addNotifications, recordLink, listNotifications, unreadCount, markRead, getPrefs, setPrefs, type NewNotice, type NotificationPrefs } from './notifications/notification.service.ts';
export { hubFor, stopHub, NotificationHub } from './notifications/notification-hub.ts';
export { ZCreateForm, ZUpdateForm, type TCreateForm, type TUpdateForm } from './forms/public-form.schema.ts';
export { listForms, getForm, createForm, updateForm, deleteForm } from './forms/public-form.service.ts';
export { publicFormDefinition, submitPublicForm } from './forms/public-form.submit.ts';
export { ZCreateHook, createHook, listHooks, deleteHook, receiveHook } from './hooks/inbound-hook.service.ts';
export { refusedAddress } from './webhook/address-policy.ts';
export { safePost, checkTarget, WebhookRefused, type PostOptions } from './webhook/safe-post.ts';
// Used by modules that build their own actions on the built-in ones (the CRM's territory assignment and follow-up task).
export { actionDef } from './actions/registry.ts';
export { setOwner } from './actions/owner.ts';
export { assignOwnerFrom, type OwnerPool } from './actions/assign-owner.action.ts';
export { sendMail, isEmailAddress, type Mail } from './email/mailer.ts';
export { claimMail, sendClaimed, markUnknownMail, neverLeft, type MailLedger, type MailColumn, type MailState, type MailStateChange, type ClaimedMail, type MailOutcome } from './email/mail-once.ts';
export { addOffset, localParts, zonedInstant } from './schedule/time.ts';
export { tenantFacts } from './rules/rule.store.ts';
