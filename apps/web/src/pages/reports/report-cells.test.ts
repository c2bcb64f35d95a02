import { describe, expect, it } from 'vitest';
import { formatMoney, formatNumber } from '../../lib/format.ts';
import { chartMixed, figureText, reportCell, totalCell } from './report-cells.ts';

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
