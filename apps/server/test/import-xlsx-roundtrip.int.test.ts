import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { download, importAndWait, readXlsx } from '@mosaic/io/test-kit';

// Export a list to XLSX, import the file into a second object with the same
// fields, and get the same values back: text, decimal, money, date, select,
// boolean, multi-select, address and a link given by the customer's name.
let t: TestApp;

const dealFields = [
  { apiName: 'title', type: 'text', label: { zh: '标题', en: 'Title' }, required: true },
  { apiName: 'qty', type: 'decimal', label: { zh: '数量', en: 'Qty' }, config: { scale: 3 } },
  { apiName: 'price', type: 'money', label: { zh: '单价', en: 'Price' } },
  { apiName: 'signed_on', type: 'date', label: { zh: '签约日期', en: 'Signed on' } },
  { apiName: 'stage', type: 'single_select', label: { zh: '阶段', en: 'Stage' }, config: { options: [{ value: 'lead', label: { zh: '线索', en: 'Lead' } }, { value: 'won', label: { zh: '赢单', en: 'Won' } }] } },
  { apiName: 'won', type: 'boolean', label: { zh: '已成交', en: 'Won?' } },
  { apiName: 'tags', type: 'multi_select', label: { zh: '标签', en: 'Tags' }, config: { options: [{ value: 'vip', label: '重点' }, { value: 'new', label: '新客' }] } },
  { apiName: 'site', type: 'address', label: { zh: '地址', en: 'Site' } },
  { apiName: 'customer', type: 'link', label: { zh: '客户', en: 'Customer' }, config: { target: 'io_customer' } },
  { apiName: 'note', type: 'long_text', label: { zh: '备注', en: 'Note' } },
];

const deals = [
  { title: '华为 5G 基站', qty: '12.5', price: { amount: '1999.99', currency: 'CNY' }, signed_on: '2026-03-01', stage: 'won', won: true, tags: ['vip', 'new'], site: { province: '44', city: '4403', district: '440305', detail: '科技园路 1 号' }, note: '第一行\n第二行' },
  { title: '美的空调', qty: '-3', price: { amount: '88', currency: 'USD' }, signed_on: '2025-12-31', stage: 'lead', won: false, tags: [], site: { province: '11', city: '1101', district: '110105', detail: '建国路' }, note: '=HYPERLINK("http://evil","点我")' },
  { title: '-5 摄氏度', qty: null, price: null, signed_on: null, stage: null, won: null, tags: [], site: null, note: '@SUM(1+1)' },
];

beforeAll(async () => {
  t = await createTestApp();
  const customer = await t.api('POST', '/api/v1/meta/objects', { apiName: 'io_customer', label: { zh: '客户', en: 'Customer' }, fields: [{ apiName: 'name', type: 'text', label: '名称', required: true }] });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  for (const apiName of ['io_deal', 'io_deal_copy']) {
    const r = await t.api('POST', '/api/v1/meta/objects', { apiName, label: { zh: apiName === 'io_deal' ? '商机' : '商机副本', en: 'Deal' }, fields: dealFields });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  const hw = await t.api('POST', '/api/v1/records/io_customer', { name: '华为' });
  const md = await t.api('POST', '/api/v1/records/io_customer', { name: '美的' });
  deals[0] = { ...deals[0], customer: hw.body.id } as never;
  deals[1] = { ...deals[1], customer: md.body.id } as never;
  const created = await t.api('POST', '/api/v1/records/io_deal/bulk', { records: deals });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

const fieldNames = dealFields.map((f) => f.apiName);
const comparable = (r: Record<string, unknown>) => Object.fromEntries(fieldNames.map((k) => [k, k === 'tags' ? [...((r[k] as string[]) ?? [])].sort() : r[k]]));

describe('XLSX export → import round trip', () => {
  it('exports labels, titles and neutralised text', async () => {
    const res = await download(t, '/api/v1/export/io_deal?format=xlsx&sort=title');
    expect(res.status, res.body.toString()).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="io_deal.xlsx"; filename*=UTF-8''${encodeURIComponent('商机')}.xlsx`);
    const rows = await readXlsx(res.body);
    expect(rows[0]).toEqual(['ID', '标题', '数量', '单价', '单价（币种）', '签约日期', '阶段', '已成交', '标签', '地址', '客户', '备注']);
    const byTitle = new Map(rows.slice(1).map((r) => [r[1], r]));
    expect(byTitle.get('华为 5G 基站')!.slice(2)).toEqual([12.5, 1999.99, 'CNY', '2026-03-01', '赢单', '是', '重点，新客', '广东省深圳市南山区 科技园路 1 号', '华为', '第一行\n第二行']);
    expect(byTitle.get('美的空调')![3]).toBe(88);
    expect(byTitle.get('美的空调')![9]).toBe('北京市朝阳区 建国路'); // municipalities skip the 市辖区 level
    expect(byTitle.get('美的空调')![11]).toBe(`'=HYPERLINK("http://evil","点我")`);
    expect(byTitle.get("'-5 摄氏度")![11]).toBe("'@SUM(1+1)");
    expect(byTitle.get('美的空调')![2]).toBe(-3); // a negative number is a number, not a formula
  });

  it('imports the exported file into another object with equal values', async () => {
    const file = await download(t, '/api/v1/export/io_deal?format=xlsx');
    const job = await importAndWait(t, 'io_deal_copy', { name: '商机.xlsx', content: file.body }, { mode: 'all_or_nothing' });
    expect(job.status, JSON.stringify(job)).toBe('done');
    expect(job.result).toMatchObject({ inserted: 3, skipped: 0, errorCount: 0, errors: [] });
    expect(job.result.ignoredColumns).toEqual([{ header: 'ID', reason: 'id is set by the system' }]);
    const original = (await t.api('GET', '/api/v1/records/io_deal?sort=title')).body.data.map(comparable);
    const copy = (await t.api('GET', '/api/v1/records/io_deal_copy?sort=title')).body.data.map(comparable);
    expect(copy).toEqual(original);
    expect(copy.find((r: any) => r.title === '美的空调').price).toEqual({ amount: '88.00', currency: 'USD' });
  });

  it('reads what Excel itself writes: real dates, formulas, rich text, hyperlinks, 是/否, labels and serial dates', async () => {
    const { xlsxOf } = await import('@mosaic/io/test-kit');
    const buf = await xlsxOf([
      ['标题', '数量', '单价', '签约日期', '阶段', '已成交', '客户', '备注'],
      [{ richText: [{ text: '富' }, { text: '文本' }] }, { formula: '2*3', result: 6 }, 12, new Date(Date.UTC(2026, 5, 30)), 'Won', '否', '华为', { text: '官网', hyperlink: 'https://example.cn' }],
      ['序列号日期', '1,234.5', '¥ 2,000', 46000, 'lead', 'TRUE', '美的', null],
    ], (sheet) => {
      sheet.getCell('D2').numFmt = 'yyyy-mm-dd';
    });
    const job = await importAndWait(t, 'io_deal_copy', { name: 'excel.xlsx', content: buf });
    expect(job.status, JSON.stringify(job)).toBe('done');
    expect(job.result.inserted).toBe(2);
    const list = (await t.api('GET', `/api/v1/records/io_deal_copy?filter=${encodeURIComponent(JSON.stringify({ title: { in: ['富文本', '序列号日期'] } }))}&sort=title&fields=title,qty,price,signed_on,stage,won,customer.name,note`)).body.data;
    expect(list).toEqual([
      expect.objectContaining({ title: '富文本', qty: '6.000', price: { amount: '12.00', currency: 'CNY' }, signed_on: '2026-06-30', stage: 'won', won: false, 'customer.name': '华为', note: '官网' }),
      expect.objectContaining({ title: '序列号日期', qty: '1234.500', price: { amount: '2000.00', currency: 'CNY' }, signed_on: '2025-12-09', stage: 'lead', won: true, 'customer.name': '美的' }),
    ]);
  });
});
