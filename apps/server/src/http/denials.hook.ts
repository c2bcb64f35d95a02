import type { FastifyInstance } from 'fastify';
import { AppError, logger } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import { auditAuth } from '@mosaic/identity';

// Refusals that name a right: the caller was authenticated and asked for something their roles do not give.
// (A record or object outside the user's rights answers 404 like a missing one, and is not told apart here.)
const DENIALS = new Set(['FORBIDDEN', 'FIELD_FORBIDDEN']);

/** Every denial is audited (DESIGN.md, Access: "every auth event and denial logged"): who, what, from where. */
export function registerDenialAudit(app: FastifyInstance): void {
  app.addHook('onError', async (request, _reply, error) => {
    const actor = request.actor;
    if (!actor || !(error instanceof AppError) || !DENIALS.has(error.code)) return;
    try {
      await inTenantTx(app.mosaic.db.app, { tenantId: actor.tenantId, userId: actor.userId }, (tx) =>
        auditAuth(tx, actor.tenantId, actor.userId, 'auth.denied', { ip: actor.ip }, {
          code: error.code, method: request.method, path: request.url.split('?')[0].slice(0, 200), field: error.field, message: error.message.slice(0, 300),
        }));
    } catch (e) {
      logger.warn({ err: e }, 'could not audit a denial'); // the refusal itself still goes out
    }
  });
}
