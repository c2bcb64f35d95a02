import { AppError, Decimal, isUuid, logger, newId, parseDecimal } from '@mosaic/kernel';
import { inTenantTx, sql, type Tx } from '@mosaic/db';
import { activeUsers, companyCurrency } from '@mosaic/identity';
import { moneyText } from '@mosaic/print';
import type { RecordsCtx } from '@mosaic/records';
import { thresholdCurrencyOf, toAlert, type AlertProblem, type KpiAlert } from './alerts.service.ts';
import { runReport } from './report.run.ts';
import { getReportOrThrow } from './reports.service.ts';
import { labelIn, langOf, rowDimensions, valueText, type Lang, type RowDimension } from './alert-rows.ts';

/** A raise or clear, as recorded in `alert_event` and handed to the `onAlert` hooks. */
export interface AlertEvent {
  tenantId: string;
  alertId: string;
  alertName: string;
  rowKey: string;
  kind: 'raise' | 'clear';
  value: string | null;
  threshold: string;
  /** The threshold's currency (and the compared value's) on a money measure; null on any other. */
  thresholdCurrency: string | null;
  recipientIds: string[];
}

export type AlertHook = (events: AlertEvent[]) => Promise<void> | void;
const hooks = new Set<AlertHook>();

/**
 * Subscribes to raised and cleared alerts (after their transaction committed):
 * for channels beyond the in-app notification written with the state flip
 * (e-mail, WeCom, webhooks). Returns the unsubscribe function.
 */
export function onAlert(hook: AlertHook): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

/**
 * Evaluates one alert as `ctx`'s user (the alert's owner: an alert never sees
 * more than its owner may). Under a row lock on the alert, so two evaluations
 * at once record each raise and clear once:
 *
 *   normal → value breaches the threshold → raised   (one 'raise' event)
 *   raised → value back within it, or its row gone → normal (one 'clear' event)
 *
 * On a money measure only rows in the threshold's currency are compared (thresholdCurrencyOf; an amount
 * stored without a currency is the company's). A row in another currency, or mixed, is neither raised nor
 * cleared, and the alert's `problem` names it: no rate converts it, so no alert fires because a rate moved.
 */
export async function evaluateAlert(ctx: RecordsCtx, alertId: string): Promise<AlertEvent[]> {
  const events = await inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, async (tx) => {
    const row = (await sql<Record<string, any>>`SELECT * FROM kpi_alert WHERE id = ${alertId} FOR UPDATE`.execute(tx)).rows[0];
    if (!row) throw new AppError('NOT_FOUND', `No alert with id ${alertId}.`);
    const alert = toAlert(row);
    const report = await getReportOrThrow(ctx, alert.reportId, tx);
    const result = await runReport(ctx, report.definition, alert.params, { tx });
    const dimKeys = result.columns.filter((c) => c.kind === 'dimension').map((c) => c.key);
    const money = result.columns.some((c) => c.key === alert.measure && c.kind === 'measure' && c.money);
    const ccy = await thresholdCurrencyOf(tx, alert, money);
    const home = money ? await companyCurrency(tx, null) : '';
    const current = new Map<string, string | null>();
    const mixed: string[] = [];
    const other = new Map<string, string>(); // row key → its currency
    for (const r of result.rows) {
      if (Array.isArray(r.$totals) && r.$totals.length) continue; // subtotals are not rows of their own
      const key = dimKeys.length ? JSON.stringify(dimKeys.map((k) => r[k] ?? null)) : '';
      const value = r[alert.measure] == null ? null : String(r[alert.measure]);
      const rowCcy = r[`${alert.measure}$currency`];
      // Money in several currencies has no one figure, money in another currency no figure to set against the
      // threshold: neither compared nor cleared, and the alert says why.
      if (r[`${alert.measure}$mixed`] === true) mixed.push(key);
      else if (money && value !== null && typeof rowCcy === 'string' && (rowCcy || home) !== ccy) other.set(key, rowCcy || home);
      else current.set(key, value);
    }
    const problem = alertProblem(alert, mixed, other, ccy);
    const skipped = (key: string) => mixed.includes(key) || other.has(key);
    const states = new Map((await sql<{ row_key: string; state: string }>`SELECT row_key, state FROM alert_state WHERE alert_id = ${alertId}`.execute(tx)).rows.map((s) => [s.row_key, s.state]));
    const out: Omit<AlertEvent, 'recipientIds'>[] = [];
    const record = (rowKey: string, kind: 'raise' | 'clear', value: string | null) =>
      out.push({ tenantId: ctx.guard.actor.tenantId, alertId, alertName: alert.name, rowKey, kind, value, threshold: alert.threshold, thresholdCurrency: ccy });
    if (!dimKeys.length && !current.size && !mixed.length && !other.size) current.set('', null);
    for (const [key, value] of current) {
      const raised = breaches(value, alert);
      const was = states.get(key);
      if (raised && was !== 'raised') record(key, 'raise', value);
      if (!raised && was === 'raised') record(key, 'clear', value);
      await sql`INSERT INTO alert_state (tenant_id, alert_id, row_key, state, value) VALUES (${ctx.guard.actor.tenantId}, ${alertId}, ${key}, ${raised ? 'raised' : 'normal'}, ${value}::numeric)
        ON CONFLICT (tenant_id, alert_id, row_key) DO UPDATE SET value = EXCLUDED.value, checked_at = now(),
          since = CASE WHEN alert_state.state = EXCLUDED.state THEN alert_state.since ELSE now() END, state = EXCLUDED.state`.execute(tx);
    }
    for (const [key, state] of states) {
      if (state === 'raised' && !current.has(key) && !skipped(key)) {
        record(key, 'clear', null);
        await sql`UPDATE alert_state SET state = 'normal', value = NULL, since = now(), checked_at = now() WHERE alert_id = ${alertId} AND row_key = ${key}`.execute(tx);
      }
    }
    await sql`UPDATE kpi_alert SET last_checked_at = now(), problem = ${problem ? JSON.stringify(problem) : null}::jsonb WHERE id = ${alertId}`.execute(tx);
    if (!out.length) return [];
    const base = await recipients(tx, alert);
    const rowUserAt = alert.notifyRowUsers.map((k) => dimKeys.indexOf(k)).filter((i) => i >= 0);
    const rowUsers = await activeRowUsers(tx, out.map((e) => rowUserOf(e.rowKey, rowUserAt)));
    const withRecipients = out.map((e) => {
      const rowUser = rowUserOf(e.rowKey, rowUserAt);
      return { ...e, recipientIds: rowUser && rowUsers.has(rowUser) ? [...new Set([...base, rowUser])].sort() : base };
    });
    for (const e of withRecipients) {
      await sql`INSERT INTO alert_event (tenant_id, alert_id, row_key, kind, value, threshold, threshold_currency, recipient_ids)
        VALUES (${e.tenantId}, ${alertId}, ${e.rowKey}, ${e.kind}, ${e.value}::numeric, ${e.threshold}::numeric, ${e.thresholdCurrency}, ${e.recipientIds}::uuid[])`.execute(tx);
    }
    const m = report.definition.measures.find((x) => x.name === alert.measure)?.label;
    const dims = rowDimensions(await ctx.store.objects(ctx.guard.actor.tenantId), report.definition);
    await notify(tx, alert, withRecipients, { rowUserAt, dims, measureLabel: (lang) => labelIn(m, lang, alert.measure), home });
    return withRecipients;
  });
  if (events.length) {
    for (const hook of hooks) {
      try {
        await hook(events);
      } catch (e) {
        logger.error({ err: e, alertId }, 'an onAlert hook failed');
      }
    }
  }
  return events;
}

/**
 * Why some rows were not compared, for the alert's page: mixed rows first (grouping by the amount's currency
 * fixes those, and may leave rows in another currency), the other kind in `also` when a check found both.
 */
function alertProblem(alert: KpiAlert, mixed: string[], other: Map<string, string>, ccy: string | null): AlertProblem | null {
  const problems: AlertProblem[] = [];
  if (mixed.length) {
    problems.push({ code: 'MIXED_CURRENCIES', message: `${alert.measure}: ${mixed.length} row(s) are money in several currencies and were not compared to the threshold; group the report by the amount's currency or filter it to one`, rowKeys: mixed });
  }
  if (other.size) {
    const currencies = [...new Set(other.values())].sort();
    problems.push({
      code: 'OTHER_CURRENCY', currencies, rowKeys: [...other.keys()],
      message: `${alert.measure}: ${other.size} row(s) are money in ${currencies.join(', ')}, not in the threshold's ${ccy}, and were not compared to it (no rate converts them); filter the report to ${ccy}, or group it by the amount's currency and set one alert per currency`,
    });
  }
  const [first, ...rest] = problems;
  return first ? { ...first, ...(rest.length ? { also: rest } : {}) } : null;
}

export function breaches(value: string | null, alert: Pick<KpiAlert, 'op' | 'threshold'>): boolean {
  const v = parseDecimal(value);
  if (!v) return false;
  const c = v.cmp(new Decimal(alert.threshold));
  switch (alert.op) {
    case 'gt': return c > 0;
    case 'gte': return c >= 0;
    case 'lt': return c < 0;
    case 'lte': return c <= 0;
    case 'eq': return c === 0;
    case 'ne': return c !== 0;
  }
}

// One in-app notification per recipient and event, in the same transaction as the state flip.
// (Written straight into the automation engine's `notification` table; its addNotifications,
// which also honours each user's preferences, is not exported yet — swap it in when it is.)
// The row-user dimensions name who is told, not what the row is: they stay out of the title.
// Each recipient reads it in their own language (app_user.locale): the measure by its label, a
// select dimension's stored value ("labour") by its option's label ("人工" / "Labour").
async function notify(tx: Tx, alert: KpiAlert, events: AlertEvent[], how: { rowUserAt: number[]; dims: RowDimension[]; measureLabel: (lang: Lang) => string; home: string }): Promise<void> {
  const ids = [...new Set(events.flatMap((e) => e.recipientIds))];
  const locales = new Map(ids.length
    ? (await sql<{ id: string; locale: string }>`SELECT id, locale FROM app_user WHERE id = ANY(${ids}::uuid[])`.execute(tx)).rows.map((r) => [r.id, langOf(r.locale)])
    : []);
  for (const e of events) {
    const values = e.rowKey ? (JSON.parse(e.rowKey) as unknown[]) : [];
    for (const userId of e.recipientIds) {
      const lang = locales.get(userId) ?? 'zh-CN';
      const row = values.map((v, i) => (how.rowUserAt.includes(i) ? null : valueText(v, how.dims[i], lang))).filter((v) => v !== null).join(' / ');
      const { title, body } = alertText(lang, e, alert, row, how.measureLabel(lang), how.home);
      await sql`INSERT INTO notification (tenant_id, id, user_id, kind, title, body, link, object, record_id)
        VALUES (${e.tenantId}, ${newId()}, ${userId}, 'info', ${title.slice(0, 500)}, ${body}, ${`/alerts/${alert.id}`}, 'kpi_alert', ${alert.id})`.execute(tx);
    }
  }
}

// On a money measure the value and the threshold are written in their currency (¥100,000.00, US$100,000.00), as print does.
function alertText(lang: Lang, e: AlertEvent, alert: KpiAlert, row: string, measure: string, home: string): { title: string; body: string } {
  const suffix = row ? ` ${row}` : '';
  const amount = (v: string) => (e.thresholdCurrency ? moneyText(v, e.thresholdCurrency, home) : v);
  const value = e.value === null ? '—' : amount(e.value);
  const threshold = amount(alert.threshold);
  if (lang === 'en') {
    return {
      title: `${e.kind === 'raise' ? 'Alert' : 'Alert cleared'}: ${alert.name}${suffix}`,
      body: `${measure} = ${value} (threshold ${OP_TEXT[alert.op]} ${threshold})`,
    };
  }
  return {
    title: `${e.kind === 'raise' ? '预警' : '预警解除'}：${alert.name}${suffix}`,
    body: `${measure} = ${value}（阈值 ${OP_TEXT[alert.op]} ${threshold}）`,
  };
}

const OP_TEXT: Record<KpiAlert['op'], string> = { gt: '>', gte: '≥', lt: '<', lte: '≤', eq: '=', ne: '≠' };

/** The user a row names: the first of the row-user dimensions holding a user id (a row key is the JSON of its dimension values). */
function rowUserOf(rowKey: string, rowUserAt: number[]): string | null {
  if (!rowKey || !rowUserAt.length) return null;
  const values = JSON.parse(rowKey) as unknown[];
  const found = rowUserAt.map((i) => values[i]).find((v) => typeof v === 'string' && isUuid(v));
  return (found as string | undefined) ?? null;
}

/** Of these ids, the tenant's active users (a row may name someone since deactivated). */
async function activeRowUsers(tx: Tx, ids: (string | null)[]): Promise<Set<string>> {
  return new Set(await activeUsers(tx, { userIds: [...new Set(ids.filter((x): x is string => x !== null))] }));
}

async function recipients(tx: Tx, alert: KpiAlert): Promise<string[]> {
  const viaRoles = alert.notifyRoleIds.length
    ? (await sql<{ user_id: string }>`SELECT DISTINCT user_id FROM user_role WHERE role_id = ANY(${alert.notifyRoleIds}::uuid[])`.execute(tx)).rows.map((r) => r.user_id)
    : [];
  return [...new Set([...alert.notifyUserIds, ...viaRoles])].sort();
}
