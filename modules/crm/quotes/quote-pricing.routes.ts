import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { createPricedQuote, quotePriceLookup } from './quote-pricing.service.ts';

/** Quotes priced from price lists: create one (unpriced lines take the list's price), or ask what a line would get. */
export async function quotePricingRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  app.post('/api/v1/crm/quotes', async (request, reply) => reply.status(201).send(await createPricedQuote(recordsCtx(request), request.body)));
  app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/crm/quotes/price', async (request) => quotePriceLookup(recordsCtx(request), request.query));
}
