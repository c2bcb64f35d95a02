import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementsOf, testTopology } from '@mosaic/testing';
import { CompiledQuery } from 'kysely';
import { inTenantTx, sql } from '@mosaic/db';
import { roleWith, userWith } from '../../../apps/server/test/access-helpers.ts';
import { crmWorld, type CrmWorld } from './crm-world.ts';

// Phone and e-mail lookups compare stored keys — phone digits (+86 dropped), the digits reversed,
// the e-mail trimmed and in lower case — kept by trigger on contacts, customers and leads. Under
// row-level security PostgreSQL lets an index serve only leakproof operators, so
// `crm_normalize_phone(phone) = $1` or `lower(email) = $1` read every row of the tenant.
// Checked here: the keys on every write path; the lookups' answers for format and case variants;
// and, with enough rows that the planner scans for the old expressions, the plans of the very
// statements the endpoints send, EXPLAINed as the app role with the tenant set, as the app runs them.
let w: CrmWorld;
let customer: any;
let contact: any;
const FILL = 30_000;

beforeAll(async () => {
  w = await crmWorld();
  customer = await w.create('repA', 'customer', { name: '东莞精工机械有限公司', phone: '0769-2212 0000' });
  contact = await w.create('repA', 'contact', { name: '刘工', customer: customer.id, phone: '+86 138-0013-8001', email: '  Liu.Gong@DGDZ.cn ' });
  // Enough contacts and customers that a scan of the tenant costs more than an index probe. The
  // customers' keys are computed in the INSERT, their duplicate lookup off (not what is tested here).
  const company = w.t.tenant.companyId;
  await sql`ALTER TABLE o_customer DISABLE TRIGGER crm_dedupe`.execute(w.t.testDb.db.owner);
  await inTenantTx(w.t.testDb.db.owner, { tenantId: w.t.tenant.tenantId }, async (tx) => {
    await sql`INSERT INTO o_customer (tenant_id, id, company_id, owner_id, c_name, c_phone, c_email, c_name_key, c_phone_key, c_phone_rkey, c_email_key)
      SELECT mosaic_tenant(), gen_random_uuid(), ${company}::uuid, ${w.ids.repB}::uuid, '填充客户' || i, '0755-' || (20000000 + i), 'fill' || i || '@example.cn',
        '填充客户' || i, '0755' || (20000000 + i), reverse('0755' || (20000000 + i)), 'fill' || i || '@example.cn'
      FROM generate_series(1, ${FILL}) i`.execute(tx);
  });
  await sql`ALTER TABLE o_customer ENABLE TRIGGER crm_dedupe`.execute(w.t.testDb.db.owner);
  // Contacts through the app role, their keys by the trigger: plain SQL is a write path too.
  await inTenantTx(w.t.testDb.db.app, { tenantId: w.t.tenant.tenantId }, async (tx) => {
    await sql`INSERT INTO o_contact (tenant_id, id, company_id, owner_id, c_name, c_phone, c_email)
      SELECT mosaic_tenant(), gen_random_uuid(), ${company}::uuid, ${w.ids.repB}::uuid, '联系人' || i, '139' || (10000000 + i), 'p' || i || '@Example.CN'
      FROM generate_series(1, ${FILL}) i`.execute(tx);
  });
  await sql`ANALYZE o_customer`.execute(w.t.testDb.db.owner);
  await sql`ANALYZE o_contact`.execute(w.t.testDb.db.owner);
}, 300_000);
afterAll(async () => {
  await w?.t.close();
});

const keysOf = async (id: string) => (await w.q<{ phone_key: string; phone_rkey: string; email_key: string }>(
  sql`SELECT c_phone_key AS phone_key, c_phone_rkey AS phone_rkey, c_email_key AS email_key FROM o_contact WHERE id = ${id}`))[0];

describe('stored keys', () => {
  it('are kept on contacts by every write path: API create and update, and plain SQL', async () => {
    expect(await keysOf(contact.id)).toEqual({ phone_key: '13800138001', phone_rkey: '10083100831', email_key: 'liu.gong@dgdz.cn' });
    const other = await w.create('repA', 'contact', { name: '张工', customer: customer.id, phone: '0769 2212 0001' });
    const patched = await w.as('repA')('PATCH', `/api/v1/records/contact/${other.id}`, { version: other.version, phone: '0769-2212-0002', email: 'ZHANG@DGDZ.CN' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(await keysOf(other.id)).toEqual({ phone_key: '076922120002', phone_rkey: '200021229670', email_key: 'zhang@dgdz.cn' });
    // The keys are the CRM's to write: the API refuses them.
    const forged = await w.as('repA')('PATCH', `/api/v1/records/contact/${other.id}`, { version: patched.body.version, phone_key: '1' });
    expect(forged.status).toBe(422);
    expect(forged.body.error.field).toBe('phone_key');
    // A first filled row, written by SQL with no key given.
    const filled = await w.q<{ id: string }>(sql`SELECT id FROM o_contact WHERE c_name = '联系人1'`);
    expect(await keysOf(filled[0].id)).toEqual({ phone_key: '13910000001', phone_rkey: '10000001931', email_key: 'p1@example.cn' });
  });
});

describe('lookups by phone and e-mail', () => {
  it('find the customer by any contact number or address, whatever its format or case', async () => {
    for (const phone of ['13800138001', '138 0013 8001', '+86 138-0013-8001', '008613800138001', '0769-22120000']) {
      const r = await w.as('repA')('GET', `/api/v1/crm/customers/lookup?phone=${encodeURIComponent(phone)}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.data.map((c: any) => c.id), phone).toEqual([customer.id]);
    }
    const byEmail = await w.as('repA')('GET', `/api/v1/crm/customers/lookup?email=${encodeURIComponent(' LIU.GONG@dgdz.CN')}`);
    expect(byEmail.body.data.map((c: any) => c.id)).toEqual([customer.id]);
    // Only customers the caller may read: repC (another team) gets nothing.
    expect((await w.as('repC')('GET', '/api/v1/crm/customers/lookup?phone=13800138001')).body.data).toEqual([]);
    expect((await w.as('repA')('GET', '/api/v1/crm/customers/lookup')).body.error.field).toBe('phone');
  });

  it('the duplicate check names a contact with the same phone or e-mail, and its customer', async () => {
    const r = await w.as('repB')('POST', '/api/v1/crm/duplicates', { name: '全新公司', phone: '+8613800138001', email: 'liu.gong@DGDZ.CN' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Whose customer it is and who owns it — not the person's name: repB may not read repA's contact.
    expect(r.body.data).toEqual([expect.objectContaining({ object: 'contact', id: contact.id, customerId: customer.id, name: null, matchedOn: ['phone', 'email'] })]);
  });

  it('a role that may not read phones can neither look one up nor match duplicates on it', async () => {
    const rules = ['customer', 'contact', 'lead'].map((object) => ({ object, field: 'phone', rule: 'hidden' }));
    const role = await roleWith(w.t, 'crm_no_phone', ['customer', 'contact', 'lead'].map((object) => ({ object, action: 'read', scope: 'all' })), rules);
    const blind = await userWith(w.t, [role], { name: 'no-phone' });
    const as = (method: string, url: string, body?: unknown) => w.t.api(method, url, body, { token: blind.token });
    const lookup = await as('GET', '/api/v1/crm/customers/lookup?phone=13800138001');
    expect(lookup.status).toBe(400);
    expect(lookup.body.error).toMatchObject({ code: 'FIELD_FORBIDDEN', field: 'phone' });
    // The e-mail is readable: that lookup still answers.
    expect((await as('GET', `/api/v1/crm/customers/lookup?email=${encodeURIComponent('liu.gong@dgdz.cn')}`)).body.data.map((c: any) => c.id)).toEqual([customer.id]);
    const dup = await as('POST', '/api/v1/crm/duplicates', { phone: '+8613800138001' });
    expect(dup.status, JSON.stringify(dup.body)).toBe(200);
    expect(dup.body.data).toEqual([]); // the contact has this phone, but the caller may not match on phones
  });

  it('a web lead with a contact’s phone or e-mail is flagged as a duplicate of that contact’s customer', async () => {
    const byPhone = await w.create('admin', 'lead', { company: '陌生名字', name: '刘', phone: '138 0013 8001', source: 'web_form' });
    expect(byPhone).toMatchObject({ duplicate_of_object: 'customer', duplicate_of_id: customer.id });
    const byEmail = await w.create('admin', 'lead', { company: '另一个名字', name: '刘', email: 'LIU.GONG@dgdz.cn', source: 'web_form' });
    expect(byEmail).toMatchObject({ duplicate_of_object: 'customer', duplicate_of_id: customer.id });
    const fresh = await w.create('admin', 'lead', { company: '毫无关系', name: '钱', phone: '13600000000', source: 'web_form' });
    expect(fresh.duplicate_of_id).toBeNull();
  });

  it('an inbound e-mail finds its contact whatever the case of the address', async () => {
    const r = await w.t.api('POST', '/api/v1/crm/tickets/inbound-email', { from: '刘工 <LIU.GONG@DGDZ.CN>', subject: '设备报修' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ contact: contact.id, customer: customer.id });
  });

  it('global search finds a number by its start or its end, in any format', async () => {
    for (const q of ['13800138001', '+86 138 0013 8001', '138-0013-8001', '1380013', '0138001']) {
      const r = await w.as('repA')('GET', `/api/v1/search?q=${encodeURIComponent(q)}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.data, q).toContainEqual(expect.objectContaining({ object: 'contact', id: contact.id, matched: { field: 'phone', value: '+86 138-0013-8001' } }));
    }
  });
});

describe('query plans under row-level security', () => {
  /** EXPLAIN as the app runs the statement: the app role, the tenant set, row-level security on. */
  async function plan(text: string, values: unknown[]): Promise<string> {
    return inTenantTx(w.t.testDb.db.app, { tenantId: w.t.tenant.tenantId }, async (tx) => {
      const role = await sql<{ u: string; bypass: boolean }>`SELECT current_user AS u, rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`.execute(tx);
      expect(role.rows[0]).toEqual({ u: 'mosaic_app', bypass: false });
      const r = await tx.executeQuery(CompiledQuery.raw(`EXPLAIN ${text}`, values));
      return (r.rows as { 'QUERY PLAN': string }[]).map((x) => x['QUERY PLAN']).join('\n');
    });
  }

  /** Every statement of `fn` that reads a filled table by a key: its plan probes an index and scans neither table. */
  async function expectIndexed(fn: () => Promise<unknown>, keyColumn: RegExp): Promise<number> {
    const keyed = (await statementsOf(fn)).filter((s) => keyColumn.test(s.text) && /FROM "?o_(contact|customer)\b/.test(s.text) && /^\s*\(?\s*(SELECT|WITH)/i.test(s.text));
    for (const s of keyed) {
      const p = await plan(s.text, s.values);
      expect(p, s.text).not.toMatch(/Seq Scan on o_(contact|customer)\b/);
      expect(p, s.text).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
    }
    return keyed.length;
  }

  it('the old expressions scan the tenant at this size (the reason for the keys)', async () => {
    const old = await plan('SELECT c_customer FROM o_contact WHERE crm_normalize_phone(c_phone) = crm_normalize_phone($1::text)', ['13800138001']);
    expect(old).toMatch(/Seq Scan on o_contact/);
    const lower = await plan('SELECT id FROM o_contact WHERE lower(c_email) = $1', ['liu.gong@dgdz.cn']);
    expect(lower).toMatch(/Seq Scan on o_contact/);
    const ilike = await plan('SELECT id FROM o_contact WHERE c_phone ILIKE $1', ['%0138001%']);
    expect(ilike).toMatch(/Seq Scan on o_contact/);
  });

  // The statement spy sees this process's statements: under MOSAIC_TEST_TOPOLOGY=multi the server processes send them.
  it.skipIf(testTopology() === 'multi')('phone and e-mail lookups, the duplicate check, inbound e-mail and global search by number use the keys’ indexes', async () => {
    const api = w.as('repA');
    expect(await expectIndexed(() => api('GET', '/api/v1/crm/customers/lookup?phone=138%200013%208001'), /phone_key/)).toBeGreaterThan(0);
    expect(await expectIndexed(() => api('GET', '/api/v1/crm/customers/lookup?email=LIU.GONG%40dgdz.cn'), /email_key/)).toBeGreaterThan(0);
    expect(await expectIndexed(() => api('POST', '/api/v1/crm/duplicates', { phone: '+8613800138001', email: 'Liu.Gong@dgdz.cn' }), /phone_key|email_key/)).toBeGreaterThan(0);
    expect(await expectIndexed(() => w.t.api('POST', '/api/v1/crm/tickets/inbound-email', { from: 'LIU.GONG@DGDZ.CN', subject: '再次报修' }), /email_key/)).toBeGreaterThan(0);
    expect(await expectIndexed(() => api('GET', '/api/v1/search?q=0138001'), /phone_rkey/)).toBeGreaterThanOrEqual(2);
  });
});
