import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseOrThrow } from '@mosaic/kernel';
import { createForm, deleteForm, getForm, listForms, publicFormDefinition, submitPublicForm, updateForm, ZCreateForm, ZUpdateForm } from '@mosaic/automation';

type IdParams = { Params: { id: string } };

/**
 * Public forms (外链表单, issue 5): administrators publish a form per object;
 * anyone may GET /f/<id> (the definition, prefilled from the query) and POST
 * to it (creates the record as the system, rate-limited per IP; rules fire).
 */
export async function publicFormsRoutes(app: FastifyInstance): Promise<void> {
  const deps = () => ({ db: app.mosaic.db, store: app.mosaic.store });
  const actor = (request: FastifyRequest) => request.actor!;

  app.get('/api/v1/automation/forms', async (request) => listForms(deps(), actor(request)));
  app.post('/api/v1/automation/forms', async (request, reply) => reply.status(201).send(await createForm(deps(), actor(request), parseOrThrow(ZCreateForm, request.body))));
  app.get<IdParams>('/api/v1/automation/forms/:id', async (request) => getForm(deps(), actor(request), request.params.id));
  app.patch<IdParams>('/api/v1/automation/forms/:id', async (request) => updateForm(deps(), actor(request), request.params.id, parseOrThrow(ZUpdateForm, request.body)));
  app.delete<IdParams>('/api/v1/automation/forms/:id', async (request, reply) => {
    await deleteForm(deps(), actor(request), request.params.id);
    return reply.status(204).send();
  });

  app.get<IdParams & { Querystring: Record<string, unknown> }>('/f/:id', async (request) => publicFormDefinition(deps(), request.params.id, request.query));
  app.post<IdParams>('/f/:id', { bodyLimit: 64 * 1024 }, async (request, reply) => reply.status(201).send(await submitPublicForm(deps(), request.params.id, request.body, request.ip)));
}
