import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseOrThrow } from '@mosaic/kernel';
import {
  actionTypes, createRule, deleteRule, getRule, getRun, listRules, listRuns, TRIGGER_TYPES, updateRule, ZCreateRule, ZRunQuery, ZUpdateRule,
} from '@mosaic/automation';

type IdParams = { Params: { id: string } };

/** Automation rules (规则引擎, issue 5): CRUD and the run log — administrators only (the services check). */
export async function automationRulesRoutes(app: FastifyInstance): Promise<void> {
  const deps = () => ({ db: app.mosaic.db, store: app.mosaic.store });
  const actor = (request: FastifyRequest) => request.actor!;

  app.get('/api/v1/automation/catalog', async () => ({ triggers: TRIGGER_TYPES, actions: actionTypes() }));
  app.get<{ Querystring: { object?: string } }>('/api/v1/automation/rules', async (request) => listRules(deps(), actor(request), { object: request.query.object }));
  app.post('/api/v1/automation/rules', async (request, reply) => reply.status(201).send(await createRule(deps(), actor(request), parseOrThrow(ZCreateRule, request.body))));
  app.get<IdParams>('/api/v1/automation/rules/:id', async (request) => getRule(deps(), actor(request), request.params.id));
  app.patch<IdParams>('/api/v1/automation/rules/:id', async (request) => updateRule(deps(), actor(request), request.params.id, parseOrThrow(ZUpdateRule, request.body)));
  app.delete<IdParams>('/api/v1/automation/rules/:id', async (request, reply) => {
    await deleteRule(deps(), actor(request), request.params.id);
    return reply.status(204).send();
  });
  app.get<IdParams>('/api/v1/automation/rules/:id/runs', async (request) =>
    listRuns(deps(), actor(request), request.params.id, parseOrThrow(ZRunQuery, request.query, 'BAD_REQUEST')));
  app.get<IdParams>('/api/v1/automation/runs/:id', async (request) => getRun(deps(), actor(request), request.params.id));
}
