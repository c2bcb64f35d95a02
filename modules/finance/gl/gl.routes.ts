import type { FastifyInstance } from 'fastify';
import { companyOrThrow, type CtxOf } from '../finance.routes.ts';
import { dateOrThrow } from '@mosaic/kernel';
import { generalLedgerBook, subsidiaryLedger } from './ledger-books.report.ts';

type Q = Record<string, string | undefined>;

/**
 * GET /api/v1/finance/general-ledger?account=1122&year=2026   总账
 * GET /api/v1/finance/subsidiary-ledger?account=1122&from=&to=[&dim=customer&value=<id>]   明细账
 */
export async function glRoutes(app: FastifyInstance, recordsCtx: CtxOf): Promise<void> {
  app.get<{ Querystring: Q }>('/api/v1/finance/general-ledger', async (request) => {
    const ctx = recordsCtx(request);
    return generalLedgerBook(ctx, { companyId: await companyOrThrow(ctx, request.query.company), account: request.query.account, year: request.query.year });
  });
  app.get<{ Querystring: Q }>('/api/v1/finance/subsidiary-ledger', async (request) => {
    const ctx = recordsCtx(request);
    const q = request.query;
    return subsidiaryLedger(ctx, { companyId: await companyOrThrow(ctx, q.company), account: q.account, from: dateOrThrow(q.from, 'from'), to: dateOrThrow(q.to, 'to'), dim: q.dim, value: q.value });
  });
}
