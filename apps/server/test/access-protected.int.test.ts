import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { importAndWait, postImport, waitForJob } from '@mosaic/io/test-kit';

// Mass assignment: the standard columns only the system sets (owner, company,
// department, status, version, audit columns, id, tenant) are refused on every
// write door — create, update, bulk create, bulk update, import — even for an
// administrator, and the stored values never move.
let t: TestApp;
let docId: string;

const PROTECTED: Record<string, unknown> = {
  owner_id: '0190b5c8-7a4d-7cc3-9a4e-000000000001',
  company_id: '0190b5c8-7a4d-7cc3-9a4e-000000000002',
  department_id: '0190b5c8-7a4d-7cc3-9a4e-000000000003',
  status: 'approved',
  version: 7,
  created_at: '2020-01-01T00:00:00Z',
  created_by: '0190b5c8-7a4d-7cc3-9a4e-000000000004',
  updated_at: '2020-01-01T00:00:00Z',
  updated_by: '0190b5c8-7a4d-7cc3-9a4e-000000000005',
  tenant_id: '0190b5c8-7a4d-7cc3-9a4e-000000000006',
};

beforeAll(async () => {
  t = await createTestApp();
  const r = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'acc_doc', label: '受保护单据', isDocument: true, titleField: 'title', fields: [{ apiName: 'title', type: 'text', label: '标题' }],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const d = await t.api('POST', '/api/v1/records/acc_doc', { title: '原始' });
  expect(d.status, JSON.stringify(d.body)).toBe(201);
  docId = d.body.id;
});

afterAll(async () => {
  await t?.close();
});

const stored = async () => (await t.api('GET', `/api/v1/records/acc_doc/${docId}`)).body;
const count = async () => (await t.api('GET', '/api/v1/records/acc_doc?fields=id')).body.total;

function expectRefused(r: { status: number; body: any }, field: string, label: string): void {
  expect(r.status, `${label}: ${JSON.stringify(r.body)}`).toBeGreaterThanOrEqual(400);
  expect(r.status, label).toBeLessThan(500);
  // tenant_id is not even a field of the object (400 FIELD_UNKNOWN); the others are read-only (422).
  expect(r.body.error.code, label).toBe(field === 'tenant_id' ? 'FIELD_UNKNOWN' : 'FIELD_READ_ONLY');
  expect(r.body.error.field, label).toMatch(new RegExp(`(^|\\.)${field}$`));
}

describe('protected fields', () => {
  it('cannot be set on create, update, bulk create or bulk update', async () => {
    const before = await stored();
    const n = await count();
    for (const [field, value] of Object.entries(PROTECTED)) {
      expectRefused(await t.api('POST', '/api/v1/records/acc_doc', { title: 'x', [field]: value }), field, `create ${field}`);
      expectRefused(await t.api('POST', '/api/v1/records/acc_doc/bulk', { records: [{ title: 'ok' }, { title: 'y', [field]: value }] }), field, `bulk create ${field}`);
      if (field === 'version') continue; // on update, version is the optimistic lock the caller read (below)
      expectRefused(await t.api('PATCH', `/api/v1/records/acc_doc/${docId}`, { version: before.version, [field]: value }), field, `update ${field}`);
      expectRefused(await t.api('PATCH', '/api/v1/records/acc_doc/bulk', { records: [{ id: docId, version: before.version, [field]: value }] }), field, `bulk update ${field}`);
    }
    expectRefused(await t.api('PATCH', `/api/v1/records/acc_doc/${docId}`, { version: before.version, id: PROTECTED.owner_id }), 'id', 'update id');
    expect(await count()).toBe(n); // a refused row fails its whole bulk call
    expect(await stored()).toEqual(before);
  });

  it('sends version only as the lock: the stored version moves by one', async () => {
    const before = await stored();
    const r = await t.api('PATCH', `/api/v1/records/acc_doc/${docId}`, { version: before.version, title: '改' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.version).toBe(before.version + 1);
    expect(r.body.owner_id).toBe(t.tenant.adminId);
    expect((await t.api('PATCH', `/api/v1/records/acc_doc/${docId}`, { version: 99, title: 'x' })).status).toBe(409);
  });

  it('cannot be imported: the columns are ignored by name, refused by mapping, and the importer owns the rows', async () => {
    const header = Object.keys(PROTECTED).join(',');
    const values = Object.values(PROTECTED).join(',');
    const job = await importAndWait(t, 'acc_doc', { name: 'p.csv', content: `title,${header}\n导入,${values}\n` });
    expect(job.status, JSON.stringify(job)).toBe('done');
    expect(job.result.inserted).toBe(1);
    const ignored = job.result.ignoredColumns.map((c: { header: string }) => c.header);
    for (const field of Object.keys(PROTECTED).filter((f) => f !== 'tenant_id')) expect(ignored, field).toContain(field);
    const row = (await t.api('GET', `/api/v1/records/acc_doc?filter=${encodeURIComponent(JSON.stringify({ title: '导入' }))}`)).body.data[0];
    expect(row).toMatchObject({ owner_id: t.tenant.adminId, company_id: t.tenant.companyId, department_id: t.tenant.departmentId, status: 'draft', version: 1, created_by: t.tenant.adminId });
    // Mapped explicitly onto a protected field, the column is refused (up front or per row); its value never lands.
    for (const field of Object.keys(PROTECTED).filter((f) => f !== 'tenant_id')) {
      const mapped = await postImport(t, 'acc_doc', { name: 'm.csv', content: `title,x\n甲,${PROTECTED[field]}\n` }, { mapping: JSON.stringify({ title: 'title', x: field }) });
      expect(mapped.status, field).toBeLessThan(500);
      if (mapped.status !== 202) continue;
      const { job } = await waitForJob(t, mapped.body.jobId);
      expect(job.result?.inserted ?? 0, `${field}: ${JSON.stringify(job)}`).toBe(0);
      expect(job.result.errors[0], field).toMatchObject({ field, message: expect.stringContaining('cannot be written') });
    }
    expect((await t.api('GET', `/api/v1/records/acc_doc?filter=${encodeURIComponent(JSON.stringify({ title: '甲' }))}`)).body.total).toBe(0);
  });
});
