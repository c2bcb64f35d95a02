import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { findDuplicates } from './leads/dedupe.service.ts';
import { mergeRecords } from './leads/merge.service.ts';
import { convertLead } from './leads/convert.service.ts';
import { claimFromPool, listPool, recyclePool, releaseToPool } from './pool/pool.service.ts';
import { kanban, moveStage } from './pipeline/stage.service.ts';
import { quoteLost, quoteWon, reviseQuote } from './quotes/quote.service.ts';
import { quoteAvailability } from './quotes/quote-availability.service.ts';
import { campaignRoutes } from './campaigns/campaign.routes.ts';
import { quotePricingRoutes } from './quotes/quote-pricing.routes.ts';
import { serviceRoutes } from './service/service.routes.ts';
import { customer360Routes } from './customer-360/customer-360.routes.ts';
import { AppError } from '@mosaic/kernel';
import { funnel, winRate } from './reports/crm-reports.ts';
import { salesRoutes } from './sales/sales.routes.ts';

type Id = { Params: { id: string } };
type ObjId = { Params: { object: string; id: string } };

/**
 * The CRM's HTTP API, beside the generic records API (which creates, reads
 * and edits every CRM object): the operations that are more than one record's
 * edit. Thin: each route hands the caller's RecordsCtx to a service.
 */
export async function crmRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  app.post('/api/v1/crm/duplicates', async (request) => findDuplicates(recordsCtx(request), request.body));
  app.post<{ Params: { object: string } }>('/api/v1/crm/:object/merge', async (request) => mergeRecords(recordsCtx(request), request.params.object, request.body));
  app.post<Id>('/api/v1/crm/leads/:id/convert', async (request) => convertLead(recordsCtx(request), request.params.id, request.body));

  app.get<{ Params: { object: string }; Querystring: { page?: string; pageSize?: string } }>('/api/v1/crm/pool/:object', async (request) =>
    listPool(recordsCtx(request), request.params.object, { page: Number(request.query.page ?? 1), pageSize: Number(request.query.pageSize ?? 50) }));
  app.post<ObjId>('/api/v1/crm/pool/:object/:id/claim', async (request) => claimFromPool(recordsCtx(request), request.params.object, request.params.id));
  app.post<ObjId & { Body: { reason?: string } }>('/api/v1/crm/pool/:object/:id/release', async (request) =>
    releaseToPool(recordsCtx(request), request.params.object, request.params.id, (request.body as { reason?: string } | undefined)?.reason));
  // The scheduled rule runs this hourly; administrators may run it at once.
  app.post('/api/v1/crm/pool/recycle', async (request) => {
    const ctx = recordsCtx(request);
    if (!ctx.guard.actor.isAdmin) throw new AppError('FORBIDDEN', 'Only administrators may run the pool recycling by hand.');
    return recyclePool(ctx);
  });

  app.post<Id>('/api/v1/crm/opportunities/:id/move', async (request) => moveStage(recordsCtx(request), request.params.id, request.body));
  app.get<Id & { Querystring: { perStage?: string } }>('/api/v1/crm/pipelines/:id/kanban', async (request) =>
    kanban(recordsCtx(request), request.params.id, Math.min(Math.max(Number(request.query.perStage ?? 50) || 50, 1), 200)));

  app.get<Id>('/api/v1/crm/quotes/:id/availability', async (request) => quoteAvailability(recordsCtx(request), request.params.id));
  app.post<Id>('/api/v1/crm/quotes/:id/won', async (request) => quoteWon(recordsCtx(request), request.params.id, request.body));
  app.post<Id>('/api/v1/crm/quotes/:id/lost', async (request) => quoteLost(recordsCtx(request), request.params.id, request.body));
  app.post<Id>('/api/v1/crm/quotes/:id/revise', async (request, reply) => reply.status(201).send(await reviseQuote(recordsCtx(request), request.params.id)));

  app.get<{ Querystring: { pipeline?: string } }>('/api/v1/crm/reports/funnel', async (request) => {
    if (!request.query.pipeline) throw new AppError('FIELD_REQUIRED', 'pipeline: which pipeline', { field: 'pipeline' });
    return funnel(recordsCtx(request), request.query.pipeline);
  });
  app.get('/api/v1/crm/reports/win-rate', async (request) => winRate(recordsCtx(request)));

  await quotePricingRoutes(app, recordsCtx);
  await campaignRoutes(app, recordsCtx);
  await serviceRoutes(app, recordsCtx);
  await customer360Routes(app, recordsCtx);
  await salesRoutes(app, recordsCtx);
}
