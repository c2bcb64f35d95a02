import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { materialShortages, productionProgress, scrapRate, workshopProgress, workstationLoad } from './production.reports.ts';

/** Production reports: progress and on-time rate, progress per workshop, scrap rate, workstation load vs capacity by week, material shortages. */
export async function reportsRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  app.get('/api/v1/manufacturing/reports/production-progress', async (request) => productionProgress(recordsCtx(request), request.query));
  app.get('/api/v1/manufacturing/reports/workshop-progress', async (request) => workshopProgress(recordsCtx(request), request.query));
  app.get('/api/v1/manufacturing/reports/scrap-rate', async (request) => scrapRate(recordsCtx(request), request.query));
  app.get('/api/v1/manufacturing/reports/workstation-load', async (request) => workstationLoad(recordsCtx(request), request.query));
  app.get('/api/v1/manufacturing/reports/material-shortages', async (request) => materialShortages(recordsCtx(request)));
}
