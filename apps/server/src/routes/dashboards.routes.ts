import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import {
  createDashboard, dashboardData, dashboardDrill, dashboardFilterOptions, dashboardVersion, defaultDashboard, deleteDashboard, getDashboardOrThrow, installCockpit, listDashboards, updateDashboard,
} from '@mosaic/reporting';
import { requireAreaOrThrow } from '@mosaic/access';
import { recordsCtx } from '../http/context.ts';
import { replicaReadCtx } from '../http/read-your-writes.ts';

type Q = Record<string, string | undefined>;
const SSE_CHECK_MS = 3_000;

/**
 * Dashboards (看板): CRUD, every widget's data in one call with the global
 * filters, and the refresh signal — a version that changes when data of the
 * dashboard's objects changed (outbox), polled or streamed as server-sent events.
 */
export async function dashboardsRoutes(app: FastifyInstance): Promise<void> {
  const ctx = (request: { guard?: import('@mosaic/access').AccessGuard }) => recordsCtx(app.mosaic, request.guard);

  app.get('/api/v1/dashboards', async (request) => ({ data: await listDashboards(ctx(request)) }));
  app.get('/api/v1/dashboards/default', async (request) => ({ data: await defaultDashboard(ctx(request)) }));
  // 经营驾驶舱: an administrator installs the shared cockpit, or refreshes it to what the installed modules now offer.
  app.post('/api/v1/dashboards/cockpit', async (request) => {
    requireAreaOrThrow(ctx(request), 'admin.org', 'edit');
    return installCockpit(ctx(request));
  });
  app.post('/api/v1/dashboards', async (request, reply) => reply.status(201).send(await createDashboard(ctx(request), request.body)));
  app.get<{ Params: { id: string } }>('/api/v1/dashboards/:id', async (request) => getDashboardOrThrow(ctx(request), request.params.id));
  app.patch<{ Params: { id: string } }>('/api/v1/dashboards/:id', async (request) => updateDashboard(ctx(request), request.params.id, request.body));
  app.delete<{ Params: { id: string } }>('/api/v1/dashboards/:id', async (request, reply) => {
    await deleteDashboard(ctx(request), request.params.id);
    return reply.status(204).send();
  });

  // GET /api/v1/dashboards/{id}/data?from=2026-01-01&to=2026-03-31&company=…&department=…&owner=…
  app.get<{ Params: { id: string }; Querystring: Q }>('/api/v1/dashboards/:id/data', async (request) => {
    const { from, to, company, department, owner } = request.query;
    return dashboardData(await replicaReadCtx(app.mosaic, request), request.params.id, { from, to, company, department, owner }); // the replica, when set
  });

  // The company / department / owner values the viewer can filter by: those in the records they may see.
  // ?kind=owner: only the picker the viewer opened (the web asks lazily).
  app.get<{ Params: { id: string }; Querystring: { kind?: string } }>('/api/v1/dashboards/:id/filter-options', async (request) =>
    dashboardFilterOptions(await replicaReadCtx(app.mosaic, request), request.params.id, request.query.kind));

  // GET /api/v1/dashboards/{id}/widgets/{widgetId}/drill?cell={…}&measure=…&from&to… → { object, filter } for the records list
  app.get<{ Params: { id: string; widgetId: string }; Querystring: Q }>('/api/v1/dashboards/:id/widgets/:widgetId/drill', async (request) => {
    const { from, to, company, department, owner, cell, measure } = request.query;
    return dashboardDrill(ctx(request), request.params.id, request.params.widgetId, { from, to, company, department, owner }, cellParam(cell), measure);
  });

  app.get<{ Params: { id: string } }>('/api/v1/dashboards/:id/version', async (request) => {
    const dash = await getDashboardOrThrow(ctx(request), request.params.id);
    return { version: await dashboardVersion(ctx(request), dash) };
  });

  // Server-sent events: "version" now, then again whenever it changes (checked every few seconds: the throttle).
  app.get<{ Params: { id: string } }>('/api/v1/dashboards/:id/events', async (request, reply) => {
    const c = ctx(request);
    const dash = await getDashboardOrThrow(c, request.params.id);
    let last = await dashboardVersion(c, dash);
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    reply.raw.write(`event: version\ndata: ${JSON.stringify({ version: last })}\n\n`);
    const timer = setInterval(async () => {
      try {
        const now = await dashboardVersion(c, dash);
        if (now !== last) reply.raw.write(`event: version\ndata: ${JSON.stringify({ version: (last = now) })}\n\n`);
        else reply.raw.write(': keep-alive\n\n');
      } catch {
        clearInterval(timer);
        reply.raw.end();
      }
    }, SSE_CHECK_MS);
    request.raw.on('close', () => clearInterval(timer));
  });
}

/** The clicked figure's dimension values, JSON in the query string. */
function cellParam(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* answered below */
  }
  throw new AppError('BAD_REQUEST', 'cell: must be a JSON object of dimension values', { field: 'cell' });
}
