import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '@mosaic/kernel';
import { actionDef, ActionFailure, registerAction, type ActionContext } from '@mosaic/automation';
import { assignInTeam } from '../shared/team-assign.ts';
import { calendarOf, addWorkingDays } from '../shared/business-time.ts';
import { crmHolidays } from '../shared/holidays.ts';
import { recordPoolMove } from '../pool/pool-move.ts';

/**
 * The CRM's two rule actions, built on the rules engine's own:
 *
 * crm_assign_territory — the record's region (address.province) names a team
 * through crm_territory; the record goes round-robin to that team's people,
 * through shared/team-assign.ts (the built-in assign_owner, one counter slot per team).
 * A region without a team falls back to `fallbackDepartmentId`, if given.
 *
 * crm_followup_task — the built-in create_task, due `workingDays` working days
 * from now (weekends and the holiday table skipped): "首次联系 due in 1 working day".
 */
const ZAssignTerritory = z.object({ type: z.literal('crm_assign_territory'), fallbackDepartmentId: z.uuid().optional() }).strict();
const ZFollowupTask = z.object({
  type: z.literal('crm_followup_task'),
  subject: z.string().min(1).max(500),
  description: z.string().max(5000).optional(),
  workingDays: z.number().int().min(0).max(60).default(1),
}).strict();

registerAction('crm_assign_territory', {
  schema: ZAssignTerritory,
  mode: 'tx',
  validate(_a, v) {
    if (!v.obj || !v.obj.fields.some((f) => f.apiName === 'address')) throw new AppError('VALIDATION_FAILED', `${v.at}: the rule's object has no address (region) field`, { field: v.at });
  },
  async run(ctx, a) {
    if (!ctx.record) throw new ActionFailure('this rule has no record to assign');
    await ctx.record.load(['address'], ctx.tx);
    const province = (ctx.record.values.get('address') as { province?: string } | null)?.province ?? null;
    const team = province ? await teamOf(ctx, province) : null;
    const departmentId = team ?? a.fallbackDepartmentId;
    if (!departmentId) throw new ActionFailure(`no sales team covers region ${province ?? '(none)'} and there is no fallback team`);
    const result = await assignInTeam(ctx, { departmentId, slot: departmentId });
    await recordPoolMove(ctx.tx, ctx.rctx.guard.actor.tenantId, { object: ctx.record.object.apiName, id: ctx.record.id, action: 'assign', from: result.previous, to: result.ownerId, reason: `区域分配 ${province ?? ''}`.trim(), at: ctx.ev.now });
    return { ...result, province, departmentId };
  },
});

async function teamOf(ctx: ActionContext, province: string): Promise<string | null> {
  const t = ctx.objects.get('crm_territory');
  if (!t) return null;
  const col = (f: string) => t.fields.find((x) => x.apiName === f)!.columnName!;
  const r = await sql<{ team: string }>`SELECT ${sql.ref(col('team'))} AS team FROM ${sql.id(t.tableName)} WHERE ${sql.ref(col('province'))} = ${province.slice(0, 2)} LIMIT 1`.execute(ctx.tx);
  return r.rows[0]?.team ?? null;
}

registerAction('crm_followup_task', {
  schema: ZFollowupTask,
  mode: 'tx',
  validate(a, v) {
    actionDef('create_task')!.validate?.({ type: 'create_task', subject: a.subject, description: a.description, assignee: '$owner' }, v);
  },
  async run(ctx, a) {
    const holidays = await holidaysOf(ctx);
    const due = addWorkingDays(calendarOf(ctx.ev.timeZone, holidays, undefined, 'CRM calendar (company calendar and crm_holiday)'), ctx.ev.now, a.workingDays);
    const minutes = Math.round((due.getTime() - ctx.ev.now.getTime()) / 60_000);
    const create = actionDef('create_task')!;
    return create.run(ctx, create.schema.parse({ type: 'create_task', subject: a.subject, description: a.description, dueIn: { minutes } }));
  },
});

const holidaysOf = (ctx: ActionContext) => crmHolidays(ctx.tx, ctx.objects);

