import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import { fileFacts, getRecord, readableObject, searchRecords } from '@mosaic/records';
import { inTenantTx } from '@mosaic/db';
import { recordsCtx } from '../http/context.ts';
import { createSavedView, deleteSavedView, listSavedViews, updateSavedView } from '../web/saved-views.service.ts';

type IdParams = { Params: { id: string } };

/**
 * What the web app needs beside the records API (issue 4):
 *   GET    /api/v1/search?q=…                  records by name/number/phone across readable objects
 *   GET    /api/v1/saved-views?object=…        the caller's and the shared views of a list
 *   POST   /api/v1/saved-views                 { object, name, shared, config }
 *   PATCH  /api/v1/saved-views/:id             owner or admin
 *   DELETE /api/v1/saved-views/:id
 *   GET    /api/v1/records/{object}/{id}/attachments   names and sizes of the files a record holds, by field
 */
export async function webViewsRoutes(app: FastifyInstance): Promise<void> {
  const ctx = (request: { guard?: import('@mosaic/access').AccessGuard }) => recordsCtx(app.mosaic, request.guard);

  app.get<{ Querystring: { q?: string } }>('/api/v1/search', async (request) => searchRecords(ctx(request), request.query.q ?? ''));

  app.get<{ Querystring: { object?: string } }>('/api/v1/saved-views', async (request) => {
    if (!request.query.object) throw new AppError('FIELD_REQUIRED', 'object: is required', { field: 'object' });
    return { data: await listSavedViews(ctx(request), request.query.object) };
  });
  app.post('/api/v1/saved-views', async (request, reply) => reply.status(201).send(await createSavedView(ctx(request), request.body)));
  app.patch<IdParams>('/api/v1/saved-views/:id', async (request) => updateSavedView(ctx(request), request.params.id, request.body));
  // What an attachment field shows: the record holds file ids; their names come from here, through the
  // same check as the download (a readable record, a readable field).
  app.get<{ Params: { object: string; id: string } }>('/api/v1/records/:object/:id/attachments', async (request) => {
    const c = ctx(request);
    const { obj } = await readableObject(c, request.params.object, 'read');
    const record = await getRecord(c, request.params.object, request.params.id);
    const fields = obj.fields.filter((f) => (f.type === 'attachment' || f.type === 'image') && !f.archived && request.guard!.canReadField(obj, f));
    const ids = fields.flatMap((f) => ([] as unknown[]).concat(record[f.apiName] ?? [])).filter((x): x is string => typeof x === 'string');
    const facts = await inTenantTx(app.mosaic.db.app, { tenantId: request.actor!.tenantId }, (tx) => fileFacts(tx, ids));
    const byId = new Map(facts.map((f) => [f.id, { id: f.id, name: f.name, size: f.size, mime: f.mime }]));
    return { data: Object.fromEntries(fields.map((f) => [f.apiName, ([] as unknown[]).concat(record[f.apiName] ?? []).map((id) => byId.get(id as string)).filter(Boolean)])) };
  });

  app.delete<IdParams>('/api/v1/saved-views/:id', async (request, reply) => {
    await deleteSavedView(ctx(request), request.params.id);
    return reply.status(204).send();
  });
}
