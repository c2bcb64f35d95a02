import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import { addField, createObject, removeField, updateField, updateObject, type MetaCtx, type ObjectMeta } from '@mosaic/meta';

/**
 * The metadata API: read objects (only those the user may read, fields they
 * may not read left out) and, for admins, change them at run time.
 */
export async function metaRoutes(app: FastifyInstance): Promise<void> {
  const metaCtx = (request: { actor?: { tenantId: string; userId: string; isAdmin: boolean } }): MetaCtx => {
    const a = request.actor!;
    if (!a.isAdmin) throw new AppError('FORBIDDEN', 'Only administrators may change objects and fields.');
    return { db: app.mosaic.db, store: app.mosaic.store, tenantId: a.tenantId, userId: a.userId };
  };
  const visible = (request: { guard?: import('@mosaic/access').AccessGuard }, obj: ObjectMeta) => ({
    ...obj,
    fields: obj.fields.filter((f) => !f.archived && request.guard!.canReadField(obj, f)),
  });

  app.get('/api/v1/meta/objects', async (request) => {
    const objects = await app.mosaic.store.objects(request.actor!.tenantId);
    const data = [...objects.values()].filter((o) => !o.archived && request.guard!.can(o, 'read')).map((o) => visible(request, o));
    return { data };
  });

  app.get<{ Params: { object: string } }>('/api/v1/meta/objects/:object', async (request) => {
    const obj = await app.mosaic.store.object(request.actor!.tenantId, request.params.object);
    if (!obj || obj.archived || !request.guard!.can(obj, 'read')) throw new AppError('OBJECT_UNKNOWN', `No object named "${request.params.object.slice(0, 64)}".`);
    return visible(request, obj);
  });

  app.post('/api/v1/meta/objects', async (request, reply) => {
    const obj = await createObject(metaCtx(request), request.body);
    return reply.status(201).send(obj);
  });

  app.patch<{ Params: { object: string } }>('/api/v1/meta/objects/:object', async (request) => updateObject(metaCtx(request), request.params.object, request.body));

  app.post<{ Params: { object: string } }>('/api/v1/meta/objects/:object/fields', async (request, reply) => {
    const field = await addField(metaCtx(request), request.params.object, request.body);
    return reply.status(201).send(field);
  });

  app.patch<{ Params: { object: string; field: string } }>('/api/v1/meta/objects/:object/fields/:field', async (request) =>
    updateField(metaCtx(request), request.params.object, request.params.field, request.body));

  app.delete<{ Params: { object: string; field: string }; Querystring: { force?: string } }>('/api/v1/meta/objects/:object/fields/:field', async (request) =>
    removeField(metaCtx(request), request.params.object, request.params.field, { force: request.query.force === 'true' }));
}
