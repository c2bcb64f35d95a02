import type { FastifyInstance } from 'fastify';
import { companyOrThrow, ownCompanyOrThrow, type CtxOf } from '../finance.routes.ts';
import { disposeAsset, runDepreciation } from './fixed-asset.service.ts';

/**
 * POST /api/v1/finance/depreciation {period}   月度计提折旧 (also a scheduled action, see depreciation.action.ts)
 * POST /api/v1/finance/fixed-assets/:id/dispose {date, proceeds, account}   处置
 */
export async function fixedAssetRoutes(app: FastifyInstance, recordsCtx: CtxOf): Promise<void> {
  app.post<{ Body: { period?: string; company?: string } | undefined }>('/api/v1/finance/depreciation', async (request) => {
    const ctx = recordsCtx(request);
    return runDepreciation(ctx, ownCompanyOrThrow(ctx, request.body?.company), request.body?.period ?? '');
  });
  app.post<{ Params: { id: string }; Body: { date?: string; proceeds?: string | number; account?: string } | undefined }>('/api/v1/finance/fixed-assets/:id/dispose', async (request) => {
    return disposeAsset(recordsCtx(request), request.params.id, request.body ?? {});
  });
}
