import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request arrived and when the auth hook had built its guard. */
    timing?: { start: number; authed?: number };
  }
}

/**
 * `Server-Timing: auth;dur=…, app;dur=…` on every API reply: how long the
 * session lookup + guard took and how long the whole handler took, in ms. The
 * browser's Resource Timing API shows these beside the network times, so a
 * slow screen can be split into server, network and the browser's own work
 * (bench/web-list reads them). Registered before the auth hook, so `start`
 * is taken first.
 */
export function registerServerTiming(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    request.timing = { start: performance.now() };
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const t = request.timing;
    if (!t || !request.url.startsWith('/api/')) return payload;
    const now = performance.now();
    const parts = t.authed === undefined ? [] : [`auth;dur=${(t.authed - t.start).toFixed(1)}`];
    reply.header('server-timing', [...parts, `app;dur=${(now - t.start).toFixed(1)}`].join(', '));
    return payload;
  });
}
