import type { FastifyInstance } from 'fastify';
import { amendDocument, cancelDocument, submitDocument } from '@mosaic/process';
import { recordsCtx } from '../http/context.ts';

type Body = { version?: unknown; reason?: unknown } | undefined;

/** Document actions: submit, cancel (with a reason), amend. Each carries the version the user saw. */
export async function documentRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Params: { object: string; id: string }; Body: Body }>('/api/v1/records/:object/:id/submit', async (request) =>
    submitDocument(recordsCtx(app.mosaic, request.guard), request.params.object, request.params.id, request.body?.version));

  app.post<{ Params: { object: string; id: string }; Body: Body }>('/api/v1/records/:object/:id/cancel', async (request) =>
    cancelDocument(recordsCtx(app.mosaic, request.guard), request.params.object, request.params.id, request.body?.version, request.body?.reason));

  app.post<{ Params: { object: string; id: string } }>('/api/v1/records/:object/:id/amend', async (request, reply) =>
    reply.status(201).send(await amendDocument(recordsCtx(app.mosaic, request.guard), request.params.object, request.params.id)));
}
