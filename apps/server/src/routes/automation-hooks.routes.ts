import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseOrThrow } from '@mosaic/kernel';
import { closeQueue, createHook, deleteHook, listHooks, receiveHook, ZCreateHook } from '@mosaic/automation';

/**
 * Inbound webhooks (issue 5): administrators create hooks (the token is shown
 * once); other systems POST JSON to /api/v1/hooks/<id> with X-Mosaic-Token,
 * which queues the rules triggered by that hook. The POST is public (no session).
 */
export async function automationHooksRoutes(app: FastifyInstance): Promise<void> {
  const db = () => app.mosaic.db;
  const actor = (request: FastifyRequest) => request.actor!;
  app.addHook('onClose', async () => closeQueue(app.mosaic.db.url));

  app.get('/api/v1/automation/hooks', async (request) => listHooks(db(), actor(request)));
  app.post('/api/v1/automation/hooks', async (request, reply) => reply.status(201).send(await createHook(db(), actor(request), parseOrThrow(ZCreateHook, request.body))));
  app.delete<{ Params: { id: string } }>('/api/v1/automation/hooks/:id', async (request, reply) => {
    await deleteHook(db(), actor(request), request.params.id);
    return reply.status(204).send();
  });

  app.post<{ Params: { id: string } }>('/api/v1/hooks/:id', { bodyLimit: 256 * 1024 }, async (request, reply) => {
    const header = (name: string) => (typeof request.headers[name] === 'string' ? (request.headers[name] as string) : undefined);
    const r = await receiveHook(db(), app.mosaic.db.url, request.params.id, header('x-mosaic-token'), request.body ?? null, header('x-mosaic-delivery') ?? header('idempotency-key'));
    return reply.status(202).send(r);
  });
}
