import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { download, importAndWait, readXlsx } from '@mosaic/io/test-kit';

// Exporting lists: the list's own filter/sort/fields, paging past 500 rows,
// UTF-8 with BOM, Chinese file names, and formula injection neutralised.
let t: TestApp;

const hostile = ['=1+2', '+SUM(A1)', '-2+3', '@cmd', '\tTAB', '\rCR', '-5', '普通文本'];

beforeAll(async () => {
  t = await createTestApp();
  const r = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'io_contact', label: { zh: '联系人', en: 'Contact' },
    fields: [
      { apiName: 'name', type: 'text', label: { zh: '姓名', en: 'Name' }, required: true },
      { apiName: 'seq', type: 'integer', label: { zh: '序号', en: 'No.' } },
      { apiName: 'balance', type: 'decimal', label: { zh: '余额', en: 'Balance' }, config: { scale: 2 } },
      { apiName: 'met_at', type: 'datetime', label: { zh: '见面时间', en: 'Met at' } },
      { apiName: 'vip', type: 'boolean', label: { zh: '重要', en: 'VIP' } },
    ],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const records = Array.from({ length: 1200 }, (_, i) => ({ name: `联系人 ${String(i).padStart(4, '0')}`, seq: i, balance: String(i % 3 === 0 ? -i : i), vip: i % 2 === 0 }));
  hostile.forEach((name, i) => Object.assign(records[i], { name, met_at: '2026-11-20T00:30:00Z' }));
  const created = await t.api('POST', '/api/v1/records/io_contact/bulk', { records });
  expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

const csvRows = (buf: Buffer) => parse(buf, { bom: true, relax_column_count: true }) as string[][];

describe('CSV export', () => {
  it('streams every page of a large list in the requested order, with a BOM and a Chinese file name', async () => {
    const res = await download(t, '/api/v1/export/io_contact?format=csv&sort=-seq&fields=seq,name,vip');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe("attachment; filename=\"io_contact.csv\"; filename*=UTF-8''%E8%81%94%E7%B3%BB%E4%BA%BA.csv");
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(res.body);
    expect(rows[0]).toEqual(['序号', '姓名', '重要']); // exactly the fields asked for
    expect(rows).toHaveLength(1201);
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(Array.from({ length: 1200 }, (_, i) => 1199 - i));
    expect(rows[1]).toEqual(['1199', '联系人 1199', '否']);
  });

  it('applies the filter, English labels, and the user\'s clock for date-times', async () => {
    const filter = encodeURIComponent(JSON.stringify({ seq: { lt: 3 } }));
    const res = await download(t, `/api/v1/export/io_contact?format=csv&lang=en&filter=${filter}&sort=seq`);
    const rows = csvRows(res.body);
    expect(rows[0]).toEqual(['ID', 'Name', 'No.', 'Balance', 'Met at', 'VIP']);
    expect(rows.slice(1).map((r) => r.slice(2))).toEqual([
      ['0', '0.00', '2026-11-20 08:30:00', 'true'],
      ['1', '1.00', '2026-11-20 08:30:00', 'false'],
      ['2', '2.00', '2026-11-20 08:30:00', 'true'],
    ]);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''Contact.csv");
  });

  it('neutralises cells that would run as formulas, and import takes the guard off again', async () => {
    const filter = encodeURIComponent(JSON.stringify({ seq: { lt: hostile.length } }));
    const res = await download(t, `/api/v1/export/io_contact?format=csv&filter=${filter}&sort=seq&fields=name,balance`);
    const rows = csvRows(res.body).slice(1);
    expect(rows.map((r) => r[0])).toEqual(["'=1+2", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tTAB", "'\rCR", '-5', '普通文本']);
    expect(rows[3][1]).toBe('-3.00'); // a negative number stays a number
    const back = await importAndWait(t, 'io_contact', { name: 'back.csv', content: res.body }, { mapping: JSON.stringify({ 姓名: 'name' }) });
    expect(back.result).toMatchObject({ inserted: hostile.length });
    const names = (await t.api('GET', `/api/v1/records/io_contact?filter=${encodeURIComponent(JSON.stringify({ seq: null }))}&sort=created_at&pageSize=20`)).body.data.map((r: any) => r.name);
    expect(names.sort()).toEqual([...hostile].sort());
  });

  it('neutralises in XLSX too', async () => {
    const filter = encodeURIComponent(JSON.stringify({ seq: { lt: hostile.length } }));
    const res = await download(t, `/api/v1/export/io_contact?format=xlsx&filter=${filter}&sort=seq&fields=name,seq`);
    const rows = await readXlsx(res.body);
    // (XML turns a raw CR into LF on reading; the guard is what matters.)
    expect(rows.slice(1).map((r) => r[0])).toEqual(["'=1+2", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tTAB", "'\nCR", '-5', '普通文本']);
    expect(rows.slice(1).map((r) => r[1])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('answers a bad request with a JSON error before anything is streamed', async () => {
    const badFilter = await t.api('GET', `/api/v1/export/io_contact?format=csv&filter=${encodeURIComponent('{"colour":"red"}')}`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error.code).toBe('FIELD_UNKNOWN');
    const badFormat = await t.api('GET', '/api/v1/export/io_contact?format=pdf');
    expect(badFormat.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'format' });
    const noObject = await t.api('GET', '/api/v1/export/nothing?format=csv');
    expect(noObject.status).toBe(404);
    const anon = await t.api('GET', '/api/v1/export/io_contact?format=csv', undefined, { token: null });
    expect(anon.status).toBe(401);
  });
});
