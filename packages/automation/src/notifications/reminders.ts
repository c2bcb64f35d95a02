import { sql } from 'kysely';
import { inTenantTx } from '@mosaic/db';
import type { AutomationDeps } from '../automation.types.ts';
import { addNotifications, recordLink } from './notification.service.ts';

/**
 * Task reminders: a task whose remind_at has come (within the last day) and
 * that is not done notifies its assignee once per remind_at value — the fire
 * key and the notification commit together.
 *
 *   INSERT INTO automation_fire … SELECT 'r:' || t.id || ':' || t.c_remind_at … ON CONFLICT DO NOTHING RETURNING …
 */
export async function sendDueReminders(deps: AutomationDeps, tenantId: string, now: Date): Promise<number> {
  const task = await deps.store.object(tenantId, 'task');
  const col = (name: string) => task?.fields.find((f) => f.apiName === name)?.columnName;
  const [remind, done, subject, assignee] = [col('remind_at'), col('done'), col('subject'), col('assignee_id')];
  if (!task || !remind || !done || !subject || !assignee) return 0;
  return inTenantTx(deps.db.app, { tenantId }, async (tx) => {
    const rows = await sql<{ id: string; subject: string; user_id: string }>`
      WITH due AS (
        SELECT t.id, t.${sql.id(subject)} AS subject, COALESCE(t.${sql.id(assignee)}, t.owner_id) AS user_id, t.${sql.id(remind)} AS at FROM ${sql.id(task.tableName)} AS t
        WHERE t.${sql.id(remind)} <= ${now} AND t.${sql.id(remind)} > ${new Date(now.getTime() - 86_400_000)} AND NOT COALESCE(t.${sql.id(done)}, false)
        ORDER BY t.${sql.id(remind)} LIMIT 1000
      ), fired AS (
        INSERT INTO automation_fire (tenant_id, key) SELECT ${tenantId}, 'r:' || due.id || ':' || due.at::text FROM due ON CONFLICT DO NOTHING RETURNING key
      )
      SELECT due.id, due.subject, due.user_id FROM due JOIN fired ON fired.key = 'r:' || due.id || ':' || due.at::text WHERE due.user_id IS NOT NULL`.execute(tx);
    return addNotifications(tx, tenantId, rows.rows.map((r) => ({
      userId: r.user_id, kind: 'reminder' as const, title: `任务提醒：${r.subject}`, link: recordLink('task', r.id), object: 'task', recordId: r.id,
    })));
  });
}
