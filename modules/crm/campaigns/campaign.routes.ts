import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { campaignRoi, startCampaign } from './campaign.service.ts';
import { recordClick, recordOpen, unsubscribe } from './tracking.service.ts';

type Id = { Params: { id: string } };
type Token = { Params: { token: string } };

// A 1×1 transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * Campaign sending and ROI (behind login), and the public tracking links in
 * the emails (/t/…, outside /api: no session, the signed token is the key).
 * The pixel answers a GIF whatever happens — a mail client shows no error.
 */
export async function campaignRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  const deps = () => ({ db: app.mosaic.db, store: app.mosaic.store });
  app.post<Id>('/api/v1/crm/campaigns/:id/send', async (request, reply) => reply.status(202).send(await startCampaign(recordsCtx(request), deps(), request.params.id)));
  app.get<Id>('/api/v1/crm/campaigns/:id/roi', async (request) => campaignRoi(recordsCtx(request), request.params.id));

  app.get<Token>('/t/o/:token', async (request, reply) => {
    await recordOpen(deps(), request.params.token.replace(/\.gif$/, '')).catch(() => undefined);
    return reply.header('content-type', 'image/gif').header('cache-control', 'no-store').send(PIXEL);
  });
  app.get<Token & { Querystring: { u?: string } }>('/t/c/:token', async (request, reply) => reply.redirect(await recordClick(deps(), request.params.token, request.query.u), 302));
  const unsub = async (request: { params: { token: string } }, reply: import('fastify').FastifyReply) => {
    await unsubscribe(deps(), request.params.token);
    return reply.header('content-type', 'text/html; charset=utf-8').send('<!doctype html><meta charset="utf-8"><title>已退订</title><p>您已退订，以后不会再收到此类邮件。</p>');
  };
  app.get<Token>('/t/u/:token', unsub);
  app.post<Token>('/t/u/:token', unsub); // RFC 8058 one-click unsubscribe
}
