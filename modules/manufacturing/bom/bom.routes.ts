import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { getBomCost, getBomTree, getWhereUsed, makeDefaultBom } from './bom.service.ts';

/** BOM tree, where-used, cost roll-up, default version. */
export async function bomRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: { qty?: string; date?: string; cost?: string } }>('/api/v1/manufacturing/bom/:id/tree', async (request) =>
    getBomTree(recordsCtx(request), request.params.id, request.query));
  app.get<{ Params: { id: string }; Querystring: { date?: string } }>('/api/v1/manufacturing/bom/:id/cost', async (request) =>
    getBomCost(recordsCtx(request), request.params.id, request.query.date));
  app.post<{ Params: { id: string } }>('/api/v1/manufacturing/bom/:id/make-default', async (request) =>
    makeDefaultBom(recordsCtx(request), request.params.id));
  app.get<{ Params: { item: string } }>('/api/v1/manufacturing/items/:item/where-used', async (request) =>
    getWhereUsed(recordsCtx(request), request.params.item));
}
