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
import { chartTemplates, companyCharts, setUpChart } from './chart/chart-setup.service.ts';
import { bookCompanies, mayReadAllBooks } from './statements/book-companies.ts';

export type CtxOf = (request: unknown) => RecordsCtx;

/**
 * The company a finance report or run is for: ?company=<id>, else the user's
 * own. Another company's books need the ledger unrestricted (scope "all"): the
 * reports read the ledger in SQL, so the guard's record scope is applied here.
 */
export async function companyOrThrow(ctx: RecordsCtx, company: string | undefined): Promise<string> {
  const id = company ?? ctx.guard.actor.companyId;
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('FIELD_REQUIRED', 'company: which company', { field: 'company' });
  if (id !== ctx.guard.actor.companyId && !(await mayReadAllBooks(ctx))) throw new AppError('FORBIDDEN', "company: you may see your own company's books only", { field: 'company' });
  return id;
}


/**
 * The company a posting run (revaluation, VAT transfer, depreciation, closing)
 * is for: the user's own — generated vouchers belong to the poster's company.
 */
export function ownCompanyOrThrow(ctx: RecordsCtx, company: string | undefined): string {
  const own = ctx.guard.actor.companyId;
  if (!own) throw new AppError('FIELD_REQUIRED', 'company: the user belongs to no company', { field: 'company' });
  if (company && company !== own) throw new AppError('FIELD_INVALID', "company: runs post into the user's own company; log in as a user of that company", { field: 'company' });
  return own;
}

/**
 * GET /api/v1/finance/trial-balance?period=YYYY-MM[&company=<id>] — 科目余额表;
 * GET /api/v1/finance/chart-templates · POST /api/v1/finance/chart-setup {company?, template} (admin, before the first posting);
 * GET /api/v1/finance/chart-setup: every company's chart and whether it has posted (admin);
 * GET /api/v1/finance/companies: the companies whose books the user may read (the statements' picker);
 * and each area's routes.
 */
export async function financeRoutes(app: FastifyInstance, recordsCtx: CtxOf): Promise<void> {
  app.get<{ Querystring: { period?: string; company?: string } }>('/api/v1/finance/trial-balance', async (request) => {
    const ctx = recordsCtx(request);
    return trialBalance(ctx, await companyOrThrow(ctx, request.query.company), request.query.period ?? '');
  });
  app.get('/api/v1/finance/chart-templates', async () => chartTemplates());
  app.get('/api/v1/finance/companies', async (request) => bookCompanies(recordsCtx(request)));
  app.get('/api/v1/finance/chart-setup', async (request) => companyCharts(recordsCtx(request)));
  app.post<{ Body: { company?: string; template?: string } | undefined }>('/api/v1/finance/chart-setup', async (request) => {
    const ctx = recordsCtx(request);
    return setUpChart(ctx, request.body?.company ?? ctx.guard.actor.companyId ?? '', request.body?.template);
  });
  await receivablesRoutes(app, recordsCtx);
  await glRoutes(app, recordsCtx);
  await currencyTaxRoutes(app, recordsCtx);
  await fixedAssetRoutes(app, recordsCtx);
  await statementsRoutes(app, recordsCtx);
  await bankRoutes(app, recordsCtx);
}
