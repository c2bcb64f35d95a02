import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { trialBalance } from './gl/trial-balance.report.ts';

/** GET /api/v1/finance/trial-balance?period=YYYY-MM[&company=<id>] — 科目余额表. */
export async function financeRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  app.get<{ Querystring: { period?: string; company?: string } }>('/api/v1/finance/trial-balance', async (request) => {
    const ctx = recordsCtx(request);
    const company = request.query.company ?? ctx.guard.actor.companyId;
    if (!company || !/^[0-9a-f-]{36}$/i.test(company)) throw new AppError('FIELD_REQUIRED', 'company: which company', { field: 'company' });
    return trialBalance(ctx, company, request.query.period ?? '');
  });
}
