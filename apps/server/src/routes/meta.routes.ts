import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import type { AccessGuard } from '@mosaic/access';
import { addField, createObject, fieldBehind, removeField, updateField, updateObject, type FieldMeta, type MetaCtx, type ObjectMeta } from '@mosaic/meta';
import { lookupReadable } from '@mosaic/records';

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
  const visible = (request: { guard?: AccessGuard }, objects: Map<string, ObjectMeta>, obj: ObjectMeta) => ({
    ...obj,
    fields: obj.fields.filter((f) => !f.archived && request.guard!.canReadField(obj, f)).map((f) => withBehind(objects, request.guard!, obj, f)),
  });

  app.get('/api/v1/meta/objects', async (request) => {
    const objects = await app.mosaic.store.objects(request.actor!.tenantId);
    const data = [...objects.values()].filter((o) => !o.archived && request.guard!.can(o, 'read')).map((o) => visible(request, objects, o));
    return { data };
  });

  app.get<{ Params: { object: string } }>('/api/v1/meta/objects/:object', async (request) => {
    const objects = await app.mosaic.store.objects(request.actor!.tenantId);
    const obj = objects.get(request.params.object);
    if (!obj || obj.archived || !request.guard!.can(obj, 'read')) throw new AppError('OBJECT_UNKNOWN', `No object named "${request.params.object.slice(0, 64)}".`);
    return visible(request, objects, obj);
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

/**
 * A lookup as the metadata answer describes it: with `behind`, the type of the field it reads (through
 * lookups of lookups: fieldBehind) and what shows it (a money field's scale and default currency), so the web
 * can total a lookup of money and offer a lookup of a number as a report measure by the server's rule. Left
 * out when the viewer may not read what it reads (the list leaves such a lookup out too), or it reads nothing
 * that resolves (a link to an archived object).
 */
function withBehind(objects: Map<string, ObjectMeta>, guard: AccessGuard, obj: ObjectMeta, f: FieldMeta): FieldMeta & { behind?: LookupBehind } {
  if (f.type !== 'lookup') return f;
  let behind: FieldMeta | null = null;
  try {
    behind = lookupReadable(objects, guard, obj, f) ? fieldBehind(objects, obj, f.apiName) : null;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
  }
  if (!behind) return f;
  const { scale, defaultCurrency, resultType } = behind.config;
  return { ...f, behind: { type: behind.type, ...(scale !== undefined ? { scale } : {}), ...(defaultCurrency ? { defaultCurrency } : {}), ...(resultType ? { resultType } : {}) } };
}

interface LookupBehind { type: FieldMeta['type']; scale?: number; defaultCurrency?: string; resultType?: string }
