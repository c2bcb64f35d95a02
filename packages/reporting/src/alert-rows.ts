import { AppError, isUuid } from '@mosaic/kernel';
import { inTenantTx, sql } from '@mosaic/db';
import { resolvePath, type ObjectMeta, type SelectOption } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
import { mayReadAlert, thresholdCurrencyOf, toAlert, type AlertProblem, type KpiAlert } from './alerts.service.ts';
import { isMoneyMeasure } from './report.measures.ts';
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
  alert: Pick<KpiAlert, 'id' | 'name' | 'measure' | 'op' | 'threshold' | 'thresholdCurrency' | 'active' | 'everyMinutes' | 'lastCheckedAt'> & { problem: ShownProblem | null };
  report: { id: string; name: string } | null;
  measureLabel: string;
  dimensions: { key: string; label: string }[];
  /** `currency`: what the value is in — the threshold's on a money measure, null on any other or where the last check did not compare the row. */
  rows: { rowKey: string; values: unknown[]; display: string[]; value: string | null; currency: string | null; since: string; checkedAt: string }[];
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
    const objects = await ctx.store.objects(actor.tenantId);
    const dims = def ? rowDimensions(objects, def.definition) : [];
    // The threshold's currency as it is compared: the company's where the alert names none (a money measure's rows say theirs).
    const thresholdCurrency = await thresholdCurrencyOf(tx, alert, !!def && isMoneyMeasure(objects, def.definition, alert.measure));
    const measure = def?.definition.measures.find((m) => m.name === alert.measure);
    // A row the last check did not compare (mixed, or in another currency: raised before thresholds had one) is not in the threshold's.
    const skipped = new Set([alert.problem, ...(alert.problem?.also ?? [])].flatMap((p) => p?.rowKeys ?? []));
    const rows = states.rows.map((s) => {
      const values = s.row_key ? (JSON.parse(s.row_key) as unknown[]) : [];
      return {
        rowKey: s.row_key, values, display: values.map((v, i) => valueText(v, dims[i], lang)),
        value: s.value, currency: skipped.has(s.row_key) ? null : thresholdCurrency, since: s.since.toISOString(), checkedAt: s.checked_at.toISOString(),
      };
    });
    const mayOpenReport = !!def && mayReadReport(actor, def);
    // The rows the last check could not compare (money in several currencies), as the rows above are shown.
    const rowText = (rowKey: string) => (rowKey ? (JSON.parse(rowKey) as unknown[]).map((v, i) => valueText(v, dims[i], lang)).join(' / ') : '');
    const shown = ({ also, ...p }: AlertProblem): ShownProblem => ({ ...p, display: p.rowKeys.map(rowText), ...(also ? { also: also.map(shown) } : {}) });
    const problem = alert.problem ? shown(alert.problem) : null;
    return {
      alert: { id: alert.id, name: alert.name, measure: alert.measure, op: alert.op, threshold: alert.threshold, thresholdCurrency, active: alert.active, everyMinutes: alert.everyMinutes, lastCheckedAt: alert.lastCheckedAt, problem },
      report: mayOpenReport ? { id: alert.reportId, name: def.name } : null,
      measureLabel: labelIn(measure?.label as Label | undefined, lang, alert.measure),
      dimensions: dims.map((d) => ({ key: d.key, label: labelIn(d.label, lang, d.key) })),
      rows,
    };
  }, { readOnly: true });
}

/** A problem of the alert's last check with its rows as shown (a select's value by its label). */
type ShownProblem = Omit<AlertProblem, 'also'> & { display: string[]; also?: ShownProblem[] };

const notFound = (id: string) => new AppError('NOT_FOUND', `No alert with id ${String(id).slice(0, 40)}.`, { field: 'id' });
