import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { runReport } from '@mosaic/reporting';
import { exchangeRateOrThrow } from '@mosaic/finance';
import { listRecords, MAX_PAGE_SIZE, type RecordsCtx } from '@mosaic/records';
import { txOf } from '../shared/system-ctx.ts';
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
 * opportunities (nor convert their currencies), so the two are put together
 * here; targets are in the company's currency (`currency` of the reply).
 */
export async function salesForecast(ctx: RecordsCtx, query: { period?: unknown; by?: unknown }): Promise<Row> {
  const q = parseQuarter(query.period);
  const by = query.by ?? 'rep';
  if (by !== 'rep' && by !== 'team') throw new AppError('FIELD_INVALID', 'by: rep or team', { field: 'by' });
  const key = by === 'rep' ? 'owner_id' : 'department_id';
  const [fc, targets] = await Promise.all([
    runReport(ctx, by === 'rep' ? FORECAST_BY_REP : FORECAST_BY_TEAM, { from: q.from, to: q.to }),
    targetsOf(ctx, q, by),
  ]);
  let detail = fc.rows.filter((x) => !(x.$totals as string[] | undefined)?.length);
  let targetOf = (id: string) => targets.get(id)?.amount ?? null;
  let targetTotal = [...targets.values()].reduce((s, t) => s.plus(t.amount), new Decimal(0));
  if (by === 'team') {
    detail = await rollUpTeams(ctx, detail, [...targets.keys()]);
    const tree = await teamTargets(ctx, targets);
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
  const total = fc.rows.find((x) => (x.$totals as string[] | undefined)?.length) ?? {};
  return { period: q.period, from: q.from, to: q.to, by, currency: await companyCurrency(ctx), rows, total: figures(by, null, null, total, targetTotal.gt(0) ? targetTotal : null) };
}

type Targets = Map<string, { amount: Decimal; title: unknown }>;

/**
 * The quarter's targets the caller may read (their record scope, as the
 * report's), per rep or per team, each in the company's currency: a target
 * set in another currency is converted at finance's currency_rate as of the
 * quarter's last day (the latest rate on or before it — exchangeRateOrThrow,
 * the rate finance books foreign documents at). No rate → 422 naming the
 * currency.
 */
async function targetsOf(ctx: RecordsCtx, q: Quarter, by: 'rep' | 'team'): Promise<Targets> {
  const rows: Record<string, unknown>[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await listRecords(ctx, 'sales_target', { filter: { and: [{ period: { eq: q.period } }, { [by]: { ne: null } }] }, fields: [by, 'amount'], pageSize: MAX_PAGE_SIZE, total: false, cursor });
    rows.push(...page.data);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const base = await companyCurrency(ctx);
  const out: Targets = new Map();
  await txOf(ctx, async (tx) => {
    const ids = rows.map((t) => idOf(t[by])).filter((x): x is string => !!x);
    const names = new Map((await sql<{ id: string; name: string }>`SELECT id, name FROM ${sql.id(by === 'rep' ? 'app_user' : 'department')} WHERE id = ANY(${ids}::uuid[])`.execute(tx)).rows.map((r) => [r.id, r.name]));
    for (const t of rows) {
      const amount = t.amount as { amount: string; currency?: string | null } | null;
      const id = idOf(t[by]);
      if (!amount || !id) continue;
      const ccy = amount.currency || base;
      const rate = ccy === base ? new Decimal(1) : await exchangeRateOrThrow(tx, objects, ccy, q.to, null, 'currency');
      out.set(id, { amount: dec(amount.amount).times(rate).toDecimalPlaces(2), title: names.get(id) ?? null });
    }
  }, { readOnly: true });
  return out;
}

const idOf = (v: unknown): string | null => (v && typeof v === 'object' ? ((v as { id?: string }).id ?? null) : ((v as string | null) ?? null));

/** The caller's company's currency (the first company's for a caller without one). */
async function companyCurrency(ctx: RecordsCtx): Promise<string> {
  const company = ctx.guard.actor.companyId;
  return txOf(ctx, async (tx) => (await sql<{ currency: string }>`SELECT trim(currency) AS currency FROM company
    WHERE (${company}::uuid IS NULL OR id = ${company}::uuid) ORDER BY created_at, id LIMIT 1`.execute(tx)).rows[0]?.currency ?? 'CNY', { readOnly: true });
}

/**
 * Team targets over the department tree: a team's own target, when set, is
 * the target of its whole subtree (its sub-teams' targets are a split of it,
 * not more); a team without one has the sum of its child departments' (each
 * by the same rule), or none when nobody below has one. The sheet's total is
 * the sum over the tree's roots, so a nested target is counted once.
 */
async function teamTargets(ctx: RecordsCtx, own: Targets): Promise<{ of: (id: string) => Decimal | null; total: Decimal }> {
  const depts = await txOf(ctx, async (tx) => (await sql<{ id: string; parent_id: string | null }>`SELECT id, parent_id FROM department`.execute(tx)).rows, { readOnly: true });
  const children = new Map<string, string[]>();
  for (const d of depts) if (d.parent_id) children.set(d.parent_id, [...(children.get(d.parent_id) ?? []), d.id]);
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
  const known = new Set(depts.map((d) => d.id));
  const roots = depts.filter((d) => !d.parent_id || !known.has(d.parent_id)).map((d) => d.id);
  return { of, total: roots.map(of).reduce<Decimal>((s, x) => (x ? s.plus(x) : s), new Decimal(0)) };
}

const MEASURES = ['open_count', 'open_amount', 'weighted', 'won_count', 'won'];

/**
 * Per-department rows → per team on the sheet (a department with figures or a
 * target), each the sum over the departments at or below it (department.path
 * holds the ancestors). The figures come from the caller's report, so the
 * roll-up adds only what the caller could see.
 */
async function rollUpTeams(ctx: RecordsCtx, rows: Row[], targetTeams: string[]): Promise<Row[]> {
  const teams = [...new Set([...rows.map((r) => r.department_id as string | null).filter((x): x is string => !!x), ...targetTeams])];
  if (!teams.length) return rows;
  const paths = new Map((await txOf(ctx, async (tx) => (await sql<{ id: string; path: string[] }>`SELECT id, path FROM department WHERE id = ANY(${teams}::uuid[])`.execute(tx)).rows, { readOnly: true }))
    .map((d) => [d.id, d.path ?? [d.id]]));
  const out = new Map<string, Row>();
  for (const team of teams) {
    const own = rows.find((r) => r.department_id === team);
    const sum: Row = { department_id: team, department_id$title: own?.department_id$title ?? null };
    for (const m of MEASURES) sum[m] = '0';
    for (const r of rows) {
      if (!r.department_id || !(paths.get(r.department_id as string) ?? []).includes(team)) continue;
      for (const m of MEASURES) sum[m] = dec(sum[m]).plus(dec(r[m])).toFixed();
    }
    if (own || rows.some((r) => r.department_id && (paths.get(r.department_id as string) ?? []).includes(team))) out.set(team, sum);
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
