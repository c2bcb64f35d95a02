import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTenant, hashPassword, insertUser } from '@mosaic/identity';
import { createTestApp, ADMIN_PASSWORD, type TestApp } from '@mosaic/testing';
import { importAndWait, postImport, waitForJob } from '@mosaic/io/test-kit';

// CSV imports: encodings Excel writes (UTF-8 with BOM, GBK/GB18030), headers
// matched by label, explicit and saved mappings, what is refused up front, and
// who may see a job.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const r = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'io_supplier', label: { zh: '供应商', en: 'Supplier' },
    fields: [
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true, unique: true },
      { apiName: 'credit', type: 'money', label: { zh: '信用额度', en: 'Credit' } },
      { apiName: 'rating', type: 'single_select', label: { zh: '评级', en: 'Rating' }, config: { options: [{ value: 'a', label: { zh: '优', en: 'A' } }, { value: 'b', label: { zh: '良', en: 'B' } }] } },
      { apiName: 'since', type: 'date', label: { zh: '合作日期', en: 'Since' } },
      { apiName: 'active', type: 'boolean', label: { zh: '启用', en: 'Active' } },
      { apiName: 'code', type: 'auto_number', label: '编号', config: { pattern: 'S-{####}' } },
    ],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

const names = async (filter: unknown) =>
  (await t.api('GET', `/api/v1/records/io_supplier?filter=${encodeURIComponent(JSON.stringify(filter))}&sort=name&fields=name,credit,rating,since,active`)).body.data;

describe('CSV import', () => {
  it('reads a GBK (GB18030) CSV from Chinese Excel, headers by Chinese label, 是/否 and 2026/3/1 dates', async () => {
    const text = '名称,信用额度,评级,合作日期,启用,编号\r\n深圳精工,"1,200.50",优,2026/3/1,是,X-1\r\n东莞五金,800,b,2025-11-20,否,\r\n';
    const job = await importAndWait(t, 'io_supplier', { name: '供应商.csv', content: iconv.encode(text, 'gbk'), mime: 'text/csv' });
    expect(job.status, JSON.stringify(job)).toBe('done');
    expect(job.result).toMatchObject({ inserted: 2, skipped: 0 });
    expect(job.result.ignoredColumns).toEqual([{ header: '编号', reason: 'code is set by the system' }]);
    expect(await names({ name: { in: ['深圳精工', '东莞五金'] } })).toEqual([
      { id: expect.any(String), name: '东莞五金', credit: { amount: '800.00', currency: 'CNY' }, rating: 'b', since: '2025-11-20', active: false },
      { id: expect.any(String), name: '深圳精工', credit: { amount: '1200.50', currency: 'CNY' }, rating: 'a', since: '2026-03-01', active: true },
    ]);
  });

  it('reads UTF-8 with a BOM, English labels, semicolons, and the currency column', async () => {
    const text = '\uFEFFName;Credit;Credit (currency);Rating\n佛山陶瓷;99.5;usd;A\n';
    const job = await importAndWait(t, 'io_supplier', { name: 'x.csv', content: text });
    expect(job.result, JSON.stringify(job)).toMatchObject({ inserted: 1 });
    expect(await names({ name: '佛山陶瓷' })).toEqual([expect.objectContaining({ credit: { amount: '99.50', currency: 'USD' }, rating: 'a' })]);
  });

  it('maps columns explicitly, and by a saved mapping', async () => {
    const text = '供应商全称,额度,备注\n中山灯饰,10\n';
    const explicit = await importAndWait(t, 'io_supplier', { name: 'm.csv', content: text }, { mapping: JSON.stringify({ 供应商全称: 'name', 额度: 'credit' }) });
    expect(explicit.result, JSON.stringify(explicit)).toMatchObject({ inserted: 1, ignoredColumns: [{ header: '备注', reason: 'not mapped' }] });

    const saved = await t.api('POST', '/api/v1/import-mappings/io_supplier', { name: 'ERP 导出', mapping: { 供应商全称: 'name', 额度: 'credit', 备注: null } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const list = await t.api('GET', '/api/v1/import-mappings/io_supplier');
    expect(list.body.data).toEqual([expect.objectContaining({ id: saved.body.id, name: 'ERP 导出', object: 'io_supplier' })]);
    const dup = await t.api('POST', '/api/v1/import-mappings/io_supplier', { name: 'ERP 导出', mapping: { a: 'name' } });
    expect(dup.body.error.code).toBe('CONFLICT');
    const bad = await t.api('POST', '/api/v1/import-mappings/io_supplier', { name: '坏的', mapping: { 颜色: 'colour' } });
    expect(bad.body.error).toMatchObject({ code: 'IMPORT_MAPPING', message: expect.stringContaining('"颜色"') });

    const job = await importAndWait(t, 'io_supplier', { name: 'm.csv', content: '供应商全称,额度,备注\n江门电机,20,x\n' }, { mappingId: saved.body.id });
    expect(job.result).toMatchObject({ inserted: 1 });
    expect(await names({ name: '江门电机' })).toEqual([expect.objectContaining({ credit: { amount: '20.00', currency: 'CNY' } })]);
  });

  it('refuses at once what cannot work: unknown fields, unknown columns, non-spreadsheets, no file, no multipart', async () => {
    const unknownField = await postImport(t, 'io_supplier', { name: 'a.csv', content: '名称,颜色\nx,红\n' }, { mapping: JSON.stringify({ 名称: 'name', 颜色: 'colour' }) });
    expect(unknownField.status).toBe(422);
    expect(unknownField.body.error).toMatchObject({ code: 'IMPORT_MAPPING', message: 'mapping: column "颜色" → "colour": io_supplier has no field "colour"' });
    const missingColumn = await postImport(t, 'io_supplier', { name: 'a.csv', content: '名称\nx\n' }, { mapping: JSON.stringify({ 全称: 'name' }) });
    expect(missingColumn.body.error).toMatchObject({ code: 'IMPORT_MAPPING', message: 'mapping: column "全称" is not in the file' });
    const badJson = await postImport(t, 'io_supplier', { name: 'a.csv', content: '名称\nx\n' }, { mapping: '{oops' });
    expect(badJson.body.error.code).toBe('IMPORT_MAPPING');
    const nothingMatches = await postImport(t, 'io_supplier', { name: 'a.csv', content: 'foo,bar\n1,2\n' });
    expect(nothingMatches.body.error.code).toBe('IMPORT_MAPPING');
    const pdf = await postImport(t, 'io_supplier', { name: 'a.csv', content: '%PDF-1.4 not a table' });
    expect(pdf.status).toBe(422);
    expect(pdf.body.error.code).toBe('IMPORT_INVALID');
    const xls = await postImport(t, 'io_supplier', { name: 'a.xls', content: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) });
    expect(xls.body.error).toMatchObject({ code: 'IMPORT_INVALID', message: expect.stringContaining('.xls') });
    const zip = await postImport(t, 'io_supplier', { name: 'a.xlsx', content: Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]) });
    expect(zip.body.error.code).toBe('IMPORT_INVALID');
    const empty = await postImport(t, 'io_supplier', { name: 'a.csv', content: '' });
    expect(empty.body.error.code).toBe('IMPORT_INVALID');
    const noFile = await postImport(t, 'io_supplier', null, { mode: 'skip_bad_rows' });
    expect(noFile.body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'file' });
    const badMode = await postImport(t, 'io_supplier', { name: 'a.csv', content: '名称\nx\n' }, { mode: 'sometimes' });
    expect(badMode.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'mode' });
    const json = await t.api('POST', '/api/v1/import/io_supplier', { rows: [] });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const noObject = await postImport(t, 'nope', { name: 'a.csv', content: '名称\nx\n' });
    expect(noObject.body.error.code).toBe('OBJECT_UNKNOWN');
    expect(fs.readdirSync(path.join(t.dataDir, 'uploads'))).toEqual([]); // refused uploads leave nothing behind
  });

  it('never writes a file under the name the client gave', async () => {
    const r = await postImport(t, 'io_supplier', { name: '../../../../tmp/evil.csv', content: '名称\n路径测试\n' });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const seen = fs.readdirSync(path.join(t.dataDir, 'uploads'));
    expect(seen.every((f) => /^[0-9a-f-]{36}\.upload$/.test(f))).toBe(true);
    const { job } = await waitForJob(t, r.body.jobId);
    expect(job.result).toMatchObject({ inserted: 1 });
    expect(fs.existsSync('/tmp/evil.csv')).toBe(false);
    expect(fs.readdirSync(path.join(t.dataDir, 'uploads'))).toEqual([]); // the temp file is gone when the job ends
    const nul = await postImport(t, 'io_supplier', { name: 'a\u0001b.csv', content: '名称\nx\n' });
    expect(nul.body.error.code).toBe('FILE_NAME_INVALID');
  });

  it('dry run checks everything and writes nothing', async () => {
    const job = await importAndWait(t, 'io_supplier', { name: 'd.csv', content: '名称,评级\n试运行一,优\n试运行二,差\n' }, { dryRun: 'true', mode: 'skip_bad_rows' });
    expect(job.status).toBe('done');
    expect(job.result).toMatchObject({ dryRun: true, inserted: 0, valid: 1, skipped: 1, rolledBack: true });
    expect(job.result.errors).toEqual([{ row: 3, field: 'rating', message: 'row 3: rating: "差" is not one of the options' }]);
    expect(await names({ name: { startsWith: '试运行' } })).toEqual([]);
  });

  it('shows a job only to its creator (or an admin) in its own tenant', async () => {
    const r = await postImport(t, 'io_supplier', { name: 'v.csv', content: '名称\n可见性\n' });
    await waitForJob(t, r.body.jobId);
    const clerkEmail = `clerk-${Date.now()}@test.local`;
    const hash = await hashPassword(ADMIN_PASSWORD);
    await inTenantTx(t.testDb.db.owner, { tenantId: t.tenant.tenantId }, (tx) => insertUser(tx, t.tenant.tenantId, { email: clerkEmail, name: '文员', passwordHash: hash }));
    const login = await t.api('POST', '/api/v1/auth/login', { email: clerkEmail, password: ADMIN_PASSWORD }, { token: null });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const clerk = await t.api('GET', `/api/v1/jobs/${r.body.jobId}`, undefined, { token: login.body.token });
    expect(clerk.status).toBe(404);
    expect(clerk.body.error.code).toBe('JOB_NOT_FOUND');
    // An admin of another tenant on the same database: row-level security hides the job.
    const otherEmail = `other-${Date.now()}@test.local`;
    const otherTenant = await createTenant(t.testDb.db, { name: '别的租户', companyName: '别的公司', adminEmail: otherEmail, adminPassword: ADMIN_PASSWORD });
    const otherLogin = await t.api('POST', '/api/v1/auth/login', { email: otherEmail, password: ADMIN_PASSWORD }, { token: null });
    const stranger = await t.api('GET', `/api/v1/jobs/${r.body.jobId}`, undefined, { token: otherLogin.body.token });
    expect(stranger.body.error.code).toBe('JOB_NOT_FOUND');
    const rows = await inTenantTx(t.testDb.db.app, { tenantId: otherTenant.tenantId }, (tx) => sql`SELECT count(*)::int AS n FROM job`.execute(tx));
    expect(rows.rows).toEqual([{ n: 0 }]);
    expect((await t.api('GET', '/api/v1/jobs/not-a-uuid')).body.error.code).toBe('JOB_NOT_FOUND');
  });
});
