import os from 'node:os';
import { sql } from 'kysely';
import { setTenant, type Tx } from '@mosaic/db';
import type { AutomationDeps, RuleRow, RunJob } from '../automation.types.ts';
import type { Queue } from '../engine/queue.ts';
import { enabledRules, tenantFacts } from '../rules/rule.store.ts';
import { fireTimesBetween, NextFireMemo } from './cron.ts';
import { dueDateJobs } from './date-triggers.ts';
import { localParts } from './time.ts';
import { todayIn, registerProcessCache } from '@mosaic/kernel';

/** Which process fired what (automation_fire.claimed_by): for operators, and the tests. */
export const PROCESS_TAG = `${os.hostname()}:${process.pid}`;

/** How far back a schedule tick looks for fire times it has not fired yet. */
const SCHEDULE_WINDOW_MS = 10_000;
/** The daily digest goes out at this local hour. */
export const DIGEST_HOUR = 8;

/**
 * One scheduler round for a tenant, run by every worker process every second:
 * cron rules whose fire times fell in the window, date rules whose moment was
 * reached, and (daily) the digest. Which process acts is decided by the
 * database, not by election: each fire key is inserted into automation_fire
 * in the same transaction that queues its job, and only the inserter gets it
 * back — two processes, one run; a crash between the two, no run and no key.
 *
 *   INSERT INTO automation_fire (tenant_id, key, rule_id) VALUES ($t, 's:<rule>:2026-03-02T01:00:00.000Z', $rule)
 *   ON CONFLICT DO NOTHING RETURNING key
 */
export async function scheduleTick(deps: AutomationDeps, queue: Queue, tenantId: string, now: Date, opts: { dates?: boolean; digest?: boolean } = {}): Promise<number> {
  const known = zones.get(tenantId);
  const zone = known && now.getTime() - known.at < 60_000 ? known.timeZone : null;
  // A schedule rule is looked at when its next fire time (remembered in this process) has come.
  const rules = (await enabledRules(deps.db, tenantId)).filter((r) => r.trigger.type === 'schedule'
    ? !zone || memo.due(r.id, memoStamp(r, zone), now)
    : opts.dates && r.trigger.type === 'date_reached');
  if (!rules.length && !opts.digest) return 0;
  const objects = rules.some((r) => r.trigger.type === 'date_reached') ? await deps.store.objects(tenantId) : new Map();
  return deps.db.owner.transaction().execute(async (tx) => {
    await setTenant(tx, { tenantId });
    const { timeZone } = await tenantFacts(tx);
    zones.set(tenantId, { timeZone, at: now.getTime() });
    const jobs: RunJob[] = [];
    for (const rule of rules) {
      if (rule.trigger.type === 'schedule') {
        const from = new Date(Math.max(now.getTime() - SCHEDULE_WINDOW_MS, rule.enabled_at?.getTime() ?? 0));
        for (const at of fireTimesBetween(rule.trigger.cron!, timeZone, from, now)) {
          const key = `s:${at.toISOString()}`;
          if (await claim(tx, tenantId, `s:${rule.id}:${at.toISOString()}`, rule.id)) jobs.push({ tenantId, ruleId: rule.id, trigger: { kind: 'schedule', key, op: 'schedule', at: at.toISOString() } });
        }
        memo.remember(rule.id, memoStamp(rule, timeZone), rule.trigger.cron!, timeZone, now);
      } else {
        const obj = rule.object ? objects.get(rule.object) : undefined;
        if (obj) jobs.push(...(await dueDateJobs(tx, tenantId, rule, obj, timeZone, now)));
      }
    }
    await queue.enqueueRuns(jobs, tx);
    if (opts.digest && localParts(now, timeZone).h >= DIGEST_HOUR) {
      const day = todayIn(timeZone, now);
      if (await claim(tx, tenantId, `digest:${day}`, null)) await queue.enqueueDigest({ tenantId, day }, tx);
    }
    return jobs.length;
  });
}

const memo = new NextFireMemo();
/** Each tenant's time zone as a round read it, trusted for a minute (a changed zone changes every stamp: its rules are looked at again). */
const zones = new Map<string, { timeZone: string; at: number }>();
registerProcessCache(() => zones.clear());

function memoStamp(rule: RuleRow, timeZone: string): string {
  return `${rule.version}|${rule.trigger.cron}|${timeZone}|${rule.enabled_at?.getTime() ?? ''}`;
}

async function claim(tx: Tx, tenantId: string, key: string, ruleId: string | null): Promise<boolean> {
  const r = await sql`INSERT INTO automation_fire (tenant_id, key, rule_id, claimed_by) VALUES (${tenantId}, ${key}, ${ruleId}, ${PROCESS_TAG}) ON CONFLICT DO NOTHING RETURNING 1`.execute(tx);
  return r.rows.length > 0;
}
