import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { customer360, lookupByPhone } from './customer-360.service.ts';

/** GET /api/v1/crm/customers/lookup?phone=…|email=… (来电弹屏) and GET /api/v1/crm/customers/:id/360. */
export async function customer360Routes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  app.get<{ Querystring: { phone?: string; email?: string } }>('/api/v1/crm/customers/lookup', async (request) => lookupByPhone(recordsCtx(request), request.query.phone, request.query.email));
  app.get<{ Params: { id: string }; Querystring: { limit?: string } }>('/api/v1/crm/customers/:id/360', async (request) =>
    customer360(recordsCtx(request), request.params.id, { limit: Number(request.query.limit ?? 100) || 100 }));
}
