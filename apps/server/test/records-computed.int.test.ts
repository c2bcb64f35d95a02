import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computedAssignments } from '@mosaic/records';
import { advanceClock, resetClock } from '@mosaic/kernel';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { inTenantTx, sql } from '@mosaic/db';

// Stored formulas and roll-ups are refreshed by one UPDATE per table (issue 8's round trips):
// a formula reading another computed field of the same row sees its fresh value, rounded as stored.
let t: TestApp;

const field = async (object: string, body: Record<string, unknown>) => {
  const r = await t.api('POST', `/api/v1/meta/objects/${object}/fields`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
};

beforeAll(async () => {
  t = await createTestApp();
  const head = await t.api('POST', '/api/v1/meta/objects', { apiName: 'c_bill', label: '单', fields: [{ apiName: 'rebate', type: 'decimal', label: '返利' }] });
  expect(head.status, JSON.stringify(head.body)).toBe(201);
  const line = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'c_bill_line', label: '行', isChild: true, parentObject: 'c_bill',
    fields: [{ apiName: 'qty', type: 'decimal', label: '数量' }, { apiName: 'rate', type: 'decimal', label: '单价' }],
  });
  expect(line.status, JSON.stringify(line.body)).toBe(201);
  await field('c_bill_line', { apiName: 'net', type: 'formula', label: '净额', config: { formula: 'ROUND(qty * rate / 1.13, 2)' } });
  await field('c_bill_line', { apiName: 'tax', type: 'formula', label: '税额', config: { formula: 'ROUND(qty * rate, 2) - net' } });
  await field('c_bill_line', { apiName: 'gross', type: 'formula', label: '含税', config: { formula: 'net + tax' } });
  await field('c_bill_line', { apiName: 'label', type: 'formula', label: '说明', config: { formula: '"净额 " & net' } });
  await field('c_bill', { apiName: 'lines', type: 'child_table', label: '明细', config: { target: 'c_bill_line' } });
  await field('c_bill', { apiName: 'net_total', type: 'rollup', label: '净额合计', config: { rollup: { relation: 'lines', field: 'net', fn: 'sum' } } });
  await field('c_bill', { apiName: 'gross_total', type: 'rollup', label: '含税合计', config: { rollup: { relation: 'lines', field: 'gross', fn: 'sum' } } });
  await field('c_bill', { apiName: 'line_count', type: 'rollup', label: '行数', config: { rollup: { relation: 'lines', fn: 'count' } } });
  await field('c_bill', { apiName: 'payable', type: 'formula', label: '应付', config: { formula: 'gross_total - IF(rebate > 0, rebate, 0)' } });
  await field('c_bill', { apiName: 'payable_half', type: 'formula', label: '半', config: { formula: 'ROUND(payable / 2, 2)' } });
  // A stored formula reading a virtual one (no column) that reads a stored one: fresh all the way through.
  await field('c_bill', { apiName: 'payable_x10', type: 'formula', label: '十倍', config: { formula: 'payable_half * 10', stored: false } });
  await field('c_bill', { apiName: 'payable_x20', type: 'formula', label: '二十倍', config: { formula: 'payable_x10 * 2' } });
  // A chain where each formula reads the previous one twice: inlining it all would double the SQL at every step.
  for (let i = 1; i <= 7; i++) {
    await field('c_bill', { apiName: `chain${i}`, type: 'formula', label: `链${i}`, config: { formula: i === 1 ? 'line_count + 1' : `chain${i - 1} + chain${i - 1}` } });
  }
});

afterAll(async () => {
  await t?.close();
});

describe('stored formulas and roll-ups', () => {
  it('sets every computed column of a table in one UPDATE when the expressions stay small', async () => {
    const objects = await t.store.objects(t.tenant.tenantId);
    expect(computedAssignments(objects, objects.get('c_bill_line')!, 'Asia/Shanghai')).toHaveLength(1);
    // 3 roll-ups, payable, payable_half, payable_x20 and the chain: chain5 would inline 46 expressions (doubling), so chain5–7 go to a second UPDATE reading chain4's column.
    const head = computedAssignments(objects, objects.get('c_bill')!, 'Asia/Shanghai');
    expect(head.map((sets) => sets.length)).toEqual([10, 3]);
  });

  it('gives each formula the fresh value of the computed fields it reads, on create and on update', async () => {
    const created = await t.api('POST', '/api/v1/records/c_bill', {
      rebate: '1.5',
      lines: [{ qty: '3', rate: '10.01' }, { qty: '1', rate: '0.99' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [a, b] = created.body.lines;
    // 30.03 / 1.13 = 26.575… → 26.58; tax 30.03 - 26.58 = 3.45.
    expect([a.net, a.tax, a.gross, a.label]).toEqual(['26.58', '3.45', '30.03', '净额 26.58']);
    expect([b.net, b.tax, b.gross]).toEqual(['0.88', '0.11', '0.99']);
    expect(created.body).toMatchObject({ net_total: '27.46', gross_total: '31.02', line_count: 2, payable_half: '14.76' });
    expect(Number(created.body.payable)).toBe(29.52);
    expect(Number(created.body.payable_x20)).toBe(295.2);
    // chain1 = 3, each next doubles: 3, 6, 12, … 192.
    expect(created.body.chain7).toBe('192');

    const updated = await t.api('PATCH', `/api/v1/records/c_bill/${created.body.id}`, {
      version: created.body.version, rebate: '0',
      lines: [{ id: a.id, qty: '1', rate: '113' }],
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.lines.map((l: any) => [l.net, l.tax, l.gross])).toEqual([['100.00', '13.00', '113.00']]);
    expect(updated.body).toMatchObject({ net_total: '100.00', gross_total: '113.00', line_count: 1, payable_half: '56.50', chain7: '128' });
    expect(Number(updated.body.payable)).toBe(113);
    expect(Number(updated.body.payable_x20)).toBe(1130);
  });
});

describe('a stored formula reading, through a link, a virtual formula that reads TODAY()', () => {
  it('is computed with the day of each write, not the day its SQL was first built', async () => {
    const ref = await t.api('POST', '/api/v1/meta/objects', { apiName: 'c_deadline', label: '期限', fields: [{ apiName: 'due', type: 'date', label: '到期' }] });
    expect(ref.status, JSON.stringify(ref.body)).toBe(201);
    // Virtual (no column): compiled into the reading object's SQL, with the day as a parameter.
    await field('c_deadline', { apiName: 'late_days', type: 'formula', label: '逾期天数', config: { formula: 'DAYS(TODAY(), due)', stored: false } });
    await t.api('POST', '/api/v1/meta/objects', { apiName: 'c_plan', label: '计划', fields: [{ apiName: 'title', type: 'text', label: '标题' }] });
    await field('c_plan', { apiName: 'deadline', type: 'link', label: '期限', config: { target: 'c_deadline' } });
    await field('c_plan', { apiName: 'late', type: 'formula', label: '逾期', config: { formula: 'deadline.late_days' } });
    const deadline = (await t.api('POST', '/api/v1/records/c_deadline', { due: '2020-01-01' })).body.id;
    const plan = async (token?: string) => {
      const r = await t.api('POST', '/api/v1/records/c_plan', { title: 'p', deadline }, token ? { token } : undefined);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return Number(r.body.late);
    };
    const before = await plan();
    expect(before).toBeGreaterThan(0);
    // An API token: a login session would count three idle days against itself.
    const token = (await t.api('POST', '/api/v1/auth/tokens', { name: 'clock' })).body.token;
    advanceClock(3 * 86_400_000);
    try {
      expect(await plan(token)).toBe(before + 3);
    } finally {
      resetClock();
    }
  });
});

describe("stored formulas use the tenant's time zone", () => {
  // A clock-reading formula (TODAY()) is never stored, so the zone shows in a stored datetime-to-text formula.
  it("a tenant in Honolulu at 23:30 local stores its own day, on create and on backfill", async () => {
    const owner = t.testDb.db.owner;
    const ZONE = 'Pacific/Honolulu'; // UTC-10 all year: 09:30Z is 23:30 there, 17:30 in Shanghai
    const day = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
    const now = new Date();
    const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 9, 30));
    expect(day(at, ZONE)).not.toBe(day(at, 'Asia/Shanghai'));
    const obj = await t.api('POST', '/api/v1/meta/objects', { apiName: 'c_tz_note', label: '时区', fields: [{ apiName: 'title', type: 'text', label: '标题' }, { apiName: 'happened_at', type: 'datetime', label: '发生' }] });
    expect(obj.status, JSON.stringify(obj.body)).toBe(201);
    const token = (await t.api('POST', '/api/v1/auth/tokens', { name: 'tz' })).body.token; // a login session would count the jump as idle time
    // The tenant table is under row-level security for its owner too: set the tenant.
    const setZone = (zone: string) => inTenantTx(owner, { tenantId: t.tenant.tenantId }, (tx) => sql`UPDATE tenant SET time_zone = ${zone}`.execute(tx));
    expect(Number((await setZone(ZONE)).numAffectedRows)).toBe(1);
    advanceClock(at.getTime() - Date.now());
    try {
      const early = await t.api('POST', '/api/v1/records/c_tz_note', { title: 'before the field', happened_at: at.toISOString() }, { token });
      expect(early.status, JSON.stringify(early.body)).toBe(201);
      // Added now: the existing row is backfilled (the metadata path).
      const added = await t.api('POST', '/api/v1/meta/objects/c_tz_note/fields', { apiName: 'noted_on', type: 'formula', label: '记录时刻', config: { formula: 'happened_at & ""' } }, { token });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      const created = await t.api('POST', '/api/v1/records/c_tz_note', { title: 'after', happened_at: at.toISOString() }, { token });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      // The stored column itself: the API computes a clock-reading formula again on each read.
      const stored = async (id: string) => inTenantTx(owner, { tenantId: t.tenant.tenantId }, async (tx) => {
        const { rows: [m] } = await sql<{ col: string; tab: string }>`SELECT f.column_name AS col, o.table_name AS tab FROM meta_field f
          JOIN meta_object o ON o.id = f.object_id WHERE o.api_name = 'c_tz_note' AND f.api_name = 'noted_on'`.execute(tx);
        return (await sql<{ d: string }>`SELECT ${sql.ref(m.col)} AS d FROM ${sql.table(m.tab)} WHERE id = ${id}`.execute(tx)).rows[0].d;
      });
      const local = `${day(at, ZONE)} 23:30:00`; // the datetime as text, where the tenant is
      expect({ created: created.body.noted_on, createdStored: await stored(created.body.id), backfilledStored: await stored(early.body.id) })
        .toEqual({ created: local, createdStored: local, backfilledStored: local });
    } finally {
      resetClock();
      await setZone('Asia/Shanghai');
    }
  });
});
