import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { completeWorkOrder, issueMaterials } from './work-order.service.ts';
import { reportWork } from './job-card.service.ts';

/** Shop floor: material issue, work reporting (报工), completion. Release is POST /records/work_order/:id/submit. */
export async function workOrderRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  app.post<{ Params: { id: string } }>('/api/v1/manufacturing/work-orders/:id/issue', async (request) =>
    issueMaterials(recordsCtx(request), request.params.id, request.body));
  app.post<{ Params: { id: string } }>('/api/v1/manufacturing/job-cards/:id/report', async (request) =>
    reportWork(recordsCtx(request), request.params.id, request.body));
  app.post<{ Params: { id: string }; Body: { posting_date?: string } }>('/api/v1/manufacturing/work-orders/:id/complete', async (request) =>
    completeWorkOrder(recordsCtx(request), request.params.id, (request.body ?? {}) as { posting_date?: string }));
}
