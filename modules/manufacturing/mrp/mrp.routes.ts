import type { FastifyInstance } from 'fastify';
import { JobRunner } from '@mosaic/io';
import type { RecordsCtx } from '@mosaic/records';
import { startMrpRun } from './mrp-run.service.ts';
import { firmSuggestions, suggestionPegging } from './mrp-firm.service.ts';
import { canWeTake } from './mrp-check.service.ts';
import { generateForecasts } from './forecast-generate.service.ts';

/** MRP runs (background job), pegging, firming in bulk, forecasts from sales history, "can we take this order?". */
export async function mrpRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  const jobs = new JobRunner();
  // Runs are in this process (see JobRunner); closing the server waits for them.
  app.addHook('onClose', () => jobs.drain());

  app.post<{ Body: { run_date?: string } }>('/api/v1/manufacturing/mrp-runs', async (request, reply) =>
    reply.status(202).send(await startMrpRun(recordsCtx(request), jobs, (request.body ?? {}) as { run_date?: string })));
  app.get<{ Params: { id: string } }>('/api/v1/manufacturing/mrp-suggestions/:id/pegging', async (request) =>
    suggestionPegging(recordsCtx(request), request.params.id));
  app.post('/api/v1/manufacturing/mrp-suggestions/firm', async (request) => firmSuggestions(recordsCtx(request), request.body));
  app.post('/api/v1/manufacturing/forecasts/generate', async (request) => generateForecasts(recordsCtx(request), request.body));
  app.post('/api/v1/manufacturing/can-we-take', async (request) => canWeTake(recordsCtx(request), request.body));
}
