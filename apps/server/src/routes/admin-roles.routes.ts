import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import { createRole, deleteRole, getRoleOrThrow, installDefaultRoles, listRoles, setFieldRules, setPermissions, updateRole } from '@mosaic/access';
import { recordsCtx } from '../http/context.ts';

type IdParams = { Params: { id: string } };

/**
 * The permission admin API: roles, their permissions (object × action × scope)
 * and field rules. Every change is audited; nobody grants a right they lack.
 */
export async function adminRolesRoutes(app: FastifyInstance): Promise<void> {
  const ctx = (request: { guard?: import('@mosaic/access').AccessGuard }) => recordsCtx(app.mosaic, request.guard);

  app.get('/api/v1/admin/roles', async (request) => ({ data: await listRoles(ctx(request)) }));
  app.post('/api/v1/admin/roles', async (request, reply) => reply.status(201).send(await createRole(ctx(request), request.body)));
  app.get<IdParams>('/api/v1/admin/roles/:id', async (request) => getRoleOrThrow(ctx(request), request.params.id));
  app.patch<IdParams>('/api/v1/admin/roles/:id', async (request) => updateRole(ctx(request), request.params.id, request.body));
  app.delete<IdParams>('/api/v1/admin/roles/:id', async (request, reply) => {
    await deleteRole(ctx(request), request.params.id);
    return reply.status(204).send();
  });
  app.put<IdParams>('/api/v1/admin/roles/:id/permissions', async (request) => setPermissions(ctx(request), request.params.id, request.body));
  app.put<IdParams>('/api/v1/admin/roles/:id/field-rules', async (request) => setFieldRules(ctx(request), request.params.id, request.body));

  // The built-in roles' defaults for objects created since they were last applied (custom objects, new modules).
  // Administrators only: it grants the built-in roles rights nobody checked against the caller's.
  app.post('/api/v1/admin/roles/install-defaults', async (request) => {
    if (!request.actor!.isAdmin) throw new AppError('FORBIDDEN', 'Only an administrator may apply the default roles.');
    return installDefaultRoles(app.mosaic.db, request.actor!.tenantId);
  });
}
