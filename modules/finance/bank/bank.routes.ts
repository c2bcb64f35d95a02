import type { FastifyInstance } from 'fastify';
import { companyOrThrow, type CtxOf } from '../finance.routes.ts';
import { autoMatch, matchLine, postStatementLine, reconciliation } from './bank-reconciliation.service.ts';
import { budgetReport } from '../budget/budget.service.ts';

type Body = Record<string, string | undefined> | undefined;

/**
 * GET  /api/v1/finance/bank-reconciliation?bank_account=<id>   unmatched lines with suggestions, unmatched ledger entries
 * POST /api/v1/finance/bank-reconciliation/match {bank_account, statement_line, gl_entry}
 * POST /api/v1/finance/bank-reconciliation/auto-match {bank_account}
 * POST /api/v1/finance/bank-reconciliation/post {bank_account, statement_line, counter_account, description?}
 * GET  /api/v1/finance/budget-report?year=YYYY   预算执行
 */
export async function bankRoutes(app: FastifyInstance, recordsCtx: CtxOf): Promise<void> {
  app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/finance/bank-reconciliation', async (request) => reconciliation(recordsCtx(request), request.query.bank_account));
  app.post<{ Body: Body }>('/api/v1/finance/bank-reconciliation/match', async (request) => matchLine(recordsCtx(request), request.body ?? {}));
  app.post<{ Body: Body }>('/api/v1/finance/bank-reconciliation/auto-match', async (request) => autoMatch(recordsCtx(request), request.body?.bank_account));
  app.post<{ Body: Body }>('/api/v1/finance/bank-reconciliation/post', async (request) => postStatementLine(recordsCtx(request), request.body ?? {}));
  app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/finance/budget-report', async (request) => {
    const ctx = recordsCtx(request);
    return budgetReport(ctx, await companyOrThrow(ctx, request.query.company), request.query.year);
  });
}
