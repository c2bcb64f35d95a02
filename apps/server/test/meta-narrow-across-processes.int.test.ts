import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

// A removing or narrowing metadata change is in force on every process when it
// answers (ADR 0012, like a revocation): each process caches the tenant's metadata
// and the change waits until every process has dropped it. Run in the multi
// topology (`MULTI_FILES=apps/server/test/meta-narrow-across-processes.int.test.ts
// npm run test:multi`): process A takes the change, process B the very next request.
// In the single topology A and B are the same in-process app and the answers are the same.
let t: TestApp;
type Reply = { status: number; body: any };
type Call = (method: string, url: string, body?: unknown) => Promise<Reply>;
let viaA: Call;
let viaB: Call;

beforeAll(async () => {
  t = await createTestApp();
  const apis = t.topology?.apis;
  const over = (base: string): Call => async (method, url, body) => {
    const headers: Record<string, string> = { authorization: `Bearer ${t.adminToken}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(base + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const inProcess: Call = (method, url, body) => t.api(method, url, body);
  viaA = apis ? over(apis[0].base) : inProcess;
  viaB = apis ? over(apis[1].base) : inProcess;
  const fields = [
    { apiName: 'flip_required', type: 'text', label: '翻转必填' },
    { apiName: 'flip_grade', type: 'single_select', label: '翻转等级', config: { options: [{ value: 'keep', label: '保留' }, { value: 'gone', label: '移除' }] } },
  ];
  for (const f of fields) {
    const r = await viaA('POST', '/api/v1/meta/objects/customer/fields', f);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
}, 300_000);

afterAll(async () => {
  await t?.close();
});

// META_NARROW_ROUNDS: more rounds to look for the window (with MOSAIC_CACHE_BARRIER_MS=0 it is rare on localhost).
const ROUNDS = Number(process.env.META_NARROW_ROUNDS ?? 20);
const KEEP = { value: 'keep', label: '保留' };
const GONE = { value: 'gone', label: '移除' };

describe('a narrowing metadata change through one process holds on the other at once', () => {
  it(`a field made required through A: B refuses (422) a record without it (${ROUNDS} rounds)`, async () => {
    const accepted: number[] = [];
    const refused: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      expect((await viaA('PATCH', '/api/v1/meta/objects/customer/fields/flip_required', { required: false })).status).toBe(200);
      accepted.push((await viaB('POST', '/api/v1/records/customer', { name: `可选-${i}` })).status); // B caches the optional field
      expect((await viaA('PATCH', '/api/v1/meta/objects/customer/fields/flip_required', { required: true })).status).toBe(200);
      const r = await viaB('POST', '/api/v1/records/customer', { name: `必填-${i}` });
      refused.push(r.status === 422 && r.body.error.field === 'flip_required' ? 422 : r.status);
    }
    expect({ notAccepted: accepted.filter((s) => s !== 201), notRefused: refused.filter((s) => s !== 422) }).toEqual({ notAccepted: [], notRefused: [] });
    expect((await viaA('PATCH', '/api/v1/meta/objects/customer/fields/flip_required', { required: false })).status).toBe(200);
  }, 600_000);

  it(`a select option removed through A: B refuses it (422, ${ROUNDS} rounds)`, async () => {
    const accepted: number[] = [];
    const refused: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      expect((await viaA('PATCH', '/api/v1/meta/objects/customer/fields/flip_grade', { config: { options: [KEEP, GONE] } })).status).toBe(200);
      accepted.push((await viaB('POST', '/api/v1/records/customer', { name: `有-${i}`, flip_grade: 'gone' })).status);
      expect((await viaA('PATCH', '/api/v1/meta/objects/customer/fields/flip_grade', { config: { options: [KEEP] } })).status).toBe(200);
      const r = await viaB('POST', '/api/v1/records/customer', { name: `无-${i}`, flip_grade: 'gone' });
      refused.push(r.status === 422 && String(r.body.error.field).includes('flip_grade') ? 422 : r.status);
    }
    expect({ notAccepted: accepted.filter((s) => s !== 201), notRefused: refused.filter((s) => s !== 422) }).toEqual({ notAccepted: [], notRefused: [] });
  }, 600_000);
});

describe('which field changes wait for the barrier', () => {
  it('new labels, positions, added options and the searchable flag do not; anything else does', async () => {
    const { narrowsField } = await import('@mosaic/meta');
    const base = { id: 'f', objectId: 'o', apiName: 'g', columnName: 'c_g', type: 'single_select', label: { zh: '甲' }, required: false, unique: false, indexed: false,
      defaultValue: null, config: { options: [KEEP].map((o) => ({ value: o.value, label: { zh: o.label } })) }, position: 1, system: false, readOnly: false, archived: false } as const;
    const more = { ...base.config, options: [...base.config.options, { value: 'new', label: { zh: '新' } }] };
    expect([
      narrowsField(base as any, { ...base, label: { zh: '乙' }, position: 5, indexed: true, config: more } as any),
      narrowsField(base as any, { ...base, config: { ...base.config, searchable: true } } as any),
      narrowsField(base as any, { ...base, config: { options: [] } } as any),
      narrowsField(base as any, { ...base, required: true } as any),
      narrowsField(base as any, { ...base, archived: true } as any),
    ]).toEqual([false, false, true, true, true]);
  });
});
