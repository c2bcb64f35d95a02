import { sql } from 'kysely';
import { AppError, clock, logger, parseIsoWeekdays } from '@mosaic/kernel';
import { LOCK_CONFLICT_CODES, pgCode, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { addNotifications } from '@mosaic/automation';
import { activeUsers, tenantAdmins } from '@mosaic/identity';
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
 *     the policy's escalation contact (else the owner's department manager) notified, and the owner.
 * An owner who is no longer an active user is not told (a deactivated account reads no bell):
 * the ticket is treated as an unowned one — its warning goes to no one, its escalation to the
 * contact or the department manager alone.
 * Each state is entered once, so repeated runs notify once.
 *
 * The tickets are taken in batches (`batchSize`, by id), each batch one transaction that locks
 * only its own rows (FOR UPDATE SKIP LOCKED) and commits before the next is read: an agent saving
 * a ticket waits for one small batch at most, not for the whole run, and a ticket the check found
 * locked (being saved) is left for the next run. Within a batch each ticket is checked under a
 * savepoint: a ticket that fails (its data, a write, a notice) is rolled back whole — never
 * escalated without its notice — is answered in `problems`, and the others go on. A ticket's new
 * state and its notices commit together, so a run retried after a crash (the job queue's retry)
 * finds the committed ones already warned or breached and notifies each once.
 *
 * What a policy cannot do does not stop the run either: a calendar that never works (a 409 from
 * business-time.ts) leaves its untimed tickets untimed; a warn_ratio outside 0–1 (the API refuses
 * one; an import or a hand edit may not) still times and breaches but warns no one; an escalation
 * contact who is no longer an active user is passed over for the department manager. Each is
 * answered in `problems` (the rule's run log) and told to the tenant's administrators
 * (reportProblems: once a day each while it lasts). `problems` holds one entry per policy and
 * kind, whatever the number of tickets: its `tickets` is the exact count, failed tickets are named
 * by the first SLA_EXAMPLES only — 10,000 failing tickets make neither a huge run log row
 * (action_run.result) nor a huge notice.
 */
export async function slaCheck(ctx: RecordsCtx, now: Date = clock.now(), opts: { batchSize?: number } = {}): Promise<SlaCheckResult> {
  const batchSize = opts.batchSize ?? SLA_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new AppError('VALIDATION_FAILED', 'batchSize: a whole number of tickets, at least 1', { field: 'batchSize' });
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const setup = await txOf(ctx, async (tx) => {
    const pols = await policies(tx, objects);
    const contacts = [...new Set(pols.map((p) => p.escalate_to).filter((x): x is string => !!x))];
    return { pols, days: await holidays(tx, objects), activeContacts: new Set(await activeUsers(tx, { userIds: contacts })) };
  }, { readOnly: true });
  const run = new Tally();
  for (let after: string | null = null; ;) {
    const batch: Batch = await txOf(ctx, (tx) => checkBatch(ctx, tx, objects, setup, run, now, after, batchSize));
    run.merge(batch.tally);
    if (batch.seen < batchSize) break;
    after = batch.last;
  }
  const problems = run.listed();
  await txOf(ctx, (tx) => reportProblems(tx, ctx.guard.actor.tenantId, problems, now));
  return { timed: run.timed, warned: run.warned, breached: run.breached, problems };
}

/** Tickets a batch of the SLA check locks at most (so an agent's save waits for no more than this many). */
export const SLA_BATCH = 50;

/** Failed tickets a problem names at most (the rest are counted in its `tickets`): in the run's result and in the admins' notice. */
export const SLA_EXAMPLES = 20;

export interface SlaCheckResult {
  timed: number;
  warned: number;
  breached: number;
  problems: SlaProblem[];
}

/**
 * What the check could not do, and why:
 *   - calendar: the policy's calendar cannot time its tickets (`tickets` of them wait untimed);
 *   - warn_ratio: the policy's warn ratio is not within 0–1 (its `tickets` were checked without warnings);
 *   - escalate_to: the policy's escalation contact is not an active user (`tickets` escalated to their department manager instead);
 *   - ticket: `tickets` of the policy's tickets failed their check and were rolled back, to be tried again next run;
 *     `examples` names the first SLA_EXAMPLES (`more` the others), `problem` is the first one's error.
 */
export interface SlaProblem {
  kind: 'calendar' | 'warn_ratio' | 'escalate_to' | 'ticket';
  policyId: string;
  policy: string;
  problem: string;
  tickets: number;
  examples?: FailedTicket[];
  more?: number;
}

export interface FailedTicket {
  ticketId: string;
  /** The ticket's number. */
  ticket: string;
  problem: string;
}

/** Counts and problems of a run, or of one batch (merged into the run's once the batch committed). */
class Tally {
  timed = 0;
  warned = 0;
  breached = 0;
  /** One per policy and kind (`${kind}/${policyId}`): counts add up, failed tickets are named up to SLA_EXAMPLES. */
  readonly problems = new Map<string, SlaProblem>();

  note(x: SlaProblem): void {
    const key = `${x.kind}/${x.policyId}`;
    const known = this.problems.get(key);
    if (!known) {
      this.problems.set(key, { ...x, ...(x.examples && { examples: x.examples.slice(0, SLA_EXAMPLES) }) });
      return;
    }
    known.tickets += x.tickets;
    if (known.examples && x.examples) known.examples.push(...x.examples.slice(0, SLA_EXAMPLES - known.examples.length));
  }

  /** The problems as the run answers them: each failed-ticket problem says how many it does not name. */
  listed(): SlaProblem[] {
    return [...this.problems.values()].map((x) => (x.examples ? { ...x, more: x.tickets - x.examples.length } : x));
  }

  merge(o: Tally): void {
    this.timed += o.timed;
    this.warned += o.warned;
    this.breached += o.breached;
    for (const x of o.problems.values()) this.note(x);
  }
}

interface Setup {
  pols: Policy[];
  days: Holidays;
  /** Of the policies' escalation contacts, those who are active users. */
  activeContacts: Set<string>;
}

interface Batch {
  tally: Tally;
  /** Rows the batch locked and checked (fewer than the batch size: the last batch). */
  seen: number;
  last: string | null;
}

/**
 * One batch, in its own transaction: the next `size` open tickets after `after` (by id) that no
 * one else holds, each checked under a savepoint. Counts only into its own tally — the transaction
 * may be run again on a deadlock — with `run` (the committed batches') to know the policies
 * already found unable to time.
 */
async function checkBatch(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, setup: Setup, run: Tally, now: Date, after: string | null, size: number): Promise<Batch> {
  const tk = objects.get('ticket')!;
  const c = (f: string) => ref(tk, f);
  const rows = (await sql<TicketRow>`SELECT t.id, ${c('number')} AS number, ${c('priority')} AS priority, ${c('state')} AS state, t.owner_id, t.department_id, t.created_at,
      ${c('sla_policy')} AS sla_policy, ${c('first_response_due')} AS first_response_due, ${c('resolution_due')} AS resolution_due,
      ${c('first_responded_at')} AS first_responded_at, ${c('resolved_at')} AS resolved_at, ${c('sla_state')} AS sla_state, ${c('escalation_level')} AS escalation_level
    FROM ${sql.id(tk.tableName)} t WHERE COALESCE(${c('state')}, 'new') NOT IN ('resolved', 'closed') AND COALESCE(${c('sla_state')}, 'ok') <> 'breached'
      AND (${after}::uuid IS NULL OR t.id > ${after}::uuid)
    ORDER BY t.id LIMIT ${size} FOR UPDATE SKIP LOCKED`.execute(tx)).rows;
  const tally = new Tally();
  // Owners who left are not told: their tickets are notified as unowned ones (checkTicket).
  const activeOwners = new Set(await activeUsers(tx, { userIds: [...new Set(rows.map((t) => t.owner_id).filter((x): x is string => !!x))] }));
  for (const t of rows) {
    const p = setup.pols.find((x) => x.id === t.sla_policy) ?? setup.pols.find((x) => x.priority === t.priority);
    if (!p) continue;
    // The calendar is the policy's: once it failed a ticket, the policy's other untimed tickets wait with it.
    if (!t.resolution_due && (run.problems.has(`calendar/${p.id}`) || tally.problems.has(`calendar/${p.id}`))) {
      tally.note({ kind: 'calendar', policyId: p.id, policy: p.name, problem: '', tickets: 1 });
      continue;
    }
    await sql`SAVEPOINT sla_ticket`.execute(tx);
    try {
      const one = await checkTicket(ctx, tx, tk, setup, t, p, now, t.owner_id && activeOwners.has(t.owner_id) ? t.owner_id : null);
      await sql`RELEASE SAVEPOINT sla_ticket`.execute(tx);
      tally.merge(one);
    } catch (e) {
      // A lock conflict is the batch's to retry (its transaction is run again), not the ticket's fault.
      if (LOCK_CONFLICT_CODES.has(pgCode(e) ?? '')) throw e;
      await sql`ROLLBACK TO SAVEPOINT sla_ticket`.execute(tx);
      const problem = e instanceof Error ? e.message : String(e);
      logger.warn({ tenantId: ctx.guard.actor.tenantId, ticketId: t.id, err: e }, 'SLA check: a ticket failed and was rolled back');
      tally.note({ kind: 'ticket', policyId: p.id, policy: p.name, problem: problem.slice(0, 500), tickets: 1, examples: [{ ticketId: t.id, ticket: t.number, problem: problem.slice(0, 500) }] });
    }
  }
  return { tally, seen: rows.length, last: rows.at(-1)?.id ?? null };
}

/**
 * One ticket: its timers, then its state — what it wrote and counted, for the caller to keep only if it all went through.
 * `owner` is the owner to notify: null when the ticket has none, or they are no longer an active user.
 */
async function checkTicket(ctx: RecordsCtx, tx: Tx, tk: ObjectMeta, setup: Setup, t: TicketRow, p: Policy, now: Date, owner: string | null): Promise<Tally> {
  const tenantId = ctx.guard.actor.tenantId;
  const one = new Tally();
  if (!t.resolution_due) {
    const timers = timersOrProblem(policyCalendar(ctx.guard.actor.timeZone, setup.days, p), p, t.created_at);
    if ('problem' in timers) {
      one.note({ kind: 'calendar', policyId: p.id, policy: p.name, problem: timers.problem, tickets: 1 });
      return one;
    }
    await setSystemFields(tx, ctx.guard.actor, tk, t.id, { sla_policy: p.id, ...timers });
    Object.assign(t, { first_response_due: new Date(timers.first_response_due), resolution_due: new Date(timers.resolution_due) });
    one.timed++;
  }
  const ratio = warnRatio(p);
  if (ratio === null) one.note({ kind: 'warn_ratio', policyId: p.id, policy: p.name, problem: `SLA policy ${p.name}: warn_ratio ${Number(p.warn_ratio)} is not between 0 and 1; its tickets are not warned`, tickets: 1 });
  const state = stateAt(t, p, ratio, now);
  if (state === (t.sla_state ?? 'ok') || state === 'ok') return one;
  if (state === 'warning') {
    await setSystemFields(tx, ctx.guard.actor, tk, t.id, { sla_state: 'warning' });
    if (owner) await addNotifications(tx, tenantId, [{ userId: owner, kind: 'rule', title: `工单即将超时：${t.number}`, link: `/o/ticket/${t.id}`, object: 'ticket', recordId: t.id }]);
    one.warned++;
    return one;
  }
  await setSystemFields(tx, ctx.guard.actor, tk, t.id, { sla_state: 'breached', escalation_level: (t.escalation_level ?? 0) + 1 }, 'escalate');
  let to = p.escalate_to;
  if (to && !setup.activeContacts.has(to)) {
    one.note({ kind: 'escalate_to', policyId: p.id, policy: p.name, problem: `SLA policy ${p.name}: escalation contact ${to} is not an active user; escalated to the department manager instead`, tickets: 1 });
    to = null;
  }
  to ??= await managerOf(tx, t.department_id);
  const who = [...new Set([to, owner].filter((x): x is string => !!x))];
  await addNotifications(tx, tenantId, who.map((userId) => ({ userId, kind: 'rule' as const, title: `工单已超时并升级：${t.number}（${p.name}）`, link: `/o/ticket/${t.id}`, object: 'ticket', recordId: t.id })));
  one.breached++;
  return one;
}

/** The policy's warn ratio (0.8 when blank), or null when it is not one (outside 0–1: the API refuses it, an import or hand edit may not). */
function warnRatio(p: Policy): number | null {
  const r = Number(p.warn_ratio ?? '0.8');
  return Number.isFinite(r) && r >= 0 && r <= 1 ? r : null;
}

/**
 * The ticket's timers, or — when the policy's calendar cannot give a due time (the 409 of a
 * calendar with no working day) — the problem, for the caller to report as the policy's (its
 * other untimed tickets are not tried). Anything else (a bug, the database) throws: the scheduled
 * check then rolls that one ticket back and reports it (checkBatch), a ticket's own clock-start fails.
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
 * Tells the tenant's administrators (who keep the SLA policies) what the check could not do, in
 * the bell: one notice per policy and kind of problem, linking to the policy (to the ticket when
 * one ticket failed). The check runs every five minutes: an admin already told of the same kind
 * of problem with the policy within the last day is not told again, so a problem left standing
 * means one notice a day each rather than 288 — and a reminder until it is fixed.
 */
async function reportProblems(tx: Tx, tenantId: string, problems: SlaProblem[], now: Date): Promise<void> {
  if (!problems.length) return;
  for (const x of problems) {
    logger.warn({ tenantId, policyId: x.policyId, kind: x.kind, tickets: x.tickets }, `SLA check: ${x.problem}`);
  }
  const notices = problems.map((x) => ({ policyId: x.policyId, ...problemNotice(x) }));
  const admins = await tenantAdmins(tx);
  const since = new Date(now.getTime() - 24 * 3600_000);
  // Keyed by policy and title up to its colon: each kind of problem is told once a day.
  const told = new Set((await sql<{ key: string }>`SELECT DISTINCT user_id || '/' || record_id || '/' || split_part(title, '：', 1) AS key FROM notification
    WHERE object = 'sla_policy' AND title LIKE 'SLA %' AND record_id = ANY(${[...new Set(problems.map((x) => x.policyId))]}::uuid[]) AND user_id = ANY(${admins}::uuid[]) AND created_at > ${since}`.execute(tx)).rows.map((r) => r.key));
  await addNotifications(tx, tenantId, [...notices.values()].flatMap((n) => admins.filter((userId) => !told.has(`${userId}/${n.policyId}/${n.title.split('：')[0]}`))
    .map((userId) => ({ userId, kind: 'rule' as const, title: n.title, body: n.body, link: n.link, object: 'sla_policy', recordId: n.policyId }))));
}

const PROBLEM_TITLE: Record<SlaProblem['kind'], string> = {
  calendar: 'SLA 策略无法计时', warn_ratio: 'SLA 策略预警比例无效', escalate_to: 'SLA 升级对象不可用', ticket: 'SLA 检查失败',
};

/** The notice of one policy's problem of one kind (failed tickets: one notice naming the first of them, not one each). */
function problemNotice(x: SlaProblem): { title: string; body: string; link: string } {
  const link = `/o/sla_policy/${x.policyId}`;
  switch (x.kind) {
    case 'calendar':
      return { link, title: `${PROBLEM_TITLE.calendar}：${x.policy}（${x.tickets} 张工单未计时）`, body: `SLA 检查无法按该策略的工作日历为工单计时，请检查其工作日与节假日设置；其他策略的工单照常检查。\n${x.problem}` };
    case 'warn_ratio':
      return { link, title: `${PROBLEM_TITLE.warn_ratio}：${x.policy}`, body: `该策略的预警比例不在 0 到 1 之间，其工单照常计时和升级，但不会预警；请修改预警比例。\n${x.problem}` };
    case 'escalate_to':
      return { link, title: `${PROBLEM_TITLE.escalate_to}：${x.policy}（${x.tickets} 张工单）`, body: `该策略的“升级给”用户已停用或不存在，超时工单已改为通知所在部门经理；请为该策略另选升级对象。\n${x.problem}` };
    case 'ticket': {
      const examples = x.examples ?? [];
      const shown = examples.map((t) => `${t.ticket}：${t.problem}`);
      if (x.tickets > shown.length) shown.push(`……共 ${x.tickets} 张`);
      return {
        link: x.tickets === 1 && examples.length ? `/o/ticket/${examples[0].ticketId}` : link, title: `${PROBLEM_TITLE.ticket}：${x.policy}（${x.tickets} 张工单）`,
        body: `以下工单的 SLA 检查出错，已回滚，下次检查时重试；其他工单照常检查。\n${shown.join('\n')}`,
      };
    }
  }
}

export function timersFor(cal: BusinessCalendar, p: Policy, start: Date): { first_response_due: string; resolution_due: string } {
  return { first_response_due: dueAfter(cal, p, start, p.first_response_minutes).toISOString(), resolution_due: dueAfter(cal, p, start, p.resolution_minutes).toISOString() };
}

/** Which target is still open decides: first response until someone answered, then resolution. */
function stateAt(t: TicketRow, p: Policy, ratio: number | null, now: Date): 'ok' | 'warning' | 'breached' {
  const open: [Date | null, number][] = [];
  if (!t.first_responded_at && t.first_response_due) open.push([t.first_response_due, p.first_response_minutes]);
  if (!t.resolved_at && t.resolution_due) open.push([t.resolution_due, p.resolution_minutes]);
  let state: 'ok' | 'warning' | 'breached' = 'ok';
  for (const [due] of open) {
    const start = new Date(t.created_at).getTime();
    const end = new Date(due!).getTime();
    if (now.getTime() >= end) return 'breached';
    if (ratio !== null && now.getTime() >= start + (end - start) * ratio) state = 'warning';
  }
  return state;
}

/** The department's manager, when an active user. */
async function managerOf(tx: Tx, departmentId: string | null): Promise<string | null> {
  if (!departmentId) return null;
  return (await sql<{ manager_id: string }>`SELECT d.manager_id FROM department d JOIN app_user u ON u.id = d.manager_id AND u.active WHERE d.id = ${departmentId}`.execute(tx)).rows[0]?.manager_id ?? null;
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
