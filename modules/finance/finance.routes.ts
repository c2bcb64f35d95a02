import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { trialBalance } from './gl/trial-balance.report.ts';
import { receivablesRoutes } from './receivables/receivables.routes.ts';
import { glRoutes } from './gl/gl.routes.ts';
import { currencyTaxRoutes } from './currency/currency-tax.routes.ts';
import { fixedAssetRoutes } from './fixed-asset/fixed-asset.routes.ts';
import { statementsRoutes } from './statements/statements.routes.ts';
import { bankRoutes } from './bank/bank.routes.ts';

export type CtxOf = (request: unknown) => RecordsCtx;

/** The company a finance report is for: ?company=<id>, else the user's own. */
export function companyOrThrow(ctx: RecordsCtx, company: string | undefined): string {
  const id = company ?? ctx.guard.actor.companyId;
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('FIELD_REQUIRED', 'company: which company', { field: 'company' });
  return id;
}

/** GET /api/v1/finance/trial-balance?period=YYYY-MM[&company=<id>] — 科目余额表; and each area's routes. */
export async function financeRoutes(app: FastifyInstance, recordsCtx: CtxOf): Promise<void> {
  app.get<{ Querystring: { period?: string; company?: string } }>('/api/v1/finance/trial-balance', async (request) => {
    const ctx = recordsCtx(request);
    return trialBalance(ctx, companyOrThrow(ctx, request.query.company), request.query.period ?? '');
  });
  await receivablesRoutes(app, recordsCtx);
  await glRoutes(app, recordsCtx);
  await currencyTaxRoutes(app, recordsCtx);
  await fixedAssetRoutes(app, recordsCtx);
  await statementsRoutes(app, recordsCtx);
  await bankRoutes(app, recordsCtx);
}
