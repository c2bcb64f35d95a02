import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { billMilestone } from './milestone/milestone-billing.service.ts';
import { portfolio, projectFigures } from './project/project.report.ts';
import { ganttData } from './project/gantt.report.ts';
import { todayIn } from '@mosaic/kernel';

/** Project endpoints beyond the records API: billing, budget/profit figures, the portfolio and the Gantt data. */
export async function projectsRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  app.post<{ Params: { id: string }; Body: { posting_date?: unknown } }>('/api/v1/projects/milestones/:id/bill', async (request, reply) =>
    reply.status(201).send(await billMilestone(recordsCtx(request), request.params.id, request.body ?? {})));

  // Budget vs actual per cost type and profit (billed revenue − collected costs).
  app.get<{ Params: { id: string } }>('/api/v1/projects/:id/figures', async (request) => projectFigures(recordsCtx(request), request.params.id));

  app.get('/api/v1/projects/portfolio', async (request) => {
    const ctx = recordsCtx(request);
    const today = todayIn(ctx.guard.actor.timeZone);
    return portfolio(ctx, today);
  });

  app.get<{ Params: { id: string } }>('/api/v1/projects/:id/gantt', async (request) => ganttData(recordsCtx(request), request.params.id));
}
