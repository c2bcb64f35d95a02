import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@mosaic/kernel';
import { inTenantTx, sql, tenantRead, withBeforeCommit, type Tx } from '@mosaic/db';

/**
 * POSTs and a record's PATCH honour an `Idempotency-Key` header (create, bulk create,
 * update, submit, cancel, approval actions): the first request with a key runs and its reply is stored;
 * the same key with the same body replays that reply; the same key with another
 * body is a 409.
 *
 * The key's row is written inside the work's own transaction, just before its
 * COMMIT (withBeforeCommit), with the reply that transaction produced. So a
 * process killed at any moment leaves either the work and the key, or neither:
 * a client retrying after a dropped connection gets the first reply, or the work
 * is done then — never twice, never a key stuck "in progress". A concurrent
 * duplicate waits on the first one's key row and, once that commits, replays it.
 */
export async function withIdempotency(request: FastifyRequest, reply: FastifyReply, status: number, run: () => Promise<unknown>): Promise<unknown> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return reply.status(status).send(await run());
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key)) throw new AppError('BAD_REQUEST', 'Idempotency-Key: 1 to 200 visible ASCII characters', { field: 'Idempotency-Key' });
  const actor = request.actor!;
  const hash = createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
  const db = request.server.mosaic.db.app;
  const scope = { tenantId: actor.tenantId, userId: actor.userId };
  // One round trip (tenantRead's pipeline), not BEGIN / SELECT / COMMIT: every keyed write pays it.
  const stored = async () => (await tenantRead(db, scope, [
    sql`SELECT request_hash, status_code, response FROM idempotency_key WHERE user_id = ${actor.userId} AND key = ${key}`.compile(db),
  ]))[0][0] as unknown as Stored | undefined;

  const earlier = await stored();
  if (earlier) return replay(reply, earlier, hash);
  let saved: string | null = null; // the reply stored with the key, once its transaction committed
  let pending: string | null = null;
  const claim = {
    async beforeCommit(tx: Tx, result: unknown) {
      if (saved !== null) return; // a later write of the same request: the first one carries the key
      pending = JSON.stringify(result ?? null);
      const mine = await sql`INSERT INTO idempotency_key (tenant_id, user_id, key, request_hash, status_code, response)
        VALUES (${actor.tenantId}, ${actor.userId}, ${key}, ${hash}, ${status}, ${pending}) ON CONFLICT DO NOTHING RETURNING 1`.execute(tx);
      // Another request with this key committed first (we waited on its row): undo our work, replay its reply.
      if (!mine.rows.length) throw new KeyTaken();
    },
    committed() {
      saved ??= pending;
    },
  };
  let body: unknown;
  try {
    body = await withBeforeCommit(claim, run);
  } catch (e) {
    // A concurrent duplicate that committed first makes ours fail (the key row, or e.g. the
    // document's version moved on): the request with this key did succeed, so replay that.
    const first = await stored().catch(() => undefined);
    if (first) return replay(reply, first, hash);
    if (e instanceof KeyTaken) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    throw e; // a failed request leaves its key free: fix the body and retry
  }
  const response = JSON.stringify(body ?? null);
  // The request wrote nothing (or its reply is not what its transaction returned): store the reply now.
  if (saved === null) {
    await inTenantTx(db, scope, (tx) => sql`INSERT INTO idempotency_key (tenant_id, user_id, key, request_hash, status_code, response)
      VALUES (${actor.tenantId}, ${actor.userId}, ${key}, ${hash}, ${status}, ${response}) ON CONFLICT DO NOTHING`.execute(tx));
  } else if (saved !== response) {
    await inTenantTx(db, scope, (tx) => sql`UPDATE idempotency_key SET response = ${response} WHERE user_id = ${actor.userId} AND key = ${key}`.execute(tx));
  }
  return reply.status(status).send(body);
}

interface Stored { request_hash: string; status_code: number | null; response: unknown }

class KeyTaken extends Error {}

function replay(reply: FastifyReply, row: Stored, hash: string): unknown {
  if (row.request_hash !== hash) throw new AppError('IDEMPOTENCY_CONFLICT', 'Idempotency-Key: this key was used with a different request', { field: 'Idempotency-Key' });
  // Rows claimed by the earlier two-step scheme may still say "in progress".
  if (row.status_code === null) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
  void reply.header('Idempotent-Replayed', 'true');
  return reply.status(row.status_code).send(row.response);
}
