import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { pdfText } from '@mosaic/print/test-kit';
import { roleWith, userWith } from '../../../apps/server/test/access-helpers.ts';
import { getBytes, invoiceFixture, tinyPng } from './print-fixture.ts';

// Printing a sales invoice on a real PostgreSQL, read back from the PDF itself:
// the Chinese customer name, the lines, the totals and the 大写 amount are on
// the paper, in the embedded font, under the company's letterhead; a user who
// may not read the record gets nothing, a hidden field is not printed.
let t: TestApp;
let invoiceId: string;

beforeAll(async () => {
  t = await createTestApp();
  const logo = await t.upload('logo.png', tinyPng(), 'image/png');
  expect(logo.status, JSON.stringify(logo.body)).toBe(201);
  const company = await t.api('PATCH', `/api/v1/admin/companies/${t.tenant.companyId}`, {
    name: '上海示例贸易有限公司', address: '上海市浦东新区张江路 88 号', phone: '021-50000000',
    taxId: '91310115MA1K4ABCDE', bankName: '招商银行上海张江支行', bankAccount: '1219 0000 0000 001', logoFileId: logo.body.id,
  });
  expect(company.status, JSON.stringify(company.body)).toBe(200);
  ({ invoiceId } = await invoiceFixture(t));
});

afterAll(async () => {
  await t?.close();
});

const printUrl = (object: string, id: string, template?: string) => `/api/v1/records/${object}/${id}/print${template ? `?template=${template}` : ''}`;

describe('GET /api/v1/records/{object}/{id}/print', () => {
  it('prints a sales invoice: letterhead, Chinese customer and lines, totals and the 大写 amount', async () => {
    const r = await getBytes(t, printUrl('sales_invoice', invoiceId));
    expect(r.status, r.body.toString('utf8').slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(decodeURIComponent(String(r.headers['content-disposition']))).toMatch(/^inline; .*销售发票-SI-\d{4}-\d+\.pdf$/);
    expect(r.headers['x-mosaic-template']).toBe('built-in');
    if (process.env.PRINT_DUMP) (await import('node:fs')).writeFileSync(process.env.PRINT_DUMP, r.body);
    const text = await pdfText(r.body);
    for (const expected of [
      '上海示例贸易有限公司', '上海市浦东新区张江路 88 号', '91310115MA1K4ABCDE', // letterhead
      '销售发票', '客户：深圳市华强电子有限公司', '直流电机', 'M-01', '24V 50W', '不锈钢螺丝', // header and lines
      '325.00', '42.25', '¥367.25', '叁佰陆拾柒元贰角伍分', // totals and 大写
      '13%', '招商银行上海张江支行', '第 1 页 / 共 1 页',
    ]) expect(text, `missing ${expected} in:\n${text}`).toContain(expected);
  });

  it('prints a foreign-currency total with a sign that is not the company\'s: US$, never ¥', async () => {
    const cny = (await t.api('GET', `/api/v1/records/sales_invoice/${invoiceId}`)).body;
    const inv = await t.api('POST', '/api/v1/records/sales_invoice', { customer: cny.customer, currency: 'USD', lines: [{ item: cny.lines[0].item, qty: 1, rate: 100 }] });
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    const text = await pdfText((await getBytes(t, printUrl('sales_invoice', inv.body.id))).body);
    expect(text, text).toContain('US$113.00');
    expect(text).not.toContain('¥113.00');
    expect(text, text).toMatch(/价税合计（大写）：\s*美元壹佰壹拾叁元整/); // 大写 names the dollar; a bare 元 reads as the yuan
  });

  it('embeds the CJK font (a subset) and the company logo', async () => {
    const r = await getBytes(t, printUrl('sales_invoice', invoiceId));
    const raw = r.body.toString('latin1');
    expect(raw).toMatch(/\/FontFile2 \d+ 0 R/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
    expect(raw).toMatch(/\/Subtype \/Image/);
    expect(r.body.length).toBeLessThan(150_000);
  });

  it('records who printed which document with which template', async () => {
    const rows = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
      sql<{ kind: string; detail: { template: string } }>`SELECT kind, detail FROM audit_log WHERE object = 'sales_invoice' AND record_id = ${invoiceId} AND kind = 'record.print'`.execute(tx));
    expect(rows.rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.rows[0].detail.template).toBe('built-in');
  });

  it('prints a document with a child table through the generic template (stock entry)', async () => {
    const wh = (await t.api('POST', '/api/v1/records/warehouse', { code: 'RM', name: '原料仓' })).body.id;
    const items = (await t.api('GET', '/api/v1/records/item?fields=id,code&sort=code')).body.data;
    const entry = await t.api('POST', '/api/v1/records/stock_entry', { entry_type: 'receipt', warehouse: wh, lines: [{ item: items[0].id, qty: 7, rate: '8.5' }] });
    expect(entry.status, JSON.stringify(entry.body)).toBe(201);
    const r = await getBytes(t, printUrl('stock_entry', entry.body.id));
    expect(r.headers['x-mosaic-template']).toBe('generic');
    const text = await pdfText(r.body);
    expect(text, text).toContain('原料仓');
    expect(text).toMatch(/序号.*物料/);
    expect(text).toMatch(/1 直流电机 7 8\.5/);
  });

  it('prints any object with the generic template built from its metadata', async () => {
    const c = await t.api('POST', '/api/v1/records/customer', { name: '杭州西湖茶叶有限公司', phone: '0571-88888888' });
    const r = await getBytes(t, printUrl('customer', c.body.id));
    expect(r.status).toBe(200);
    expect(r.headers['x-mosaic-template']).toBe('generic');
    const text = await pdfText(r.body);
    expect(text).toContain('客户名称：杭州西湖茶叶有限公司');
    expect(text).toContain('0571-88888888');
  });

  it('answers 404 for a missing record or object and refuses a template of another object', async () => {
    expect((await t.api('GET', printUrl('sales_invoice', '00000000-0000-4000-8000-000000000000'))).status).toBe(404);
    expect((await t.api('GET', printUrl('sales_invoice', 'not-an-id'))).status).toBe(404);
    expect((await t.api('GET', printUrl('no_such_object', invoiceId))).status).toBe(404);
    expect((await t.api('GET', printUrl('sales_invoice', invoiceId, '00000000-0000-4000-8000-000000000000'))).body.error).toMatchObject({ code: 'NOT_FOUND', field: 'template' });
  });
});

describe('the company letterhead', () => {
  it('keeps address, tax id and bank on the company; the logo must be an uploaded PNG or JPEG', async () => {
    const list = await t.api('GET', '/api/v1/admin/companies');
    expect(list.body.data[0]).toMatchObject({ name: '上海示例贸易有限公司', taxId: '91310115MA1K4ABCDE', bankName: '招商银行上海张江支行' });
    const text = await t.upload('notes.txt', 'hello', 'text/plain');
    const bad = await t.api('PATCH', `/api/v1/admin/companies/${t.tenant.companyId}`, { logoFileId: text.body.id });
    expect(bad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'logoFileId' });
    const badTax = await t.api('PATCH', `/api/v1/admin/companies/${t.tenant.companyId}`, { taxId: '12-34' });
    expect(badTax.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'taxId' });
  });
});

describe('print access', () => {
  it('a user who may not read invoices gets 404; one who may read but not print gets 403', async () => {
    const noRead = await roleWith(t, 'print_none', [{ object: 'customer', action: 'read', scope: 'all' }]);
    const u1 = await userWith(t, [noRead]);
    const r1 = await t.api('GET', printUrl('sales_invoice', invoiceId), undefined, { token: u1.token });
    expect(r1.status).toBe(404);

    const readOnly = await roleWith(t, 'print_read_only', [{ object: 'sales_invoice', action: 'read', scope: 'all' }]);
    const u2 = await userWith(t, [readOnly]);
    const r2 = await t.api('GET', printUrl('sales_invoice', invoiceId), undefined, { token: u2.token });
    expect(r2.status).toBe(403);
    expect(r2.body.error).toMatchObject({ code: 'FORBIDDEN', details: { object: 'sales_invoice', action: 'print' } });
    expect(r2.body.error.message).toContain('销售发票'); // the label the print button shows the user
  });

  it('prints the user\'s own invoice; one outside their scope is a 404', async () => {
    const own = await roleWith(t, 'print_own', [
      { object: 'sales_invoice', action: 'read', scope: 'own' }, { object: 'sales_invoice', action: 'print', scope: 'own' }, { object: 'sales_invoice', action: 'create', scope: 'all' },
      { object: 'customer', action: 'read', scope: 'all' }, { object: 'item', action: 'read', scope: 'all' },
    ]);
    const u = await userWith(t, [own]);
    expect((await t.api('GET', printUrl('sales_invoice', invoiceId), undefined, { token: u.token })).status).toBe(404);
    const source = (await t.api('GET', `/api/v1/records/sales_invoice/${invoiceId}`)).body;
    const mine = await t.api('POST', '/api/v1/records/sales_invoice', { customer: source.customer, lines: [{ item: source.lines[0].item, qty: 1, rate: '0.5' }] }, { token: u.token });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    const r = await getBytes(t, printUrl('sales_invoice', mine.body.id), u.token);
    expect(r.status).toBe(200);
    expect(await pdfText(r.body)).toMatch(/价税合计（大写）：\s*伍角柒分/); // 0.50 + VAT 0.065 → 0.07 (half-up) = 0.57
  });

  it('never prints a field the user may not read, nor linked records they may not read', async () => {
    const clerk = await roleWith(t, 'print_clerk', [
      { object: 'sales_invoice', action: 'read', scope: 'all' }, { object: 'sales_invoice', action: 'print', scope: 'all' },
      { object: 'item', action: 'read', scope: 'all' },
    ], [{ object: 'sales_invoice', field: 'invoice_no', rule: 'hidden' }, { object: 'item', field: 'spec', rule: 'hidden' }]);
    const u = await userWith(t, [clerk]);
    const admin = await pdfText((await getBytes(t, printUrl('sales_invoice', invoiceId))).body);
    expect(admin).toContain('INV-SECRET-778');
    const r = await getBytes(t, printUrl('sales_invoice', invoiceId), u.token);
    expect(r.status).toBe(200);
    const text = await pdfText(r.body);
    expect(text).not.toContain('INV-SECRET-778'); // hidden field
    expect(text).not.toContain('24V 50W'); // hidden field of a linked record
    expect(text).not.toContain('深圳市华强电子有限公司'); // the clerk may not read customers
    expect(text).toContain('直流电机');
    expect(text).toContain('叁佰陆拾柒元贰角伍分');
  });
});
