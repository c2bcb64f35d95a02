import { describe, expect, it } from 'vitest';
import { formatMoney, formatNumber } from '../../lib/format.ts';
import { bucketText, chartMixed, comparisonOf, figureText, previousLabel, reportCell, totalCell } from './report-cells.ts';

// A report's money figures as the viewer reads them: a one-currency cell in its own currency (not the
// company's), a mixed cell one amount per currency, never ¥ and US$ added into one number.
const columns = [{ key: 'region', kind: 'dimension' as const }, { key: 'total', kind: 'measure' as const, money: true }];
const east = { region: '华东', total: '3500.00', total$currency: 'CNY' };
const west = { region: '美西', total: '20000.00', total$currency: 'USD' };
const south = { region: '华南', total: null, total$mixed: true, total$byCurrency: { CNY: '108000.00', USD: '20000.00' } };

describe('report figures in their currencies', () => {
  it('shows a one-currency cell in its currency, and a plain number as before', () => {
    expect(figureText(reportCell(west, 'total'), 'en')).toBe('$20,000.00');
    expect(figureText(reportCell(west, 'total'), 'en')).toBe(formatMoney('20000.00', 'USD', 'en'));
    expect(figureText(reportCell(east, 'total'), 'zh-CN')).toBe('¥3,500.00');
    expect(figureText(reportCell({ n: '12' }, 'n'), 'zh-CN')).toBe(formatNumber('12', 'zh-CN'));
    expect(reportCell(west, 'total').mixed).toBe(false);
    expect(figureText(reportCell({ total: '5', total$currency: '' }, 'total'), 'zh-CN')).toBe(formatMoney('5', null, 'zh-CN')); // stored without one: the company's
  });

  it('shows a mixed cell as one amount per currency, marked mixed; a mixed formula as a dash', () => {
    const cell = reportCell(south, 'total');
    expect(cell.mixed).toBe(true);
    expect(figureText(cell, 'en')).toBe('¥108,000.00 · $20,000.00');
    expect(figureText(reportCell({ margin: null, margin$mixed: true }, 'margin'), 'en')).toBe('—');
  });

  it('totals detail rows per currency when there is no total row: one currency is one figure, two are mixed', () => {
    const cny = totalCell({ columns, rows: [east, { ...east, region: '华北' }] }, [east, { ...east, region: '华北' }], 'total');
    expect(cny).toEqual({ value: '7000', currency: 'CNY', mixed: false });
    const rows = [east, west, south];
    const mixed = totalCell({ columns, rows }, rows, 'total');
    expect(mixed.mixed).toBe(true);
    expect(mixed.value).toBeNull();
    expect(mixed.byCurrency).toEqual({ CNY: '111500', USD: '40000' });
    expect(totalCell({ columns, rows: [{ region: 'a', n: '2' }, { region: 'b', n: '3' }] }, [{ region: 'a', n: '2' }, { region: 'b', n: '3' }], 'n')).toEqual({ value: '5', mixed: false });
  });

  it('a chart cannot plot a mixed figure or figures in two currencies on one axis', () => {
    expect(chartMixed([east, { ...east, region: '华北' }], ['total'])).toBe(false);
    expect(chartMixed([east, south], ['total'])).toBe(true);
    expect(chartMixed([east, west], ['total'])).toBe(true);
    expect(chartMixed([east, { region: '旧', total: '5', total$currency: '' }], ['total'])).toBe(true);
    expect(chartMixed([east], ['total'], reportCell(south, 'total'))).toBe(true);
  });
});

describe('report figures as a viewer reads them', () => {
  it('shows a figure at its field\'s scale, else a whole number whole and a decimal to the cent', () => {
    expect(figureText(reportCell({ v: '42520.50' }, 'v'), 'en')).toBe('42,520.50');
    expect(figureText(reportCell({ v: '171990.517131' }, 'v'), 'en')).toBe('171,990.52');
    expect(figureText(reportCell({ v: '400.00' }, 'v'), 'en')).toBe('400.00');
    expect(figureText(reportCell({ v: '57' }, 'v'), 'en')).toBe('57');
    expect(figureText(reportCell({ v: 12 }, 'v'), 'en')).toBe('12');
    expect(figureText(reportCell({ v: '2.5' }, 'v', { scale: 3 }), 'en')).toBe('2.500');
    expect(figureText(reportCell({ v: 32 }, 'v', { scale: 0 }), 'en')).toBe('32');
  });

  it('compares with the previous period: its figure, and the change in percent to one decimal with its direction', () => {
    const row = { orders: 32, orders$prev: 29, orders$delta: 3, orders$deltaPct: '0.10344827586206896552' };
    expect(comparisonOf(row, 'orders', 'en')).toMatchObject({ trend: 'up', change: '+10.3%', previous: { value: 29 } });
    expect(comparisonOf({ a: '1', a$prev: '2', a$deltaPct: '-0.36639393' }, 'a', 'en')).toMatchObject({ trend: 'down', change: '−36.6%' });
    expect(comparisonOf({ a: '1', a$prev: '1', a$deltaPct: '0.00001' }, 'a', 'en')).toMatchObject({ trend: 'flat', change: '0.0%' });
    // Nothing last year, or money in two currencies: no percentage, and no direction.
    expect(comparisonOf({ a: '1', a$prev: null, a$deltaPct: null }, 'a', 'en')).toMatchObject({ trend: null, change: '—' });
    expect(comparisonOf({ a: null, a$deltaPct: null, a$deltaPct$mixed: true }, 'a', 'en').trend).toBeNull();
    const money = comparisonOf({ t: '3000.00', t$currency: 'USD', t$prev: '500.00', t$prev$currency: 'USD', t$deltaPct: '5' }, 't', 'en');
    expect(figureText(money.previous, 'en')).toBe(formatMoney('500.00', 'USD', 'en'));
  });

  it('calls a year-back comparison 去年同期 and any other 上期', () => {
    const window = { from: '2026-11-01', to: '2026-11-30' };
    expect(previousLabel({ period: { field: 'd', current: window, previous: window, shift: { months: 12, days: 0 } } })).toBe('lastYear');
    expect(previousLabel({ period: { field: 'd', current: window, previous: window, shift: { months: 1, days: 0 } } })).toBe('previousPeriod');
    expect(previousLabel({ period: { field: 'd', current: window } })).toBeNull();
    expect(previousLabel({})).toBeNull();
  });

  it('names a date bucket by its period, not its first day', () => {
    expect(bucketText('2026-03-01', 'month')).toBe('2026-03');
    expect(bucketText('2026-04-01', 'quarter')).toBe('2026 Q2');
    expect(bucketText('2026-01-01', 'year')).toBe('2026');
    expect(bucketText('2026-03-09', 'day')).toBe('2026-03-09');
    expect(bucketText(null, 'month')).toBeNull();
  });
});
