import type { FastifyInstance } from 'fastify';
import { companyOrThrow, ownCompanyOrThrow, type CtxOf } from '../finance.routes.ts';
import { revaluePeriod } from './revaluation.service.ts';
import { transferVat, vatSummary } from '../tax/vat.service.ts';

type Q = Record<string, string | undefined>;
type B = { period?: string; company?: string } | undefined;

/**
 * POST /api/v1/finance/revaluation {period}   期末汇兑损益调整, reversed on the next period's first day
 * GET  /api/v1/finance/vat?period=YYYY-MM   增值税: output, input, carried credit, payable
 * POST /api/v1/finance/vat-transfer {period}   月末转出未交增值税
 */
export async function currencyTaxRoutes(app: FastifyInstance, recordsCtx: CtxOf): Promise<void> {
  app.post<{ Body: B }>('/api/v1/finance/revaluation', async (request) => {
    const ctx = recordsCtx(request);
    return revaluePeriod(ctx, ownCompanyOrThrow(ctx, request.body?.company), request.body?.period ?? '');
  });
  app.get<{ Querystring: Q }>('/api/v1/finance/vat', async (request) => {
    const ctx = recordsCtx(request);
    return vatSummary(ctx, await companyOrThrow(ctx, request.query.company), request.query.period ?? '');
  });
  app.post<{ Body: B }>('/api/v1/finance/vat-transfer', async (request) => {
    const ctx = recordsCtx(request);
    return transferVat(ctx, ownCompanyOrThrow(ctx, request.body?.company), request.body?.period ?? '');
  });
}
