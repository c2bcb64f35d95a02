import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { bomRoutes } from './bom/bom.routes.ts';
import { mrpRoutes } from './mrp/mrp.routes.ts';
import { workOrderRoutes } from './work-order/work-order.routes.ts';
import { reportsRoutes } from './reports/reports.routes.ts';

/** Every HTTP route of the module, under /api/v1/manufacturing. */
export async function manufacturingRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  await bomRoutes(app, recordsCtx);
  await mrpRoutes(app, recordsCtx);
  await workOrderRoutes(app, recordsCtx);
  await reportsRoutes(app, recordsCtx);
}
