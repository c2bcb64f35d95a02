import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { evaluateAlertsOnEvents, evaluateDueAlerts, onAlert, type AlertEvent } from '@mosaic/reporting';
import { createReportFixture, type ReportFixture } from './report-fixture.ts';

// KPI alerts: a threshold on a report measure, evaluated on change (outbox) and
// on schedule; a raise and a clear are each recorded once.
let f: ReportFixture;
const heard: AlertEvent[] = [];
let unsubscribe: () => void;
beforeAll(async () => {
  f = await createReportFixture();
  unsubscribe = onAlert((events) => void heard.push(...events));
});
afterAll(async () => {
  unsubscribe?.();
  await f?.t.close();
});

// The admin's in-app notifications about alerts, oldest first.
const notices = async () => inTenantTx(f.t.testDb.db.app, { tenantId: tenant() }, async (tx) =>
  (await sql<{ title: string; body: string }>`SELECT title, body FROM notification WHERE object = 'kpi_alert' AND user_id = ${f.t.tenant.adminId} ORDER BY created_at, title`.execute(tx)).rows);
// The outbox hands out events only below the oldest running transaction of the whole server
// (other test files share it), so an event may take a moment to become readable.
async function untilEvents(): Promise<AlertEvent[]> {
  for (let i = 0; i < 100; i++) {
    const events = await evaluateAlertsOnEvents(deps(), tenant());
    if (events.length) return events;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}
const deps = () => ({ db: f.t.testDb.db, store: f.t.store });
const tenant = () => f.t.tenant.tenantId;

describe('KPI alerts', () => {
  let alertId: string;
  let extraOrder: { id: string; version: number };

  it('stays quiet while the measure is within the threshold', async () => {
    const report = await f.t.api('POST', '/api/v1/reports', { name: '销售总额', definition: { source: 'rpt_order', measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }] } });
    const alert = await f.t.api('POST', '/api/v1/alerts', { name: '销售额超过 1500', reportId: report.body.id, measure: 'revenue', op: 'gt', threshold: 1500, everyMinutes: 5 });
    expect(alert.status, JSON.stringify(alert.body)).toBe(201);
    expect(alert.body).toMatchObject({ objects: ['rpt_order'], notifyUserIds: [f.t.tenant.adminId] });
    alertId = alert.body.id;
    expect(await evaluateAlertsOnEvents(deps(), tenant())).toEqual([]); // 1450: normal
  });

  it('raises once when a change pushes the measure over the threshold', async () => {
    const created = await f.t.api('POST', '/api/v1/records/rpt_order', { order_date: '2026-03-20', customer: f.customerIds.C, amount: 100, cost: 50 });
    extraOrder = created.body;
    const events = await untilEvents();
    expect(events).toEqual([expect.objectContaining({ alertId, kind: 'raise', value: '1550.00', threshold: '1500', rowKey: '', recipientIds: [f.t.tenant.adminId] })]);
    expect(heard.map((e) => e.kind)).toEqual(['raise']);
    expect(await notices()).toEqual([{ title: '预警：销售额超过 1500', body: 'revenue = 1550.00（阈值 > 1500）' }]);
    // Evaluated again (schedule, or "check now"): still raised, nothing new recorded.
    expect((await f.t.api('POST', `/api/v1/alerts/${alertId}/evaluate`)).body.events).toEqual([]);
    expect(await evaluateAlertsOnEvents(deps(), tenant())).toEqual([]);
  });

  it('clears once when the measure is back to normal', async () => {
    const up = await f.t.api('PATCH', `/api/v1/records/rpt_order/${extraOrder.id}`, { version: extraOrder.version, amount: 10 });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    const events = await untilEvents();
    expect(events.map((e) => [e.kind, e.value])).toEqual([['clear', '1460.00']]);
    expect((await f.t.api('POST', `/api/v1/alerts/${alertId}/evaluate`)).body.events).toEqual([]);
    const history = await f.t.api('GET', `/api/v1/alerts/${alertId}/events`);
    expect(history.body.data.map((e: { kind: string; value: string }) => [e.kind, e.value])).toEqual([['clear', '1460.00'], ['raise', '1550.00']]);
    expect(heard.map((e) => e.kind)).toEqual(['raise', 'clear']);
    expect((await notices()).map((n) => n.title)).toEqual(['预警：销售额超过 1500', '预警解除：销售额超过 1500']);
  });

  it('checks a grouped report row by row, and runs due alerts on schedule', async () => {
    const report = await f.t.api('POST', '/api/v1/reports', {
      name: '客户销售', definition: { source: 'rpt_order', rows: [{ field: 'customer.name' }], measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }] },
    });
    const alert = await f.t.api('POST', '/api/v1/alerts', { name: '大客户', reportId: report.body.id, measure: 'revenue', op: 'gte', threshold: '450' });
    expect(alert.body.objects).toEqual(['rpt_customer', 'rpt_order']);
    const due = await evaluateDueAlerts(deps(), tenant()); // never checked: due now; the first alert was checked just now
    expect(due.map((e) => [e.alertId, e.rowKey, e.kind, e.value])).toEqual([
      [alert.body.id, '["A"]', 'raise', '450.00'], [alert.body.id, '["C"]', 'raise', '610.00'],
    ]);
    expect(await evaluateDueAlerts(deps(), tenant())).toEqual([]);
  });

  it('refuses an alert on a measure the report does not have', async () => {
    const report = (await f.t.api('GET', '/api/v1/reports')).body.data[0];
    const bad = await f.t.api('POST', '/api/v1/alerts', { name: 'x', reportId: report.id, measure: 'nope', op: 'gt', threshold: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('measure');
  });

  it('refuses to move an alert onto a measure the report does not have, and leaves it as it was', async () => {
    const report = (await f.t.api('GET', '/api/v1/reports')).body.data[0];
    const made = await f.t.api('POST', '/api/v1/alerts', { name: 'moved', reportId: report.id, measure: report.definition.measures[0].name, op: 'gt', threshold: 1 });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const bad = await f.t.api('PATCH', `/api/v1/alerts/${made.body.id}`, { measure: 'nope' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('measure');
    expect((await f.t.api('GET', `/api/v1/alerts/${made.body.id}`)).body.measure).toBe(report.definition.measures[0].name);
  });
});
