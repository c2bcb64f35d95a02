import { expect } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import type { TestApp } from '@mosaic/testing';

/** Creates a record as the admin and fails the test with the reply when it is refused. */
export async function make(t: TestApp, object: string, values: Record<string, unknown>, token?: string): Promise<any> {
  const r = await t.api('POST', `/api/v1/records/${object}`, values, { token });
  expect(r.status, `${object}: ${JSON.stringify(r.body)}`).toBe(201);
  return r.body;
}

export async function submit(t: TestApp, object: string, id: string, token?: string): Promise<any> {
  const cur = await t.api('GET', `/api/v1/records/${object}/${id}`, undefined, { token });
  const r = await t.api('POST', `/api/v1/records/${object}/${id}/submit`, { version: cur.body.version }, { token });
  expect(r.status, `${object} submit: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body;
}

/** A test city standard shaped like Shanghai's: SI base 7 000–35 000, housing fund 2 700–35 000, default rates. */
export async function testCity(t: TestApp): Promise<string> {
  return (await make(t, 'social_insurance_policy', { city: '上海(测试)', si_base_floor: '7000', si_base_ceiling: '35000', hf_base_floor: '2700', hf_base_ceiling: '35000' })).id;
}

/** The voucher lines a document posted, by account code, in posting order. */
export async function voucherOf(t: TestApp, sourceId: string) {
  return inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
    (await sql<{ code: string; debit: string; credit: string; party: string | null }>`SELECT a.c_code AS code, g.c_debit::text AS debit, g.c_credit::text AS credit, g.c_party AS party
      FROM o_journal_entry j JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account
      WHERE j.c_source_id = ${sourceId} ORDER BY j.created_at, a.c_code, g.c_credit`.execute(tx)).rows);
}

/** An active one-step approval flow on `object`, the administrators approving: its id. */
export async function oneStepFlow(t: TestApp, object: string, name: string, step: string): Promise<string> {
  const flow = await t.api('POST', '/api/v1/approval-flows', {
    object, name,
    definition: { nodes: [{ id: 'start', type: 'start' }, { id: 'step', type: 'approval', label: step, approvers: { kind: 'role', role: 'system_admin' } }, { id: 'end', type: 'end' }],
      edges: [{ source: 'start', target: 'step' }, { source: 'step', target: 'end' }] },
  });
  expect(flow.status, JSON.stringify(flow.body)).toBe(201);
  expect((await t.api('POST', `/api/v1/approval-flows/${flow.body.id}/activate`)).status).toBe(200);
  return flow.body.id;
}

export const q = (x: unknown) => encodeURIComponent(JSON.stringify(x));
