import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { logChanges, type RecordsCtx } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { recordChart } from './chart.install.ts';
import { CHART_DEFAULTS, CHART_TEMPLATES, DEFAULT_CHART, chartTemplateOrThrow, templateAccounts } from './chart-templates.ts';

/**
 * GET /api/v1/finance/chart-templates: what a company can be set up with, and
 * which one a new company gets by its book currency when nobody chooses
 * (`defaults`: { byCurrency: { CNY: 'small_business' }, other: 'ifrs' }).
 */
export function chartTemplates() {
  return {
    data: Object.entries(CHART_TEMPLATES).map(([key, t]) => ({ key, label: t.label, accounts: t.accounts.length, default: key === DEFAULT_CHART })),
    defaults: CHART_DEFAULTS,
  };
}

/**
 * GET /api/v1/finance/chart-setup: each company with the chart it follows and
 * whether it has posted (then its chart can no longer be swapped) — an admin's view.
 */
export async function companyCharts(ctx: RecordsCtx) {
  const actor = ctx.guard.actor;
  if (!actor.isAdmin) throw new AppError('FORBIDDEN', 'The companies\' charts of accounts are an administrator\'s set-up.');
  const objects = await ctx.store.objects(actor.tenantId);
  const g = physical(objects, 'gl_entry');
  const rows = await inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, (tx) =>
    sql<{ id: string; name: string; currency: string; template: string | null; posted: boolean }>`
      SELECT c.id, c.name, trim(c.currency) AS currency, f.template, EXISTS (SELECT 1 FROM ${g.t} e WHERE e.company_id = c.id) AS posted
      FROM company c LEFT JOIN finance_chart f ON f.company_id = c.id ORDER BY c.created_at, c.id`.execute(tx));
  return { data: rows.rows.map((r) => ({ company: r.id, name: r.name, currency: r.currency, template: r.template ?? DEFAULT_CHART, posted: r.posted })) };
}

export interface ChartSetupResult { company: string; template: string; created: string[]; updated: string[]; removed: string[] }

/**
 * Sets a company up with a chart template (an admin's act, at set-up): the
 * template's accounts are created or, where the code exists, renamed and
 * re-classified to the template's; accounts of another template that this one
 * has not are removed unless a record links to them; accounts an admin added
 * stay. Only while the company has posted nothing — once there are entries the
 * chart is the books' and changes go account by account. Each account change is
 * audited as a gl_account change.
 */
export async function setUpChart(ctx: RecordsCtx, companyId: string, templateInput: unknown): Promise<ChartSetupResult> {
  const actor = ctx.guard.actor;
  if (!actor.isAdmin) throw new AppError('FORBIDDEN', 'Choosing a chart of accounts is an administrator\'s set-up step.');
  const template = chartTemplateOrThrow(templateInput, 'template');
  if (!/^[0-9a-f-]{36}$/i.test(companyId)) throw new AppError('FIELD_INVALID', 'company: which company (an id)', { field: 'company' });
  const objects = await ctx.store.objects(actor.tenantId);
  return inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const company = await sql<{ id: string }>`SELECT id FROM company WHERE id = ${companyId} FOR UPDATE`.execute(tx);
    if (!company.rows[0]) throw new AppError('FIELD_INVALID', 'company: no such company', { field: 'company' });
    const g = physical(objects, 'gl_entry');
    const posted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${g.t} WHERE company_id = ${companyId} LIMIT 1) x`.execute(tx);
    if (posted.rows[0].n > 0) throw new AppError('CONFLICT', 'The company has posted entries: its chart can no longer be swapped for a template; change accounts one by one.');
    const result = await applyTemplate(tx, objects, actor.tenantId, actor.userId, companyId, template);
    await recordChart(tx, actor.tenantId, companyId, template, actor.userId);
    const change = (recordId: string, op: string, changes: Record<string, [unknown, unknown]>) => ({ object: 'gl_account', recordId, op, changes });
    await logChanges(tx, actor, [
      ...result.created.map(([code, id]) => change(id, 'create', { code: [null, code], chart_template: [null, template] })),
      ...result.updated.map(([code, id]) => change(id, 'update', { code: [code, code], chart_template: [null, template] })),
      ...result.removed.map(([code, id]) => change(id, 'delete', { code: [code, null], chart_template: [null, template] })),
    ]);
    const codes = (xs: [string, string][]) => xs.map(([code]) => code);
    return { company: companyId, template, created: codes(result.created), updated: codes(result.updated), removed: codes(result.removed) };
  });
}

/** [code, account id] of what was created, updated and removed. */
async function applyTemplate(tx: Tx, objects: Map<string, ObjectMeta>, tenantId: string, userId: string, companyId: string, template: string) {
  const a = physical(objects, 'gl_account');
  const rows = await sql<{ id: string; code: string }>`SELECT id, ${a.c('code')} AS code FROM ${a.t} WHERE company_id = ${companyId}`.execute(tx);
  const ids = new Map(rows.rows.map((r) => [r.code, r.id]));
  const created: [string, string][] = [];
  const updated: [string, string][] = [];
  const wanted = templateAccounts(template);
  for (const x of wanted) { // parents come before their sub-accounts in every template
    const parent = x.parent ? ids.get(x.parent)! : null;
    const id = ids.get(x.code);
    if (id) {
      await sql`UPDATE ${a.t} SET ${a.c('name')} = ${x.name}, ${a.c('account_type')} = ${x.type}, ${a.c('balance_side')} = ${x.balance},
        ${a.c('parent')} = ${parent}, ${a.c('is_group')} = ${x.isGroup}, updated_at = now(), updated_by = ${userId}, version = version + 1 WHERE id = ${id}`.execute(tx);
      updated.push([x.code, id]);
    } else {
      const newId = crypto.randomUUID();
      await sql`INSERT INTO ${a.t} (tenant_id, id, company_id, ${a.c('code')}, ${a.c('name')}, ${a.c('account_type')}, ${a.c('balance_side')}, ${a.c('parent')}, ${a.c('is_group')}, created_by)
        VALUES (${tenantId}, ${newId}, ${companyId}, ${x.code}, ${x.name}, ${x.type}, ${x.balance}, ${parent}, ${x.isGroup}, ${userId})`.execute(tx);
      ids.set(x.code, newId);
      created.push([x.code, newId]);
    }
  }
  // Other templates' accounts this one has not: removed, unless some record links to them.
  const keep = new Set(wanted.map((x) => x.code));
  const foreign = new Set(Object.values(CHART_TEMPLATES).flatMap((t) => t.accounts.map((x) => x.code)).filter((c) => !keep.has(c)));
  const removed: [string, string][] = [];
  for (const [code, id] of [...ids].filter(([c]) => foreign.has(c)).sort(([x], [y]) => y.localeCompare(x))) { // sub-accounts first
    if (await isLinked(tx, objects, id)) continue;
    await sql`DELETE FROM ${a.t} WHERE id = ${id}`.execute(tx);
    removed.push([code, id]);
  }
  return { created, updated, removed };
}

/** Whether any record's link field (an account's parent, a tax rate's, a bank account's …) points at the account. */
async function isLinked(tx: Tx, objects: Map<string, ObjectMeta>, accountId: string): Promise<boolean> {
  for (const o of objects.values()) {
    for (const f of o.fields) { // system fields (id …) are no references
      if (f.system || f.type !== 'link' || (f.config as { target?: string }).target !== 'gl_account' || !f.columnName) continue;
      const hit = await sql`SELECT 1 FROM ${sql.id(o.tableName)} WHERE ${sql.id(f.columnName)} = ${accountId} LIMIT 1`.execute(tx);
      if (hit.rows.length) return true;
    }
  }
  return false;
}
