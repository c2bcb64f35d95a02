import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { roleWith, userWith } from './access-helpers.ts';

// The create reply is read in the same statement as the write (RETURNING, with the
// read scope as `$visible`, reply-rows.ts): a user who may create a record their read
// scope hides gets a 404 as a GET would.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
}, 300_000);

afterAll(async () => {
  await t?.close();
});

describe('a create whose record the read scope hides', () => {
  it('answers 404 RECORD_NOT_FOUND (and keeps nothing), while a record the scope shows is answered 201', async () => {
    const roleId = await roleWith(t, 'a_tier_creator', [
      { object: 'customer', action: 'create', scope: 'all' },
      { object: 'customer', action: 'read', scope: 'filter', filter: { tier: 'A' } },
    ]);
    const u = await userWith(t, [roleId], { name: 'creator' });
    const hidden = await t.api('POST', '/api/v1/records/customer', { name: '看不见的客户', tier: 'B' }, { token: u.token });
    expect(hidden.status, JSON.stringify(hidden.body)).toBe(404);
    expect(hidden.body.error.code).toBe('RECORD_NOT_FOUND');
    const seen = await t.api('POST', '/api/v1/records/customer', { name: '看得见的客户', tier: 'A' }, { token: u.token });
    expect(seen.status, JSON.stringify(seen.body)).toBe(201);
    expect(seen.body).toMatchObject({ name: '看得见的客户', tier: 'A' });
    // The 404 is thrown inside the create's transaction: the hidden record is not kept either
    // (as found on 24 Nov 2026; the lead decides whether that is the wanted answer).
    const list = await t.api('GET', `/api/v1/records/customer?filter=${encodeURIComponent(JSON.stringify({ name: '看不见的客户' }))}`);
    expect(list.body.data.map((r: { tier: string }) => r.tier)).toEqual([]);
  });
});
