import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseOrThrow } from '@mosaic/kernel';
import { getPrefs, hubFor, listNotifications, markRead, setPrefs, stopHub, unreadCount } from '@mosaic/automation';

const ZList = z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), before: z.string().optional() }).strict();
const ZRead = z.union([z.object({ ids: z.array(z.string()).min(1).max(500) }).strict(), z.object({ all: z.literal(true) }).strict()]);
const ZPrefs = z.object({ inApp: z.boolean().optional(), email: z.boolean().optional(), digest: z.boolean().optional() }).strict();

/** The bell (issue 5): the caller's notifications, unread count, mark read, preferences, and a live SSE stream. */
export async function notificationsRoutes(app: FastifyInstance): Promise<void> {
  const db = () => app.mosaic.db;
  const actor = (request: FastifyRequest) => request.actor!;
  app.addHook('onClose', async () => stopHub(app.mosaic.db.url));

  app.get('/api/v1/notifications', async (request) => {
    const q = parseOrThrow(ZList, request.query, 'BAD_REQUEST');
    return listNotifications(db(), actor(request), { unread: q.unread === 'true', limit: q.limit, before: q.before });
  });
  app.get('/api/v1/notifications/unread-count', async (request) => unreadCount(db(), actor(request)));
  app.post('/api/v1/notifications/read', async (request) => {
    const body = parseOrThrow(ZRead, request.body);
    return markRead(db(), actor(request), 'all' in body ? 'all' : body.ids);
  });
  app.get('/api/v1/notifications/preferences', async (request) => getPrefs(db(), actor(request)));
  app.put('/api/v1/notifications/preferences', async (request) => setPrefs(db(), actor(request), parseOrThrow(ZPrefs, request.body)));

  // Server-sent events: `ready` with the unread count, then one `notification` per new one, from any process.
  app.get('/api/v1/notifications/stream', async (request, reply) => {
    const a = actor(request);
    const hub = await hubFor(app.mosaic.db.url);
    const { unread } = await unreadCount(db(), a);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('ready', { unread });
    const unsubscribe = hub.subscribe(a.tenantId, a.userId, (n) => send('notification', n));
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    request.raw.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
  });
}
