import type { FastifyInstance } from 'fastify';
import { amendDocument, cancelDocument, submitDocument } from '@mosaic/process';
import { recordsCtx } from '../http/context.ts';
import { withIdempotency } from '../http/idempotency.ts';

type Body = { version?: unknown; reason?: unknown } | undefined;

/** Document actions: submit, cancel (with a reason), amend. Each carries the version the user saw. */
export async function documentRoutes(app: FastifyInstance): Promise<void> {
  // Submit and cancel post vouchers and stock moves: an Idempotency-Key lets a client retry one safely.
  app.post<{ Params: { object: string; id: string }; Body: Body }>('/api/v1/records/:object/:id/submit', async (request, reply) =>
    withIdempotency(request, reply, 200, () => submitDocument(recordsCtx(app.mosaic, request.guard), request.params.object, request.params.id, request.body?.version)));

  app.post<{ Params: { object: string; id: string }; Body: Body }>('/api/v1/records/:object/:id/cancel', async (request, reply) =>
    withIdempotency(request, reply, 200, () => cancelDocument(recordsCtx(app.mosaic, request.guard), request.params.object, request.params.id, request.body?.version, request.body?.reason)));

  app.post<{ Params: { object: string; id: string } }>('/api/v1/records/:object/:id/amend', async (request, reply) =>
    reply.status(201).send(await amendDocument(recordsCtx(app.mosaic, request.guard), request.params.object, request.params.id)));
}
