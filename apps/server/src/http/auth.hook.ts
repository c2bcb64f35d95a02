import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '@mosaic/kernel';
import { authenticate } from '@mosaic/identity';
import { guardFor } from '@mosaic/access';

export const SESSION_COOKIE = 'mosaic_session';

/** Public paths: everything else under /api requires a session or an API token. */
const PUBLIC = [/^\/api\/v1\/auth\/login$/, /^\/api\/v1\/hooks\/[^/]+$/, /^\/api\/v1\/openapi\.json/, /^\/api\/v1\/docs/, /^\/healthz$/];

/**
 * Authenticates every API request (Bearer token, else the session cookie of the
 * web app) and builds the request's access guard from the user's roles.
 */
export function registerAuth(app: FastifyInstance): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const path = request.url.split('?')[0];
    if (!path.startsWith('/api/') || PUBLIC.some((re) => re.test(path))) return;
    const token = bearer(request) ?? request.cookies?.[SESSION_COOKIE];
    if (!token) throw new AppError('UNAUTHENTICATED');
    const actor = await authenticate(app.mosaic.db, token, { ip: request.ip });
    request.actor = actor;
    request.token = token;
    request.guard = await guardFor(app.mosaic.db, app.mosaic.store, actor);
    if (request.timing) request.timing.authed = performance.now();
  });
}

function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw new AppError('UNAUTHENTICATED', 'Authorization must be "Bearer <token>".');
  return m[1];
}
