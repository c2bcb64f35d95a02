import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import { searchRecords } from '@mosaic/records';
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
  app.delete<IdParams>('/api/v1/saved-views/:id', async (request, reply) => {
    await deleteSavedView(ctx(request), request.params.id);
    return reply.status(204).send();
  });
}
