import type { FastifyInstance } from 'fastify';
import { currentWalLsn, lsnValue, replicaState, sql } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';

/**
 * GET /healthz → 200 {"status":"ok"} once the database answers (for load balancers).
 * GET /api/v1/admin/health → the administrator's view: the primary's WAL
 * position and, with a read replica, how far behind it is (bytes of WAL not
 * yet replayed, and the age of the last replayed transaction).
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => {
    try {
      await sql`SELECT 1`.execute(app.mosaic.db.app);
    } catch (e) {
      throw new AppError('UNAVAILABLE', 'The database does not answer.', { cause: e });
    }
    return { status: 'ok' };
  });

  app.get('/api/v1/admin/health', async (request) => {
    if (!request.actor?.isAdmin) throw new AppError('FORBIDDEN', 'Only administrators may see the system health.');
    const db = app.mosaic.db;
    const walLsn = await currentWalLsn(db);
    if (!db.replica) return { database: { status: 'ok', walLsn }, replica: null };
    const state = await replicaState(db);
    return {
      database: { status: 'ok', walLsn },
      replica: state
        ? { status: 'ok', replayLsn: state.replayLsn, lagBytes: Number(lsnValue(walLsn) - lsnValue(state.replayLsn)), replayAgeSeconds: state.replayAgeSeconds }
        : { status: 'unavailable' },
    };
  });
}
