import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { seedDemo, type DemoSummary } from '../src/demo/seed-demo.ts';
import { DEMO_TOKEN_NAME, seedFirstTenant } from '../src/demo/demo-command.ts';

// An interrupted demo seed resumes (issue 6 §7): one company seeded straight
// through, another interrupted three times — in its first month just after a
// work order's materials were issued, then after its first month, then in the
// second just after a sales order was written (the two inside a month before
// the generator heard back) — and then started again.
// Both end with the same books:
// the same documents, the same amounts, the same summary.
const OPTIONS = { months: 3, ordersPerMonth: 3, until: '2026-10-20', seed: 11 };
let straight: TestApp;
let resumed: TestApp;
let straightSummary: DemoSummary;
const q = (x: unknown) => encodeURIComponent(JSON.stringify(x));

/** The app, except that the n-th POST to a URL matching `url` is done and then its reply is lost (the process "dies"). */
function losingReply(app: FastifyInstance, url: RegExp, n: number): FastifyInstance {
  let seen = 0;
  return new Proxy(app, {
    get(target, prop, receiver) {
      if (prop !== 'inject') return Reflect.get(target, prop, receiver);
      return async (opts: { method: string; url: string }) => {
        const res = await target.inject(opts as never);
        if (opts.method === 'POST' && url.test(opts.url) && ++seen === n) throw new Error('connection lost after the write');
        return res;
      };
    },
  });
}

/** What the books say, as figures that must not depend on how the seed was run. */
async function figures(t: TestApp) {
  const get = async (url: string) => (await t.api('GET', url)).body;
  const sum = async (object: string, measure: string, filter?: unknown) =>
    (await get(`/api/v1/records/${object}/aggregate?measures=sum:${measure}${filter ? `&filter=${q(filter)}` : ''}`)).data[0]?.[`sum:${measure}`] ?? '0';
  const count = async (object: string) => (await get(`/api/v1/records/${object}?pageSize=1&fields=id`)).total;
  const counts: Record<string, number> = {};
  for (const o of ['item', 'customer', 'sales_order', 'delivery_note', 'sales_invoice', 'purchase_order', 'purchase_receipt', 'purchase_invoice', 'payment',
    'work_order', 'job_card_log', 'lead', 'opportunity', 'ticket', 'employee', 'leave_request', 'attendance', 'project', 'project_task', 'timesheet', 'expense_claim', 'journal_entry']) {
    counts[o] = await count(o);
  }
  return {
    counts,
    debit: await sum('gl_entry', 'debit'), credit: await sum('gl_entry', 'credit'),
    invoiced: await sum('sales_invoice', 'grand_total'), received: await sum('payment', 'amount', { payment_type: 'receive' }),
    stock: await sum('stock_balance', 'value'), projectCost: await sum('project_cost', 'amount'),
  };
}

beforeAll(async () => {
  [straight, resumed] = await Promise.all([createTestApp(), createTestApp()]);
  straightSummary = await seedDemo(straight.app, straight.adminToken, OPTIONS);
}, 600_000);
afterAll(async () => Promise.all([straight?.close(), resumed?.close()]));

describe('an interrupted demo seed', () => {
  it('resumes after its last finished month and ends with the same books as a seed run straight through', async () => {
    const months: string[] = [];
    const track = { ...OPTIONS, onProgress: (_d: number, _t: number, m: string) => months.push(m) };
    // 1. Stopped inside month 1, just after its work order's materials were issued, the reply lost (a shop-floor
    //    action, without key support: the next run sees in the stock ledger that it was done and does not issue again).
    await expect(seedFirstTenant(resumed.testDb.db, losingReply(resumed.app, /\/manufacturing\/work-orders\/.*\/issue$/, 1), track)).rejects.toThrow('connection lost');
    expect(months).toEqual([]);
    // The interrupted seed's token is revoked all the same.
    expect((await resumed.api('GET', '/api/v1/auth/tokens')).body.data.filter((tk: any) => tk.name === DEMO_TOKEN_NAME)).toEqual([]);

    // 2. Stopped after month 1 (the progress callback throws, as a Ctrl-C between months would).
    await expect(seedFirstTenant(resumed.testDb.db, resumed.app, { ...OPTIONS, onProgress: (d, t, m) => { track.onProgress(d, t, m); throw new Error('stopped'); } }))
      .rejects.toThrow('stopped');
    expect(months).toEqual(['2026-08']);
    const afterOne = (await resumed.api('GET', '/api/v1/records/sales_order?pageSize=1&fields=id')).body.total;
    expect(afterOne).toBeGreaterThan(0);
    expect(afterOne).toBeLessThan(straightSummary.salesOrders);

    // 3. Stopped inside month 2, just after a sales order was written, the reply lost (a records write:
    //    sent again with its Idempotency-Key, the API answers it from its key table).
    await expect(seedFirstTenant(resumed.testDb.db, losingReply(resumed.app, /^\/api\/v1\/records\/sales_order$/, 2), track)).rejects.toThrow('connection lost');
    expect(months).toEqual(['2026-08']);

    // 4. Started once more — with other options, which a resumed run ignores: it goes on with its own.
    const summary = await seedFirstTenant(resumed.testDb.db, resumed.app, { months: 12, ordersPerMonth: 50, onProgress: track.onProgress });
    expect(months).toEqual(['2026-08', '2026-09', '2026-10']); // each month done once
    expect(straightSummary.workOrders).toBeGreaterThan(0);
    expect({ ...summary, resumed: undefined }).toEqual({ ...straightSummary, resumed: undefined });
    expect(summary.resumed).toBe(true);
    expect(await figures(resumed)).toEqual(await figures(straight));

    // 5. Finished: another start is refused, as on a company seeded in one go.
    await expect(seedFirstTenant(resumed.testDb.db, resumed.app, OPTIONS)).rejects.toThrow(/already has the demo data/);
  }, 600_000);
});
