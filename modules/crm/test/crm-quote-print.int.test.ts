import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { pdfText } from '@mosaic/print/test-kit';
import { getBytes } from '../../../packages/print/test/print-fixture.ts';
import { crmWorld, type CrmWorld } from './crm-world.ts';

// Issue 7, item 4: the quote as a PDF in Chinese under the company's
// letterhead, read back from the PDF itself — customer, contact, lines with
// their discounts, totals and the 大写 amount — printed by the rep who owns
// it; another team's rep gets nothing.
let w: CrmWorld;
let quoteId: string;

beforeAll(async () => {
  w = await crmWorld();
  const company = await w.t.api('PATCH', `/api/v1/admin/companies/${w.t.tenant.companyId}`, {
    name: '佛山示例机械有限公司', address: '广东省佛山市南海区桂城街道 1 号', phone: '0757-86000000',
    taxId: '91440605MA4ABCDE12', bankName: '工商银行佛山南海支行', bankAccount: '2013 0000 0000 777',
  });
  expect(company.status, JSON.stringify(company.body)).toBe(200);
  const customer = await w.create('repA', 'customer', { name: '佛山陶瓷有限公司', phone: '0757-82000000' });
  const contact = await w.create('repA', 'contact', { name: '黄总', customer: customer.id, phone: '13900000000' });
  const item = await w.create('admin', 'item', { code: 'KILN', name: '辊道窑炉' });
  const quote = await w.create('repA', 'quote', {
    customer: customer.id, contact: contact.id, quote_date: '2026-11-20', valid_until: '2026-12-31',
    lines: [{ item: item.id, qty: 2, list_price: '60000', discount: '0.15' }, { description: '安装调试', qty: 1, list_price: '5000' }],
  });
  expect(quote).toMatchObject({ net_total: '107000.00', tax_total: '13910.00', grand_total: '120910.00' });
  quoteId = quote.id;
}, 180_000);

afterAll(async () => {
  await w?.t.close();
});

describe('GET /api/v1/records/quote/{id}/print', () => {
  it('prints the quote with the CRM template: letterhead, customer, discounted lines, totals and 大写', async () => {
    const r = await getBytes(w.t, `/api/v1/records/quote/${quoteId}/print`, w.tokens.repA);
    expect(r.status, r.body.toString('utf8').slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['x-mosaic-template']).toBe('built-in');
    expect(decodeURIComponent(String(r.headers['content-disposition']))).toMatch(/报价单-QT-\d{4}-\d+\.pdf$/);
    const text = await pdfText(r.body);
    for (const expected of [
      '佛山示例机械有限公司', '91440605MA4ABCDE12', // letterhead
      '报价单', '客户：佛山陶瓷有限公司', '联系人：黄总', '联系电话：13900000000', '有效期至：2026年12月31日', '第 1 版',
      '辊道窑炉', '安装调试', '60,000', '15%', '51,000', '13%', '115,260.00', '5,650.00', // lines: list price, discount, price after it
      '107,000.00', '13,910.00', '¥120,910.00', '壹拾贰万零玖佰壹拾元整', // totals and 大写
      '以上价格为含增值税价格（人民币）', '工商银行佛山南海支行', '客户确认（签章）',
    ]) expect(text, `missing ${expected} in:\n${text}`).toContain(expected);
  });

  it('names a foreign currency: the footer says 美元, the 大写 is in dollars', async () => {
    const base = await w.t.api('GET', `/api/v1/records/quote/${quoteId}`);
    const usd = await w.create('repA', 'quote', {
      customer: base.body.customer, quote_date: '2026-11-20', valid_until: '2026-12-31', currency: 'USD', lines: [{ description: '安装调试', qty: 1, list_price: '100' }],
    });
    expect(usd).toMatchObject({ currency: 'USD', grand_total: '113.00' });
    const r = await getBytes(w.t, `/api/v1/records/quote/${usd.id}/print`, w.tokens.repA);
    expect(r.status, r.body.toString('utf8').slice(0, 300)).toBe(200);
    const text = await pdfText(r.body);
    for (const expected of ['US$113.00', '美元壹佰壹拾叁元整', '以上价格为含增值税价格（美元）']) expect(text, `missing ${expected} in:\n${text}`).toContain(expected);
    expect(text).not.toContain('人民币');
  });

  it('is the owner team\'s to print: another team\'s rep gets a 404, and every print is recorded', async () => {
    const other = await getBytes(w.t, `/api/v1/records/quote/${quoteId}/print`, w.tokens.repC);
    expect(other.status).toBe(404);
    const prints = await w.q<{ actor_id: string }>(sql`SELECT actor_id FROM audit_log WHERE kind = 'record.print' AND record_id = ${quoteId}`);
    expect(prints.map((p) => p.actor_id)).toEqual([w.ids.repA]);
  });

  it('still fits the quote object: the default template an admin starts from is this one', async () => {
    const r = await w.t.api('GET', '/api/v1/print-templates/default/quote');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ name: 'built-in', body: { title: '报价单' } });
    expect(r.body.body.totals.map((x: any) => x.value)).toContain('{{grand_total|capital}}');
  });
});
