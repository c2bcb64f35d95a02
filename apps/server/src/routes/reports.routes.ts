import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import {
  alertEvents, alertRaisedRows, createAlert, createReport, deleteAlert, deleteReport, drillFilter, evaluateAlert, forecastReport, getAlertOrThrow, getReportOrThrow,
  listAlerts, listReports, renderReportXlsx, runReport, updateAlert, updateReport,
} from '@mosaic/reporting';
import { recordsCtx } from '../http/context.ts';
import { replicaReadCtx } from '../http/read-your-writes.ts';

type Q = Record<string, string | undefined>;
type RunBody = { definition?: unknown; params?: Record<string, unknown>; cell?: Record<string, unknown>; measure?: string } | undefined;

/**
 * Reports (report engine, issue 6): saved definitions, running them (saved or
 * ad hoc) with the viewer's parameters, drill-down filters, forecasts, Excel,
 * and KPI alerts on their measures. Every run goes through the access layer.
 */
export async function reportsRoutes(app: FastifyInstance): Promise<void> {
  const ctx = (request: { guard?: import('@mosaic/access').AccessGuard }) => recordsCtx(app.mosaic, request.guard);
  // Running a report reads data only: the replica, when one is set and has this user's last write.
  const readCtx = (request: import('fastify').FastifyRequest) => replicaReadCtx(app.mosaic, request);

  app.get<{ Querystring: Q }>('/api/v1/reports', async (request) => ({ data: await listReports(ctx(request), { source: request.query.source }) }));
  app.post('/api/v1/reports', async (request, reply) => reply.status(201).send(await createReport(ctx(request), request.body)));
  app.get<{ Params: { id: string } }>('/api/v1/reports/:id', async (request) => getReportOrThrow(ctx(request), request.params.id));
  app.patch<{ Params: { id: string } }>('/api/v1/reports/:id', async (request) => updateReport(ctx(request), request.params.id, request.body));
  app.delete<{ Params: { id: string } }>('/api/v1/reports/:id', async (request, reply) => {
    await deleteReport(ctx(request), request.params.id);
    return reply.status(204).send();
  });

  // Ad hoc: the report builder previews a definition before it is saved.
  app.post<{ Body: RunBody }>('/api/v1/reports/run', async (request) => runReport(await readCtx(request), body(request.body).definition, request.body?.params ?? {}));
  app.post<{ Body: RunBody }>('/api/v1/reports/drill', async (request) =>
    drillFilter(ctx(request), body(request.body).definition, request.body?.params ?? {}, request.body?.cell ?? {}, request.body?.measure));

  app.get<{ Params: { id: string }; Querystring: Q }>('/api/v1/reports/:id/run', async (request) => {
    const report = await getReportOrThrow(ctx(request), request.params.id);
    return runReport(await readCtx(request), report.definition, paramsOf(request.query));
  });
  app.get<{ Params: { id: string }; Querystring: Q }>('/api/v1/reports/:id/drill', async (request) => {
    const report = await getReportOrThrow(ctx(request), request.params.id);
    const { cell, measure, ...rest } = request.query;
    return drillFilter(ctx(request), report.definition, paramsOf(rest), jsonParam(cell, 'cell'), measure);
  });
  app.get<{ Params: { id: string }; Querystring: Q }>('/api/v1/reports/:id/forecast', async (request) => {
    const report = await getReportOrThrow(ctx(request), request.params.id);
    const { periods, measure, ...rest } = request.query;
    return forecastReport(await readCtx(request), report.definition, paramsOf(rest), periods === undefined ? 6 : Number(periods), measure);
  });
  app.get<{ Params: { id: string }; Querystring: Q }>('/api/v1/reports/:id/export.xlsx', async (request, reply) => {
    const report = await getReportOrThrow(ctx(request), request.params.id);
    const bytes = await renderReportXlsx(await readCtx(request), report.definition, paramsOf(request.query), { title: report.name });
    const name = encodeURIComponent(`${report.name}.xlsx`);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="report.xlsx"; filename*=UTF-8''${name}`)
      .send(bytes);
  });

  // KPI alerts on a report's measure.
  app.get('/api/v1/alerts', async (request) => ({ data: await listAlerts(ctx(request)) }));
  app.post('/api/v1/alerts', async (request, reply) => reply.status(201).send(await createAlert(ctx(request), request.body)));
  app.get<{ Params: { id: string } }>('/api/v1/alerts/:id', async (request) => getAlertOrThrow(ctx(request), request.params.id));
  app.patch<{ Params: { id: string } }>('/api/v1/alerts/:id', async (request) => updateAlert(ctx(request), request.params.id, request.body));
  app.delete<{ Params: { id: string } }>('/api/v1/alerts/:id', async (request, reply) => {
    await deleteAlert(ctx(request), request.params.id);
    return reply.status(204).send();
  });
  // The rows raised now, for the alert page a notification links to (/alerts/:id).
  app.get<{ Params: { id: string } }>('/api/v1/alerts/:id/raised', async (request) => alertRaisedRows(ctx(request), request.params.id));
  app.get<{ Params: { id: string } }>('/api/v1/alerts/:id/events', async (request) => ({ data: await alertEvents(ctx(request), request.params.id) }));
  // "Check now": evaluates as the caller, who must be able to see the alert.
  app.post<{ Params: { id: string } }>('/api/v1/alerts/:id/evaluate', async (request) => {
    await getAlertOrThrow(ctx(request), request.params.id);
    return { events: await evaluateAlert(ctx(request), request.params.id) };
  });
}

function body(b: RunBody): { definition: unknown } {
  if (!b || typeof b !== 'object' || b.definition === undefined) throw new AppError('BAD_REQUEST', 'definition: is required', { field: 'definition' });
  return { definition: b.definition };
}

/** Report parameters from a query string: every key is a parameter name. */
export function paramsOf(q: Q): Record<string, unknown> {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
}

function jsonParam(v: string | undefined, name: string): Record<string, unknown> {
  if (!v) return {};
  try {
    const parsed = JSON.parse(v);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    /* fall through */
  }
  throw new AppError('BAD_REQUEST', `${name}: must be a JSON object`, { field: name });
}
