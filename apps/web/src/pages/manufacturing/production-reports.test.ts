import { describe, expect, it } from 'vitest';
import { loadResult, progressResult, scrapResult, shortageResult, workshopResult } from './production-reports.ts';

const say = (k: string) => `«${k}»`;

describe('production reports as report results', () => {
  it('turns rates into percent points without floating error and keeps quantities as decimal strings', () => {
    const r = scrapResult([{ key: 'TABLE', good: '9', scrap: '1.000', rate: 0.1 }, { key: 'SEAT', good: '0', scrap: '0', rate: 0 }], 'mfg.item', say);
    expect(r.columns.map((c) => [c.key, c.kind])).toEqual([['key', 'dimension'], ['good', 'measure'], ['scrap', 'measure'], ['rate', 'measure']]);
    expect(r.rows).toEqual([{ key: 'TABLE', good: '9', scrap: '1.000', rate: '10' }, { key: 'SEAT', good: '0', scrap: '0', rate: '0' }]);
    expect(r.columns[0].label).toEqual({ zh: '«mfg.item»', en: '«mfg.item»' });
  });

  it('says yes / no / — for on time, and a week without capacity has no utilisation', () => {
    const p = progressResult({ onTimeRate: 0.5, orders: [
      { id: '1', number: 'WO-1', item: 'T', qty: '10', produced: '10', scrap: '0', percent: 100, due_date: '2026-01-02', completed_on: '2026-01-01', onTime: true },
      { id: '2', number: 'WO-2', item: 'T', qty: '10', produced: '3', scrap: '1', percent: 30, due_date: null, completed_on: null, onTime: null },
    ] }, say);
    expect(p.rows.map((x) => x.on_time)).toEqual(['«mfgweb.reports.yes»', '—']);
    const l = loadResult({ overloaded: 1, weeks: [{ workstation: 'w', code: 'ASSY', week: '2026-01-05', loadHours: 50, capacityHours: 0, utilisation: null, overloaded: true }] }, say);
    expect(l.rows[0]).toMatchObject({ code: 'ASSY', load: 50, capacity: 0, utilisation: null, overloaded: '«mfgweb.reports.yes»' });
  });

  it('names warehouses and counts the work orders behind a shortage', () => {
    const s = shortageResult({ shortages: [{ item: 'i', code: 'WOOD', warehouse: 'w1', need: '40', available: '3', short: '37', workOrders: ['a', 'b'] }] }, new Map([['w1', '原料仓']]), say);
    expect(s.rows).toEqual([{ item: 'WOOD', warehouse: '原料仓', need: '40', available: '3', short: '37', orders: 2 }]);
  });
});

describe('workshop progress as a report result', () => {
  it('keeps the server figures per workshop and names the workstations without one', () => {
    const w = workshopResult({ asOf: '2026-12-10', workshops: [
      { workshop: '一车间', openWorkOrders: 2, openJobCards: 3, plannedQty: '32', completedQty: '14', scrapQty: '1', percent: 43.8, lateJobCards: 1, lateWorkOrders: 1 },
      { workshop: null, openWorkOrders: 1, openJobCards: 1, plannedQty: '3', completedQty: '1', scrapQty: '0', percent: 33.3, lateJobCards: 1, lateWorkOrders: 0 },
    ] }, say);
    expect(w.columns[0]).toMatchObject({ key: 'workshop', kind: 'dimension' });
    expect(w.rows).toEqual([
      { workshop: '一车间', open_orders: 2, open_cards: 3, planned: '32', completed: '14', scrap: '1', percent: 43.8, late_cards: 1, late_orders: 1 },
      { workshop: '«webpages.workshop.none»', open_orders: 1, open_cards: 1, planned: '3', completed: '1', scrap: '0', percent: 33.3, late_cards: 1, late_orders: 0 },
    ]);
  });
});
