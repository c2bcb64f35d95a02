import type { FastifyInstance } from 'fastify';
import { sql } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';

/** GET /healthz → 200 {"status":"ok"} once the database answers. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => {
    try {
      await sql`SELECT 1`.execute(app.mosaic.db.app);
    } catch (e) {
      throw new AppError('UNAVAILABLE', 'The database does not answer.', { cause: e });
    }
    return { status: 'ok' };
  });
}
