import type { FastifyInstance } from 'fastify';
import { changePassword, createApiToken, listMySessions, logoutEverywhere, revokeMySession } from '@mosaic/identity';
import { SESSION_COOKIE } from '../http/auth.hook.ts';

type IdParams = { Params: { id: string } };

/**
 * The caller's own sessions and API tokens, "log out everywhere", and
 * changing their password (which ends every older session and token and hands
 * back a fresh session).
 */
export async function authSessionsRoutes(app: FastifyInstance): Promise<void> {
  const db = () => app.mosaic.db;

  app.get('/api/v1/auth/sessions', async (request) => ({ data: await listMySessions(db(), request.actor!, 'session', request.token) }));
  app.delete<IdParams>('/api/v1/auth/sessions/:id', async (request, reply) => {
    await revokeMySession(db(), request.actor!, request.params.id, 'session');
    return reply.status(204).send();
  });
  app.post('/api/v1/auth/logout-everywhere', async (request, reply) => {
    const ended = await logoutEverywhere(db(), request.actor!);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ended };
  });

  app.post('/api/v1/auth/password', async (request, reply) => {
    const result = await changePassword(db(), request.actor!, request.body, { userAgent: request.headers['user-agent'] });
    void reply.setCookie(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
    return result;
  });

  app.get('/api/v1/auth/tokens', async (request) => ({ data: await listMySessions(db(), request.actor!, 'api_token', request.token) }));
  app.post('/api/v1/auth/tokens', async (request, reply) => reply.status(201).send(await createApiToken(db(), request.actor!, request.body)));
  app.delete<IdParams>('/api/v1/auth/tokens/:id', async (request, reply) => {
    await revokeMySession(db(), request.actor!, request.params.id, 'api_token');
    return reply.status(204).send();
  });
}
