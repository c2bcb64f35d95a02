import type { FastifyInstance } from 'fastify';
import { createCompany, createDepartment, deleteDepartment, listCompanies, listDepartments, updateCompany, updateDepartment } from '@mosaic/identity';
import { recordsCtx } from '../http/context.ts';

type IdParams = { Params: { id: string } };

/** The organisation: the department tree (部门, with managers) and the companies (法人主体) of the tenant. */
export async function adminOrgRoutes(app: FastifyInstance): Promise<void> {
  const ctx = (request: { guard?: import('@mosaic/access').AccessGuard }) => recordsCtx(app.mosaic, request.guard);

  app.get('/api/v1/admin/departments', async (request) => ({ data: await listDepartments(ctx(request)) }));
  app.post('/api/v1/admin/departments', async (request, reply) => reply.status(201).send(await createDepartment(ctx(request), request.body)));
  app.patch<IdParams>('/api/v1/admin/departments/:id', async (request) => updateDepartment(ctx(request), request.params.id, request.body));
  app.delete<IdParams>('/api/v1/admin/departments/:id', async (request, reply) => {
    await deleteDepartment(ctx(request), request.params.id);
    return reply.status(204).send();
  });

  app.get('/api/v1/admin/companies', async (request) => ({ data: await listCompanies(ctx(request)) }));
  app.post('/api/v1/admin/companies', async (request, reply) => reply.status(201).send(await createCompany(ctx(request), request.body)));
  app.patch<IdParams>('/api/v1/admin/companies/:id', async (request) => updateCompany(ctx(request), request.params.id, request.body));
}
