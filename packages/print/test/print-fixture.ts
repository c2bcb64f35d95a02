import { deflateSync } from 'node:zlib';
import { expect } from 'vitest';
import type { TestApp } from '@mosaic/testing';

/** A real 2×2 PNG (the company logo): signature, IHDR, IDAT, IEND with their CRCs. */
export function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]); // 2×2, 8-bit RGB
  const pixels = Buffer.from([0, 200, 30, 30, 200, 30, 30, 0, 200, 30, 30, 200, 30, 30]); // filter byte + 2 red pixels, twice
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** GET as bytes (the test app's api() parses JSON; a PDF must stay binary). */
export async function getBytes(t: TestApp, url: string, token?: string): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token ?? t.adminToken}` } });
  return { status: res.statusCode, body: res.rawPayload, headers: res.headers };
}

/** A customer, two items in stock and a draft sales invoice of two lines: 3 × 100 and 2 × 12.50 at 13 % VAT = 367.25. */
export async function invoiceFixture(t: TestApp): Promise<{ invoiceId: string; customerId: string }> {
  const customer = await t.api('POST', '/api/v1/records/customer', { name: '深圳市华强电子有限公司', phone: '0755-83000000' });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const item = async (code: string, name: string, spec: string) => {
    const r = await t.api('POST', '/api/v1/records/item', { code, name, spec });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const motor = await item('M-01', '直流电机', '24V 50W');
  const screw = await item('S-02', '不锈钢螺丝', 'M4×12');
  const inv = await t.api('POST', '/api/v1/records/sales_invoice', {
    customer: customer.body.id, invoice_no: 'INV-SECRET-778',
    lines: [{ item: motor, qty: 3, rate: 100 }, { item: screw, qty: 2, rate: '12.50' }],
  });
  expect(inv.status, JSON.stringify(inv.body)).toBe(201);
  expect(inv.body).toMatchObject({ net_total: '325.00', tax_total: '42.25', grand_total: '367.25' });
  return { invoiceId: inv.body.id, customerId: customer.body.id };
}
