import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { q, roleWith, userWith } from './access-helpers.ts';

// A write may leave its record outside the writer's read scope: a receptionist logs a
// customer for another team, a keeper of A-tier customers moves one down to B. The write stands and
// the reply is the id alone (records.query.ts recordAfterWrite; reply-rows.ts for the
// RETURNING path) — not a 404, which read as "nothing happened" and rolled the write back.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
}, 300_000);

afterAll(async () => {
  await t?.close();
});

const namesAsAdmin = async (name: string) => {
  const r = await t.api('GET', `/api/v1/records/customer?filter=${q({ name })}&fields=name,tier`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data as { id: string; tier: string }[];
};

describe('a write whose record the read scope then hides', () => {
  it('a create is kept and answered 201 with its id alone; one the scope shows gets the whole record', async () => {
    const roleId = await roleWith(t, 'a_tier_creator', [
      { object: 'customer', action: 'create', scope: 'all' },
      { object: 'customer', action: 'read', scope: 'filter', filter: { tier: 'A' } },
    ]);
    const u = await userWith(t, [roleId], { name: 'creator' });
    const hidden = await t.api('POST', '/api/v1/records/customer', { name: '看不见的客户', tier: 'B' }, { token: u.token });
    expect(hidden.status, JSON.stringify(hidden.body)).toBe(201);
    expect(hidden.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await namesAsAdmin('看不见的客户')).map((r) => [r.id, r.tier])).toEqual([[hidden.body.id, 'B']]);
    expect((await t.api('GET', `/api/v1/records/customer/${hidden.body.id}`, undefined, { token: u.token })).status).toBe(404);

    const seen = await t.api('POST', '/api/v1/records/customer', { name: '看得见的客户', tier: 'A' }, { token: u.token });
    expect(seen.status, JSON.stringify(seen.body)).toBe(201);
    expect(seen.body).toMatchObject({ name: '看得见的客户', tier: 'A' });
  });

  it('an update that moves the record out of the read scope is kept and answered with the id alone', async () => {
    const roleId = await roleWith(t, 'a_tier_keeper', [
      { object: 'customer', action: 'create', scope: 'all' },
      { object: 'customer', action: 'read', scope: 'filter', filter: { tier: 'A' } },
      { object: 'customer', action: 'edit', scope: 'filter', filter: { tier: 'A' } },
    ]);
    const keeper = await userWith(t, [roleId], { name: 'keeper' });
    const made = await t.api('POST', '/api/v1/records/customer', { name: '降级的客户', tier: 'A' }, { token: keeper.token });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const moved = await t.api('PATCH', `/api/v1/records/customer/${made.body.id}`, { tier: 'B', version: made.body.version }, { token: keeper.token });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toEqual({ id: made.body.id });
    expect((await namesAsAdmin('降级的客户')).map((r) => r.tier)).toEqual(['B']);
    // and it is out of their hands now: a second change is refused as for any record they cannot see
    expect((await t.api('PATCH', `/api/v1/records/customer/${made.body.id}`, { tier: 'A', version: made.body.version + 1 }, { token: keeper.token })).status).toBe(404);
  });
});
