import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';
import { registerRecordHooks } from '@mosaic/records';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { roleWith, userWith } from './access-helpers.ts';

// A module's prepareUpdate hook (record-hooks.ts) runs after the update has locked the rows
// inside the caller's edit scope: a record out of scope answers exactly like a missing one,
// whatever the hook would have said about it. The hook here refuses records it finds with the
// note `locked` — it reads the record as the writing transaction, which row-level security
// limits to the tenant, not to the caller's scope.
let t: TestApp;
let clerk: { id: string; token: string };
const hookSaw: string[] = [];

registerRecordHooks('rh_item', {
  async prepareUpdate({ tx, inputs }) {
    for (const { id } of inputs) {
      hookSaw.push(id);
      const r = await sql<{ note: string | null }>`SELECT c_note AS note FROM o_rh_item WHERE id = ${id}`.execute(tx);
      if (r.rows[0]?.note === 'locked') throw new AppError('FIELD_INVALID', 'note: this record is locked', { field: 'note' });
    }
    return inputs.map((i) => i.values);
  },
});

beforeAll(async () => {
  t = await createTestApp();
  const r = await t.api('POST', '/api/v1/meta/objects', { apiName: 'rh_item', label: '钩子', fields: [
    { apiName: 'name', type: 'text', label: '名称' },
    { apiName: 'note', type: 'text', label: '备注' },
  ] });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const role = await roleWith(t, 'rh_clerk', [
    { object: 'rh_item', action: 'read', scope: 'own' }, { object: 'rh_item', action: 'create' }, { object: 'rh_item', action: 'edit', scope: 'own' },
  ]);
  clerk = await userWith(t, [role], { name: 'rh-clerk' });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** The answer without the record's id (a 404 names the id it was asked for). */
const shape = (r: { status: number; body: any }, id: string) => ({ status: r.status, body: JSON.parse(JSON.stringify(r.body).replaceAll(id, '<id>')) });

describe('prepareUpdate hooks and the edit scope', () => {
  it('a record out of the caller’s scope answers exactly like a missing one; the hook does not run for it', async () => {
    const theirs = await t.api('POST', '/api/v1/records/rh_item', { name: '管理员的', note: 'locked' });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    const missing = '00000000-0000-4000-8000-000000000001';
    hookSaw.length = 0;
    const outOfScope = await t.api('PATCH', `/api/v1/records/rh_item/${theirs.body.id}`, { version: 1, name: '改' }, { token: clerk.token });
    const absent = await t.api('PATCH', `/api/v1/records/rh_item/${missing}`, { version: 1, name: '改' }, { token: clerk.token });
    expect(outOfScope.status, JSON.stringify(outOfScope.body)).toBe(404);
    expect(shape(outOfScope, theirs.body.id)).toEqual(shape(absent, missing));
    expect(hookSaw).toEqual([]);
  });

  it('the hook still runs for a record in scope, and may refuse it', async () => {
    const mine = await t.api('POST', '/api/v1/records/rh_item', { name: '我的', note: 'locked' }, { token: clerk.token });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    const refused = await t.api('PATCH', `/api/v1/records/rh_item/${mine.body.id}`, { version: mine.body.version, name: '改' }, { token: clerk.token });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'note' });
    const open = await t.api('POST', '/api/v1/records/rh_item', { name: '我的二', note: 'open' }, { token: clerk.token });
    const ok = await t.api('PATCH', `/api/v1/records/rh_item/${open.body.id}`, { version: open.body.version, name: '改了' }, { token: clerk.token });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ name: '改了', version: 2 });
  });
});
