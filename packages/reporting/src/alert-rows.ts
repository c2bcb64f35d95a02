import { AppError, isUuid } from '@mosaic/kernel';
import { inTenantTx, sql } from '@mosaic/db';
import { resolvePath, type ObjectMeta, type SelectOption } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
import { mayReadAlert, toAlert, type AlertProblem, type KpiAlert } from './alerts.service.ts';
import { mayReadReport } from './reports.service.ts';
import { dimensionKey, type TReportDefinition } from './report.schema.ts';

export type Lang = 'zh-CN' | 'en';
type Label = string | { zh: string; en?: string };

/** A row dimension of a report as an alert shows it: its key, its label, and a select field's options. */
export interface RowDimension {
  key: string;
  label: Label;
  /** Set when the dimension is a (not bucketed) single-select field: its stored values shown by their labels. */
  options?: SelectOption[];
}

export const langOf = (locale: string | null | undefined): Lang => (locale?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN');

export function labelIn(label: Label | undefined, lang: Lang, fallback: string): string {
  if (label === undefined) return fallback;
  if (typeof label === 'string') return label;
  return lang === 'en' ? label.en || label.zh : label.zh;
}

/**
 * The report's row dimensions, in the order an alert's row key holds their
 * values. A dimension whose path no longer resolves (a field archived since)
 * is kept without options: its raw values still show.
 */
export function rowDimensions(objects: Map<string, ObjectMeta>, def: TReportDefinition): RowDimension[] {
  const root = objects.get(def.source);
  return (def.rows ?? []).map((d) => {
    const key = dimensionKey(d);
    let field;
    try {
      field = root ? resolvePath(objects, root, d.field).field : undefined;
    } catch {
      field = undefined;
    }
    const options = !d.bucket && field?.type === 'single_select' ? field.config.options : undefined;
    return { key, label: d.label ?? field?.label ?? key, ...(options ? { options } : {}) };
  });
}

/** One value of a row as a person reads it: a select's stored value ("labour") by its option label ("人工" / "Labour"). */
export function valueText(value: unknown, dim: RowDimension | undefined, lang: Lang): string {
  if (value === null || value === undefined) return '—';
  const option = dim?.options?.find((o) => o.value === value);
  return option ? labelIn(option.label, lang, String(value)) : String(value);
}

/**
 * The rows of an alert that are raised now (alert_state), each with its
 * dimension values as stored and as shown in the caller's language, when it
 * was raised and last checked; with the alert and its report's name.
 * Who sees what: whoever may see the alert (owner, admin, its listed
 * recipients) sees every raised row; someone told of a row only because the
 * row names them (notifyRowUsers: a project's manager) sees the raised rows
 * whose raise was sent to them, none once they cleared — the link of a raise
 * or a clearing notification must open. Anyone else gets NOT_FOUND. The report is linked only for who may open it.
 */
export async function alertRaisedRows(ctx: RecordsCtx, id: string): Promise<{
  alert: Pick<KpiAlert, 'id' | 'name' | 'measure' | 'op' | 'threshold' | 'active' | 'everyMinutes' | 'lastCheckedAt'> & { problem: (AlertProblem & { display: string[] }) | null };
  report: { id: string; name: string } | null;
  measureLabel: string;
  dimensions: { key: string; label: string }[];
  rows: { rowKey: string; values: unknown[]; display: string[]; value: string | null; since: string; checkedAt: string }[];
}> {
  const actor = ctx.guard.actor;
  const lang = langOf(actor.locale);
  return inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const row = isUuid(id) ? (await sql<Record<string, any>>`SELECT * FROM kpi_alert WHERE id = ${id}`.execute(tx)).rows[0] : undefined;
    if (!row) throw notFound(id);
    const alert = toAlert(row);
    const full = mayReadAlert(actor, alert);
    // Someone told of a row (a raise or its clearing named them) may open the page the notification links to.
    const told = full || (await sql<{ n: number }>`SELECT count(*)::int AS n FROM alert_event WHERE alert_id = ${id} AND ${actor.userId}::uuid = ANY(recipient_ids)`.execute(tx)).rows[0].n > 0;
    if (!told) throw notFound(id);
    const states = await sql<{ row_key: string; value: string | null; since: Date; checked_at: Date }>`
      SELECT s.row_key, s.value::text AS value, s.since, s.checked_at FROM alert_state s
      WHERE s.alert_id = ${id} AND s.state = 'raised'
        AND (${full} OR EXISTS (SELECT 1 FROM (SELECT e.recipient_ids FROM alert_event e WHERE e.alert_id = s.alert_id AND e.row_key = s.row_key AND e.kind = 'raise' ORDER BY e.id DESC LIMIT 1) last
                                 WHERE ${actor.userId}::uuid = ANY(last.recipient_ids)))
      ORDER BY s.row_key`.execute(tx);
    // The definition names the dimensions (metadata, not data); the report itself opens only for who may see it.
    const def = (await sql<{ definition: TReportDefinition; name: string; owner_id: string; shared: boolean }>`SELECT definition, name, owner_id, shared FROM report WHERE id = ${alert.reportId}`.execute(tx)).rows[0];
    const dims = def ? rowDimensions(await ctx.store.objects(actor.tenantId), def.definition) : [];
    const measure = def?.definition.measures.find((m) => m.name === alert.measure);
    const rows = states.rows.map((s) => {
      const values = s.row_key ? (JSON.parse(s.row_key) as unknown[]) : [];
      return {
        rowKey: s.row_key, values, display: values.map((v, i) => valueText(v, dims[i], lang)),
        value: s.value, since: s.since.toISOString(), checkedAt: s.checked_at.toISOString(),
      };
    });
    const mayOpenReport = !!def && mayReadReport(actor, def);
    // The rows the last check could not compare (money in several currencies), as the rows above are shown.
    const rowText = (rowKey: string) => (rowKey ? (JSON.parse(rowKey) as unknown[]).map((v, i) => valueText(v, dims[i], lang)).join(' / ') : '');
    const problem = alert.problem ? { ...alert.problem, display: alert.problem.rowKeys.map(rowText) } : null;
    return {
      alert: { id: alert.id, name: alert.name, measure: alert.measure, op: alert.op, threshold: alert.threshold, active: alert.active, everyMinutes: alert.everyMinutes, lastCheckedAt: alert.lastCheckedAt, problem },
      report: mayOpenReport ? { id: alert.reportId, name: def.name } : null,
      measureLabel: labelIn(measure?.label as Label | undefined, lang, alert.measure),
      dimensions: dims.map((d) => ({ key: d.key, label: labelIn(d.label, lang, d.key) })),
      rows,
    };
  }, { readOnly: true });
}

const notFound = (id: string) => new AppError('NOT_FOUND', `No alert with id ${String(id).slice(0, 40)}.`, { field: 'id' });
