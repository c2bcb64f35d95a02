import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@mosaic/kernel';
import { inTenantTx, sql } from '@mosaic/db';

/**
 * POSTs honour an `Idempotency-Key` header: the first request with a key runs
 * and its reply is stored; the same key with the same body replays that reply;
 * the same key with another body is a 409. A key still being processed (a
 * concurrent duplicate) is a 409 too, so a retry never creates twice.
 */
export async function withIdempotency(request: FastifyRequest, reply: FastifyReply, status: number, run: () => Promise<unknown>): Promise<unknown> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return reply.status(status).send(await run());
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key)) throw new AppError('BAD_REQUEST', 'Idempotency-Key: 1 to 200 visible ASCII characters', { field: 'Idempotency-Key' });
  const actor = request.actor!;
  const hash = createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
  const db = request.server.mosaic.db.app;
  const scope = { tenantId: actor.tenantId, userId: actor.userId };
  const claimed = await inTenantTx(db, scope, async (tx) => {
    const mine = await sql`INSERT INTO idempotency_key (tenant_id, user_id, key, request_hash) VALUES (${actor.tenantId}, ${actor.userId}, ${key}, ${hash})
      ON CONFLICT DO NOTHING RETURNING 1`.execute(tx);
    if (mine.rows.length) return null;
    return (await sql<Record<string, any>>`SELECT * FROM idempotency_key WHERE user_id = ${actor.userId} AND key = ${key}`.execute(tx)).rows[0] ?? {};
  });
  if (claimed) {
    if (claimed.request_hash !== hash) throw new AppError('IDEMPOTENCY_CONFLICT', 'Idempotency-Key: this key was used with a different request', { field: 'Idempotency-Key' });
    if (claimed.status_code === null || claimed.status_code === undefined) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    void reply.header('Idempotent-Replayed', 'true');
    return reply.status(claimed.status_code).send(claimed.response);
  }
  try {
    const body = await run();
    await inTenantTx(db, scope, (tx) => sql`UPDATE idempotency_key SET status_code = ${status}, response = ${JSON.stringify(body)} WHERE user_id = ${actor.userId} AND key = ${key}`.execute(tx));
    return reply.status(status).send(body);
  } catch (e) {
    // A failed request frees its key: the caller may fix the body and retry with it.
    await inTenantTx(db, scope, (tx) => sql`DELETE FROM idempotency_key WHERE user_id = ${actor.userId} AND key = ${key}`.execute(tx));
    throw e;
  }
}
