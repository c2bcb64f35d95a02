import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { loadActor } from '@mosaic/identity';
import { guardFor } from '@mosaic/access';
import type { RecordsCtx } from '@mosaic/records';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { tableOf } from '../mfg-tables.ts';
import { planMrpAsync, plannedOrders } from '../mrp/mrp.rules.ts';
import { suggestionWriter } from '../mrp/mrp-run.service.ts';
import { goldenFixture, ordersForGolden } from '../mrp/fixtures/mrp-fixture.ts';
import type { MrpInput, PlannedOrder } from '../mrp/mrp.types.ts';

// The store path of an MRP run on a real PostgreSQL: the golden fixture's plan
// (mrp.golden.test.ts), written in batches while it is planned, read back row by
// row — every stored suggestion is exactly the planned order, pegs included, and
// the whole is still the golden result.
let t: TestApp;
let ctx: RecordsCtx;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.testDb.db;
  const actor = (await inTenantTx(db.app, { tenantId: t.tenant.tenantId }, (tx) => loadActor(tx, t.tenant.tenantId, t.tenant.adminId)))!.actor;
  ctx = { db, store: t.store, guard: await guardFor(db, t.store, actor) };
});

afterAll(async () => {
  await t?.close();
});

/**
 * The fixture with every id a uuid, as the database has them (suggestion links are
 * uuid columns). Handed out in the ids' sort order, so items plan in the same order.
 */
function withUuids(input: MrpInput) {
  const all = new Set<string>();
  for (const i of input.items) all.add(i.id);
  for (const b of input.boms.values()) for (const id of [b.item, ...b.lines.map((l) => l.item)]) all.add(id);
  for (const d of input.demands) for (const id of [d.item, d.ref.id, d.ref.line]) if (id !== undefined) all.add(id);
  for (const r of input.receipts) (all.add(r.item), all.add(r.id));
  const toUuid = new Map([...all].sort().map((id, n) => [id, `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`]));
  const back = new Map([...toUuid].map(([id, v]) => [v, id]));
  const u = (id: string) => toUuid.get(id)!;
  const mapped: MrpInput = {
    today: input.today,
    items: input.items.map((i) => ({ ...i, id: u(i.id) })),
    boms: new Map([...input.boms].map(([item, b]) => [u(item), { item: u(b.item), lines: b.lines.map((l) => ({ ...l, item: u(l.item) })) }])),
    demands: input.demands.map((d) => ({ ...d, item: u(d.item), ref: { ...d.ref, id: u(d.ref.id), ...(d.ref.line === undefined ? {} : { line: u(d.ref.line) }) } })),
    receipts: input.receipts.map((r) => ({ ...r, item: u(r.item), id: u(r.id) })),
  };
  return { mapped, back: (id: string) => back.get(id) ?? id };
}

const pegsOf = (o: PlannedOrder) => o.pegs.map((p) => (p.demand ? { t: p.demand.type, id: p.demand.id, ...(p.demand.line === undefined ? {} : { l: p.demand.line }), q: p.qty } : { o: p.order, q: p.qty }));

describe('MRP suggestions as stored', () => {
  it('are the planned orders exactly, written in batches while planning, and still the golden result', async () => {
    const { mapped, back } = withUuids(goldenFixture());
    const runId = randomUUID();
    const a = ctx.guard.actor;
    const objects = await t.store.objects(a.tenantId);
    const S = tableOf(objects, 'mrp_suggestion');
    const { orders, rows } = await inTenantTx(ctx.db.app, { tenantId: a.tenantId, userId: a.userId }, async (tx) => {
      const writer = await suggestionWriter(tx, objects, ctx, runId, 500);
      let offers = 0;
      const plan = await planMrpAsync(mapped, 0, (soFar) => (offers++, writer.offer(soFar)));
      expect(offers).toBeGreaterThan(10);
      await writer.finish(plan);
      const read = await sql<Record<string, any>>`SELECT id, ${S.c('seq')}::int AS seq, ${S.c('item')} AS item, ${S.c('kind')} AS kind, ${S.c('qty')}::text AS qty,
          ${S.c('start_date')}::text AS sd, ${S.c('due_date')}::text AS dd, ${S.c('level')}::int AS level, ${S.c('sales_order')} AS so, ${S.c('pegs')} AS pegs,
          ${S.c('mrp_run')} AS run, ${S.c('firmed')} AS firmed, owner_id, company_id
        FROM ${S.t} ORDER BY ${S.c('seq')}`.execute(tx);
      return { orders: plannedOrders(plan), rows: read.rows };
    });
    expect(rows.length).toBe(orders.length);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    // one comparison of all rows (a failure names the rows that differ)
    expect(rows.map((r) => ({ ...r, id: undefined, qty: Number(r.qty), pegs: JSON.parse(r.pegs) }))).toEqual(orders.map((o, i) => {
      const only = o.pegs.length === 1 ? o.pegs[0].demand : undefined;
      return {
        id: undefined, seq: i, item: o.item, kind: o.kind, qty: o.qty, sd: o.startDate, dd: o.dueDate, level: o.level,
        so: only?.type === 'sales_order' ? only.id : null, pegs: pegsOf(o), run: runId, firmed: false, owner_id: a.userId, company_id: a.companyId,
      };
    }));
    // read back into plain orders with the fixture's own ids: the golden file, exactly
    const golden = JSON.parse(zlib.gunzipSync(fs.readFileSync(new URL('../mrp/fixtures/mrp-golden.json.gz', import.meta.url))).toString('utf8')) as { orders: unknown[] };
    const stored: PlannedOrder[] = rows.map((r) => ({
      index: r.seq, item: back(r.item), kind: r.kind, qty: Number(r.qty), startDate: r.sd, dueDate: r.dd, level: r.level, pastDue: r.sd < mapped.today,
      pegs: JSON.parse(r.pegs).map((p: any) => (p.o !== undefined ? { order: p.o, qty: p.q } : { demand: { type: p.t, id: back(p.id), ...(p.l === undefined ? {} : { line: back(p.l) }) }, qty: p.q })),
    }));
    expect(ordersForGolden(stored)).toEqual(golden.orders);
  });
});
