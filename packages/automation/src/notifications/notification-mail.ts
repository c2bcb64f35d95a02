import { sql } from 'kysely';
import { inTenantTx } from '@mosaic/db';
import { logger } from '@mosaic/kernel';
import type { AutomationDeps } from '../automation.types.ts';
import { sendMail } from '../email/mailer.ts';

/**
 * Emails for users who want each notification by mail too. Each one is sent
 * while its row is locked (FOR UPDATE SKIP LOCKED: two workers never take the
 * same one) and marked in the same transaction, so it goes out once.
 */
export async function sendNotificationEmails(deps: AutomationDeps, tenantId: string, limit = 50): Promise<number> {
  let sent = 0;
  for (let i = 0; i < limit; i++) {
    const done = await inTenantTx(deps.db.app, { tenantId }, async (tx) => {
      const n = (await sql<{ id: string; title: string; body: string | null; link: string | null; email: string }>`
        SELECT n.id, n.title, n.body, n.link, u.email FROM notification n JOIN app_user u ON u.tenant_id = n.tenant_id AND u.id = n.user_id
        WHERE n.email_wanted AND n.emailed_at IS NULL AND n.created_at > now() - interval '1 day'
        ORDER BY n.created_at LIMIT 1 FOR UPDATE OF n SKIP LOCKED`.execute(tx)).rows[0];
      if (!n) return false;
      await sendMail({ to: [n.email], subject: n.title, text: [n.body, n.link].filter(Boolean).join('\n\n') || n.title, messageId: `<notification-${n.id}@mosaic>` });
      await sql`UPDATE notification SET emailed_at = now() WHERE id = ${n.id}`.execute(tx);
      return true;
    }, { attempts: 1 });
    if (!done) break;
    sent++;
  }
  return sent;
}

/**
 * The daily digest (每日摘要): one email per user who asked for it, listing the
 * last day's notifications. Once per user and day: the fire key is inserted
 * in the transaction that holds while the mail goes out.
 */
export async function sendDigest(deps: AutomationDeps, tenantId: string, day: string): Promise<number> {
  const users = await inTenantTx(deps.db.app, { tenantId }, async (tx) => (await sql<{ user_id: string }>`SELECT p.user_id FROM notification_pref p JOIN app_user u ON u.tenant_id = p.tenant_id AND u.id = p.user_id
    WHERE p.digest AND u.active`.execute(tx)).rows.map((r) => r.user_id));
  let sent = 0;
  for (const userId of users) {
    try {
      const ok = await inTenantTx(deps.db.app, { tenantId }, async (tx) => {
        const claimed = await sql`INSERT INTO automation_fire (tenant_id, key) VALUES (${tenantId}, ${`digest:${day}:${userId}`}) ON CONFLICT DO NOTHING RETURNING 1`.execute(tx);
        if (!claimed.rows.length) return false;
        const rows = (await sql<{ title: string; body: string | null; email: string }>`SELECT n.title, n.body, u.email FROM notification n JOIN app_user u ON u.tenant_id = n.tenant_id AND u.id = n.user_id
          WHERE n.user_id = ${userId} AND n.created_at > now() - interval '1 day' ORDER BY n.created_at`.execute(tx)).rows;
        if (!rows.length) return false;
        const text = rows.map((r, i) => `${i + 1}. ${r.title}${r.body ? `\n   ${r.body}` : ''}`).join('\n');
        await sendMail({ to: [rows[0].email], subject: `Mosaic 每日摘要 ${day}（${rows.length} 条）`, text, messageId: `<digest-${day}-${userId}@mosaic>` });
        return true;
      }, { attempts: 1 });
      if (ok) sent++;
    } catch (e) {
      logger.error({ err: e, tenantId, userId }, 'digest email failed; it is retried with the job');
      throw e;
    }
  }
  return sent;
}
