import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { pdfText } from '@mosaic/print/test-kit';
import { roleWith, userWith } from '../../../apps/server/test/access-helpers.ts';
import { getBytes, invoiceFixture } from './print-fixture.ts';

// Print templates as data: saved per object (and company), checked against the
// object's metadata at save time, one default per object, used by the print endpoint.
let t: TestApp;
let invoiceId: string;

beforeAll(async () => {
  t = await createTestApp();
  ({ invoiceId } = await invoiceFixture(t));
});

afterAll(async () => {
  await t?.close();
});

const body = (over: Record<string, unknown> = {}) => ({
  title: '对账专用 {{$object.label}}',
  header: [{ label: '客户', value: '{{customer}}' }, { label: '客户电话', value: '{{customer.phone}}' }],
  table: { source: 'lines', columns: [{ label: '品名', value: '{{item}}' }, { label: '金额', value: '{{gross|money}}', align: 'right' }] },
  totals: [{ label: '应收（大写）', value: '{{grand_total|capital}}' }],
  ...over,
});

describe('saving a template', () => {
  it.each([
    [{ header: [{ label: '客户', value: '{{custmer}}' }] }, 'body.header.0.value', 'sales_invoice has no field custmer'],
    [{ header: [{ label: 'x', value: '{{customer.nmae}}' }] }, 'body.header.0.value', 'customer has no field nmae'],
    [{ header: [{ label: 'x', value: '{{posting_date.year}}' }] }, 'body.header.0.value', 'posting_date is not a link'],
    [{ totals: [{ label: 'x', value: '{{grand_total|dollars}}' }] }, 'body.totals.0.value', 'unknown filter "dollars"'],
    [{ totals: [{ label: 'x', value: '{{customer|capital}}' }] }, 'body.totals.0.value', 'the capital filter does not fit a link field'],
    [{ footer: ['合计 {{grand_total'] }, 'body.footer.0', '"{{" is not closed'],
    [{ title: '{{$company.secret}}' }, 'body.title', 'unknown variable $company.secret'],
    [{ header: [{ label: 'x', value: '{{lines}}' }] }, 'body.header.0.value', 'lines is a child table'],
    [{ table: { source: 'rows', columns: [{ label: 'x', value: '{{item}}' }] } }, 'body.table.source', 'sales_invoice has no child table rows'],
    [{ table: { source: 'lines', columns: [{ label: 'x', value: '{{itme}}' }] } }, 'body.table.columns.0.value', 'sales_invoice_line has no field itme'],
  ])('refuses a bad template (%#) with a 422 naming %s', async (over, field, message) => {
    const r = await t.api('POST', '/api/v1/print-templates', { object: 'sales_invoice', name: 'bad', body: body(over) });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.error.field).toBe(field);
    expect(r.body.error.message).toContain(message);
  });

  it('refuses an unknown object and a malformed body', async () => {
    const r1 = await t.api('POST', '/api/v1/print-templates', { object: 'nope', name: 'x', body: body() });
    expect(r1.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'object' });
    const r2 = await t.api('POST', '/api/v1/print-templates', { object: 'sales_invoice', name: 'x', body: { ...body(), script: 'alert(1)' } });
    expect(r2.status).toBe(422);
    expect(r2.body.error.message).toContain('script');
  });

  it('is for administrators of the organisation only', async () => {
    const printer = await roleWith(t, 'tpl_printer', [{ object: 'sales_invoice', action: 'read', scope: 'all' }, { object: 'sales_invoice', action: 'print', scope: 'all' }]);
    const u = await userWith(t, [printer]);
    const r = await t.api('POST', '/api/v1/print-templates', { object: 'sales_invoice', name: 'x', body: body() }, { token: u.token });
    expect(r.status).toBe(403);
  });
});

describe('printing with saved templates', () => {
  it('uses the default template, or the one asked for; one default per object', async () => {
    const a = await t.api('POST', '/api/v1/print-templates', { object: 'sales_invoice', name: '对账版', isDefault: true, body: body() });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    const text = await pdfText((await getBytes(t, `/api/v1/records/sales_invoice/${invoiceId}/print`)).body);
    expect(text).toContain('对账专用 销售发票');
    expect(text).toContain('客户电话：0755-83000000');
    expect(text).toMatch(/应收（大写）：\s*叁佰陆拾柒元贰角伍分/);
    expect(text).toContain('339.00');

    const b = await t.api('POST', '/api/v1/print-templates', { object: 'sales_invoice', name: '简版', isDefault: true, body: body({ title: '简版发票', table: undefined }) });
    expect(b.status).toBe(201);
    const list = await t.api('GET', '/api/v1/print-templates?object=sales_invoice');
    expect(list.body.data.map((x: any) => [x.name, x.isDefault])).toEqual([['对账版', false], ['简版', true]]);
    expect(await pdfText((await getBytes(t, `/api/v1/records/sales_invoice/${invoiceId}/print`)).body)).toContain('简版发票');
    const chosen = await getBytes(t, `/api/v1/records/sales_invoice/${invoiceId}/print?template=${a.body.id}`);
    expect(decodeURIComponent(String(chosen.headers['x-mosaic-template']))).toBe('对账版');
    expect(await pdfText(chosen.body)).toContain('对账专用 销售发票');
  });

  it('updates with the version, deletes, and refuses a template of another object', async () => {
    const c = await t.api('POST', '/api/v1/print-templates', { object: 'customer', name: '客户卡片', body: { title: '{{name}}', header: [{ label: '电话', value: '{{phone}}' }] } });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const wrong = await t.api('GET', `/api/v1/records/sales_invoice/${invoiceId}/print?template=${c.body.id}`);
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.field).toBe('template');
    const stale = await t.api('PATCH', `/api/v1/print-templates/${c.body.id}`, { version: 9, name: '旧' });
    expect(stale.status).toBe(409);
    const bad = await t.api('PATCH', `/api/v1/print-templates/${c.body.id}`, { version: 1, body: { title: '{{nam}}' } });
    expect(bad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'body.title' });
    const ok = await t.api('PATCH', `/api/v1/print-templates/${c.body.id}`, { version: 1, name: '客户名片' });
    expect(ok.body).toMatchObject({ name: '客户名片', version: 2 });
    expect((await t.api('DELETE', `/api/v1/print-templates/${c.body.id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/print-templates/${c.body.id}`)).status).toBe(404);
  });

  it('keeps one default when several are made the default at once', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      t.api('POST', '/api/v1/print-templates', { object: 'delivery_note', name: `并发${i}`, isDefault: true, body: { title: '发货单 {{number}}' } })));
    for (const r of results) expect([201, 409], JSON.stringify(r.body)).toContain(r.status);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'CONFLICT')).toBe(true);
    const list = await t.api('GET', '/api/v1/print-templates?object=delivery_note');
    expect(list.body.data.filter((x: any) => x.isDefault)).toHaveLength(1);
  });

  it('offers the built-in or generic body as the start of a new template', async () => {
    const inv = await t.api('GET', '/api/v1/print-templates/default/sales_invoice');
    expect(inv.body).toMatchObject({ object: 'sales_invoice', name: 'built-in' });
    const so = await t.api('GET', '/api/v1/print-templates/default/stock_entry');
    expect(so.body.name).toBe('generic');
    expect(so.body.body.table.source).toBe('lines');
    // The generic body is itself a valid template.
    const saved = await t.api('POST', '/api/v1/print-templates', { object: 'stock_entry', name: '入库单', body: so.body.body });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  });
});
