import { describe, expect, it } from 'vitest';
import { drillFilter, quarterChoices, quarterOf, shiftQuarter, type ForecastRow } from './forecast.ts';

const row = (over: Partial<ForecastRow>): ForecastRow => ({
  name: null, openCount: 1, openAmount: '0', weighted: '0', wonCount: 1, won: '0', forecast: '0', target: null, attainment: null, forecastAttainment: null, ...over,
});
const window = { from: '2026-10-01', to: '2026-12-31' };

describe('sales forecast helpers', () => {
  it('works out quarters across years', () => {
    expect(quarterOf('2026-11-24')).toBe('2026-Q4');
    expect(quarterOf('2026-03-31')).toBe('2026-Q1');
    expect(shiftQuarter('2026-Q4', 1)).toBe('2027-Q1');
    expect(shiftQuarter('2026-Q1', -1)).toBe('2025-Q4');
    const list = quarterChoices('2026-Q4');
    expect([list[0], list[4], list[12]]).toEqual(['2027-Q4', '2026-Q4', '2024-Q4']); // one year ahead, two back
  });

  it('drills a rep’s won and open figures with the forecast report’s conditions; team rows have none', () => {
    expect(drillFilter(row({ rep: 'u1' }), 'won', window)).toEqual({ and: [
      { field: 'owner_id', op: 'eq', value: 'u1' }, { field: 'won_at', op: 'between', value: ['2026-10-01', '2026-12-31'] },
    ] });
    expect(drillFilter(row({ rep: null }), 'open', window)).toEqual({ and: [
      { field: 'owner_id', op: 'isNull', value: true }, { field: 'won_at', op: 'isNull', value: true }, { field: 'lost_at', op: 'isNull', value: true },
      { field: 'expected_close_date', op: 'between', value: ['2026-10-01', '2026-12-31'] },
    ] });
    expect(drillFilter(row({ team: 'd1' }), 'won', window)).toBeNull();
  });
});
