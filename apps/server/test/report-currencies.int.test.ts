import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { reportSql, resultToXlsx, type ReportResult } from '@mosaic/reporting';
import { systemGuard } from '@mosaic/access';
import { inTenantTx, sql } from '@mosaic/db';
import { roleWith, userWith } from './access-helpers.ts';

// A report over money in two currencies never adds ¥ to US$: a cell in one currency is its figure
// and that currency; a cell whose records mix currencies is null, marked mixed, with its amounts
// per currency — in flat, grouped and pivot reports with their totals, formula measures, period
// comparisons; and only over what the viewer may read.
let t: TestApp;

const deals: [string, string, string, string, string][] = [
  // region, amount, currency, cost (same currency), closed_on
  ['华南', '100000.00', 'CNY', '60000.00', '2026-02-10'],
  ['华南', '20000.00', 'USD', '5000.00', '2026-02-12'],
  ['华东', '3000.00', 'CNY', '1000.00', '2026-02-15'],
  ['华东', '500.00', 'CNY', '100.00', '2026-01-10'],
  ['华南', '8000.00', 'CNY', '2000.00', '2026-01-05'],
];

beforeAll(async () => {
  t = await createTestApp();
  const o = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'rc_deal', label: '商机',
    fields: [
      { apiName: 'region', type: 'text', label: '区域' }, { apiName: 'amount', type: 'money', label: '金额' },
      { apiName: 'cost', type: 'money', label: '成本' }, { apiName: 'closed_on', type: 'date', label: '成交日' },
    ],
  });
  expect(o.status, JSON.stringify(o.body)).toBe(201);
  const r = await t.api('POST', '/api/v1/records/rc_deal/bulk', {
    records: deals.map(([region, amount, currency, cost, closed_on]) => ({ region, amount: { amount, currency }, cost: { amount: cost, currency }, closed_on })),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const run = async (definition: Record<string, unknown>, token?: string) => {
  const r = await t.api('POST', '/api/v1/reports/run', { definition: { source: 'rc_deal', ...definition } }, token ? { token } : undefined);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { columns: { key: string; money?: boolean }[]; rows: Record<string, unknown>[]; pivot?: { cells: Record<string, unknown>[][]; rows: { values: unknown[] }[]; columns: { values: unknown[] }[] } };
};
const total = { name: 'total', fn: 'sum', field: 'amount' };
const byRegion = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((r) => [(r.$totals as string[] | undefined)?.length ? '合计' : String(r.region), r]));

describe('a report over money in two currencies', () => {
  it('flat: the total is not one added number but one amount per currency, marked mixed; counts stay', async () => {
    const r = await run({ measures: [total, { name: 'avg', fn: 'avg', field: 'amount' }, { name: 'n', fn: 'count' }] });
    expect(r.columns.find((c) => c.key === 'total')?.money).toBe(true);
    expect(r.columns.find((c) => c.key === 'n')?.money).toBeUndefined();
    const [row] = r.rows;
    expect(row.total).toBeNull();
    expect(row.total$mixed).toBe(true);
    expect(row.total$byCurrency).toEqual({ CNY: '111500.00', USD: '20000.00' });
    expect(row.avg).toBeNull();
    expect(Object.keys(row.avg$byCurrency as object).sort()).toEqual(['CNY', 'USD']);
    expect(Number((row.avg$byCurrency as Record<string, string>).CNY)).toBe(27875);
    expect(Number(row.n)).toBe(5);
  });

  it('grouped with totals: a one-currency group keeps its figure and says its currency; a mixed group and the grand total do not add', async () => {
    const r = await run({ rows: [{ field: 'region' }], measures: [total, { name: 'top', fn: 'max', field: 'amount' }], totals: true });
    const g = byRegion(r.rows);
    expect(g['华东']).toMatchObject({ total: '3500.00', total$currency: 'CNY', top: '3000.00', top$currency: 'CNY' });
    expect(g['华东'].total$mixed).toBeUndefined();
    expect(g['华东'].total$byCurrency).toBeUndefined();
    expect(g['华南']).toMatchObject({ total: null, total$mixed: true, total$byCurrency: { CNY: '108000.00', USD: '20000.00' }, top$byCurrency: { CNY: '100000.00', USD: '20000.00' } });
    expect(g['合计']).toMatchObject({ total: null, total$mixed: true, total$byCurrency: { CNY: '111500.00', USD: '20000.00' } });
  });

  it('a pivot with totals: cells, subtotals and the grand total each in their currency or mixed', async () => {
    const r = await run({ rows: [{ field: 'region' }], columns: [{ field: 'closed_on', bucket: 'month' }], measures: [total], totals: true });
    const p = r.pivot!;
    const at = (region: string | null, month: string | null) => {
      const ri = p.rows.findIndex((h) => h.values[0] === region);
      const ci = p.columns.findIndex((h) => (h.values[0] === null ? null : String(h.values[0]).slice(0, 7)) === month);
      return p.cells[ri][ci];
    };
    expect(at('华东', '2026-01')).toMatchObject({ total: '500.00', total$currency: 'CNY' });
    expect(at('华南', '2026-02')).toMatchObject({ total: null, total$mixed: true, total$byCurrency: { CNY: '100000.00', USD: '20000.00' } });
    expect(at('华南', '2026-01')).toMatchObject({ total: '8000.00', total$currency: 'CNY' });
    expect(at(null, '2026-01')).toMatchObject({ total: '8500.00', total$currency: 'CNY' });
    expect(at('华东', null)).toMatchObject({ total: '3500.00', total$currency: 'CNY' });
    expect(at(null, null)).toMatchObject({ total: null, total$mixed: true, total$byCurrency: { CNY: '111500.00', USD: '20000.00' } });
  });

  it('a formula over a mixed money measure is null and mixed, never a ratio of added currencies', async () => {
    const r = await run({ rows: [{ field: 'region' }], measures: [total, { name: 'cost', fn: 'sum', field: 'cost' }, { name: 'margin', formula: '(total - cost) / total' }] });
    const g = byRegion(r.rows);
    expect(Number(g['华东'].margin)).toBeCloseTo(2400 / 3500, 10);
    expect(g['华东'].margin$mixed).toBeUndefined();
    expect(g['华南'].margin).toBeNull();
    expect(g['华南'].margin$mixed).toBe(true);
  });

  it('a comparison: Δ of a one-currency cell as before, Δ and Δ% of a mixed one null and mixed', async () => {
    const r = await run({
      rows: [{ field: 'region' }], measures: [total],
      period: { field: 'closed_on', from: '2026-02-01', to: '2026-02-28' }, compare: 'previous_period',
    });
    const g = byRegion(r.rows);
    expect(g['华东']).toMatchObject({ total: '3000.00', total$currency: 'CNY', total$prev: '500.00', total$prev$currency: 'CNY', total$delta: '2500.00' });
    expect(g['华南']).toMatchObject({ total: null, total$mixed: true, total$prev: '8000.00', total$prev$currency: 'CNY', total$delta: null, total$delta$mixed: true, total$deltaPct: null, total$deltaPct$mixed: true });
  });

  it('an amount stored without a currency is its own ("", the company\'s), never added to another currency\'s', async () => {
    const o = await t.api('POST', '/api/v1/meta/objects', { apiName: 'rc_bare', label: '无币种', fields: [{ apiName: 'k', type: 'text', label: 'K' }, { apiName: 'amount', type: 'money', label: '金额' }] });
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    const records = [{ k: 'a', amount: { amount: '5.00' } }, { k: 'a', amount: { amount: '2.00' } }, { k: 'b', amount: { amount: '1.00' } }, { k: 'b', amount: { amount: '10.00', currency: 'USD' } }, { k: 'c', amount: { amount: '20.00', currency: 'CNY' } }];
    expect((await t.api('POST', '/api/v1/records/rc_bare/bulk', { records })).status).toBe(201);
    // The API stores the company's currency when none is given; older rows (imports, migrations) may have none.
    await inTenantTx(t.testDb.db.owner, { tenantId: t.tenant.tenantId }, (tx) => sql`UPDATE o_rc_bare SET c_amount_ccy = NULL WHERE c_amount < 10`.execute(tx));
    const r = await t.api('POST', '/api/v1/reports/run', { definition: { source: 'rc_bare', rows: [{ field: 'k' }], measures: [total] } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [a, b, c] = r.body.rows;
    expect(a).toMatchObject({ k: 'a', total: '7.00', total$currency: '' });
    expect(b).toMatchObject({ k: 'b', total: null, total$mixed: true, total$byCurrency: { '': '1.00', USD: '10.00' } });
    expect(c).toMatchObject({ k: 'c', total: '20.00', total$currency: 'CNY' });
  });

  it('sorts and takes the top N as if a cross-currency Δ or formula were empty: last, never first by a number that adds US$ to ¥', async () => {
    const o = await t.api('POST', '/api/v1/meta/objects', {
      apiName: 'rc_top', label: '排行',
      fields: [{ apiName: 'k', type: 'text', label: 'K' }, { apiName: 'amount', type: 'money', label: '金额' }, { apiName: 'cost', type: 'money', label: '成本' }, { apiName: 'on', type: 'date', label: '日期' }],
    });
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    const rec = (k: string, amount: string, currency: string, cost: string, costCurrency: string, on: string) => ({ k, amount: { amount, currency }, cost: { amount: cost, currency: costCurrency }, on });
    // A: 50,000 US$ this month against ¥100 last month, and a cost in yuan — each "difference" a cross-currency number far above B's and C's.
    const records = [
      rec('A', '50000.00', 'USD', '10.00', 'CNY', '2026-02-10'), rec('A', '100.00', 'CNY', '10.00', 'CNY', '2026-01-10'),
      rec('B', '3000.00', 'CNY', '1000.00', 'CNY', '2026-02-10'), rec('B', '500.00', 'CNY', '100.00', 'CNY', '2026-01-10'),
      rec('C', '1000.00', 'CNY', '900.00', 'CNY', '2026-02-10'), rec('C', '800.00', 'CNY', '100.00', 'CNY', '2026-01-10'),
    ];
    expect((await t.api('POST', '/api/v1/records/rc_top/bulk', { records })).status).toBe(201);
    const top = async (definition: Record<string, unknown>) => {
      const r = await t.api('POST', '/api/v1/reports/run', { definition: { source: 'rc_top', rows: [{ field: 'k' }], ...definition } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return (r.body.rows as Record<string, unknown>[]).map((row) => ((row.$totals as string[] | undefined)?.length ? '合计' : row.k));
    };
    const compare = { measures: [total], period: { field: 'on', from: '2026-02-01', to: '2026-02-28' }, compare: 'previous_period' };
    expect(await top({ ...compare, sort: [{ by: 'total$delta', desc: true }], limit: 1 })).toEqual(['B']); // Δ 2,500, not A's 49,900
    expect(await top({ ...compare, sort: [{ by: 'total$deltaPct', desc: true }] })).toEqual(['B', 'C', 'A']);
    expect(await top({ ...compare, sort: [{ by: 'total$delta', desc: true }], limit: 1, totals: true })).toEqual(['B', '合计']);
    const margin = { measures: [total, { name: 'cost', fn: 'sum', field: 'cost' }, { name: 'margin', formula: 'total - cost' }], filter: { on: { gte: '2026-02-01' } } };
    expect(await top({ ...margin, sort: [{ by: 'margin', desc: true }], limit: 1 })).toEqual(['B']); // 2,000, not A's 49,990
    expect(await top({ ...margin, sort: [{ by: 'margin' }] })).toEqual(['C', 'B', 'A']); // ascending too: the cross-currency row last
  });

  it('is still one statement: the records pre-grouped by their keys and currency, each cell\'s currencies from those few rows', async () => {
    const actor = { tenantId: t.tenant.tenantId, userId: t.tenant.adminId, companyId: t.tenant.companyId, departmentId: t.tenant.departmentId, departmentIds: [t.tenant.departmentId], isAdmin: true, roleIds: [], locale: 'zh-CN', timeZone: 'Asia/Shanghai' };
    const q = await reportSql({ db: t.testDb.db, store: t.store, guard: systemGuard(actor) }, { source: 'rc_deal', rows: [{ field: 'region' }], measures: [total, { name: 'n', fn: 'count' }] });
    expect(q.sql.match(/\bFROM "o_rc_deal"/g)).toHaveLength(1); // the table is read once
    expect(q.sql).toContain('COALESCE(("t"."c_amount_ccy")::text, \'\') AS "c:total"');
    expect(q.sql).toContain('sum("t"."c_amount") AS "p:total:0"');
    expect(q.sql).toContain('GROUP BY 1, 2)'); // region, currency
    expect(q.sql).toContain('COALESCE(sum("r"."p:n:0"), 0)::bigint AS "n"');
  });

  it('exports a one-currency cell as a number in its currency\'s format, a mixed one as text per currency', async () => {
    const r = await run({ rows: [{ field: 'region' }], measures: [total, { name: 'cost', fn: 'sum', field: 'cost' }, { name: 'margin', formula: '(total - cost) / total' }], totals: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await resultToXlsx(r as unknown as ReportResult, '商机') as never);
    const ws = wb.worksheets[0];
    const rows = ws.getSheetValues().slice(2).map((x) => (x as unknown[]).slice(1, 3).concat((x as unknown[])[4]));
    expect(rows).toEqual([['华东', 3500, 2400 / 3500], ['华南', 'CNY 108000.00; USD 20000.00', '混合币种'], ['合计', 'CNY 111500.00; USD 20000.00', '混合币种']]);
    expect(ws.getCell('B2').numFmt).toBe('"¥"#,##0.00');
    expect(ws.getCell('D2').numFmt ?? 'General').not.toContain('¥'); // a ratio is no money

    const pivot = await run({ rows: [{ field: 'region' }], columns: [{ field: 'closed_on', bucket: 'month' }], measures: [total] });
    const pb = new ExcelJS.Workbook();
    await pb.xlsx.load(await resultToXlsx(pivot as unknown as ReportResult, '商机', 'en') as never);
    const values = pb.worksheets[0].getSheetValues().slice(2).map((x) => (x as unknown[]).slice(1));
    expect(values).toEqual([['华东', 500, 3000], ['华南', 8000, 'CNY 100000.00; USD 20000.00']]);
  });

  it('a KPI alert does not compare a mixed row to its threshold: it records the problem on the alert instead', async () => {
    const report = await t.api('POST', '/api/v1/reports', { name: '区域金额', definition: { source: 'rc_deal', rows: [{ field: 'region' }], measures: [total] } });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    const alert = await t.api('POST', '/api/v1/alerts', { name: '金额超过 1000', reportId: report.body.id, measure: 'total', op: 'gt', threshold: 1000 });
    expect(alert.status, JSON.stringify(alert.body)).toBe(201);
    expect(alert.body.problem).toBeNull();
    const checked = await t.api('POST', `/api/v1/alerts/${alert.body.id}/evaluate`);
    expect(checked.status, JSON.stringify(checked.body)).toBe(200);
    // 华东 (¥3,500) is over 1000; 华南 (¥108,000 and US$20,000) has no one figure to compare.
    expect(checked.body.events.map((e: { rowKey: string; kind: string; value: string }) => [e.rowKey, e.kind, e.value])).toEqual([['["华东"]', 'raise', '3500.00']]);
    const seen = await t.api('GET', `/api/v1/alerts/${alert.body.id}`);
    expect(seen.body.problem).toMatchObject({ code: 'MIXED_CURRENCIES', rowKeys: ['["华南"]'] });
    expect(seen.body.problem.message).toContain('currencies');
    const page = await t.api('GET', `/api/v1/alerts/${alert.body.id}/raised`); // what the alert's page shows the admin
    expect(page.body.alert.problem).toMatchObject({ code: 'MIXED_CURRENCIES', display: ['华南'] });
    // One currency per row (grouped by currency too): compared, and the problem is gone.
    const split = await t.api('PATCH', `/api/v1/reports/${report.body.id}`, { definition: { source: 'rc_deal', rows: [{ field: 'region' }, { field: 'amount.currency' }], measures: [total] }, version: report.body.version });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const again = await t.api('POST', `/api/v1/alerts/${alert.body.id}/evaluate`);
    // The threshold has no currency of its own: the company's (CNY). The dollar row is not compared to ¥1,000.
    expect(again.body.events.map((e: { rowKey: string; kind: string }) => [e.rowKey, e.kind])).toEqual(expect.arrayContaining([['["华南","CNY"]', 'raise']]));
    expect(again.body.events.map((e: { rowKey: string }) => e.rowKey)).not.toContain('["华南","USD"]');
    const after = (await t.api('GET', `/api/v1/alerts/${alert.body.id}`)).body;
    expect(after.thresholdCurrency).toBeNull();
    expect(after.problem).toMatchObject({ code: 'OTHER_CURRENCY', rowKeys: ['["华南","USD"]'], currencies: ['USD'] });
    expect(after.problem.message).toContain('one alert per currency');
  });

  describe('a KPI alert\'s threshold currency', () => {
    const byCurrency = { source: 'rc_deal', rows: [{ field: 'region' }, { field: 'amount.currency' }], measures: [total, { name: 'n', fn: 'count' }] };
    let reportId: string;
    const notices = async (alertId: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
      (await sql<{ title: string; body: string }>`SELECT title, body FROM notification WHERE record_id = ${alertId} AND user_id = ${t.tenant.adminId} ORDER BY title`.execute(tx)).rows);
    const create = async (body: Record<string, unknown>) => t.api('POST', '/api/v1/alerts', { name: '大额', reportId, measure: 'total', op: 'gt', threshold: 1000, ...body });

    beforeAll(async () => {
      const report = await t.api('POST', '/api/v1/reports', { name: '区域币种金额', definition: byCurrency });
      expect(report.status, JSON.stringify(report.body)).toBe(201);
      reportId = report.body.id;
    });

    it('a CNY threshold compares the yuan rows only; a USD alert raises the dollar row, told in dollars', async () => {
      const cny = await create({ name: '人民币大额', thresholdCurrency: 'CNY' });
      expect(cny.status, JSON.stringify(cny.body)).toBe(201);
      expect(cny.body.thresholdCurrency).toBe('CNY');
      const a = await t.api('POST', `/api/v1/alerts/${cny.body.id}/evaluate`);
      expect(a.body.events.map((e: { rowKey: string; kind: string; value: string }) => [e.rowKey, e.kind, e.value]).sort()).toEqual([
        ['["华东","CNY"]', 'raise', '3500.00'], ['["华南","CNY"]', 'raise', '108000.00'],
      ]);
      expect((await t.api('GET', `/api/v1/alerts/${cny.body.id}`)).body.problem).toMatchObject({ code: 'OTHER_CURRENCY', rowKeys: ['["华南","USD"]'], currencies: ['USD'] });
      expect((await notices(cny.body.id)).map((n) => n.body).sort()).toEqual(['total = ¥108,000.00（阈值 > ¥1,000.00）', 'total = ¥3,500.00（阈值 > ¥1,000.00）']);

      const usd = await create({ name: '美元大额', thresholdCurrency: 'USD', threshold: '10000' });
      expect(usd.status, JSON.stringify(usd.body)).toBe(201);
      const b = await t.api('POST', `/api/v1/alerts/${usd.body.id}/evaluate`);
      // US$20,000 > US$10,000; ¥108,000 is not "more than 10,000 dollars": not compared at all.
      expect(b.body.events).toEqual([expect.objectContaining({ rowKey: '["华南","USD"]', kind: 'raise', value: '20000.00', threshold: '10000', thresholdCurrency: 'USD' })]);
      const seen = await t.api('GET', `/api/v1/alerts/${usd.body.id}`);
      expect(seen.body.problem).toMatchObject({ code: 'OTHER_CURRENCY', rowKeys: ['["华东","CNY"]', '["华南","CNY"]'], currencies: ['CNY'] });
      expect(seen.body.problem.message).toContain('filter the report to USD');
      expect(await notices(usd.body.id)).toEqual([{ title: '预警：美元大额 华南 / USD', body: 'total = US$20,000.00（阈值 > US$10,000.00）' }]);
      const history = await t.api('GET', `/api/v1/alerts/${usd.body.id}/events`);
      expect(history.body.data).toEqual([expect.objectContaining({ kind: 'raise', threshold: '10000', thresholdCurrency: 'USD' })]);
      const page = await t.api('GET', `/api/v1/alerts/${usd.body.id}/raised`);
      expect(page.body.alert).toMatchObject({ threshold: '10000', thresholdCurrency: 'USD', problem: { code: 'OTHER_CURRENCY', display: ['华东 / CNY', '华南 / CNY'] } });
    });

    it('an alert from before (no currency) means the company\'s: compared as before, a row raised in another currency is kept, not cleared', async () => {
      const old = await create({ name: '旧预警' });
      expect(old.status, JSON.stringify(old.body)).toBe(201);
      const id = old.body.id as string;
      // As the upgrade leaves it: no threshold currency, and a dollar row raised while US$ and ¥ were compared alike.
      await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) => {
        await sql`UPDATE kpi_alert SET threshold_currency = NULL WHERE id = ${id}`.execute(tx);
        await sql`INSERT INTO alert_state (tenant_id, alert_id, row_key, state, value) VALUES (${t.tenant.tenantId}, ${id}, '["华南","USD"]', 'raised', 20000)`.execute(tx);
      });
      const checked = await t.api('POST', `/api/v1/alerts/${id}/evaluate`);
      expect(checked.body.events.map((e: { rowKey: string; kind: string; thresholdCurrency: string }) => [e.rowKey, e.kind, e.thresholdCurrency]).sort()).toEqual([
        ['["华东","CNY"]', 'raise', 'CNY'], ['["华南","CNY"]', 'raise', 'CNY'],
      ]);
      const page = await t.api('GET', `/api/v1/alerts/${id}/raised`);
      expect(page.body.alert).toMatchObject({ thresholdCurrency: 'CNY', problem: { code: 'OTHER_CURRENCY', rowKeys: ['["华南","USD"]'] } });
      expect(page.body.rows.map((r: { rowKey: string; currency: string | null }) => [r.rowKey, r.currency])).toEqual([['["华东","CNY"]', 'CNY'], ['["华南","CNY"]', 'CNY'], ['["华南","USD"]', null]]);
      expect((await t.api('GET', `/api/v1/alerts/${id}`)).body.thresholdCurrency).toBeNull();
    });

    it('a check that finds mixed rows and rows in another currency names both', async () => {
      const report = await t.api('POST', '/api/v1/reports', { name: '区域金额（混合）', definition: { source: 'rc_deal', rows: [{ field: 'region' }], measures: [total] } });
      const alert = await t.api('POST', '/api/v1/alerts', { name: '美元区域', reportId: report.body.id, measure: 'total', op: 'gt', threshold: 1, thresholdCurrency: 'USD' });
      expect((await t.api('POST', `/api/v1/alerts/${alert.body.id}/evaluate`)).body.events).toEqual([]);
      const page = await t.api('GET', `/api/v1/alerts/${alert.body.id}/raised`);
      expect(page.body.alert.problem).toMatchObject({ code: 'MIXED_CURRENCIES', display: ['华南'], also: [{ code: 'OTHER_CURRENCY', display: ['华东'], currencies: ['CNY'] }] });
    });

    it('refuses a currency that is not an ISO code, or on a measure that is not money (422 naming thresholdCurrency)', async () => {
      for (const [body, says] of [
        [{ thresholdCurrency: 'XYZ' }, 'ISO 4217'], [{ thresholdCurrency: 'usd' }, 'ISO 4217'], [{ thresholdCurrency: 'USD', measure: 'n' }, 'not money'],
      ] as const) {
        const bad = await create(body);
        expect(bad.status, JSON.stringify(body)).toBe(422);
        expect(bad.body.error.field).toBe('thresholdCurrency');
        expect(bad.body.error.message).toContain(says);
      }
      const ok = await create({ thresholdCurrency: 'USD' });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      // Moved to a count, its currency must go too.
      const moved = await t.api('PATCH', `/api/v1/alerts/${ok.body.id}`, { measure: 'n' });
      expect(moved.status).toBe(422);
      expect(moved.body.error.field).toBe('thresholdCurrency');
      const fine = await t.api('PATCH', `/api/v1/alerts/${ok.body.id}`, { measure: 'n', thresholdCurrency: null, threshold: 1 });
      expect(fine.status, JSON.stringify(fine.body)).toBe(200);
      expect(fine.body).toMatchObject({ measure: 'n', thresholdCurrency: null });
      const back = await t.api('PATCH', `/api/v1/alerts/${ok.body.id}`, { thresholdCurrency: 'EUR' });
      expect(back.status).toBe(422);
    });
  });

  it('does not forecast a series of money in several currencies (400 naming the measure); one currency forecasts', async () => {
    const monthly = { source: 'rc_deal', rows: [{ field: 'closed_on', bucket: 'month' }], measures: [total] };
    const report = await t.api('POST', '/api/v1/reports', { name: '月度金额', definition: monthly });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    const mixed = await t.api('GET', `/api/v1/reports/${report.body.id}/forecast?periods=2`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.error).toMatchObject({ field: 'measure' });
    expect(mixed.body.error.message).toContain('2026-02-01');
    const cny = await t.api('POST', '/api/v1/reports', { name: '月度人民币金额', definition: { ...monthly, filter: { field: 'amount.currency', op: 'eq', value: 'CNY' } } });
    const ok = await t.api('GET', `/api/v1/reports/${cny.body.id}/forecast?periods=2`);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.history.map((h: { value: number }) => h.value)).toEqual([8500, 103000]);
  });

  it('only the records and fields the viewer may read: their own one-currency records are one figure; a hidden amount is refused with its currency', async () => {
    const own = await roleWith(t, 'rc_own', [{ object: 'rc_deal', action: 'read', scope: 'own' }, { object: 'rc_deal', action: 'create' }]);
    const user = await userWith(t, [own], { name: 'rc-own' });
    const c = await t.api('POST', '/api/v1/records/rc_deal', { region: '华南', amount: { amount: '70.00', currency: 'CNY' }, closed_on: '2026-02-01' }, { token: user.token });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const mine = await run({ rows: [{ field: 'region' }], measures: [total] }, user.token);
    expect(mine.rows).toEqual([expect.objectContaining({ region: '华南', total: '70.00', total$currency: 'CNY' })]);
    expect(mine.rows[0].total$mixed).toBeUndefined();

    const hidden = await roleWith(t, 'rc_hidden', [{ object: 'rc_deal', action: 'read', scope: 'all' }], [{ object: 'rc_deal', field: 'amount', rule: 'hidden' }]);
    const viewer = await userWith(t, [hidden], { name: 'rc-hidden' });
    const r = await t.api('POST', '/api/v1/reports/run', { definition: { source: 'rc_deal', rows: [{ field: 'region' }], measures: [total] } }, { token: viewer.token });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'FIELD_FORBIDDEN', field: 'amount' });
    expect(JSON.stringify(r.body)).not.toContain('USD');
    const counted = await run({ rows: [{ field: 'region' }], measures: [{ name: 'n', fn: 'count' }] }, viewer.token);
    expect(JSON.stringify(counted.rows)).not.toContain('currency'); // no money measure: no currency read
  });
});
