import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { slaCheck } from './sla.service.ts';
import { answerSurvey, closeTicket, resolve, respond, ticketFromEmail } from './ticket.service.ts';

type Id = { Params: { id: string } };

/** Service desk: inbound email, the ticket's answer/resolve/close steps, the SLA check, and the public survey (/t/s/…). */
export async function serviceRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  app.post('/api/v1/crm/tickets/inbound-email', async (request, reply) => reply.status(201).send(await ticketFromEmail(recordsCtx(request), request.body)));
  app.post<Id>('/api/v1/crm/tickets/:id/respond', async (request) => respond(recordsCtx(request), request.params.id));
  app.post<Id>('/api/v1/crm/tickets/:id/resolve', async (request) => resolve(recordsCtx(request), request.params.id));
  app.post<Id>('/api/v1/crm/tickets/:id/close', async (request) => closeTicket(recordsCtx(request), request.params.id));
  // The scheduled rule runs this every five minutes; administrators may run it at once.
  app.post('/api/v1/crm/sla/check', async (request) => {
    const ctx = recordsCtx(request);
    if (!ctx.guard.actor.isAdmin) throw new AppError('FORBIDDEN', 'Only administrators may run the SLA check by hand.');
    return slaCheck(ctx);
  });
  app.post<{ Params: { token: string } }>('/t/s/:token', { bodyLimit: 16 * 1024 }, async (request) => answerSurvey({ db: app.mosaic.db, store: app.mosaic.store }, request.params.token, request.body));
}
