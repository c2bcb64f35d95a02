import { sql } from 'kysely';
import { AppError, clock, logger, parseIsoWeekdays } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { addNotifications } from '@mosaic/automation';
import { tenantAdmins } from '@mosaic/identity';
import type { RecordsCtx } from '@mosaic/records';
import { addBusinessMinutes, calendarOf, type BusinessCalendar } from '../shared/business-time.ts';
import { crmHolidays } from '../shared/holidays.ts';
import { setSystemFields } from '../shared/system-write.ts';
import { txOf } from '../shared/system-ctx.ts';

interface Policy {
  id: string;
  name: string;
  priority: string;
  first_response_minutes: number;
  resolution_minutes: number;
  business_hours: boolean;
  warn_ratio: string | null;
  escalate_to: string | null;
  work_start: string | null;
  work_end: string | null;
  lunch_start: string | null;
  lunch_end: string | null;
  work_weekdays: string | null;
}

interface TicketRow {
  id: string;
  number: string;
  priority: string;
  state: string;
  owner_id: string | null;
  department_id: string | null;
  created_at: Date;
  sla_policy: string | null;
  first_response_due: Date | null;
  resolution_due: Date | null;
  first_responded_at: Date | null;
  resolved_at: Date | null;
  sla_state: string | null;
  escalation_level: number | null;
}

const ref = (o: ObjectMeta, f: string, alias = 't') => sql.ref(`${alias}.${o.fields.find((x) => x.apiName === f)!.columnName!}`);

async function policies(tx: Tx, objects: Map<string, ObjectMeta>): Promise<Policy[]> {
  const p = objects.get('sla_policy')!;
  const c = (f: string) => ref(p, f);
  return (await sql<Policy>`SELECT t.id, ${c('name')} AS name, ${c('priority')} AS priority, ${c('first_response_minutes')} AS first_response_minutes,
      ${c('resolution_minutes')} AS resolution_minutes, COALESCE(${c('business_hours')}, true) AS business_hours, ${c('warn_ratio')}::text AS warn_ratio, ${c('escalate_to')} AS escalate_to,
      ${c('work_start')} AS work_start, ${c('work_end')} AS work_end, ${c('lunch_start')} AS lunch_start, ${c('lunch_end')} AS lunch_end, ${c('work_weekdays')} AS work_weekdays
    FROM ${sql.id(p.tableName)} t ORDER BY t.created_at`.execute(tx)).rows;
}

type Holidays = { day: string; is_workday: boolean | null }[];

/** The company calendar's days, then CRM's own exceptions (shared/holidays.ts). */
const holidays = (tx: Tx, objects: Map<string, ObjectMeta>): Promise<Holidays> => crmHolidays(tx, objects);

/** The policy's business calendar: its working day (09:00–18:00 Monday–Friday unless it says otherwise) and the holiday table. */
export function policyCalendar(timeZone: string, days: Holidays, p: Pick<Policy, 'work_start' | 'work_end' | 'lunch_start' | 'lunch_end' | 'work_weekdays'> & { name?: string }): BusinessCalendar {
  return calendarOf(timeZone, days, {
    start: p.work_start ?? '09:00', end: p.work_end ?? '18:00', lunchStart: p.lunch_start, lunchEnd: p.lunch_end,
    weekdays: parseIsoWeekdays(p.work_weekdays),
  }, p.name ? `SLA policy ${p.name}` : undefined);
}

const dueAfter = (cal: BusinessCalendar, p: Policy, from: Date, minutes: number) => (p.business_hours ? addBusinessMinutes(cal, from, minutes) : new Date(from.getTime() + minutes * 60_000));

/**
 * SLA 检查 — the scheduled job (every 5 minutes by the shipped rule; `now` is
 * the clock's, tests move it). For every open ticket:
 *   - without timers yet: picks the policy (the ticket's, else the one for its
 *     priority) and sets first-response and resolution due times, counting
 *     business hours (the policy's working day, holidays and 调休 per the holiday table) when the
 *     policy says so — tickets from any path (API, form, import) get their clock;
 *   - a target not met and past warn_ratio of its time → warning, the owner notified;
 *   - a target not met and past due → breached and escalated: escalation_level + 1,
 *     the policy's escalation contact (else the owner's department manager) notified.
 * Each state is entered once, so repeated runs notify once.
 *
 * A policy whose calendar cannot time a ticket (no working day in ten years: a 409 from
 * business-time.ts) does not stop the run: its untimed tickets stay untimed, every other
 * ticket is checked, and the policy is answered in `problems` (the rule's run log) and told to
 * the tenant's administrators (reportBadPolicies: once a day each while it stays broken).
 */
export async function slaCheck(ctx: RecordsCtx, now: Date = clock.now()): Promise<{ timed: number; warned: number; breached: number; problems: PolicyProblem[] }> {
  const tenantId = ctx.guard.actor.tenantId;
  const objects = await ctx.store.objects(tenantId);
  const tk = objects.get('ticket')!;
  return txOf(ctx, async (tx) => {
    const pols = await policies(tx, objects);
    const days = await holidays(tx, objects);
    const c = (f: string) => ref(tk, f);
    const rows = (await sql<TicketRow>`SELECT t.id, ${c('number')} AS number, ${c('priority')} AS priority, ${c('state')} AS state, t.owner_id, t.department_id, t.created_at,
        ${c('sla_policy')} AS sla_policy, ${c('first_response_due')} AS first_response_due, ${c('resolution_due')} AS resolution_due,
        ${c('first_responded_at')} AS first_responded_at, ${c('resolved_at')} AS resolved_at, ${c('sla_state')} AS sla_state, ${c('escalation_level')} AS escalation_level
      FROM ${sql.id(tk.tableName)} t WHERE COALESCE(${c('state')}, 'new') NOT IN ('resolved', 'closed') AND COALESCE(${c('sla_state')}, 'ok') <> 'breached'
      FOR UPDATE SKIP LOCKED`.execute(tx)).rows;
    let timed = 0;
    let warned = 0;
    let breached = 0;
    const problems = new Map<string, PolicyProblem>();
    for (const t of rows) {
      const p = pols.find((x) => x.id === t.sla_policy) ?? pols.find((x) => x.priority === t.priority);
      if (!p) continue;
      if (!t.resolution_due) {
        // The calendar is the policy's: once it failed a ticket, the policy's other untimed tickets wait with it.
        const known = problems.get(p.id);
        if (known) {
          known.tickets++;
          continue;
        }
        const timers = timersOrProblem(policyCalendar(ctx.guard.actor.timeZone, days, p), p, t.created_at);
        if ('problem' in timers) {
          problems.set(p.id, { policyId: p.id, policy: p.name, problem: timers.problem, tickets: 1 });
          continue;
        }
        await setSystemFields(tx, ctx.guard.actor, tk, t.id, { sla_policy: p.id, ...timers });
        Object.assign(t, { first_response_due: new Date(timers.first_response_due), resolution_due: new Date(timers.resolution_due) });
        timed++;
      }
      const state = stateAt(t, p, now);
      if (state === (t.sla_state ?? 'ok') || state === 'ok') continue;
      if (state === 'warning') {
        await setSystemFields(tx, ctx.guard.actor, tk, t.id, { sla_state: 'warning' });
        if (t.owner_id) await addNotifications(tx, tenantId, [{ userId: t.owner_id, kind: 'rule', title: `工单即将超时：${t.number}`, link: `/o/ticket/${t.id}`, object: 'ticket', recordId: t.id }]);
        warned++;
      } else {
        await setSystemFields(tx, ctx.guard.actor, tk, t.id, { sla_state: 'breached', escalation_level: (t.escalation_level ?? 0) + 1 }, 'escalate');
        const to = p.escalate_to ?? (await managerOf(tx, t.department_id));
        const who = [...new Set([to, t.owner_id].filter((x): x is string => !!x))];
        await addNotifications(tx, tenantId, who.map((userId) => ({ userId, kind: 'rule' as const, title: `工单已超时并升级：${t.number}（${p.name}）`, link: `/o/ticket/${t.id}`, object: 'ticket', recordId: t.id })));
        breached++;
      }
    }
    await reportBadPolicies(tx, tenantId, [...problems.values()], now);
    return { timed, warned, breached, problems: [...problems.values()] };
  });
}

/** A policy the check could not time tickets by: which, why, how many of its tickets wait untimed. */
export interface PolicyProblem {
  policyId: string;
  policy: string;
  problem: string;
  tickets: number;
}

/**
 * The ticket's timers, or — when the policy's calendar cannot give a due time (the 409 of a
 * calendar with no working day) — the problem, for the caller to report instead of failing
 * every other ticket with it. Anything else (a bug, the database) still throws.
 */
function timersOrProblem(cal: BusinessCalendar, p: Policy, start: Date): ReturnType<typeof timersFor> | { problem: string } {
  try {
    return timersFor(cal, p, start);
  } catch (e) {
    if (e instanceof AppError && e.code === 'CONFLICT') return { problem: e.message };
    throw e;
  }
}

/**
 * Tells the tenant's administrators (who keep the SLA policies) of each policy that cannot time
 * its tickets, in the bell, linking to the policy. The check runs every five minutes: an admin
 * already told of the policy within the last day is not told again, so a policy left broken
 * means one notice a day each rather than 288 — and a reminder until it is fixed.
 */
async function reportBadPolicies(tx: Tx, tenantId: string, problems: PolicyProblem[], now: Date): Promise<void> {
  if (!problems.length) return;
  const admins = await tenantAdmins(tx);
  const since = new Date(now.getTime() - 24 * 3600_000);
  const told = new Set((await sql<{ key: string }>`SELECT DISTINCT user_id || '/' || record_id AS key FROM notification
    WHERE object = 'sla_policy' AND record_id = ANY(${problems.map((x) => x.policyId)}::uuid[]) AND user_id = ANY(${admins}::uuid[]) AND created_at > ${since}`.execute(tx)).rows.map((r) => r.key));
  const notices = problems.flatMap((x) => {
    logger.warn({ tenantId, policyId: x.policyId, tickets: x.tickets }, `SLA check: ${x.problem}`);
    return admins.filter((userId) => !told.has(`${userId}/${x.policyId}`)).map((userId) => ({
      userId, kind: 'rule' as const, title: `SLA 策略无法计时：${x.policy}（${x.tickets} 张工单未计时）`,
      body: `SLA 检查无法按该策略的工作日历为工单计时，请检查其工作日与节假日设置；其他策略的工单照常检查。\n${x.problem}`,
      link: `/o/sla_policy/${x.policyId}`, object: 'sla_policy', recordId: x.policyId,
    }));
  });
  await addNotifications(tx, tenantId, notices);
}

export function timersFor(cal: BusinessCalendar, p: Policy, start: Date): { first_response_due: string; resolution_due: string } {
  return { first_response_due: dueAfter(cal, p, start, p.first_response_minutes).toISOString(), resolution_due: dueAfter(cal, p, start, p.resolution_minutes).toISOString() };
}

/** Which target is still open decides: first response until someone answered, then resolution. */
function stateAt(t: TicketRow, p: Policy, now: Date): 'ok' | 'warning' | 'breached' {
  const open: [Date | null, number][] = [];
  if (!t.first_responded_at && t.first_response_due) open.push([t.first_response_due, p.first_response_minutes]);
  if (!t.resolved_at && t.resolution_due) open.push([t.resolution_due, p.resolution_minutes]);
  let state: 'ok' | 'warning' | 'breached' = 'ok';
  const ratio = Number(p.warn_ratio ?? '0.8');
  for (const [due] of open) {
    const start = new Date(t.created_at).getTime();
    const end = new Date(due!).getTime();
    if (now.getTime() >= end) return 'breached';
    if (now.getTime() >= start + (end - start) * ratio) state = 'warning';
  }
  return state;
}

async function managerOf(tx: Tx, departmentId: string | null): Promise<string | null> {
  if (!departmentId) return null;
  return (await sql<{ manager_id: string | null }>`SELECT manager_id FROM department WHERE id = ${departmentId}`.execute(tx)).rows[0]?.manager_id ?? null;
}

/**
 * Opens a ticket's clocks at once (the API and inbound paths; the scheduled check catches any other).
 * A policy whose calendar cannot time it leaves the ticket untimed rather than refusing it — an
 * inbound mail is not lost to a broken setting; the scheduled check reports the policy to the admins.
 */
export async function startTicketClock(ctx: RecordsCtx, tx: Tx, ticketId: string): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const tk = objects.get('ticket')!;
  const row = (await sql<{ priority: string; sla_policy: string | null; created_at: Date }>`SELECT ${ref(tk, 'priority')} AS priority, ${ref(tk, 'sla_policy')} AS sla_policy, t.created_at
    FROM ${sql.id(tk.tableName)} t WHERE t.id = ${ticketId}`.execute(tx)).rows[0];
  if (!row) throw new AppError('RECORD_NOT_FOUND', `No ticket ${ticketId}.`);
  const pols = await policies(tx, objects);
  const p = pols.find((x) => x.id === row.sla_policy) ?? pols.find((x) => x.priority === row.priority);
  if (!p) return;
  const timers = timersOrProblem(policyCalendar(ctx.guard.actor.timeZone, await holidays(tx, objects), p), p, clock.now());
  await setSystemFields(tx, ctx.guard.actor, tk, ticketId, { sla_policy: p.id, ...('problem' in timers ? {} : timers) });
}
