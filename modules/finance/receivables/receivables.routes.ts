import type { FastifyInstance } from 'fastify';
import { companyOrThrow, type CtxOf } from '../finance.routes.ts';
import { partyStatementFor, partyStatementPdf, type PartyStatementQuery } from '../statements/statement-pdf.ts';
import { booksCurrencyOf } from '@mosaic/print';
import { partyStatementXlsx } from '../statements/statement-export.ts';
import { dateOrThrow } from '@mosaic/kernel';
import { agingReport, openItemsReport, partyStatement, partyTypeOrThrow } from './receivables.report.ts';

type Q = Record<string, string | undefined>;

/**
 * GET /api/v1/finance/open-items?party_type=customer[&party=][&against=<id>,<id>][&as_of=][&all=1]   未核销项 with outstanding and paid %
 * GET /api/v1/finance/aging?party_type=customer&as_of=2026-11-30[&buckets=30,60,90]   账龄分析
 * GET /api/v1/finance/statement?party_type=customer&party=<id>&from=&to=   对账单 (…/statement/pdf: the same as a PDF on the letterhead, …/statement/xlsx: as a workbook)
 */
export async function receivablesRoutes(app: FastifyInstance, recordsCtx: CtxOf): Promise<void> {
  app.get<{ Querystring: Q }>('/api/v1/finance/open-items', async (request) => {
    const ctx = recordsCtx(request);
    const q = request.query;
    const data = await openItemsReport(ctx, {
      companyId: await companyOrThrow(ctx, q.company), partyType: q.party_type ? partyTypeOrThrow(q.party_type) : undefined, party: q.party,
      againstIds: q.against ? q.against.split(',').slice(0, 500) : undefined,
      asOf: q.as_of ? dateOrThrow(q.as_of, 'as_of') : undefined, all: q.all === '1',
    });
    return { data };
  });
  app.get<{ Querystring: Q }>('/api/v1/finance/aging', async (request) => {
    const ctx = recordsCtx(request);
    const q = request.query;
    return agingReport(ctx, {
      companyId: await companyOrThrow(ctx, q.company), partyType: partyTypeOrThrow(q.party_type), asOf: dateOrThrow(q.as_of, 'as_of'),
      limits: (q.buckets ?? '30,60,90').split(',').map(Number),
    });
  });
  app.get<{ Querystring: Q }>('/api/v1/finance/statement', async (request) => {
    const ctx = recordsCtx(request);
    const q = request.query;
    return partyStatement(ctx, {
      companyId: await companyOrThrow(ctx, q.company), partyType: partyTypeOrThrow(q.party_type), party: q.party ?? '',
      from: dateOrThrow(q.from, 'from'), to: dateOrThrow(q.to, 'to'),
    });
  });
  const statementQuery = async (ctx: ReturnType<CtxOf>, q: Q): Promise<PartyStatementQuery> => ({
    companyId: await companyOrThrow(ctx, q.company), partyType: partyTypeOrThrow(q.party_type), party: q.party ?? '',
    from: dateOrThrow(q.from, 'from'), to: dateOrThrow(q.to, 'to'),
  });
  app.get<{ Querystring: Q }>('/api/v1/finance/statement/pdf', async (request, reply) => {
    const ctx = recordsCtx(request);
    const sq = await statementQuery(ctx, request.query);
    const pdf = await partyStatementPdf(ctx, sq);
    return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="statement-${sq.from}-${sq.to}.pdf"`).send(pdf);
  });
  app.get<{ Querystring: Q }>('/api/v1/finance/statement/xlsx', async (request, reply) => {
    const ctx = recordsCtx(request);
    const sq = await statementQuery(ctx, request.query);
    const { s, partyName, label } = await partyStatementFor(ctx, sq);
    const body = await partyStatementXlsx({ title: label.title, who: label.who, partyName, from: sq.from, to: sq.to, s, currency: await booksCurrencyOf(ctx, sq.companyId) });
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="statement-${sq.from}-${sq.to}.xlsx"`).send(body);
  });
}
