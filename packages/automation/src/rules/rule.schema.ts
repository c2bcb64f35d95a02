import { z } from 'zod';

/**
 * A rule as an admin designs it (规则引擎): when something happens (trigger)
 * and a condition in the formula language holds, do actions in order.
 *
 *   { "name": "广东线索轮流分配", "object": "lead",
 *     "trigger": { "type": "created" },
 *     "condition": "province = \"广东\"",
 *     "actions": [{ "type": "assign_owner", "strategy": "round_robin", "departmentId": "…" },
 *                 { "type": "create_task", "subject": "跟进 {{name}}", "dueIn": { "days": 1, "at": "09:00" } }] }
 *
 * Shape only; whether the formulas and fields fit the object's metadata is
 * checked by rule-validate.ts against the tenant's metadata.
 */
export const TRIGGER_TYPES = ['created', 'updated', 'deleted', 'submitted', 'approved', 'cancelled', 'date_reached', 'schedule', 'webhook', 'public_form'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

/** Triggers fed by outbox events, and the event op each one listens to. */
export const EVENT_TRIGGER_OPS: Partial<Record<TriggerType, string>> = {
  created: 'create', updated: 'update', deleted: 'delete', submitted: 'submit', approved: 'approve', cancelled: 'cancel', public_form: 'create',
};

/** A span of time, e.g. { "days": -3 } (3 days before) or { "days": 1, "at": "09:00" } (tomorrow at 9). */
export const ZOffset = z.object({
  days: z.number().int().min(-3650).max(3650).optional(),
  hours: z.number().int().min(-87600).max(87600).optional(),
  minutes: z.number().int().min(-525600).max(525600).optional(),
  at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'at: HH:MM').optional(),
}).strict();
export type TOffset = z.infer<typeof ZOffset>;

export const ZTrigger = z.object({
  type: z.enum(TRIGGER_TYPES),
  /** updated: fire only when one of these fields changed. */
  fields: z.array(z.string().min(1).max(200)).min(1).max(50).optional(),
  /** updated: fire only when the condition starts to hold (false before the change, true after). */
  becomesTrue: z.boolean().optional(),
  /** date_reached: the date or datetime field, and when relative to it (e.g. { days: -3 }). */
  dateField: z.string().min(1).max(200).optional(),
  offset: ZOffset.optional(),
  /** schedule: a cron expression (5 fields, or 6 with seconds) in the tenant's time zone. */
  cron: z.string().min(1).max(120).optional(),
  hookId: z.uuid().optional(),
  formId: z.uuid().optional(),
}).strict();
export type TTrigger = z.infer<typeof ZTrigger>;

/**
 * A value an action writes: a literal, a formula over the triggering record,
 * or a text template with merge fields ({{name}}, {{customer.name}}, {{payload.email}}).
 */
export const ZValueSpec = z.union([
  z.string().max(10_000), z.number(), z.boolean(), z.null(), z.array(z.string().max(1000)).max(100),
  z.object({ formula: z.string().min(1).max(4000) }).strict(),
  z.object({ template: z.string().max(10_000) }).strict(),
]);
export type TValueSpec = z.infer<typeof ZValueSpec>;
export const ZValues = z.record(z.string().min(1).max(63), ZValueSpec);

/** Each action type checks its own shape (actions/*.action.ts); here only the type. */
export const ZAction = z.looseObject({ type: z.string().min(1).max(60) });
export type TAction = z.infer<typeof ZAction>;

const ruleFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  object: z.string().min(1).max(63).nullable().optional(),
  enabled: z.boolean().optional(),
  trigger: ZTrigger,
  condition: z.string().max(4000).nullable().optional(),
  actions: z.array(ZAction).min(1).max(20),
};

export const ZCreateRule = z.object(ruleFields).strict();
export type TCreateRule = z.infer<typeof ZCreateRule>;

/** An update names the version it read (optimistic lock) and any fields it changes. */
export const ZUpdateRule = z.object({ ...ruleFields, version: z.number().int() }).partial().required({ version: true }).strict();
export type TUpdateRule = z.infer<typeof ZUpdateRule>;

export const ZRunQuery = z.object({
  status: z.enum(['running', 'done', 'failed', 'stopped', 'skipped']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().datetime({ offset: true }).optional(),
}).strict();
