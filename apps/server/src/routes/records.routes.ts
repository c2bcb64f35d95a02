import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import { parseFilterJson } from '@mosaic/meta';
import { createRecord, createRecords, deleteRecord, getRecord, listRecords, updateRecord, updateRecords, type ListRequest } from '@mosaic/records';
import { recordsCtx } from '../http/context.ts';
import { withIdempotency } from '../http/idempotency.ts';

type Q = Record<string, string | undefined>;

/** Generic record endpoints for every object, built-in or custom: thin handlers over @mosaic/records. */
export async function recordsRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { object: string }; Querystring: Q }>('/api/v1/records/:object', async (request) =>
    listRecords(recordsCtx(app.mosaic, request.guard), request.params.object, parseListQuery(request.query)));

  app.get<{ Params: { object: string; id: string }; Querystring: Q }>('/api/v1/records/:object/:id', async (request) =>
    getRecord(recordsCtx(app.mosaic, request.guard), request.params.object, request.params.id, { fields: splitFields(request.query.fields) }));

  app.post<{ Params: { object: string } }>('/api/v1/records/:object', async (request, reply) =>
    withIdempotency(request, reply, 201, () => createRecord(recordsCtx(app.mosaic, request.guard), request.params.object, request.body)));

  app.post<{ Params: { object: string } }>('/api/v1/records/:object/bulk', async (request, reply) =>
    withIdempotency(request, reply, 201, async () => {
      const records = bulkBody(request.body);
      return { data: await createRecords(recordsCtx(app.mosaic, request.guard), request.params.object, records) };
    }));

  app.patch<{ Params: { object: string } }>('/api/v1/records/:object/bulk', async (request) => {
    const records = bulkBody(request.body).map((r, i) => {
      if (!r || typeof r !== 'object') throw new AppError('VALIDATION_FAILED', `records.${i}: must be an object with id and version`, { field: `records.${i}` });
      const { id, version, ...values } = r as { id?: unknown; version?: number };
      if (typeof id !== 'string') throw new AppError('FIELD_REQUIRED', `records.${i}.id: is required`, { field: `records.${i}.id` });
      return { id, version, values };
    });
    return { data: await updateRecords(recordsCtx(app.mosaic, request.guard), request.params.object, records) };
  });

  // A PATCH carries the version it read, so a retry after a dropped reply would be a 409 though the change
  // was made: with an Idempotency-Key the retry gets the first reply instead (the demo seed's resume relies on it).
  app.patch<{ Params: { object: string; id: string } }>('/api/v1/records/:object/:id', async (request, reply) =>
    withIdempotency(request, reply, 200, () => updateRecord(recordsCtx(app.mosaic, request.guard), request.params.object, request.params.id, request.body)));

  app.delete<{ Params: { object: string; id: string }; Querystring: Q }>('/api/v1/records/:object/:id', async (request, reply) => {
    const version = request.query.version === undefined ? undefined : Number(request.query.version);
    if (version !== undefined && !Number.isInteger(version)) throw new AppError('FIELD_INVALID', 'version: must be a whole number', { field: 'version' });
    await deleteRecord(recordsCtx(app.mosaic, request.guard), request.params.object, request.params.id, version);
    return reply.status(204).send();
  });
}

/** Query string → ListRequest; `filter` is JSON, `fields` a comma list. */
export function parseListQuery(q: Q): ListRequest {
  const int = (name: string) => {
    const v = q[name];
    if (v === undefined || v === '') return undefined;
    if (!/^\d{1,7}$/.test(v)) throw new AppError('PAGE_INVALID', `${name}: must be a whole number`, { field: name });
    return Number(v);
  };
  return {
    filter: q.filter ? parseFilterJson(q.filter) : undefined,
    sort: q.sort,
    page: int('page'),
    pageSize: int('pageSize'),
    cursor: q.cursor,
    fields: splitFields(q.fields),
    total: q.total === undefined ? true : q.total !== 'false',
    titles: q.titles === 'true',
  };
}

function splitFields(v: string | undefined): string[] | undefined {
  if (!v) return undefined;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

function bulkBody(body: unknown): unknown[] {
  const records = (body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records) || !records.length) throw new AppError('VALIDATION_FAILED', 'records: must be a non-empty list', { field: 'records' });
  return records;
}
