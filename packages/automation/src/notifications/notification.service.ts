import { sql } from 'kysely';
import { AppError, isUuid, newId } from '@mosaic/kernel';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';

/** A notice to write: who, what, where it links to. */
export interface NewNotice {
  userId: string;
  title: string;
  body?: string | null;
  link?: string | null;
  kind?: 'info' | 'rule' | 'approval' | 'reminder';
  object?: string | null;
  recordId?: string | null;
}

export interface NotificationPrefs {
  inApp: boolean;
  email: boolean;
  digest: boolean;
}

/** Where a notice about a record links to: the record's page in the web app (its route /o/:object/:id). */
export const recordLink = (object: string, id: string): string => `/o/${encodeURIComponent(object)}/${encodeURIComponent(id)}`;

const DEFAULT_PREFS: NotificationPrefs = { inApp: true, email: false, digest: false };

/**
 * Writes notifications in the caller's transaction (so a notice exists exactly
 * when the change that caused it commits), honouring each user's preferences:
 * in-app ones show in the bell (an insert NOTIFYs the SSE hubs), email ones are
 * also mailed by the worker, digest ones go into the daily digest. A user who
 * wants none of them gets nothing.
 */
export async function addNotifications(tx: Tx, tenantId: string, notices: NewNotice[]): Promise<number> {
  if (!notices.length) return 0;
  const prefs = await prefsOf(tx, [...new Set(notices.map((n) => n.userId))]);
  let n = 0;
  for (const x of notices) {
    const p = prefs.get(x.userId) ?? DEFAULT_PREFS;
    if (!p.inApp && !p.email && !p.digest) continue;
    await sql`INSERT INTO notification (tenant_id, id, user_id, kind, title, body, link, object, record_id, email_wanted, read_at)
      VALUES (${tenantId}, ${newId()}, ${x.userId}, ${x.kind ?? 'info'}, ${x.title.slice(0, 500)}, ${x.body?.slice(0, 5000) ?? null}, ${x.link?.slice(0, 1000) ?? null},
        ${x.object ?? null}, ${x.recordId ?? null}, ${p.email}, ${p.inApp ? null : sql`now()`})`.execute(tx);
    n++;
  }
  return n;
}

async function prefsOf(tx: Tx, userIds: string[]): Promise<Map<string, NotificationPrefs>> {
  const rows = await sql<{ user_id: string; in_app: boolean; email: boolean; digest: boolean }>`SELECT user_id, in_app, email, digest FROM notification_pref WHERE user_id = ANY(${userIds}::uuid[])`.execute(tx);
  return new Map(rows.rows.map((r) => [r.user_id, { inApp: r.in_app, email: r.email, digest: r.digest }]));
}

export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  object: string | null;
  recordId: string | null;
  createdAt: string;
  readAt: string | null;
}

const mine = <T>(db: Database, a: Actor, fn: (tx: Tx) => Promise<T>) => inTenantTx(db.app, { tenantId: a.tenantId, userId: a.userId }, fn);

/** GET /api/v1/notifications — the caller's, newest first; `before` (an id) pages back. */
export async function listNotifications(db: Database, a: Actor, q: { unread?: boolean; limit: number; before?: string }): Promise<{ data: NotificationView[]; unread: number }> {
  if (q.before !== undefined && !isUuid(q.before)) throw new AppError('PAGE_INVALID', 'before: a notification id', { field: 'before' });
  return mine(db, a, async (tx) => {
    const rows = await sql<Record<string, any>>`SELECT * FROM notification WHERE user_id = ${a.userId}
        AND (${q.unread ?? false} = false OR read_at IS NULL)
        AND (${q.before ?? null}::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM notification WHERE id = ${q.before ?? null}::uuid))
      ORDER BY created_at DESC, id DESC LIMIT ${q.limit}`.execute(tx);
    return { data: rows.rows.map(view), unread: await countUnread(tx, a.userId) };
  });
}

export async function unreadCount(db: Database, a: Actor): Promise<{ unread: number }> {
  return mine(db, a, async (tx) => ({ unread: await countUnread(tx, a.userId) }));
}

/** Marks the given notifications (or all of the caller's) read; returns the unread count left. */
export async function markRead(db: Database, a: Actor, ids: string[] | 'all'): Promise<{ unread: number }> {
  if (ids !== 'all' && !ids.every(isUuid)) throw new AppError('FIELD_INVALID', 'ids: notification ids', { field: 'ids' });
  return mine(db, a, async (tx) => {
    await sql`UPDATE notification SET read_at = now() WHERE user_id = ${a.userId} AND read_at IS NULL
      AND (${ids === 'all'} OR id = ANY(${ids === 'all' ? [] : ids}::uuid[]))`.execute(tx);
    return { unread: await countUnread(tx, a.userId) };
  });
}

export async function getPrefs(db: Database, a: Actor): Promise<NotificationPrefs> {
  return mine(db, a, async (tx) => (await prefsOf(tx, [a.userId])).get(a.userId) ?? DEFAULT_PREFS);
}

export async function setPrefs(db: Database, a: Actor, p: Partial<NotificationPrefs>): Promise<NotificationPrefs> {
  return mine(db, a, async (tx) => {
    const cur = (await prefsOf(tx, [a.userId])).get(a.userId) ?? DEFAULT_PREFS;
    const next = { ...cur, ...p };
    await sql`INSERT INTO notification_pref (tenant_id, user_id, in_app, email, digest) VALUES (${a.tenantId}, ${a.userId}, ${next.inApp}, ${next.email}, ${next.digest})
      ON CONFLICT (tenant_id, user_id) DO UPDATE SET in_app = EXCLUDED.in_app, email = EXCLUDED.email, digest = EXCLUDED.digest, updated_at = now()`.execute(tx);
    return next;
  });
}

async function countUnread(tx: Tx, userId: string): Promise<number> {
  return (await sql<{ n: number }>`SELECT count(*)::int AS n FROM notification WHERE user_id = ${userId} AND read_at IS NULL`.execute(tx)).rows[0].n;
}

function view(r: Record<string, any>): NotificationView {
  return {
    id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, object: r.object, recordId: r.record_id,
    createdAt: r.created_at.toISOString(), readAt: r.read_at?.toISOString() ?? null,
  };
}
