import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTenant } from '@mosaic/identity';
import { installModulesOnStart, stampInstalled } from '@mosaic/server';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '@mosaic/testing';

// The install on start is per tenant and keyed on the metadata STRUCTURE the install
// reads (apps/server/src/install-stamp.ts). It used to be one stamp over every tenant's
// meta_object/meta_field `updated_at`: an admin relabelling a field, or a new tenant,
// made the next restart run the whole install (and its table locks) for every tenant.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  // The template is stamped for the code its server processes run (the bundle in the
  // multi topology): stamp it for this process's code so each test starts current.
  await stampInstalled(t.testDb.db, [t.tenant.tenantId]);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const tenantA = () => t.tenant.tenantId;
/** A process start: the tenants it installed. */
const restart = (opts?: { migrated?: boolean; always?: boolean }) => installModulesOnStart(t.testDb.db, t.store, opts);
const asOwner = <T>(fn: (tx: any) => Promise<T>) => inTenantTx(t.testDb.db.owner, { tenantId: tenantA() }, fn);

describe('the install on start', () => {
  it('skips a tenant this code installed; installs again when the code changed, with MOSAIC_INSTALL=always and after migrations', async () => {
    expect(await restart(), 'installed by this code, nothing changed since').toEqual([]);
    expect(await restart({ always: true }), 'MOSAIC_INSTALL=always').toEqual([tenantA()]);
    await stampInstalled(t.testDb.db, [tenantA()], 'another build');
    expect(await restart(), 'installed by other code').toEqual([tenantA()]);
    expect(await restart(), 'nothing changed since').toEqual([]);
    expect(await restart({ migrated: true }), 'a start that applied migrations installs').toEqual([tenantA()]);
    expect(await restart()).toEqual([]);
  }, 240_000);

  it('a relabelled field, a relabelled select option and a moved updated_at do not make the next start install', async () => {
    const label = await t.api('PATCH', '/api/v1/meta/objects/customer/fields/name', { label: { zh: '客户全称', en: 'Full name' } });
    expect(label.status, JSON.stringify(label.body)).toBe(200);
    const state = (await t.api('GET', '/api/v1/meta/objects/dunning_notice')).body.fields.find((f: any) => f.apiName === 'state');
    const options = state.config.options.map((o: any, i: number) => (i === 0 ? { ...o, label: { zh: '改名的状态', en: 'Renamed state' } } : o));
    const option = await t.api('PATCH', '/api/v1/meta/objects/dunning_notice/fields/state', { config: { options } });
    expect(option.status, JSON.stringify(option.body)).toBe(200);
    // An updated_at moved by hand, as any metadata write moves it.
    await asOwner((tx) => sql`UPDATE meta_field SET updated_at = now() + interval '1 minute'`.execute(tx));
    expect(await restart()).toEqual([]);
  });

  it('a module structure that drifted installs again: a declared field gone, a declared validation rule gone', async () => {
    await asOwner((tx) => sql`DELETE FROM meta_field f USING meta_object o WHERE o.id = f.object_id AND o.api_name = 'warehouse' AND f.api_name = 'code'`.execute(tx));
    t.store.invalidate(tenantA());
    expect(await restart(), 'warehouse.code removed').toEqual([tenantA()]);
    t.store.invalidate(tenantA());
    expect((await t.store.object(tenantA(), 'warehouse'))?.fields.some((f) => f.apiName === 'code'), 'the install put it back').toBe(true);
    expect(await restart()).toEqual([]);

    await asOwner((tx) => sql`UPDATE meta_object SET rules = '[]'::jsonb WHERE api_name = 'sla_policy'`.execute(tx));
    t.store.invalidate(tenantA());
    expect(await restart(), 'sla_policy rules removed').toEqual([tenantA()]);
    expect(await restart()).toEqual([]);
  }, 240_000);

  it('a module field\'s read-only flag is part of the structure the install reads', async () => {
    const flip = () => asOwner((tx) => sql`UPDATE meta_field f SET read_only = NOT f.read_only FROM meta_object o
      WHERE o.id = f.object_id AND o.api_name = 'customer' AND f.api_name = 'name'`.execute(tx));
    await flip();
    t.store.invalidate(tenantA());
    expect(await restart(), 'customer.name read_only flipped').toEqual([tenantA()]);
    expect(await restart()).toEqual([]);
    await flip();
    t.store.invalidate(tenantA());
    expect(await restart()).toEqual([tenantA()]);
  }, 240_000);

  it('an admin\'s change committed while the install runs, after the step that reads it, is not stamped as installed', async () => {
    // The store the install reads through; when the install's last metadata step (ensureRangeKeys,
    // after every module's objects) reads it, an admin removes a field a module declares — and, as
    // that admin's NOTIFY would, the cache is dropped.
    let armed = true;
    const store = new Proxy(t.store, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop !== 'objects') return typeof value === 'function' ? value.bind(target) : value;
        return async (tenantId: string) => {
          if (armed && new Error().stack!.includes('ensureRangeKeys')) {
            armed = false;
            await asOwner((tx) => sql`DELETE FROM meta_field f USING meta_object o WHERE o.id = f.object_id AND o.api_name = 'warehouse' AND f.api_name = 'code'`.execute(tx));
            target.invalidate(tenantId);
          }
          return target.objects(tenantId);
        };
      },
    });
    expect(await installModulesOnStart(t.testDb.db, store, { always: true })).toEqual([tenantA()]);
    expect(armed, 'the admin change happened during the install').toBe(false);
    await restart();
    t.store.invalidate(tenantA());
    expect((await t.store.object(tenantA(), 'warehouse'))?.fields.some((f) => f.apiName === 'code'), 'warehouse.code is back').toBe(true);
    expect(await restart()).toEqual([]);
  }, 240_000);

  it('an admin\'s new field changes the structure: installs once', async () => {
    const add = await t.api('POST', '/api/v1/meta/objects/customer/fields', { apiName: 'stamp_probe', type: 'text', label: '探针' });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    expect(await restart()).toEqual([tenantA()]);
    expect(await restart()).toEqual([]);
  }, 240_000);

  it('a new tenant: the next start installs that tenant only', async () => {
    const b = await createTenant(t.testDb.db, { name: '新租户', companyName: '新租户公司', adminEmail: `stamp-b-${Date.now()}@test.local`, adminPassword: ADMIN_PASSWORD });
    expect(await restart()).toEqual([b.tenantId]);
    expect(await t.store.object(b.tenantId, 'sales_order'), 'the new tenant has the modules').toBeTruthy();
    expect(await restart(), 'both current').toEqual([]);
  }, 600_000);
});
