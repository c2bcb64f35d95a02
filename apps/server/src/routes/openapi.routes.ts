import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate } from '@mosaic/identity';
import { guardFor, type AccessGuard } from '@mosaic/access';
import { SESSION_COOKIE } from '../http/auth.hook.ts';
import { buildOpenApi } from '../openapi/openapi.build.ts';
import { renderDocsPage } from '../openapi/docs.page.ts';

/** GET /api/v1/openapi.json and the human docs page at /api/v1/docs: what this caller can use. */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  const docFor = async (request: FastifyRequest) => {
    const guard = await optionalGuard(app, request);
    const objects = guard ? [...(await app.mosaic.store.objects(guard.actor.tenantId)).values()] : [];
    return buildOpenApi(objects, guard);
  };
  app.get('/api/v1/openapi.json', async (request) => docFor(request));
  app.get('/api/v1/docs', async (request, reply) => reply.type('text/html; charset=utf-8').send(renderDocsPage(await docFor(request))));
}

async function optionalGuard(app: FastifyInstance, request: FastifyRequest): Promise<AccessGuard | undefined> {
  const h = request.headers.authorization;
  const token = h?.startsWith('Bearer ') ? h.slice(7) : request.cookies?.[SESSION_COOKIE];
  if (!token) return undefined;
  try {
    const actor = await authenticate(app.mosaic.db, token, { ip: request.ip });
    return await guardFor(app.mosaic.db, app.mosaic.store, actor);
  } catch {
    return undefined;
  }
}
