import type { FastifyInstance, FastifyRequest } from 'fastify';
import { currentWalLsn, LSN_RE, readDatabase } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';
import type { AccessGuard } from '@mosaic/access';
import type { RecordsCtx } from '@mosaic/records';
import { recordsCtx, type ServerContext } from './context.ts';

const LSN_COOKIE = 'mosaic_lsn';
const LSN_HEADER = 'x-mosaic-lsn';
const MIN_LSN_HEADER = 'x-mosaic-min-lsn';

/**
 * Read-your-writes with a read replica (docs/deploy.md): after every write
 * request the reply carries the primary's WAL position — as a cookie, which the
 * web app sends back by itself, and as the `X-Mosaic-LSN` header for API
 * clients, which pass it back as `X-Mosaic-Min-LSN`. Replica reads
 * (replicaReadCtx) honour it, so a document a user just saved is never missing
 * from their next report, whichever API process serves it.
 */
export function registerReadYourWrites(app: FastifyInstance): void {
  if (!app.mosaic.db.replica) return;
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.actor || ['GET', 'HEAD', 'OPTIONS'].includes(request.method) || reply.statusCode >= 400) return payload;
    const lsn = await currentWalLsn(app.mosaic.db);
    reply.header(LSN_HEADER, lsn);
    reply.setCookie(LSN_COOKIE, lsn, { path: '/', httpOnly: true, sameSite: 'lax' });
    return payload;
  });
}

/** A records context that reads the replica when it has caught up with this user's last write. */
export async function replicaReadCtx(ctx: ServerContext, request: FastifyRequest): Promise<RecordsCtx> {
  const base = recordsCtx(ctx, (request as { guard?: AccessGuard }).guard);
  if (!ctx.db.replica) return base;
  return { ...base, db: await readDatabase(ctx.db, minLsnOf(request)) };
}

function minLsnOf(request: FastifyRequest): string | undefined {
  const header = request.headers[MIN_LSN_HEADER];
  if (header !== undefined) {
    if (typeof header !== 'string' || !LSN_RE.test(header)) {
      throw new AppError('BAD_REQUEST', `${MIN_LSN_HEADER}: not a WAL position like 0/16B3748`, { field: MIN_LSN_HEADER });
    }
    return header;
  }
  const cookie = request.cookies?.[LSN_COOKIE];
  return cookie && LSN_RE.test(cookie) ? cookie : undefined; // a mangled cookie just means "read the primary"
}
