import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, parseOrThrow } from '@mosaic/kernel';
import { activateFlow, createFlow, deactivateFlow, deleteFlow, flowDirectory, getFlow, listFlows, updateFlow, validateFlowById, ZCreateFlow, ZUpdateFlow } from '@mosaic/approval';

type IdParams = { Params: { id: string } };

/** Approval flow definitions: CRUD, validate, activate — administrators only. */
export async function approvalFlowRoutes(app: FastifyInstance): Promise<void> {
  const deps = () => ({ db: app.mosaic.db, store: app.mosaic.store });
  const admin = (request: FastifyRequest) => {
    if (!request.actor?.isAdmin) throw new AppError('FORBIDDEN', 'Only administrators may design approval flows.');
    return request.actor;
  };

  app.get<{ Querystring: { object?: string } }>('/api/v1/approval-flows', async (request) => listFlows(deps(), admin(request), { object: request.query.object }));
  app.get('/api/v1/approval-flows/directory', async (request) => flowDirectory(deps(), admin(request)));
  app.get<IdParams>('/api/v1/approval-flows/:id', async (request) => getFlow(deps(), admin(request), request.params.id));
  app.post('/api/v1/approval-flows', async (request, reply) => {
    const actor = admin(request);
    return reply.status(201).send(await createFlow(deps(), actor, parseOrThrow(ZCreateFlow, request.body)));
  });
  app.put<IdParams>('/api/v1/approval-flows/:id', async (request) => {
    const actor = admin(request);
    return updateFlow(deps(), actor, request.params.id, parseOrThrow(ZUpdateFlow, request.body));
  });
  app.delete<IdParams>('/api/v1/approval-flows/:id', async (request, reply) => {
    await deleteFlow(deps(), admin(request), request.params.id);
    return reply.status(204).send();
  });
  app.post<IdParams>('/api/v1/approval-flows/:id/validate', async (request) => validateFlowById(deps(), admin(request), request.params.id));
  app.post<IdParams>('/api/v1/approval-flows/:id/activate', async (request) => activateFlow(deps(), admin(request), request.params.id));
  app.post<IdParams>('/api/v1/approval-flows/:id/deactivate', async (request) => deactivateFlow(deps(), admin(request), request.params.id));
}
