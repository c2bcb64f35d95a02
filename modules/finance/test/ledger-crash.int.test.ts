import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { accountsByCode } from './finance-fixture.ts';
import { ledgerViolations } from './ledger-invariants.ts';

// The books survive crashes: a server process takes invoices and payments from
// four clients and is SIGKILLed at random moments, then restarted, KILLS times.
// Afterwards every invariant holds and every document the API acknowledged as
// submitted is there, submitted, with its voucher. (Suite size: FINANCE_KILLS,
// default 4; the 20 kills is the same test with FINANCE_KILLS=20.)
const KILLS = Number(process.env.FINANCE_KILLS ?? 4);
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'finance-server.child.ts');
let t: TestApp;
let acct: Record<string, string>;
let customer: string;
let item: string;

beforeAll(async () => {
  t = await createTestApp();
  acct = await accountsByCode(t);
  customer = (await t.api('POST', '/api/v1/records/customer', { name: '崩溃测试客户' })).body.id;
  item = (await t.api('POST', '/api/v1/records/item', { code: 'CR', name: '崩溃测试品' })).body.id;
}, 180_000); // a test database and a second company's chart, on a shared machine

afterAll(async () => {
  await t?.close();
});

async function startServer(port: number): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, DATABASE_URL: t.testDb.url, PORT: String(port), LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    proc.stdout!.on('data', () => { if (/^ready$/m.test(out)) { clearTimeout(timer); resolve(); } });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${out}`)); });
  });
  return proc;
}

describe('ledger invariants across crashes', () => {
  it(`SIGKILL the server ${KILLS} times mid-workload: acknowledged documents are there, the books balance`, async () => {
    const acknowledged: string[] = [];
    const invoices: string[] = [];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < KILLS; round++) {
      const port = await freePort();
      const proc = await startServer(port);
      const call = async (method: string, url: string, body?: unknown) => {
        const r = await fetch(`http://127.0.0.1:${port}${url}`, { method, headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: r.status, body: await r.json().catch(() => null) };
      };
      let alive = true;
      const clientLoop = async () => {
        while (alive) {
          try {
            const payOne = invoices.length > 0 && rnd() < 0.5;
            const object = payOne ? 'payment' : 'sales_invoice';
            const body = payOne
              ? { payment_type: 'receive', party_type: 'customer', party: customer, posting_date: '2026-11-15', account: acct['1002'], amount: '10.00',
                  allocations: [{ against_id: invoices[Math.floor(rnd() * invoices.length)], allocated: '10.00' }] }
              : { customer, posting_date: '2026-11-15', lines: [{ item, qty: 1, rate: (50 + Math.floor(rnd() * 5000) / 100).toFixed(2) }] };
            const c = await call('POST', `/api/v1/records/${object}`, body);
            if (c.status !== 201) continue;
            const s = await call('POST', `/api/v1/records/${object}/${c.body.id}/submit`, { version: 1 });
            if (s.status === 200) {
              acknowledged.push(`${object}:${c.body.id}`);
              if (object === 'sales_invoice') invoices.push(c.body.id);
            }
          } catch {
            return; // the server is gone mid-request: that request was not acknowledged
          }
        }
      };
      const clients = Array.from({ length: 4 }, clientLoop);
      await new Promise((r) => setTimeout(r, 800 + rnd() * 1500));
      proc.kill('SIGKILL');
      alive = false;
      await Promise.all(clients);
      await new Promise<void>((r) => (proc.exitCode !== null || proc.signalCode ? r() : proc.once('exit', () => r())));
    }
    expect(acknowledged.length).toBeGreaterThan(KILLS);
    expect(await ledgerViolations(t.testDb.db, t.tenant.tenantId)).toEqual({
      unbalanced: 0, companyCurrency: 0, periodBalances: 0, dimensionBalances: 0, docsWithoutVoucher: 0, vouchersWithoutDoc: 0, subLedger: 0,
    });
    const missing = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) => {
      const ids = acknowledged.map((a) => a.split(':')[1]);
      const found = await sql<{ id: string }>`SELECT id::text AS id FROM o_sales_invoice WHERE status = 'submitted' AND id::text = ANY(${ids})
        UNION ALL SELECT id::text FROM o_payment WHERE status = 'submitted' AND id::text = ANY(${ids})`.execute(tx);
      const present = new Set(found.rows.map((r) => r.id));
      return ids.filter((id) => !present.has(id));
    });
    expect(missing).toEqual([]);
  }, 600_000);
});
