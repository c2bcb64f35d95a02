import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import { parseFilterJson } from '@mosaic/meta';
import { aggregateRecords, recordHistory } from '@mosaic/records';
import { recordsCtx } from '../http/context.ts';

type Q = Record<string, string | undefined>;

/**
 * Read paths beside the list (each through the access layer like it):
 *   GET /api/v1/records/{object}/aggregate?groupBy=region&measures=sum:amount,count&filter=…
 *   GET /api/v1/records/{object}/{id}/history?before=…&limit=…
 */
export async function recordsAggregateRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { object: string }; Querystring: Q }>('/api/v1/records/:object/aggregate', async (request) =>
    aggregateRecords(recordsCtx(app.mosaic, request.guard), request.params.object, {
      filter: request.query.filter ? parseFilterJson(request.query.filter) : undefined,
      groupBy: list(request.query.groupBy),
      measures: list(request.query.measures),
    }));

  app.get<{ Params: { object: string; id: string }; Querystring: Q }>('/api/v1/records/:object/:id/history', async (request) =>
    recordHistory(recordsCtx(app.mosaic, request.guard), request.params.object, request.params.id, {
      before: int(request.query.before, 'before'),
      limit: int(request.query.limit, 'limit'),
    }));
}

function list(v: string | undefined): string[] | undefined {
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

function int(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new AppError('PAGE_INVALID', `${name}: must be a whole number`, { field: name });
  return Number(v);
}
