import { z } from 'zod';
import { AppError, isUuid, newId, parseOrThrow } from '@mosaic/kernel';
import { inTenantTx, sql, type Tx } from '@mosaic/db';
import { companyCurrency } from '@mosaic/identity';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
import { objectsRead } from './report.objects.ts';
import { assertMayChange, getReportOrThrow } from './reports.service.ts';
import { dimensionKey, type TReportDefinition } from './report.schema.ts';
import { isMoneyMeasure } from './report.measures.ts';

/**
 * KPI alerts: a threshold on a measure of a saved report ("receivables over 90
 * days > 500000", "stock below minimum" per item). A report with groups is
 * checked row by row; each row raises and clears on its own.
 */
export const ALERT_OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'ne'] as const;
const ZThreshold = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
export const ZCreateAlert = z.strictObject({
  name: z.string().min(1).max(200),
  reportId: z.uuid(),
  params: z.record(z.string(), z.unknown()).optional(),
  measure: z.string().max(60),
  op: z.enum(ALERT_OPS),
  threshold: ZThreshold,
  /**
   * The currency of the threshold on a money measure (ISO 4217: "USD"); null or left out: the company's (the
   * tenant's default company's). Only rows in it are compared; refused on a measure that is not money.
   */
  thresholdCurrency: z.string().max(10).nullable().optional(),
  notifyUserIds: z.array(z.uuid()).max(200).optional(),
  notifyRoleIds: z.array(z.uuid()).max(50).optional(),
  /** Row dimensions (their keys) that may hold a user: the first one set in a row is notified of that row too. */
  notifyRowUsers: z.array(z.string().max(100)).max(5).optional(),
  everyMinutes: z.number().int().min(1).max(44_640).optional(),
  active: z.boolean().optional(),
});
export const ZUpdateAlert = ZCreateAlert.partial().omit({ reportId: true });

export interface KpiAlert {
  id: string;
  name: string;
  reportId: string;
  params: Record<string, unknown>;
  measure: string;
  op: (typeof ALERT_OPS)[number];
  threshold: string;
  /** The threshold's currency as set; null: the company's on a money measure (thresholdCurrencyOf), none on any other. */
  thresholdCurrency: string | null;
  notifyUserIds: string[];
  notifyRoleIds: string[];
  notifyRowUsers: string[];
  everyMinutes: number;
  active: boolean;
  ownerId: string;
  objects: string[];
  lastCheckedAt: string | null;
  /** Set on an alert a module installed (installModuleAlert). */
  installKey: string | null;
  /** What kept its last check from comparing some rows to the threshold; null when every row was compared. */
  problem: AlertProblem | null;
}

/**
 * Rows the last check did not compare to the threshold (nor raised, nor cleared): MIXED_CURRENCIES, their measure
 * is money in several currencies (no one figure); OTHER_CURRENCY, their money is in another currency than the
 * threshold's (compared at no rate: an alert must not fire because a rate moved).
 */
export interface AlertProblem {
  code: 'MIXED_CURRENCIES' | 'OTHER_CURRENCY';
  message: string;
  /** The rows' keys (as alert_state's row_key: '' for a report without groups). */
  rowKeys: string[];
  /** OTHER_CURRENCY: the currencies those rows are in. */
  currencies?: string[];
  /** The other kind, when one check found both (mixed rows and rows in another currency). */
  also?: AlertProblem[];
}

const txScope = (ctx: RecordsCtx) => ({ tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId });

export async function listAlerts(ctx: RecordsCtx): Promise<KpiAlert[]> {
  const a = ctx.guard.actor;
  return inTenantTx(ctx.db.app, txScope(ctx), async (tx) =>
    (await sql<Record<string, any>>`SELECT * FROM kpi_alert WHERE owner_id = ${a.userId} OR ${a.isAdmin} OR ${a.userId} = ANY(notify_user_ids) ORDER BY name, id`.execute(tx)).rows.map(toAlert));
}

/** Who may see an alert: its owner, an administrator, its listed recipients (listAlerts asks the same in SQL). */
export function mayReadAlert(actor: { userId: string; isAdmin: boolean }, alert: Pick<KpiAlert, 'ownerId' | 'notifyUserIds'>): boolean {
  return alert.ownerId === actor.userId || actor.isAdmin || alert.notifyUserIds.includes(actor.userId);
}

export async function getAlertOrThrow(ctx: RecordsCtx, id: string, tx?: Tx): Promise<KpiAlert> {
  const run = async (t: Tx) => {
    const a = ctx.guard.actor;
    const row = isUuid(id) ? (await sql<Record<string, any>>`SELECT * FROM kpi_alert WHERE id = ${id}`.execute(t)).rows[0] : undefined;
    const alert = row ? toAlert(row) : undefined;
    if (!alert || !mayReadAlert(a, alert)) throw new AppError('NOT_FOUND', `No alert with id ${String(id).slice(0, 40)}.`, { field: 'id' });
    return alert;
  };
  return tx ? run(tx) : inTenantTx(ctx.db.app, txScope(ctx), run);
}

export async function createAlert(ctx: RecordsCtx, input: unknown, opts: { installKey?: string } = {}): Promise<KpiAlert> {
  const body = parseOrThrow(ZCreateAlert, input);
  const report = await getReportOrThrow(ctx, body.reportId);
  checkMeasure(report.definition, body.measure);
  checkRowUsers(report.definition, body.notifyRowUsers ?? []);
  const all = await ctx.store.objects(ctx.guard.actor.tenantId);
  const thresholdCurrency = checkThresholdCurrency(all, report.definition, body.measure, body.thresholdCurrency ?? null);
  const objects = objectsRead(all, report.definition);
  const a = ctx.guard.actor;
  return inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const row = await sql<Record<string, any>>`INSERT INTO kpi_alert (tenant_id, id, name, report_id, params, measure, op, threshold, threshold_currency, notify_user_ids, notify_role_ids,
        notify_row_users, every_minutes, active, owner_id, objects, install_key)
      VALUES (${a.tenantId}, ${newId()}, ${body.name}, ${body.reportId}, ${JSON.stringify(body.params ?? {})}, ${body.measure}, ${body.op}, ${String(body.threshold)}::numeric, ${thresholdCurrency},
        ${body.notifyUserIds ?? [a.userId]}::uuid[], ${body.notifyRoleIds ?? []}::uuid[], ${body.notifyRowUsers ?? []}::text[], ${body.everyMinutes ?? 60}, ${body.active ?? true},
        ${a.userId}, ${objects}::text[], ${opts.installKey ?? null})
      RETURNING *`.execute(tx);
    return toAlert(row.rows[0]);
  });
}

/**
 * A threshold currency is a known ISO 4217 code, and only on a money measure (422 naming `thresholdCurrency`);
 * null stays null: the company's currency, read at each check (thresholdCurrencyOf).
 */
function checkThresholdCurrency(objects: Map<string, ObjectMeta>, def: TReportDefinition, measure: string, ccy: string | null): string | null {
  if (ccy === null) return null;
  const invalid = (why: string) => new AppError('VALIDATION_FAILED', `thresholdCurrency: ${why}`, { field: 'thresholdCurrency' });
  if (!/^[A-Z]{3}$/.test(ccy) || !Intl.supportedValuesOf('currency').includes(ccy)) throw invalid(`"${ccy.slice(0, 10)}" is not an ISO 4217 currency code such as CNY or USD`);
  if (!isMoneyMeasure(objects, def, measure)) throw invalid(`the measure "${measure.slice(0, 60)}" is not money: its threshold has no currency`);
  return ccy;
}

/** A row user is one of the report's row dimensions (by key): the value in each row is who to tell. */
/** An alert watches one of its report's measures (422 naming `measure`). */
function checkMeasure(def: TReportDefinition, measure: string): void {
  if (!def.measures.some((m) => m.name === measure)) {
    throw new AppError('VALIDATION_FAILED', `measure: the report has no measure "${measure.slice(0, 60)}"`, { field: 'measure' });
  }
}

function checkRowUsers(def: TReportDefinition, keys: string[]): void {
  const rowKeys = new Set((def.rows ?? []).map(dimensionKey));
  keys.forEach((k, i) => {
    if (!rowKeys.has(k)) throw new AppError('VALIDATION_FAILED', `notifyRowUsers.${i}: the report has no row dimension "${k.slice(0, 100)}"`, { field: `notifyRowUsers.${i}` });
  });
}

export async function updateAlert(ctx: RecordsCtx, id: string, input: unknown): Promise<KpiAlert> {
  const body = parseOrThrow(ZUpdateAlert, input);
  return inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const cur = await getAlertOrThrow(ctx, id, tx);
    assertMayChange(ctx, cur.ownerId);
    const def = body.notifyRowUsers || body.measure !== undefined || body.thresholdCurrency !== undefined ? (await getReportOrThrow(ctx, cur.reportId, tx)).definition : null;
    if (body.measure !== undefined) checkMeasure(def!, body.measure);
    if (body.notifyRowUsers) checkRowUsers(def!, body.notifyRowUsers);
    // A measure changed to one that is not money must take its currency off (thresholdCurrency: null) too.
    const thresholdCurrency = body.thresholdCurrency === undefined && body.measure === undefined ? cur.thresholdCurrency
      : checkThresholdCurrency(await ctx.store.objects(ctx.guard.actor.tenantId), def!, body.measure ?? cur.measure, body.thresholdCurrency === undefined ? cur.thresholdCurrency : body.thresholdCurrency);
    const row = await sql<Record<string, any>>`UPDATE kpi_alert SET name = ${body.name ?? cur.name}, params = ${JSON.stringify(body.params ?? cur.params)},
        notify_row_users = ${body.notifyRowUsers ?? cur.notifyRowUsers}::text[],
        measure = ${body.measure ?? cur.measure}, op = ${body.op ?? cur.op}, threshold = ${String(body.threshold ?? cur.threshold)}::numeric, threshold_currency = ${thresholdCurrency},
        notify_user_ids = ${body.notifyUserIds ?? cur.notifyUserIds}::uuid[], notify_role_ids = ${body.notifyRoleIds ?? cur.notifyRoleIds}::uuid[],
        every_minutes = ${body.everyMinutes ?? cur.everyMinutes}, active = ${body.active ?? cur.active}, updated_at = now()
      WHERE id = ${id} RETURNING *`.execute(tx);
    return toAlert(row.rows[0]);
  });
}

export async function deleteAlert(ctx: RecordsCtx, id: string): Promise<void> {
  await inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const cur = await getAlertOrThrow(ctx, id, tx);
    assertMayChange(ctx, cur.ownerId);
    await sql`DELETE FROM kpi_alert WHERE id = ${id}`.execute(tx);
  });
}

/** Raised/cleared history of an alert, newest first. */
export async function alertEvents(ctx: RecordsCtx, id: string): Promise<Record<string, unknown>[]> {
  return inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    await getAlertOrThrow(ctx, id, tx);
    const rows = await sql<Record<string, any>>`SELECT id, row_key, kind, value, threshold, threshold_currency, recipient_ids, at FROM alert_event WHERE alert_id = ${id} ORDER BY id DESC LIMIT 500`.execute(tx);
    return rows.rows.map((r) => ({ id: Number(r.id), rowKey: r.row_key, kind: r.kind, value: r.value, threshold: r.threshold, thresholdCurrency: r.threshold_currency, recipientIds: r.recipient_ids, at: r.at.toISOString() }));
  });
}

/**
 * The currency an alert's threshold is in: its own, else on a money measure the company's (the tenant's default
 * company's — what every alert meant before thresholds had a currency); null on a measure that is not money.
 */
export async function thresholdCurrencyOf(tx: Tx, alert: Pick<KpiAlert, 'thresholdCurrency'>, money: boolean): Promise<string | null> {
  return money ? (alert.thresholdCurrency ?? (await companyCurrency(tx, null))) : null;
}

export function toAlert(r: Record<string, any>): KpiAlert {
  return {
    id: r.id, name: r.name, reportId: r.report_id, params: r.params, measure: r.measure, op: r.op, threshold: r.threshold, thresholdCurrency: r.threshold_currency ?? null,
    notifyUserIds: r.notify_user_ids, notifyRoleIds: r.notify_role_ids, notifyRowUsers: r.notify_row_users ?? [], everyMinutes: r.every_minutes, active: r.active,
    ownerId: r.owner_id, objects: r.objects, lastCheckedAt: r.last_checked_at ? r.last_checked_at.toISOString() : null, installKey: r.install_key ?? null,
    problem: r.problem ?? null,
  };
}
