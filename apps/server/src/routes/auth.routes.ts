import type { FastifyInstance } from 'fastify';
import { inTenantTx } from '@mosaic/db';
import { companyCurrency, login, logout } from '@mosaic/identity';
import { SESSION_COOKIE } from '../http/auth.hook.ts';

/** POST /api/v1/auth/login {email, password} → {token, user}; also sets the web app's session cookie. */
export async function authRoutes(app: FastifyInstance): Promise<void> {
  app.post('/api/v1/auth/login', async (request, reply) => {
    const body = (request.body ?? {}) as { email?: unknown; password?: unknown };
    const result = await login(app.mosaic.db, body.email, body.password, { ip: request.ip, userAgent: request.headers['user-agent'] });
    void reply.setCookie(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
    return result;
  });

  app.post('/api/v1/auth/logout', async (request, reply) => {
    await logout(app.mosaic.db, request.actor!, request.token!);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  // companyCurrency: what the web app formats a figure in when the figure carries no currency of its own
  // (a customer's 360 totals, a forecast, a portfolio), read once per session with the rest of "me".
  app.get('/api/v1/auth/me', async (request) => {
    const a = request.actor!;
    const currency = await inTenantTx(app.mosaic.db.app, { tenantId: a.tenantId }, (tx) => companyCurrency(tx, a.companyId));
    return { user: { id: a.userId, tenantId: a.tenantId, companyId: a.companyId, departmentId: a.departmentId, isAdmin: a.isAdmin, locale: a.locale, timeZone: a.timeZone, companyCurrency: currency } };
  });
}
