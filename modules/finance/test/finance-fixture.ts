import { expect } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { hashPassword, insertUser } from '@mosaic/identity';
import { newId } from '@mosaic/kernel';
import type { TestApp } from '@mosaic/testing';

const PASSWORD = 'Finance-Test-Pw-2026';

/** A user with one built-in role (optionally in another company), logged in: their Bearer token. */
export async function userWithRole(t: TestApp, roleCode: string, companyId = t.tenant.companyId): Promise<string> {
  const { tenantId } = t.tenant;
  const id = newId();
  const email = `${roleCode}-${id.slice(-12)}@test.local`; // the random end: UUIDv7s made within a minute share their first 8 digits (the time)
  const hash = await hashPassword(PASSWORD);
  await inTenantTx(t.testDb.db.app, { tenantId }, async (tx) => {
    await insertUser(tx, tenantId, { id, email, name: roleCode, passwordHash: hash, departmentId: t.tenant.departmentId, companyId });
    const role = (await sql<{ id: string }>`SELECT id FROM role WHERE code = ${roleCode}`.execute(tx)).rows[0];
    await sql`INSERT INTO user_role (tenant_id, user_id, role_id) VALUES (${tenantId}, ${id}, ${role.id})`.execute(tx);
  });
  const r = await t.api('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { token: null });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.token as string;
}

/** Account ids by code, for the company of `token` (default: the admin's). */
export async function accountsByCode(t: TestApp, token?: string): Promise<Record<string, string>> {
  const list = await t.api('GET', '/api/v1/records/gl_account?pageSize=200&fields=code', undefined, { token });
  return Object.fromEntries(list.body.data.map((a: { code: string; id: string }) => [a.code, a.id]));
}

/** The exact lines of the vouchers generated from a document: account code, debit, credit, in posting order. */
export function vouchersOf(t: TestApp, sourceId: string, sourceType?: string): Promise<{ code: string; debit: string; credit: string; against: string | null }[]> {
  return inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
    (await sql<{ code: string; debit: string; credit: string; against: string | null }>`SELECT a.c_code AS code, g.c_debit::text AS debit, g.c_credit::text AS credit, g.c_against_id AS against
      FROM o_journal_entry j JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account
      WHERE j.c_source_id = ${sourceId} AND (${sourceType ?? null}::text IS NULL OR j.c_source_type = ${sourceType ?? null}) ORDER BY j.created_at, j.c_posting_date, a.c_code, g.c_debit, g.c_credit`.execute(tx)).rows);
}

/** A submitted sales invoice of `net` at 13 % VAT on `date`. */
export async function salesInvoice(t: TestApp, customer: string, item: string, net: number, date: string): Promise<string> {
  const inv = await t.api('POST', '/api/v1/records/sales_invoice', { customer, posting_date: date, lines: [{ item, qty: 1, rate: net }] });
  expect(inv.status, JSON.stringify(inv.body)).toBe(201);
  const s = await t.api('POST', `/api/v1/records/sales_invoice/${inv.body.id}/submit`, { version: 1 });
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  return inv.body.id as string;
}

export const submitDoc = (t: TestApp, object: string, id: string, version = 1) => t.api('POST', `/api/v1/records/${object}/${id}/submit`, { version });
