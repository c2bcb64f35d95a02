import { AppError, isUuid, newId, parseOrThrow } from '@mosaic/kernel';
import { inTenantTx, sql, type Tx } from '@mosaic/db';
import { evalContextOf, type RecordsCtx } from '@mosaic/records';
import { ZCreateDashboard, ZUpdateDashboard, type TWidget } from './dashboard.schema.ts';
import { resolveParams } from './report.params.ts';
import type { TReportDefinition } from './report.schema.ts';
import { assertMayChange, checkDefinition, getReportOrThrow } from './reports.service.ts';

/** Dashboards (看板): a grid of widgets, global filters, the roles it is the default of. Visible like reports: owner, shared, admins. */
export interface Dashboard {
  id: string;
  name: string;
  description: string | null;
  widgets: TWidget[];
  globalFilters: string[];
  defaultRoleIds: string[];
  ownerId: string;
  shared: boolean;
  version: number;
  updatedAt: string;
}

const txScope = (ctx: RecordsCtx) => ({ tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId });
const visible = (ctx: RecordsCtx) => sql`(owner_id = ${ctx.guard.actor.userId} OR shared OR ${ctx.guard.actor.isAdmin})`;

export async function listDashboards(ctx: RecordsCtx): Promise<Dashboard[]> {
  return inTenantTx(ctx.db.app, txScope(ctx), async (tx) =>
    (await sql<Record<string, any>>`SELECT * FROM dashboard WHERE ${visible(ctx)} ORDER BY name, id LIMIT 1000`.execute(tx)).rows.map(toDashboard));
}

export async function getDashboardOrThrow(ctx: RecordsCtx, id: string, tx?: Tx): Promise<Dashboard> {
  const run = async (t: Tx) => {
    const row = isUuid(id) ? (await sql<Record<string, any>>`SELECT * FROM dashboard WHERE id = ${id} AND ${visible(ctx)}`.execute(t)).rows[0] : undefined;
    if (!row) throw new AppError('NOT_FOUND', `No dashboard with id ${String(id).slice(0, 40)}.`, { field: 'id' });
    return toDashboard(row);
  };
  return tx ? run(tx) : inTenantTx(ctx.db.app, txScope(ctx), run);
}

/** The user's default dashboard: the newest one made the default of one of their roles (null when none). */
export async function defaultDashboard(ctx: RecordsCtx): Promise<Dashboard | null> {
  const roles = ctx.guard.actor.roleIds;
  if (!roles.length) return null;
  return inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const row = (await sql<Record<string, any>>`SELECT * FROM dashboard WHERE default_role_ids && ${roles}::uuid[] ORDER BY updated_at DESC LIMIT 1`.execute(tx)).rows[0];
    return row ? toDashboard(row) : null;
  });
}

export async function createDashboard(ctx: RecordsCtx, input: unknown): Promise<Dashboard> {
  const body = parseOrThrow(ZCreateDashboard, input);
  await checkWidgets(ctx, body.widgets);
  const a = ctx.guard.actor;
  return inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const row = await sql<Record<string, any>>`INSERT INTO dashboard (tenant_id, id, name, description, widgets, global_filters, default_role_ids, owner_id, shared)
      VALUES (${a.tenantId}, ${newId()}, ${body.name}, ${body.description ?? null}, ${JSON.stringify(body.widgets)}, ${JSON.stringify(body.globalFilters ?? ['date'])},
        ${body.defaultRoleIds ?? []}::uuid[], ${a.userId}, ${body.shared ?? false}) RETURNING *`.execute(tx);
    return toDashboard(row.rows[0]);
  });
}

export async function updateDashboard(ctx: RecordsCtx, id: string, input: unknown): Promise<Dashboard> {
  const body = parseOrThrow(ZUpdateDashboard, input);
  if (body.widgets) {
    if (new Set(body.widgets.map((w) => w.id)).size !== body.widgets.length) throw new AppError('VALIDATION_FAILED', 'widgets: widget ids must be unique', { field: 'widgets' });
    await checkWidgets(ctx, body.widgets);
  }
  return inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const cur = await getDashboardOrThrow(ctx, id, tx);
    assertMayChange(ctx, cur.ownerId);
    const row = await sql<Record<string, any>>`UPDATE dashboard SET name = ${body.name ?? cur.name},
        description = ${body.description === undefined ? cur.description : body.description},
        widgets = ${JSON.stringify(body.widgets ?? cur.widgets)}, global_filters = ${JSON.stringify(body.globalFilters ?? cur.globalFilters)},
        default_role_ids = ${body.defaultRoleIds ?? cur.defaultRoleIds}::uuid[], shared = ${body.shared ?? cur.shared},
        version = version + 1, updated_at = now()
      WHERE id = ${id} AND version = ${body.version} RETURNING *`.execute(tx);
    if (!row.rows.length) throw new AppError('VERSION_CONFLICT', `The dashboard was changed by someone else (now version ${cur.version}); reload it.`);
    return toDashboard(row.rows[0]);
  });
}

export async function deleteDashboard(ctx: RecordsCtx, id: string): Promise<void> {
  await inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const cur = await getDashboardOrThrow(ctx, id, tx);
    assertMayChange(ctx, cur.ownerId);
    await sql`DELETE FROM dashboard WHERE id = ${id}`.execute(tx);
  });
}

// Inline definitions compile now (as the saving user); referenced reports must be visible to them;
// the parameter values a widget keeps must be parameters of its report, each of the right type, and the
// measure it shows one of its report's.
async function checkWidgets(ctx: RecordsCtx, widgets: TWidget[]): Promise<void> {
  for (const [i, w] of widgets.entries()) {
    try {
      if (w.definition) await checkDefinition(ctx, w.definition);
      const def = w.definition ?? (await getReportOrThrow(ctx, w.reportId!)).definition;
      checkWidgetParams(ctx, def, w.params ?? {});
      if (w.measure && !def.measures.some((m) => m.name === w.measure)) {
        throw new AppError('FIELD_INVALID', `measure: the report has no measure "${w.measure}" (it has ${def.measures.map((m) => m.name).join(', ')})`, { field: 'measure' });
      }
    } catch (e) {
      if (e instanceof AppError) throw new AppError(e.code, `widgets.${i} (${w.id}): ${e.message}`, { field: `widgets.${i}${e.field ? `.${e.field}` : ''}` });
      throw e;
    }
  }
}

function checkWidgetParams(ctx: RecordsCtx, def: TReportDefinition, values: Record<string, unknown>): void {
  const given = (def.params ?? []).filter((p) => p.name in values);
  const unknown = Object.keys(values).find((name) => !given.some((p) => p.name === name));
  if (unknown) throw new AppError('FIELD_INVALID', `params.${unknown.slice(0, 60)}: the report has no such parameter`, { field: `params.${unknown.slice(0, 60)}` });
  try {
    // Only the values given are checked: one left out takes the report's default (or asks the viewer) when the widget loads.
    resolveParams({ ...def, params: given.map((p) => ({ ...p, required: false })) }, values, evalContextOf(ctx));
  } catch (e) {
    if (e instanceof AppError && e.field) throw new AppError('FIELD_INVALID', `params.${e.message}`, { field: `params.${e.field}` });
    throw e;
  }
}

function toDashboard(r: Record<string, any>): Dashboard {
  return {
    id: r.id, name: r.name, description: r.description, widgets: r.widgets, globalFilters: r.global_filters, defaultRoleIds: r.default_role_ids,
    ownerId: r.owner_id, shared: r.shared, version: r.version, updatedAt: r.updated_at.toISOString(),
  };
}
