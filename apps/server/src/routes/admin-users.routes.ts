import type { FastifyInstance } from 'fastify';
import { createUser, listUsers, resetUserPassword, setUserRoles, updateUser } from '@mosaic/identity';
import { recordsCtx } from '../http/context.ts';

type IdParams = { Params: { id: string } };

/** User management: create, change, deactivate (active: false), roles, password reset. */
export async function adminUsersRoutes(app: FastifyInstance): Promise<void> {
  const ctx = (request: { guard?: import('@mosaic/access').AccessGuard }) => recordsCtx(app.mosaic, request.guard);

  app.get('/api/v1/admin/users', async (request) => ({ data: await listUsers(ctx(request)) }));
  app.post('/api/v1/admin/users', async (request, reply) => reply.status(201).send(await createUser(ctx(request), request.body)));
  app.patch<IdParams>('/api/v1/admin/users/:id', async (request) => updateUser(ctx(request), request.params.id, request.body));
  app.put<IdParams>('/api/v1/admin/users/:id/roles', async (request) => setUserRoles(ctx(request), request.params.id, request.body));
  app.post<IdParams>('/api/v1/admin/users/:id/password', async (request, reply) => {
    await resetUserPassword(ctx(request), request.params.id, request.body);
    return reply.status(204).send();
  });
}
