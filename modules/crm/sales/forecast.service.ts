import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { runReport } from '@mosaic/reporting';
import { listRecords, MAX_PAGE_SIZE, type RecordsCtx } from '@mosaic/records';
import { txOf } from '../shared/system-ctx.ts';
import { assertRatesAvailable, callerCurrency, foreignOf, ratesAsOf } from '../shared/currency.ts';
import { parseQuarter, type Quarter } from './period.ts';
import { FORECAST_BY_REP, FORECAST_BY_TEAM, OVERDUE_FOLLOWUPS, OVERDUE_TASKS } from './sales.reports.ts';

type Row = Record<string, unknown>;

const dec = (v: unknown) => new Decimal(v === null || v === undefined ? 0 : String(v));
const money = (d: Decimal) => d.toFixed(2);
/** A share as a fraction with four places ("0.8500" = 85 %); none without a target. */
const share = (part: Decimal, whole: Decimal | null) => (whole && whole.gt(0) ? part.div(whole).toFixed(4) : null);

/**
 * 销售预测 vs 目标 for one quarter, per rep (`by=rep`, the opportunity's owner)
 * or team (`by=team`: the opportunity's department and every department above
 * it on the sheet — a team's figures include its sub-teams', as a manager's
 * department_tree scope does): forecast = Σ open amount ×
 * stage probability (expected to close in the quarter) + won in the quarter;
 * attainment = won / target, forecastAttainment = forecast / target. The
 * report and the target list run as the caller, so a rep sees their own
 * figures and targets only. The report engine cannot join targets to
 * opportunities nor convert currencies, so the two are put together here:
 * the reports group by the opportunity's currency and every amount —
 * opportunities' and targets' — is converted to the company's currency
 * (`currency` of the reply) at the rate as of the quarter's last day.
 */
export async function salesForecast(ctx: RecordsCtx, query: { period?: unknown; by?: unknown }): Promise<Row> {
  const q = parseQuarter(query.period);
  const by = query.by ?? 'rep';
  if (by !== 'rep' && by !== 'team') throw new AppError('FIELD_INVALID', 'by: rep or team', { field: 'by' });
  const key = by === 'rep' ? 'owner_id' : 'department_id';
  const [fc, targetRows, base, depts] = await Promise.all([
    runReport(ctx, by === 'rep' ? FORECAST_BY_REP : FORECAST_BY_TEAM, { from: q.from, to: q.to }),
    targetRowsOf(ctx, q, by),
    callerCurrency(ctx),
    // The one read of the department sheet: titles, the roll-up's paths and the target tree all come from it.
    by === 'team' ? departmentsOf(ctx) : Promise.resolve(null),
  ]);
  const perCurrency = fc.rows.filter((x) => !(x.$totals as string[] | undefined)?.length);
  const currencies = [...perCurrency.map((r) => r.currency as string | null), ...targetRows.map((t) => t.currency)];
  const { rates, repNames } = await ratesAndNames(ctx, base, q, currencies, by === 'rep' ? targetRows.map((t) => t.id) : []);
  const rateOf = (ccy: unknown) => rates.get((ccy as string | null) || base)!;
  let detail = convertedPerKey(perCurrency, key, rateOf);
  const total = sumRows(detail);
  const targets: Targets = new Map(targetRows.map((t) => [t.id, {
    amount: t.amount.times(rateOf(t.currency)).toDecimalPlaces(2),
    title: depts ? depts.get(t.id)?.name ?? null : repNames.get(t.id) ?? null,
  }]));
  let targetOf = (id: string) => targets.get(id)?.amount ?? null;
  let targetTotal = [...targets.values()].reduce((s, t) => s.plus(t.amount), new Decimal(0));
  if (depts) {
    detail = rollUpTeams(depts, detail, [...targets.keys()]);
    const tree = teamTargets(depts, targets);
    targetOf = tree.of;
    targetTotal = tree.total;
  }
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const r of detail) {
    const id = r[key] as string | null;
    if (id) seen.add(id);
    rows.push(figures(by, id, r[`${key}$title`] ?? (id ? targets.get(id)?.title : null), r, id ? targetOf(id) : null));
  }
  // Someone with a target and nothing in the pipeline is still on the sheet.
  for (const [id, t] of targets) if (!seen.has(id)) rows.push(figures(by, id, t.title, {}, targetOf(id)));
  return { period: q.period, from: q.from, to: q.to, by, currency: base, rows, total: figures(by, null, null, total, targetTotal.gt(0) ? targetTotal : null) };
}

type Targets = Map<string, { amount: Decimal; title: unknown }>;
interface TargetRow { id: string; amount: Decimal; currency: string | null }
interface Department { id: string; parent_id: string | null; path: string[]; name: string }

/** The quarter's targets the caller may read (their record scope, as the report's), per rep or per team, in their own currencies. */
async function targetRowsOf(ctx: RecordsCtx, q: Quarter, by: 'rep' | 'team'): Promise<TargetRow[]> {
  const out: TargetRow[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await listRecords(ctx, 'sales_target', { filter: { and: [{ period: { eq: q.period } }, { [by]: { ne: null } }] }, fields: [by, 'amount'], pageSize: MAX_PAGE_SIZE, total: false, cursor });
    for (const t of page.data) {
      const amount = t.amount as { amount: string; currency?: string | null } | null;
      const id = idOf(t[by]);
      if (amount && id) out.push({ id, amount: dec(amount.amount), currency: amount.currency || null });
    }
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

/**
 * The rate of every currency met as of the quarter's last day (shared/currency.ts: finance's rate,
 * 422 naming `currency` when there is none or no finance at all), in one read-only transaction with
 * the reps' names.
 */
async function ratesAndNames(ctx: RecordsCtx, base: string, q: Quarter, currencies: (string | null)[], reps: string[]): Promise<{ rates: Map<string, Decimal>; repNames: Map<string, string> }> {
  const foreign = foreignOf(base, currencies);
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  assertRatesAvailable(objects, base, foreign);
  return txOf(ctx, async (tx) => {
    const rates = await ratesAsOf(tx, objects, base, foreign, q.to);
    const repNames = reps.length
      ? new Map((await sql<{ id: string; name: string }>`SELECT id, name FROM app_user WHERE id = ANY(${reps}::uuid[])`.execute(tx)).rows.map((r) => [r.id, r.name]))
      : new Map<string, string>();
    return { rates, repNames };
  }, { readOnly: true });
}

/** The caller's departments (the whole sheet under row-level security), read once per forecast. */
async function departmentsOf(ctx: RecordsCtx): Promise<Map<string, Department>> {
  const rows = await txOf(ctx, async (tx) => (await sql<Department>`SELECT id, parent_id, path, name FROM department`.execute(tx)).rows, { readOnly: true });
  return new Map(rows.map((d) => [d.id, { ...d, path: d.path ?? [d.id] }]));
}

const idOf = (v: unknown): string | null => (v && typeof v === 'object' ? ((v as { id?: string }).id ?? null) : ((v as string | null) ?? null));

const MEASURES = ['open_count', 'open_amount', 'weighted', 'won_count', 'won'];
const MONEY_MEASURES = new Set(['open_amount', 'weighted', 'won']);

/**
 * The report's rows per (rep or team, currency) → one row per rep or team in
 * the company's currency: each currency's sums times its rate (to the cent),
 * then added; counts added as they are.
 */
function convertedPerKey(rows: Row[], key: string, rateOf: (ccy: unknown) => Decimal): Row[] {
  const out = new Map<string | null, Row>();
  for (const r of rows) {
    const id = (r[key] as string | null) ?? null;
    const sum = out.get(id) ?? out.set(id, { [key]: id, [`${key}$title`]: r[`${key}$title`] ?? null, ...Object.fromEntries(MEASURES.map((m) => [m, '0'])) }).get(id)!;
    const rate = rateOf(r.currency);
    for (const m of MEASURES) sum[m] = dec(sum[m]).plus(MONEY_MEASURES.has(m) ? dec(r[m]).times(rate).toDecimalPlaces(2) : dec(r[m])).toFixed();
  }
  return [...out.values()];
}

function sumRows(rows: Row[]): Row {
  return Object.fromEntries(MEASURES.map((m) => [m, rows.reduce((s, r) => s.plus(dec(r[m])), new Decimal(0)).toFixed()]));
}

/**
 * Team targets over the department tree: a team's own target, when set, is
 * the target of its whole subtree (its sub-teams' targets are a split of it,
 * not more); a team without one has the sum of its child departments' (each
 * by the same rule), or none when nobody below has one. The sheet's total is
 * the sum over the tree's roots, so a nested target is counted once.
 */
function teamTargets(depts: Map<string, Department>, own: Targets): { of: (id: string) => Decimal | null; total: Decimal } {
  const children = new Map<string, string[]>();
  for (const d of depts.values()) if (d.parent_id) children.set(d.parent_id, [...(children.get(d.parent_id) ?? []), d.id]);
  const memo = new Map<string, Decimal | null>();
  const of = (id: string): Decimal | null => {
    if (memo.has(id)) return memo.get(id)!;
    memo.set(id, null); // a cycle (never in a sane tree) ends here
    let t = own.get(id)?.amount ?? null;
    if (!t) {
      const below = (children.get(id) ?? []).map(of).filter((x): x is Decimal => x !== null);
      t = below.length ? below.reduce((s, x) => s.plus(x), new Decimal(0)) : null;
    }
    memo.set(id, t);
    return t;
  };
  const roots = [...depts.values()].filter((d) => !d.parent_id || !depts.has(d.parent_id)).map((d) => d.id);
  return { of, total: roots.map(of).reduce<Decimal>((s, x) => (x ? s.plus(x) : s), new Decimal(0)) };
}

/**
 * Per-department rows → per team on the sheet (a department with figures or a
 * target), each the sum over the departments at or below it (department.path
 * holds the ancestors). The figures come from the caller's report, so the
 * roll-up adds only what the caller could see.
 */
function rollUpTeams(depts: Map<string, Department>, rows: Row[], targetTeams: string[]): Row[] {
  const teams = [...new Set([...rows.map((r) => r.department_id as string | null).filter((x): x is string => !!x), ...targetTeams])];
  if (!teams.length) return rows;
  const pathOf = (id: string) => depts.get(id)?.path ?? [id];
  const out = new Map<string, Row>();
  for (const team of teams) {
    const own = rows.find((r) => r.department_id === team);
    const sum: Row = { department_id: team, department_id$title: own?.department_id$title ?? depts.get(team)?.name ?? null };
    for (const m of MEASURES) sum[m] = '0';
    let any = !!own;
    for (const r of rows) {
      if (!r.department_id || !pathOf(r.department_id as string).includes(team)) continue;
      any = true;
      for (const m of MEASURES) sum[m] = dec(sum[m]).plus(dec(r[m])).toFixed();
    }
    if (any) out.set(team, sum);
  }
  return [...out.values(), ...rows.filter((r) => !r.department_id)];
}

function figures(by: string, id: string | null, title: unknown, r: Row, target: Decimal | null): Row {
  const weighted = dec(r.weighted);
  const won = dec(r.won);
  const forecast = weighted.plus(won);
  return {
    [by]: id, name: title ?? null,
    openCount: Number(r.open_count ?? 0), openAmount: money(dec(r.open_amount)), weighted: money(weighted),
    wonCount: Number(r.won_count ?? 0), won: money(won), forecast: money(forecast),
    target: target ? money(target) : null, attainment: share(won, target), forecastAttainment: share(forecast, target),
  };
}

/** 逾期跟进 per owner: follow-up dates passed with nothing logged since, and open tasks past due — as far as the caller's scope reaches (own, or the team's for a manager). */
export async function overdueFollowups(ctx: RecordsCtx): Promise<Row> {
  const [acts, tasks] = await Promise.all([runReport(ctx, OVERDUE_FOLLOWUPS), runReport(ctx, OVERDUE_TASKS)]);
  const byOwner = new Map<string, Row>();
  const at = (id: string, title: unknown) => byOwner.get(id) ?? byOwner.set(id, { owner: id, name: title ?? null, activities: 0, tasks: 0, oldest: null }).get(id)!;
  for (const r of acts.rows) {
    if ((r.$totals as string[] | undefined)?.length || !r.owner_id) continue;
    Object.assign(at(r.owner_id as string, r['owner_id$title']), { activities: Number(r.overdue), oldest: r.oldest ?? null });
  }
  for (const r of tasks.rows) {
    if ((r.$totals as string[] | undefined)?.length || !r.owner_id) continue;
    at(r.owner_id as string, r['owner_id$title']).tasks = Number(r.overdue);
  }
  const rows = [...byOwner.values()].sort((a, b) => Number(b.activities) + Number(b.tasks) - Number(a.activities) - Number(a.tasks));
  return { rows, total: { activities: rows.reduce((s, r) => s + Number(r.activities), 0), tasks: rows.reduce((s, r) => s + Number(r.tasks), 0) } };
}
