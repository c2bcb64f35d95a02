import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '@mosaic/kernel';
import { submitDocument } from '@mosaic/process';
import { createRecords } from '@mosaic/records';
import { ZOffset } from '../rules/rule.schema.ts';
import { render } from '../engine/values.ts';
import { addOffset } from '../schedule/time.ts';
import { checkUserRefs } from './message.actions.ts';
import { resolveUserRefs, setOwner } from './owner.ts';
import { ActionFailure, registerAction } from './registry.ts';

/**
 * create_task: a follow-up task linked to the record, for its owner (or a
 * named user / user field), due and reminded relative to now in the tenant's
 * time zone — "remind them tomorrow at 9" is { "remindIn": { "days": 1, "at": "09:00" } }.
 * The reminder is a notification the worker sends at remind_at, once.
 */
export const ZCreateTask = z.object({
  type: z.literal('create_task'),
  subject: z.string().min(1).max(500),
  description: z.string().max(5000).optional(),
  assignee: z.string().min(1).max(200).default('$owner'),
  dueIn: ZOffset.optional(),
  remindIn: ZOffset.optional(),
}).strict();

/** start_approval: submits the record (a document); the approval engine starts its flow on submit. */
export const ZStartApproval = z.object({ type: z.literal('start_approval') }).strict();

registerAction('create_task', {
  schema: ZCreateTask,
  mode: 'tx',
  validate(a, v) {
    if (!v.objects.has('task')) throw new AppError('VALIDATION_FAILED', `${v.at}: the task object is not installed`, { field: v.at });
    checkUserRefs(v, [a.assignee], `${v.at}.assignee`);
    v.checkTemplate(a.subject, `${v.at}.subject`);
    if (a.description) v.checkTemplate(a.description, `${v.at}.description`);
  },
  async run(ctx, a) {
    const task = ctx.objects.get('task');
    if (!task) throw new ActionFailure('the task object is not installed');
    const [assignee] = await resolveUserRefs([a.assignee], async (paths) => {
      if (!ctx.record) return null;
      await ctx.record.load(paths, ctx.tx);
      return ctx.record.values;
    });
    const now = ctx.ev.now;
    const values = {
      subject: await render(ctx, a.subject),
      description: a.description ? await render(ctx, a.description) : null,
      due_at: a.dueIn ? addOffset(now, a.dueIn, ctx.ev.timeZone).toISOString() : null,
      remind_at: a.remindIn ? addOffset(now, a.remindIn, ctx.ev.timeZone).toISOString() : null,
      done: false,
      related_object: ctx.record?.object.apiName ?? null,
      related_id: ctx.record?.id ?? null,
      assignee_id: assignee ?? null,
    };
    const [{ id }] = await createRecords(ctx.rctx, 'task', [values], { tx: ctx.tx });
    if (assignee) await setOwner(ctx.tx, ctx.rctx, task, id, assignee);
    return { id, assignee: assignee ?? null, dueAt: values.due_at, remindAt: values.remind_at };
  },
});

registerAction('start_approval', {
  schema: ZStartApproval,
  mode: 'external',
  validate(_a, v) {
    if (!v.obj?.isDocument) throw new AppError('VALIDATION_FAILED', `${v.at}: only a document can go for approval`, { field: v.at });
  },
  async run(ctx) {
    if (!ctx.record) throw new ActionFailure('this rule has no record');
    const obj = ctx.record.object;
    const version = (await sql<{ version: number }>`SELECT version FROM ${sql.id(obj.tableName)} WHERE id = ${ctx.record.id}`.execute(ctx.tx)).rows[0]?.version;
    try {
      const r = await submitDocument(ctx.rctx, obj.apiName, ctx.record.id, version);
      return { status: r.status, awaitingApproval: r.$awaitingApproval === true };
    } catch (e) {
      // Submitted already (by a person, or by this action before a crash): nothing left to do.
      if (e instanceof AppError && e.code === 'CONFLICT') return { status: 'unchanged', reason: e.message };
      if (e instanceof AppError && e.status < 500) throw new ActionFailure(e.message);
      throw e;
    }
  },
});
