import type { FastifyInstance } from 'fastify';
import { clock } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { overdueFollowups, salesForecast } from './forecast.service.ts';
import { recomputeCustomerTier } from './tier.service.ts';

/** Sales management's HTTP API: forecast vs target, overdue follow-ups, a customer's tier on demand. */
export async function salesRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  app.get<{ Querystring: { period?: string; by?: string } }>('/api/v1/crm/reports/forecast', async (request) =>
    salesForecast(recordsCtx(request), { period: request.query.period, by: request.query.by }));
  app.get('/api/v1/crm/reports/overdue-followups', async (request) => overdueFollowups(recordsCtx(request)));
  app.post<{ Params: { id: string } }>('/api/v1/crm/customers/:id/tier', async (request) =>
    recomputeCustomerTier(recordsCtx(request), request.params.id, clock.now()));
}
