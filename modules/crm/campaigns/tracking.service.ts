import { sql } from 'kysely';
import { AppError, clock } from '@mosaic/kernel';
import { inTenantTx, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { logChanges } from '@mosaic/records';
import { verifyToken } from '../shared/tokens.ts';
import { SYSTEM_USER_ID } from '../shared/system-ctx.ts';

interface Deps {
  db: Database;
  store: MetaStore;
}

async function messageTable(deps: Deps, tenantId: string) {
  const objects = await deps.store.objects(tenantId);
  const msg = objects.get('campaign_message')!;
  return { objects, table: msg.tableName, c: (f: string) => sql.ref(msg.fields.find((x) => x.apiName === f)!.columnName!) };
}

/** The open pixel was fetched: first open time kept, every open counted. Unknown or forged tokens change nothing. */
export async function recordOpen(deps: Deps, token: string): Promise<void> {
  const { tenantId, id } = await verifyToken(deps.db, token, 'o');
  const { table, c } = await messageTable(deps, tenantId);
  await inTenantTx(deps.db.app, { tenantId }, (tx) => sql`UPDATE ${sql.id(table)} SET ${c('opened_at')} = COALESCE(${c('opened_at')}, ${clock.now()}), ${c('open_count')} = COALESCE(${c('open_count')}, 0) + 1 WHERE id = ${id}`.execute(tx));
}

/**
 * A tracked link was followed: the click is recorded (a click is also an open —
 * images are often blocked) and the reader goes on to the URL the token signed.
 * Only that URL: the redirect cannot be pointed elsewhere (no open redirect).
 */
export async function recordClick(deps: Deps, token: string, url: string | undefined): Promise<string> {
  if (!url || !/^https?:\/\//i.test(url)) throw new AppError('NOT_FOUND', 'This link is not valid.');
  const { tenantId, id } = await verifyToken(deps.db, token, 'c', url);
  const { table, c } = await messageTable(deps, tenantId);
  const now = clock.now();
  await inTenantTx(deps.db.app, { tenantId }, (tx) => sql`UPDATE ${sql.id(table)} SET ${c('clicked_at')} = COALESCE(${c('clicked_at')}, ${now}), ${c('click_count')} = COALESCE(${c('click_count')}, 0) + 1,
    ${c('opened_at')} = COALESCE(${c('opened_at')}, ${now}) WHERE id = ${id}`.execute(tx));
  return url;
}

/** 退订: the recipient (contact, customer or lead) is marked unsubscribed; every later send skips them. */
export async function unsubscribe(deps: Deps, token: string): Promise<void> {
  const { tenantId, id } = await verifyToken(deps.db, token, 'u');
  const { objects, table, c } = await messageTable(deps, tenantId);
  await inTenantTx(deps.db.app, { tenantId, userId: SYSTEM_USER_ID }, async (tx) => {
    const m = (await sql<{ target_object: string; target_id: string }>`UPDATE ${sql.id(table)} SET ${c('unsubscribed_at')} = COALESCE(${c('unsubscribed_at')}, ${clock.now()})
      WHERE id = ${id} RETURNING ${c('target_object')} AS target_object, ${c('target_id')} AS target_id`.execute(tx)).rows[0];
    const target = m && ['contact', 'customer', 'lead'].includes(m.target_object) ? objects.get(m.target_object) : undefined;
    if (!target) return;
    const col = target.fields.find((x) => x.apiName === 'unsubscribed')!.columnName!;
    const r = await sql`UPDATE ${sql.id(target.tableName)} SET ${sql.ref(col)} = true, version = version + 1, updated_at = now() WHERE id = ${m.target_id} AND NOT COALESCE(${sql.ref(col)}, false)`.execute(tx);
    if (Number(r.numAffectedRows ?? 0)) {
      await logChanges(tx, { tenantId, userId: SYSTEM_USER_ID, companyId: null, departmentId: null, departmentIds: [], isAdmin: false, roleIds: [], locale: 'zh-CN', timeZone: 'Asia/Shanghai' }, [
        { object: target.apiName, recordId: m.target_id, op: 'unsubscribe', changes: { unsubscribed: [false, true] } },
      ]);
    }
  });
}
