import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { spyStatements } from '@mosaic/testing';
import { consumeTenant, type Queue, type RunJob } from '@mosaic/automation';
import { automationWorld, type AutomationWorld } from './automation-fixture.ts';

// The outbox consumer (issues 5 and 8): the events of several commits are one batch in one
// transaction — lock, cursor + events, rule stamp, cursor moved — and delivery stays at
// least once: a batch whose jobs could not be queued is read again; one consumer per tenant.
let w: AutomationWorld;
let ruleId: string;
const deps = () => ({ db: w.t.testDb.db, store: w.t.store, url: w.t.testDb.url });
const tenant = () => w.t.tenant.tenantId;

beforeAll(async () => {
  w = await automationWorld({ workers: false });
  ruleId = (await w.rule({ name: '新线索', object: 'sales_lead', trigger: { type: 'created' }, actions: [{ type: 'notify', users: [w.reps.rep1], title: '新线索' }] })).id;
}, 120_000);
afterAll(async () => {
  await w?.close();
});

/** A queue that keeps what it is given (or refuses it), instead of pg-boss. */
function collectingQueue(fail = false): Queue & { jobs: RunJob[] } {
  const jobs: RunJob[] = [];
  return {
    jobs,
    async enqueueRuns(batch: RunJob[]) {
      if (fail) throw new Error('queue down');
      jobs.push(...batch);
    },
  } as unknown as Queue & { jobs: RunJob[] };
}

/**
 * The consumer reads only events older than every transaction still open in the cluster
 * (outbox.ts: txid < pg_snapshot_xmin). Test files running beside this one hold transactions
 * open for a moment (a lock test, a slow report), so wait until the events written so far are
 * readable before a pass that must see them — as the worker's next poll would.
 */
async function untilReadable(): Promise<void> {
  const end = Date.now() + 60_000;
  for (;;) {
    const [r] = await w.sql<{ ok: boolean }>(sql`SELECT NOT EXISTS (SELECT 1 FROM outbox_event WHERE txid >= pg_snapshot_xmin(pg_current_snapshot())) AS ok`);
    if (r.ok) return;
    if (Date.now() > end) throw new Error('outbox events still behind an open transaction after 60 s');
    await new Promise((res) => setTimeout(res, 50));
  }
}

const leadJobs = (q: { jobs: RunJob[] }, ids: string[]) => q.jobs.filter((j) => j.ruleId === ruleId && ids.includes(j.trigger.recordId!));

describe('the outbox consumer', () => {
  it('reads the events of several commits as one batch in one transaction of six statements, one job per (event, rule)', async () => {
    await untilReadable();
    await consumeTenant(deps(), collectingQueue(), tenant()); // what came before (the rule, the users)
    // A transaction open elsewhere in the cluster, older than the leads: their events wait for it.
    const other = new pg.Client({ connectionString: w.t.testDb.url });
    await other.connect();
    await other.query('BEGIN');
    await other.query('SELECT pg_current_xact_id()');
    const leads = [await w.lead({ name: '甲' }), await w.lead({ name: '乙' }), await w.lead({ name: '丙' })];
    expect(await consumeTenant(deps(), collectingQueue(), tenant())).toBe(0);
    setTimeout(() => void other.query('COMMIT').finally(() => other.end()), 300);
    await untilReadable();
    const q = collectingQueue();
    const { statements, result } = await spyStatements(() => consumeTenant(deps(), q, tenant()));
    const texts = statements.map((s) => s.text.replace(/\s+/g, ' '));
    expect(result).toBe(3);
    expect(texts).toHaveLength(6);
    expect(texts[0]).toMatch(/^BEGIN/);
    expect(texts[1]).toMatch(/pg_try_advisory_xact_lock/);
    expect(texts[2]).toMatch(/WITH cur AS \(SELECT last_txid, last_seq FROM event_cursor/);
    expect(texts[4]).toMatch(/INSERT INTO event_cursor/);
    expect(texts[5]).toMatch(/^COMMIT/);
    const jobs = leadJobs(q, leads.map((l) => l.id));
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs.map((j) => j.trigger.key)).size).toBe(3);
    // Consumed: the next pass finds nothing.
    expect(await consumeTenant(deps(), collectingQueue(), tenant())).toBe(0);
  });

  it('reads a batch again when its jobs could not be queued (at least once), then moves on', async () => {
    const lead = await w.lead({ name: '丁' });
    await untilReadable();
    await expect(consumeTenant(deps(), collectingQueue(true), tenant())).rejects.toThrow('queue down');
    const q = collectingQueue();
    expect(await consumeTenant(deps(), q, tenant())).toBe(1);
    expect(leadJobs(q, [lead.id])).toHaveLength(1);
    expect(await consumeTenant(deps(), collectingQueue(), tenant())).toBe(0);
  });

  it('leaves a tenant to the process that holds its consumer lock', async () => {
    const lead = await w.lead({ name: '戊' });
    await untilReadable();
    const holder = new pg.Client({ connectionString: w.t.testDb.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(7283010, hashtext($1))', [tenant()]);
      const q = collectingQueue();
      expect(await consumeTenant(deps(), q, tenant())).toBe(0);
      expect(q.jobs).toEqual([]);
      await holder.query('COMMIT');
      expect(await consumeTenant(deps(), q, tenant())).toBe(1);
      expect(leadJobs(q, [lead.id])).toHaveLength(1);
    } finally {
      await holder.end();
    }
    const [cursor] = await w.sql<{ n: number }>(sql`SELECT count(*)::int AS n FROM event_cursor WHERE consumer = 'automation'`);
    expect(cursor.n).toBe(1);
  });
});
