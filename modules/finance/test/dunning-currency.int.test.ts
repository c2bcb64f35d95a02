import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '@mosaic/kernel';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { mailText, startSmtp } from '../../../apps/server/test/automation-smtp.ts';
import { ok } from '../../../apps/server/test/chain-world.ts';
import { installDunning } from '../receivables/dunning/dunning.install.ts';
import { DEFAULT_LEVELS, FORMER_LEVEL_TEXTS } from '../receivables/dunning/dunning.objects.ts';
import { accountsByCode, submitDoc } from './finance-fixture.ts';

// A reminder asks for what the customer owes in the currency the invoice is in:
// a USD invoice's reminder names 美元 and the dollars still open (not their yuan
// at the booking rate), a CNY one still says 元. Mail goes to a loopback SMTP
// server. The levels a tenant kept as shipped, saying 元 whatever the currency,
// are upgraded on install; a level an administrator wrote stays theirs.
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const previousSmtp = process.env.SMTP_URL;
let acct: Record<string, string>;
let item: string;

beforeAll(async () => {
  smtp = await startSmtp();
  process.env.SMTP_URL = smtp.url;
  t = await createTestApp();
  acct = await accountsByCode(t);
  item = (await ok(t.api('POST', '/api/v1/records/item', { code: 'DCCY', name: '出口设备' }), 201)).id;
}, 120_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
  process.env.SMTP_URL = previousSmtp;
});

const submitted = async (object: string, body: Record<string, unknown>) => {
  const r = await ok(t.api('POST', `/api/v1/records/${object}`, body), 201);
  const s = await submitDoc(t, object, r.id);
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  return s.body;
};
const mailTo = (address: string) => {
  const mails = smtp.received.filter((m) => m.to.includes(address));
  expect(mails).toHaveLength(1);
  return mailText(mails[0].raw);
};
const levels = async () => (await ok(t.api('GET', '/api/v1/records/dunning_level?sort=level'))).data as { id: string; level: number; body: string; version: number }[];

describe('a reminder speaks in the invoice\'s currency', () => {
  it('asks a USD customer for the dollars still open, a CNY one for 元', async () => {
    const usdBuyer = await ok(t.api('POST', '/api/v1/records/customer', { name: 'Pacific Rim Imports', email: 'ap@pacific-rim.example' }), 201);
    const cnyBuyer = await ok(t.api('POST', '/api/v1/records/customer', { name: '苏州人民币客户', email: 'cw@suzhou-cny.cn' }), 201);
    // 1,000 dollars booked at 7.20 (7,200.00 yuan on 1122), 400 of them paid at 7.00: 600 dollars still open (4,320.00 yuan).
    const usd = await submitted('sales_invoice', { customer: usdBuyer.id, posting_date: '2026-10-01', currency: 'USD', exchange_rate: '7.20', lines: [{ item, qty: 1, rate: 1000, tax_rate: 0 }] });
    await submitted('payment', {
      payment_type: 'receive', party_type: 'customer', party: usdBuyer.id, account: acct['1002'], posting_date: '2026-10-10',
      amount: 400, currency: 'USD', exchange_rate: '7.00', allocations: [{ against_id: usd.id, allocated: 400 }],
    });
    const cny = await submitted('sales_invoice', { customer: cnyBuyer.id, posting_date: '2026-10-01', lines: [{ item, qty: 1, rate: 1000 }] }); // 1,130.00 with VAT

    // Due at once (no payment term): 20 days late on 10-21 → level 2.
    const run = await ok(t.api('POST', '/api/v1/finance/dunning/run', { as_of: '2026-10-21' }));
    expect(run.notices.map((n: any) => [n.number, n.level, n.outstanding, n.currency, n.state]).sort()).toEqual([
      [usd.number, 2, '600.00', 'USD', 'sent'],
      [cny.number, 2, '1130.00', 'CNY', 'sent'],
    ].sort());

    const dollars = mailTo('ap@pacific-rim.example');
    expect(dollars).toContain(`发票 ${usd.number} 已逾期 20 天，未付金额 600.00 美元。`);
    expect(dollars).not.toMatch(/ 元|4320|7200/); // not the yuan, nor their amount
    expect(mailTo('cw@suzhou-cny.cn')).toContain(`发票 ${cny.number} 已逾期 20 天，未付金额 1130.00 元。`);
    // The notice keeps what it asked for and in what; the customer's owner hears it in the same unit.
    const notice = (await ok(t.api('GET', `/api/v1/records/dunning_notice?filter=${encodeURIComponent(JSON.stringify({ sales_invoice: usd.id }))}`))).data[0];
    expect(notice).toMatchObject({ outstanding: '600.00', currency: 'USD', state: 'sent' });
    const inbox = (await ok(t.api('GET', '/api/v1/notifications'))).data;
    expect(inbox.find((n: any) => String(n.title).includes(usd.number))?.title).toContain('未收 600.00 美元');
  }, 60_000);
});

describe('upgrading the levels a tenant kept as shipped', () => {
  it('gives an untouched level the text that names the currency, leaves an edited one alone and says how many, and does it once', async () => {
    const [l1, l2, l3] = await levels();
    const former = [...FORMER_LEVEL_TEXTS.keys()];
    // Level 1 as an earlier version shipped it; level 2 written by an administrator (元 by hand); level 3 already current.
    await ok(t.api('PATCH', `/api/v1/records/dunning_level/${l1.id}`, { version: l1.version, body: former[0] }));
    const edited = '{{customer}}：发票 {{number}} 还欠 {{outstanding}} 元，请速付。';
    await ok(t.api('PATCH', `/api/v1/records/dunning_level/${l2.id}`, { version: l2.version, body: edited }));

    const info = vi.spyOn(logger, 'info');
    try {
      await installDunning(t.testDb.db, t.store, t.tenant.tenantId);
      const after = await levels();
      expect(after.map((l) => l.body)).toEqual([DEFAULT_LEVELS[0].body, edited, l3.body]);
      expect(after[2].version).toBe(l3.version);
      const said = info.mock.calls.filter((c) => String(c[1]).startsWith('dunning levels'));
      expect(said).toHaveLength(1);
      expect(said[0][0]).toMatchObject({ tenantId: t.tenant.tenantId, upgraded: 1, leftAlone: 1, leftAloneNamingNoCurrency: 1 });
      expect(said[0][1]).toContain('1 edited by an administrator left alone');

      // Again (the next start): nothing to upgrade, the edited level still reported, nothing written.
      info.mockClear();
      await installDunning(t.testDb.db, t.store, t.tenant.tenantId);
      expect((await levels()).map((l) => [l.body, l.version])).toEqual(after.map((l) => [l.body, l.version]));
      expect(info.mock.calls.filter((c) => String(c[1]).startsWith('dunning levels')).map((c) => c[0]))
        .toEqual([expect.objectContaining({ upgraded: 0, leftAlone: 1, leftAloneNamingNoCurrency: 1 })]);
    } finally {
      info.mockRestore();
    }
  }, 60_000);
});
