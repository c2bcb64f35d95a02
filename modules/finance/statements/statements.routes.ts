import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import { companyOrThrow, ownCompanyOrThrow, type CtxOf } from '../finance.routes.ts';
import { balanceSheet, incomeStatement } from './statements.report.ts';
import { cashFlowStatement } from './cash-flow.report.ts';
import { drillDown } from './drill-down.report.ts';
import { booksCurrencyOf } from '@mosaic/print';
import { statementXlsx, trialBalanceXlsx } from './statement-export.ts';
import { statementPdf, trialBalancePdf, TRIAL_BALANCE_COLUMNS } from './statement-pdf.ts';
import { trialBalance } from '../gl/trial-balance.report.ts';
import { closingChecklistReport } from '../closing/checklist.service.ts';
import { closePeriod, reopenPeriod } from '../closing/closing.service.ts';

type Q = Record<string, string | undefined>;
const STATEMENTS = {
  'balance-sheet': { run: balanceSheet, title: '资产负债表', columns: { closing: '期末余额', yearStart: '年初余额', compare: '比较期末' } },
  'income-statement': { run: incomeStatement, title: '利润表', columns: { month: '本月金额', ytd: '本年累计金额', compare: '比较期间' } },
  'cash-flow': { run: cashFlowStatement, title: '现金流量表', columns: { month: '本月金额', ytd: '本年累计金额', compare: '比较期间' } },
} as const;

/**
 * GET  /api/v1/finance/statements/:kind?period=YYYY-MM[&compare=YYYY-MM]   balance-sheet | income-statement | cash-flow
 * GET  /api/v1/finance/statements/:kind/xlsx?period=…   the same as a workbook; …/pdf as a PDF
 * GET  /api/v1/finance/trial-balance/xlsx?period=… · /trial-balance/pdf?period=…   科目余额表 exported
 * GET  /api/v1/finance/drill-down?statement=balance_sheet&line=cash&period=…[&scope=year]
 * GET  /api/v1/finance/closing-checklist?period=…
 * POST /api/v1/finance/close {period, force?}   结账 · POST /api/v1/finance/reopen {period, reason}   反结账
 */
export async function statementsRoutes(app: FastifyInstance, recordsCtx: CtxOf): Promise<void> {
  const statementOf = (kind: string) => {
    const s = STATEMENTS[kind as keyof typeof STATEMENTS];
    if (!s) throw new AppError('NOT_FOUND', `No statement "${kind}": balance-sheet, income-statement or cash-flow.`);
    return s;
  };
  app.get<{ Params: { kind: string }; Querystring: Q }>('/api/v1/finance/statements/:kind', async (request) => {
    const ctx = recordsCtx(request);
    return statementOf(request.params.kind).run(ctx, await companyOrThrow(ctx, request.query.company), request.query.period ?? '', request.query.compare);
  });
  app.get<{ Params: { kind: string }; Querystring: Q }>('/api/v1/finance/statements/:kind/xlsx', async (request, reply) => {
    const ctx = recordsCtx(request);
    const s = statementOf(request.params.kind);
    const companyId = await companyOrThrow(ctx, request.query.company);
    const result = await s.run(ctx, companyId, request.query.period ?? '', request.query.compare);
    const columns = Object.fromEntries(Object.entries(s.columns).filter(([k]) => k !== 'compare' || result.compare));
    const body = await statementXlsx(`${s.title} ${result.period}`, columns, result.rows, await booksCurrencyOf(ctx, companyId));
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${request.params.kind}-${result.period}.xlsx"`).send(body);
  });
  app.get<{ Params: { kind: string }; Querystring: Q }>('/api/v1/finance/statements/:kind/pdf', async (request, reply) => {
    const ctx = recordsCtx(request);
    const s = statementOf(request.params.kind);
    const companyId = await companyOrThrow(ctx, request.query.company);
    const result = await s.run(ctx, companyId, request.query.period ?? '', request.query.compare);
    const columns = Object.fromEntries(Object.entries(s.columns).filter(([k]) => k !== 'compare' || result.compare));
    const body = await statementPdf(ctx, companyId, s.title, result.period, columns, result.rows);
    return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${request.params.kind}-${result.period}.pdf"`).send(body);
  });
  app.get<{ Params: { format: string }; Querystring: Q }>('/api/v1/finance/trial-balance/:format', async (request, reply) => {
    const ctx = recordsCtx(request);
    const format = request.params.format;
    if (format !== 'xlsx' && format !== 'pdf') throw new AppError('NOT_FOUND', `No export "${format}": xlsx or pdf.`);
    const companyId = await companyOrThrow(ctx, request.query.company);
    const period = request.query.period ?? '';
    const tb = await trialBalance(ctx, companyId, period);
    const body = format === 'xlsx'
      ? await trialBalanceXlsx(period, TRIAL_BALANCE_COLUMNS, tb.rows as never, tb.totals as never, await booksCurrencyOf(ctx, companyId))
      : await trialBalancePdf(ctx, companyId, period, tb);
    return reply.header('content-type', format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf')
      .header('content-disposition', `attachment; filename="trial-balance-${period}.${format}"`).send(body);
  });
  app.get<{ Querystring: Q }>('/api/v1/finance/drill-down', async (request) => {
    const ctx = recordsCtx(request);
    return drillDown(ctx, { ...request.query, companyId: await companyOrThrow(ctx, request.query.company) });
  });
  app.get<{ Querystring: Q }>('/api/v1/finance/closing-checklist', async (request) => {
    const ctx = recordsCtx(request);
    return closingChecklistReport(ctx, await companyOrThrow(ctx, request.query.company), request.query.period ?? '');
  });
  app.post<{ Body: { period?: string; company?: string; force?: boolean } | undefined }>('/api/v1/finance/close', async (request) => {
    const ctx = recordsCtx(request);
    return closePeriod(ctx, ownCompanyOrThrow(ctx, request.body?.company), request.body?.period ?? '', { force: request.body?.force === true });
  });
  app.post<{ Body: { period?: string; company?: string; reason?: string } | undefined }>('/api/v1/finance/reopen', async (request) => {
    const ctx = recordsCtx(request);
    return reopenPeriod(ctx, await companyOrThrow(ctx, request.body?.company), request.body?.period ?? '', request.body?.reason);
  });
}
