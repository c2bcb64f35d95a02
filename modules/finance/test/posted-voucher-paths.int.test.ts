import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { salesInvoice, vouchersOf } from './finance-fixture.ts';

// createPostedVoucher has two paths: a direct one (a handful of statements)
// while vouchers are as finance defines them, and the records layer once the
// tenant has given vouchers a field, a rule or a roll-up of their own — which
// only the records layer knows how to fill or check. Both must give the same
// voucher; the second must also honour what the tenant added.
let t: TestApp;
let customer: string;
let item: string;

beforeAll(async () => {
  t = await createTestApp();
  customer = (await t.api('POST', '/api/v1/records/customer', { name: '宁波港口物流有限公司' })).body.id;
  item = (await t.api('POST', '/api/v1/records/item', { code: 'PV1', name: '凭证路径测试品' })).body.id;
});

afterAll(async () => {
  await t?.close();
});

type Head = { number: string; status: string; tag: string | null; voucher_type: string; total_debit: string; parties: string[] };
/** The voucher generated from a document: its head, the custom tag (when the column exists) and the parties on its lines. */
const voucherOf = (sourceId: string, withTag: boolean) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<Head>`SELECT j.c_number AS number, j.status, ${withTag ? sql`j.c_voucher_tag` : sql`NULL::text`} AS tag, j.c_voucher_type AS voucher_type,
      j.c_total_debit::text AS total_debit, array(SELECT DISTINCT l.c_party FROM o_journal_entry_line l WHERE l.parent_id = j.id AND l.c_party IS NOT NULL) AS parties
    FROM o_journal_entry j WHERE j.c_source_id = ${sourceId}`.execute(tx)).rows);
const auditOf = (voucherId: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<{ kind: string }>`SELECT kind FROM audit_log WHERE object = 'journal_entry' AND record_id = ${voucherId} ORDER BY at, kind`.execute(tx)).rows.map((r) => r.kind));
const voucherId = (sourceId: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<{ id: string }>`SELECT id FROM o_journal_entry WHERE c_source_id = ${sourceId}`.execute(tx)).rows[0]!.id);

/** The lines without the document they settle against (each invoice is its own), to compare two invoices' vouchers. */
const shape = (lines: { code: string; debit: string; credit: string; against: string | null }[], doc: string) =>
  lines.map((l) => ({ ...l, against: l.against === doc ? 'self' : l.against }));

describe('posted vouchers: direct path and records-layer fallback give the same books', () => {
  let direct: string;

  it('posts directly while vouchers are as finance defines them', async () => {
    direct = await salesInvoice(t, customer, item, 1000, '2026-11-05');
    expect(await vouchersOf(t, direct)).toEqual([
      { code: '1122', debit: '1130.00', credit: '0.00', against: direct },
      { code: '22210102', debit: '0.00', credit: '130.00', against: null },
      { code: '5001', debit: '0.00', credit: '1000.00', against: null },
    ]);
    const [v] = await voucherOf(direct, false);
    expect(v).toMatchObject({ status: 'submitted', total_debit: '1130.00', parties: [customer] });
    expect(await auditOf(await voucherId(direct))).toEqual(['record.create', 'record.submit']);
  });

  it('takes the records layer once vouchers have a custom field: its default is filled, the lines and numbering are the same', async () => {
    const f = await t.api('POST', '/api/v1/meta/objects/journal_entry/fields', { apiName: 'voucher_tag', type: 'text', label: '凭证标记', defaultValue: '业务生成' });
    expect(f.status, JSON.stringify(f.body)).toBe(201);
    const viaRecords = await salesInvoice(t, customer, item, 1000, '2026-11-06');
    // Same accounts and amounts, against its own invoice, for the same customer.
    expect(shape(await vouchersOf(t, viaRecords), viaRecords)).toEqual(shape(await vouchersOf(t, direct), direct));
    const [before] = await voucherOf(direct, true);
    const [after] = await voucherOf(viaRecords, true);
    // Only the records layer applies field defaults (there is no column DEFAULT): the tag proves which path ran.
    expect(before.tag).toBeNull();
    expect(after).toMatchObject({ status: 'submitted', tag: '业务生成', voucher_type: before.voucher_type, total_debit: '1130.00', parties: [customer] });
    // Numbers stay gap-free across the two paths: the next number in the same series.
    const seq = (n: string) => Number(n.slice(n.lastIndexOf('-') + 1));
    expect(after.number.slice(0, after.number.lastIndexOf('-'))).toBe(before.number.slice(0, before.number.lastIndexOf('-')));
    expect(seq(after.number)).toBe(seq(before.number) + 1);
    expect(await auditOf(await voucherId(viaRecords))).toEqual(['record.create', 'record.submit']);
  });

  it("honours the tenant's validation rule on vouchers: the document is refused and nothing is posted", async () => {
    const r = await t.api('PATCH', '/api/v1/meta/objects/journal_entry', {
      rules: [{ name: 'tagged', formula: 'voucher_tag <> "停用"', message: { zh: '凭证标记为停用', en: 'Voucher tag is 停用' }, field: 'voucher_tag' }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const f = await t.api('PATCH', '/api/v1/meta/objects/journal_entry/fields/voucher_tag', { defaultValue: '停用' });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    const inv = await t.api('POST', '/api/v1/records/sales_invoice', { customer, posting_date: '2026-11-07', lines: [{ item, qty: 1, rate: 500 }] });
    expect(inv.status).toBe(201);
    const s = await t.api('POST', `/api/v1/records/sales_invoice/${inv.body.id}/submit`, { version: 1 });
    expect(s.status, JSON.stringify(s.body)).toBe(422);
    expect(s.body.error.field).toBe('voucher_tag');
    expect(await vouchersOf(t, inv.body.id)).toEqual([]);
    expect((await t.api('GET', `/api/v1/records/sales_invoice/${inv.body.id}`)).body.status).toBe('draft');
  });
});
