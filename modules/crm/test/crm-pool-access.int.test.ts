import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { advanceClock, clock, resetClock } from '@mosaic/kernel';
import { recyclePool } from '../pool/pool.service.ts';
import { systemCtx } from '../shared/system-ctx.ts';
import { runRule } from '@mosaic/automation';
import { crmWorld, type CrmWorld } from './crm-world.ts';

// The public pool (公海) with a controllable clock: leads and customers not
// followed up within their rule's days return to the pool, reps claim from it
// up to a limit, every move is logged. And who sees what: a rep their own
// customers, a manager the team's, nobody the other team's.
let w: CrmWorld;
const DAY = 86_400_000;

beforeAll(async () => {
  w = await crmWorld();
}, 180_000);
afterAll(async () => {
  resetClock();
  await w?.t.close();
});

const poolIds = async (object: string, who: 'repA' | 'repB' | 'repC' = 'repB') => (await w.as(who)('GET', `/api/v1/crm/pool/${object}?pageSize=200`)).body.data.map((r: any) => r.id);
// The job as the scheduler runs it, at a moment `days` ahead (sessions live on the real clock, so HTTP calls stay in the present).
const recycleAt = async (days: number) => recyclePool(await systemCtx(w.t.testDb.db, w.t.store, w.t.tenant.tenantId), new Date(Date.now() + days * DAY));

describe('public pool', () => {
  it('returns leads idle for more than 7 days to the pool, keeps followed-up ones, logs every move', async () => {
    const idle = await w.create('repA', 'lead', { company: '闲置线索一', name: '甲' });
    const idle2 = await w.create('repA', 'lead', { company: '闲置线索二', name: '乙' });
    const active = await w.create('repA', 'lead', { company: '活跃线索', name: '丙' });
    const customer = await w.create('repA', 'customer', { name: '老客户有限公司' });
    await w.create('repA', 'activity', { kind: 'visit', subject: '上门拜访', lead: active.id, occurred_at: new Date(Date.now() + 6 * DAY).toISOString() });
    expect((await recycleAt(6)).released).toBe(0);
    // Day 8: the two idle leads are past 7 days, the visited one is not; the customer's rule is 30 days.
    expect((await recycleAt(8)).released).toBe(2);
    // Administrators may run it by hand (now: nothing is due).
    const byHand = await w.as('admin')('POST', '/api/v1/crm/pool/recycle');
    expect(byHand.status, JSON.stringify(byHand.body)).toBe(200);
    expect((await w.as('repA')('POST', '/api/v1/crm/pool/recycle')).status).toBe(403);
    const pool = await poolIds('lead');
    expect(pool.sort()).toEqual([idle.id, idle2.id].sort());
    expect(await poolIds('customer')).toEqual([]);
    // Out of the pool the former owner no longer sees them (own scope: no owner now).
    expect((await w.as('repA')('GET', `/api/v1/records/lead/${idle.id}`)).status).toBe(404);
    const moves = await w.q<{ action: string; from_owner: string; reason: string }>(sql`SELECT c_action AS action, c_from_owner AS from_owner, c_reason AS reason FROM o_pool_move WHERE c_target_id = ${idle.id}`);
    expect(moves).toEqual([{ action: 'release', from_owner: w.ids.repA, reason: expect.stringContaining('7 天未跟进') }]);
    expect((await recycleAt(8)).released).toBe(0); // nothing twice
    expect((await recycleAt(31)).byRule).toMatchObject({ '客户 30 天未跟进退回公海': 1 }); // day 31: the customer follows
    expect(await poolIds('customer')).toEqual([customer.id]);
  });

  it('the shipped schedule rule does the same at its fire time', async () => {
    const lead = await w.create('repC', 'lead', { company: '定时回收线索', name: '丁' });
    const rule = (await w.t.api('GET', '/api/v1/automation/rules')).body.data.find((x: any) => x.name.startsWith('公海回收'));
    expect(rule.trigger).toEqual({ type: 'schedule', cron: '17 * * * *' });
    advanceClock(8 * DAY); // the rule runs at the clock's time
    try {
      await runRule({ db: w.t.testDb.db, store: w.t.store, url: w.t.testDb.url }, { tenantId: w.t.tenant.tenantId, ruleId: rule.id, trigger: { kind: 'schedule', key: `s:${clock.now().toISOString()}`, op: 'schedule', at: clock.now().toISOString() } });
    } finally {
      resetClock();
    }
    expect(await poolIds('lead')).toContain(lead.id);
  });

  it('lets reps claim up to the limit; two reps racing for one record: one gets it', async () => {
    const rule = (await w.t.api('GET', `/api/v1/records/crm_pool_rule?filter=${encodeURIComponent(JSON.stringify({ target: 'lead' }))}`)).body.data[0];
    expect((await w.t.api('PATCH', `/api/v1/records/crm_pool_rule/${rule.id}`, { claim_limit: 2, version: rule.version })).status).toBe(200);
    const [a, b, c] = await poolIds('lead');
    const race = await Promise.all([w.as('repB')('POST', `/api/v1/crm/pool/lead/${a}/claim`), w.as('repC')('POST', `/api/v1/crm/pool/lead/${a}/claim`)]);
    expect(race.map((x) => x.status).sort()).toEqual([200, 409]);
    const winner = race[0].status === 200 ? 'repB' : 'repC';
    const loser = winner === 'repB' ? 'repC' : 'repB';
    expect((await w.as(winner)('GET', `/api/v1/records/lead/${a}`)).body.owner_id).toBe(w.ids[winner]);
    expect((await w.as(winner)('POST', `/api/v1/crm/pool/lead/${b}/claim`)).body).toMatchObject({ holding: 2, limit: 2 });
    const over = await w.as(winner)('POST', `/api/v1/crm/pool/lead/${c}/claim`);
    expect(over.status).toBe(409);
    expect(over.body.error.message).toContain('limit is 2');
    expect((await w.as(loser)('POST', `/api/v1/crm/pool/lead/${c}/claim`)).status).toBe(200);
    // Giving one back frees a place under the limit.
    expect((await w.as(winner)('POST', `/api/v1/crm/pool/lead/${a}/release`, { reason: '客户无需求' })).status).toBe(200);
    expect(await poolIds('lead')).toContain(a);
    const moves = await w.q<{ action: string }>(sql`SELECT c_action AS action FROM o_pool_move WHERE c_target_id = ${a} ORDER BY created_at`);
    expect(moves.map((m) => m.action)).toEqual(['release', 'claim', 'release']);
    // Claiming something not in the pool is refused; the pool is for leads and customers only.
    expect((await w.as(loser)('POST', `/api/v1/crm/pool/lead/${c}/claim`)).status).toBe(409);
    expect((await w.as(loser)('GET', '/api/v1/crm/pool/ticket')).status).toBe(404);
  });
});

describe('who sees which customers', () => {
  it('a rep sees only their own customers, the manager the whole team, the other team nothing of it', async () => {
    const a = await w.create('repA', 'customer', { name: '甲的客户' });
    const b = await w.create('repB', 'customer', { name: '乙的客户' });
    const c = await w.create('repC', 'customer', { name: '丙的客户' });
    const names = async (who: 'repA' | 'repB' | 'repC' | 'mgrSouth' | 'mgrEast') => {
      const r = await w.as(who)('GET', `/api/v1/records/customer?fields=name&pageSize=500&filter=${encodeURIComponent(JSON.stringify({ name: { in: ['甲的客户', '乙的客户', '丙的客户'] } }))}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.data.map((x: any) => x.name).sort();
    };
    expect(await names('repA')).toEqual(['甲的客户']);
    expect(await names('repB')).toEqual(['乙的客户']);
    expect(await names('mgrSouth')).toEqual(['乙的客户', '甲的客户'].sort());
    expect(await names('mgrEast')).toEqual(['丙的客户']);
    // A record outside one's scope is a 404, for reading and for editing.
    expect((await w.as('repA')('GET', `/api/v1/records/customer/${b.id}`)).status).toBe(404);
    expect((await w.as('repA')('PATCH', `/api/v1/records/customer/${b.id}`, { industry: '制造', version: b.version })).status).toBe(404);
    expect((await w.as('mgrSouth')('PATCH', `/api/v1/records/customer/${b.id}`, { industry: '制造', version: b.version })).status).toBe(200);
    expect((await w.as('mgrEast')('GET', `/api/v1/records/customer/${a.id}`)).status).toBe(404);
    expect((await w.as('mgrEast')('GET', `/api/v1/records/customer/${c.id}`)).status).toBe(200);
  });
});
