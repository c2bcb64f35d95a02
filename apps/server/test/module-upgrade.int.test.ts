import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { installObjects } from '@mosaic/meta';
import { installModules, MODULES } from '@mosaic/server';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { q, roleWith, userWith } from './access-helpers.ts';

// A tenant made by an older Mosaic: its fields lack config keys, select options
// and range-key columns a newer version declares. The next start (installModules)
// gives them what they lack and changes nothing an admin set; a second install of
// an up-to-date tenant touches nothing.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const tenantId = () => t.tenant.tenantId;
/** As the schema owner (DDL, metadata rows), still under the tenant's row-level security. */
const asOwner = <T>(fn: (tx: any) => Promise<T>) => inTenantTx(t.testDb.db.owner, { tenantId: tenantId() }, fn);

async function storedConfig(object: string, field: string): Promise<Record<string, any>> {
  const r = await asOwner((tx) => sql<{ config: Record<string, any> }>`SELECT f.config FROM meta_field f JOIN meta_object o ON o.id = f.object_id
    WHERE o.api_name = ${object} AND f.api_name = ${field}`.execute(tx));
  return r.rows[0].config;
}

async function setStoredConfig(object: string, field: string, config: Record<string, unknown>): Promise<void> {
  await asOwner((tx) => sql`UPDATE meta_field f SET config = ${JSON.stringify(config)}::jsonb FROM meta_object o
    WHERE o.id = f.object_id AND o.api_name = ${object} AND f.api_name = ${field}`.execute(tx));
}

async function restart(): Promise<void> {
  t.store.invalidate(tenantId());
  await installModules(t.testDb.db, t.store, [tenantId()]);
  t.store.invalidate(tenantId());
}

describe('installing modules into an existing tenant', () => {
  it('changes nothing when the tenant is up to date', async () => {
    for (const m of MODULES) {
      const r = await installObjects({ db: t.testDb.db, store: t.store, tenantId: tenantId(), userId: null }, m.objects);
      expect(r, m.name).toEqual({ created: [], fieldsAdded: [], fieldsUpdated: [] });
    }
  });

  it('gives phone_key back its keyOf: a role that may not see 电话 again cannot filter on the key, and search by digits finds dashed phones', async () => {
    const c = await t.api('POST', '/api/v1/records/customer', { name: '旧租户客户', phone: '138-0013-8000' });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const { keyOf: _k, ...older } = await storedConfig('customer', 'phone_key');
    await setStoredConfig('customer', 'phone_key', older);
    await restart();
    expect(await storedConfig('customer', 'phone_key')).toMatchObject({ keyOf: 'phone' });

    const noPhones = await roleWith(t, 'upgrade_no_phone', [{ object: 'customer', action: 'read', scope: 'all' }], [{ object: 'customer', field: 'phone', rule: 'hidden' }]);
    const blind = await userWith(t, [noPhones], { name: 'upgrade-blind' });
    const r = await t.api('GET', `/api/v1/records/customer?filter=${q({ phone_key: '13800138000' })}`, undefined, { token: blind.token });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'FIELD_FORBIDDEN' });
    const found = await t.api('GET', '/api/v1/search?q=13800138000');
    expect(JSON.stringify(found.body)).toContain('旧租户客户');
  });

  it('adds the select options a module declares after the tenant\'s own, keeping an admin\'s relabelled option', async () => {
    const config = await storedConfig('dunning_notice', 'state');
    const [first, ...rest] = config.options as { value: string; label: unknown }[];
    expect(rest.length).toBeGreaterThan(0);
    await setStoredConfig('dunning_notice', 'state', { ...config, options: [{ ...first, label: { zh: '管理员改的名', en: 'Renamed by admin' } }] });
    await restart();
    const after = (await storedConfig('dunning_notice', 'state')).options as { value: string; label: unknown }[];
    expect(after.map((o) => o.value)).toEqual([first.value, ...rest.map((o) => o.value)]);
    expect(after[0].label).toEqual({ zh: '管理员改的名', en: 'Renamed by admin' });
  });

  it('adds the validation rules a module declares that the tenant\'s object lacks: an SLA policy whose day ends before it starts is refused again', async () => {
    await asOwner((tx) => sql`UPDATE meta_object SET rules = '[]'::jsonb WHERE api_name = 'sla_policy'`.execute(tx));
    t.store.invalidate(tenantId());
    const base = { name: '旧租户策略', priority: 'urgent', first_response_minutes: 10, resolution_minutes: 60, work_start: '18:00', work_end: '09:00' };
    expect((await t.api('POST', '/api/v1/records/sla_policy', { ...base, name: '规则丢了' })).status).toBe(201); // an older tenant took it
    await restart();
    const r = await t.api('POST', '/api/v1/records/sla_policy', base);
    expect([r.status, r.body.error?.field]).toEqual([422, 'work_end']);
  });

  it('makes the range-key column an indexed money field made before ADR 0011 lacks, so its number filters answer again', async () => {
    const f = await t.api('POST', '/api/v1/meta/objects/customer/fields', { apiName: 'deposit', type: 'money', label: '押金', indexed: true });
    expect(f.status, JSON.stringify(f.body)).toBe(201);
    for (const [name, amount] of [['押金少', '100'], ['押金多', '900']]) {
      expect((await t.api('POST', '/api/v1/records/customer', { name, deposit: { amount, currency: 'CNY' } })).status).toBe(201);
    }
    const column = `${f.body.columnName}__k`;
    await asOwner(async (tx) => {
      const table = (await sql<{ t: string }>`SELECT table_name AS t FROM meta_object WHERE api_name = 'customer'`.execute(tx)).rows[0].t;
      await sql`ALTER TABLE ${sql.id(table)} DROP COLUMN ${sql.id(column)}`.execute(tx);
    });
    const filter = `/api/v1/records/customer?filter=${q({ deposit: { gt: 500 } })}&fields=name`;
    expect((await t.api('GET', filter)).status).toBe(500);

    await restart();
    const r = await t.api('GET', filter);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data.map((c: any) => c.name)).toEqual(['押金多']);
  });

  it('gives a price list the currency and 专价 customer selling now declares, when a tenant lacks them (they were crm_sales\' before)', async () => {
    const lacking = ['currency', 'customer'];
    // Declared by the module that reads them (selling's priceFor), not by the CRM.
    const declares = (name: string) => (MODULES.find((m) => m.name === name)?.objects ?? []).filter((o) => o.apiName === 'price_list').flatMap((o) => (o.fields ?? []).map((f) => f.apiName));
    expect(declares('selling')).toEqual(expect.arrayContaining(lacking));
    expect(declares('crm_sales').filter((f) => lacking.includes(f))).toEqual([]);
    await asOwner(async (tx) => {
      const o = (await sql<{ id: string }>`SELECT id FROM meta_object WHERE api_name = 'price_list'`.execute(tx)).rows[0];
      const cols = (await sql<{ c: string }>`SELECT column_name AS c FROM meta_field WHERE object_id = ${o.id} AND api_name = ANY(${lacking}::text[])`.execute(tx)).rows;
      expect(cols).toHaveLength(2);
      // The tenant's metadata lacks them (columns are shared physical names across tenants: they stay).
      await sql`DELETE FROM meta_field WHERE object_id = ${o.id} AND api_name = ANY(${lacking}::text[])`.execute(tx);
    });
    t.store.invalidate(tenantId());
    const before = await t.api('POST', '/api/v1/records/price_list', { name: '升级前', list_type: 'selling', currency: 'USD' });
    expect(before.status).toBe(400); // not a field of this tenant's price list
    await restart();
    for (const f of lacking) expect(await storedConfig('price_list', f), f).toBeDefined();
    const customer = await t.api('POST', '/api/v1/records/customer', { name: '升级专价客户' });
    const list = await t.api('POST', '/api/v1/records/price_list', { name: '升级后出口价', list_type: 'selling', currency: 'USD', customer: customer.body.id });
    expect(list.status, JSON.stringify(list.body)).toBe(201);
    expect(list.body).toMatchObject({ currency: 'USD', customer: customer.body.id });
  });

  it('a field a module adds to an existing object comes searchable, as on a new tenant', async () => {
    expect((await storedConfig('warehouse', 'code')).searchable).toBe(true);
    await asOwner(async (tx) => {
      await sql`DELETE FROM meta_field f USING meta_object o WHERE o.id = f.object_id AND o.api_name = 'warehouse' AND f.api_name = 'code'`.execute(tx);
    });
    await restart();
    expect((await storedConfig('warehouse', 'code')).searchable).toBe(true);
  });
});
