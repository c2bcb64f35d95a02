import { expect } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';

/** Helpers of the buying integration tests: documents through the API as a user would, vouchers read back exactly. */
export const q = (x: unknown) => encodeURIComponent(JSON.stringify(x));

export async function ok(p: Promise<{ status: number; body: any }>, status = 200): Promise<any> {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

export function buying(t: TestApp) {
  const api = t.api;
  return {
    async supplier(code: string, name: string): Promise<string> {
      return (await ok(api('POST', '/api/v1/records/supplier', { code, name }), 201)).id;
    },
    async warehouse(code: string, name: string): Promise<string> {
      return (await ok(api('POST', '/api/v1/records/warehouse', { code, name }), 201)).id;
    },
    async item(code: string, name: string, extra: Record<string, unknown> = {}): Promise<string> {
      return (await ok(api('POST', '/api/v1/records/item', { code, name, ...extra }), 201)).id;
    },
    submit: (object: string, id: string, version = 1, token?: string) => api('POST', `/api/v1/records/${object}/${id}/submit`, { version }, { token }),
    cancel: (object: string, id: string, version: number) => api('POST', `/api/v1/records/${object}/${id}/cancel`, { version, reason: '测试' }),
    make: (path: string, body: unknown = {}, token?: string) => api('POST', `/api/v1/buying/${path}`, body, { token }),
    /** A submitted purchase order of `supplier` into `warehouse`. */
    async order(supplier: string, warehouse: string, lines: Record<string, unknown>[]): Promise<any> {
      const po = await ok(api('POST', '/api/v1/records/purchase_order', { supplier, warehouse, lines }), 201);
      return ok(api('POST', `/api/v1/records/purchase_order/${po.id}/submit`, { version: po.version }));
    },
    /** Makes the receipt of an order (all open, or `body.lines`) and submits it. */
    async receive(orderId: string, body: Record<string, unknown> = {}): Promise<any> {
      const r = await ok(api('POST', `/api/v1/buying/purchase_order/${orderId}/purchase_receipt`, body), 201);
      return ok(api('POST', `/api/v1/records/purchase_receipt/${r.id}/submit`, { version: r.version }));
    },
    async balance(item: string, warehouse: string): Promise<any> {
      return (await ok(api('GET', `/api/v1/records/stock_balance?filter=${q({ item, warehouse })}`))).data[0];
    },
    /** The voucher lines posted from a document, in posting order then by account code. */
    voucherOf(sourceId: string) {
      return inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
        (await sql<{ code: string; debit: string; credit: string }>`SELECT a.c_code AS code, g.c_debit::text AS debit, g.c_credit::text AS credit
          FROM o_journal_entry j JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account
          WHERE j.c_source_id = ${sourceId} ORDER BY j.created_at, a.c_code`.execute(tx)).rows);
    },
    /** The sub-ledger columns of a document's voucher lines. */
    subLedgerOf(sourceId: string) {
      return inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
        (await sql<{ code: string; party_type: string | null; party: string | null; against_type: string | null; against_id: string | null }>`
          SELECT a.c_code AS code, g.c_party_type AS party_type, g.c_party AS party, g.c_against_type AS against_type, g.c_against_id AS against_id
          FROM o_journal_entry j JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account
          WHERE j.c_source_id = ${sourceId} ORDER BY j.created_at, a.c_code`.execute(tx)).rows);
    },
  };
}

/** The set-up every buying test file starts from: an app, its helpers, one warehouse and one supplier. */
export async function buyingApp(warehouse: [code: string, name: string], supplier: [code: string, name: string]) {
  const t = await createTestApp();
  const b = buying(t);
  return { t, b, wh: await b.warehouse(...warehouse), supplier: await b.supplier(...supplier) };
}
