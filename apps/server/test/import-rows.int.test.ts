import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { importAndWait, postImport, waitForJob, xlsxOf } from '@mosaic/io/test-kit';

// Per-row reports and the two modes on files of real size: a 1,000-row XLSX
// with two bad rows, a 5,000-row CSV, and a job's progress on the way.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const r = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'io_part', label: { zh: '零件', en: 'Part' },
    fields: [
      { apiName: 'code', type: 'text', label: '编码', required: true, unique: true },
      { apiName: 'name', type: 'text', label: '名称', required: true },
      { apiName: 'price', type: 'decimal', label: '单价', config: { scale: 2 } },
      { apiName: 'stock', type: 'integer', label: '库存' },
      { apiName: 'valid_from', type: 'date', label: '生效日期' },
    ],
    rules: [{ name: 'price_positive', formula: 'OR(ISBLANK(price), price >= 0)', message: { zh: '单价不能为负', en: 'Price must not be negative' }, field: 'price' }],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

const count = async (prefix: string) =>
  (await t.api('GET', `/api/v1/records/io_part?filter=${encodeURIComponent(JSON.stringify({ code: { startsWith: prefix } }))}&pageSize=1`)).body.total;

/** 1,000 data rows (file rows 2–1001); file row 18 has a bad price, file row 777 a bad stock and no name. */
async function thousandRows(prefix: string): Promise<Buffer> {
  const rows: unknown[][] = [['编码', '名称', '单价', '库存', '生效日期']];
  for (let i = 0; i < 1000; i++) rows.push([`${prefix}-${i}`, `物料 ${i}`, i % 7 === 0 ? `${i}.5` : i * 1.25, i, new Date(Date.UTC(2026, 0, 1 + (i % 28)))]);
  rows[17][2] = 'abc'; // file row 18
  rows[776][1] = null; // file row 777
  rows[776][3] = '3.5';
  return xlsxOf(rows, (sheet) => (sheet.getColumn(5).numFmt = 'yyyy-mm-dd'));
}

describe('bad rows', () => {
  it('skip_bad_rows: imports 998 rows and reports exactly the two bad ones, by file row and field', async () => {
    const job = await importAndWait(t, 'io_part', { name: '物料.xlsx', content: await thousandRows('SK') }, { mode: 'skip_bad_rows' });
    expect(job.status, JSON.stringify(job.error)).toBe('done');
    expect(job.result).toMatchObject({ inserted: 998, valid: 998, skipped: 2, errorCount: 3, moreErrors: 0, rolledBack: false });
    expect(job.result.errors).toEqual([
      { row: 18, field: 'price', message: 'row 18: price: is not a number' },
      { row: 777, field: 'stock', message: 'row 777: stock: must be a whole number' },
      { row: 777, field: 'name', message: 'row 777: name: 名称 is required' },
    ]);
    expect(await count('SK-')).toBe(998);
  });

  it('all_or_nothing: imports nothing, still reports both rows', async () => {
    const job = await importAndWait(t, 'io_part', { name: '物料.xlsx', content: await thousandRows('AN') }, { mode: 'all_or_nothing' });
    expect(job.status).toBe('failed');
    expect(job.error).toEqual({ code: 'IMPORT_ROWS_FAILED', message: '2 rows are invalid; nothing was imported.' });
    expect(job.result).toMatchObject({ inserted: 0, valid: 998, skipped: 2, rolledBack: true });
    expect(job.result.errors.map((e: any) => [e.row, e.field])).toEqual([[18, 'price'], [777, 'stock'], [777, 'name']]);
    expect(await count('AN-')).toBe(0);
  });

  it('reports what only the database and the rules find (duplicates in the file, a broken rule) on the right rows', async () => {
    const csv = ['编码,名称,单价', 'DB-1,一,1', 'DB-2,二,-1', 'DB-1,重复,3', 'DB-3,三,4', 'SK-5,已存在,5'].join('\n');
    const job = await importAndWait(t, 'io_part', { name: 'd.csv', content: csv }, { mode: 'skip_bad_rows' });
    expect(job.result.inserted).toBe(2);
    expect(job.result.errors).toEqual([
      { row: 3, field: 'price', message: 'row 3: price: 单价不能为负' },
      { row: 4, field: 'code', message: 'row 4: code: another record already has this value' },
      { row: 6, field: 'code', message: 'row 6: code: another record already has this value' },
    ]);
  });

  it('lists at most 1,000 errors and counts the rest', async () => {
    const lines = ['编码,名称,单价'];
    for (let i = 0; i < 1200; i++) lines.push(`CAP-${i},名,not-a-number`);
    const job = await importAndWait(t, 'io_part', { name: 'cap.csv', content: lines.join('\n') }, { mode: 'skip_bad_rows' });
    expect(job.result).toMatchObject({ inserted: 0, skipped: 1200, errorCount: 1200, moreErrors: 200 });
    expect(job.result.errors).toHaveLength(1000);
    expect(job.result.errors[999].row).toBe(1001);
  });
});

describe('size and progress', () => {
  it('imports 5,000 CSV rows with correct counts; percent climbs to 100', async () => {
    const lines = ['编码,名称,单价,库存,生效日期'];
    for (let i = 0; i < 5000; i++) lines.push(`BIG-${i},"物料, 第 ${i} 个",${(i % 1000) / 4},${i},2026-01-${String((i % 28) + 1).padStart(2, '0')}`);
    const started = await postImport(t, 'io_part', { name: 'big.csv', content: lines.join('\r\n') }, { mode: 'skip_bad_rows' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toEqual({ jobId: expect.any(String) });
    const { job, percents } = await waitForJob(t, started.body.jobId);
    expect(job).toMatchObject({ kind: 'import', status: 'done', total: 5000, done: 5000, percent: 100 });
    expect(job.result).toMatchObject({ inserted: 5000, skipped: 0, errorCount: 0 });
    expect(percents.at(-1)).toBe(100);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents); // never goes backwards
    expect(await count('BIG-')).toBe(5000);
  });
});
