import type { Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import type { AccessGuard, Actor } from '@mosaic/access';
import type { RecordsCtx } from '@mosaic/records';

/** What the server holds for its lifetime; request handlers get it from `app.mosaic`. */
export interface ServerContext {
  db: Database;
  store: MetaStore;
  dataDir: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    mosaic: ServerContext;
  }
  interface FastifyRequest {
    actor?: Actor;
    guard?: AccessGuard;
    token?: string;
  }
}

/** The records context of an authenticated request (routes behind the auth hook only). */
export function recordsCtx(ctx: ServerContext, guard: AccessGuard | undefined): RecordsCtx {
  if (!guard) throw new Error('recordsCtx used on a route without authentication');
  return { db: ctx.db, store: ctx.store, guard };
}
