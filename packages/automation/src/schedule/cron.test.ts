import { describe, expect, it } from 'vitest';
import { checkCron, fireTimesBetween } from './cron.ts';

describe('cron schedules', () => {
  it('accepts 5 and 6 fields, refuses the rest', () => {
    expect(() => checkCron('0 9 * * 1-5', 'Asia/Shanghai')).not.toThrow();
    expect(() => checkCron('*/5 * * * * *', 'Asia/Shanghai')).not.toThrow();
    expect(() => checkCron('* * *', 'Asia/Shanghai')).toThrow(/5 or 6 fields/);
    expect(() => checkCron('99 * * * *', 'Asia/Shanghai')).toThrow();
  });

  it('lists fire times in (from, to], in the tenant’s time zone', () => {
    const to = new Date('2026-03-02T01:00:00Z'); // Monday 09:00 in Shanghai
    expect(fireTimesBetween('0 9 * * 1-5', 'Asia/Shanghai', new Date('2026-02-27T00:00:00Z'), to).map((d) => d.toISOString()))
      .toEqual(['2026-02-27T01:00:00.000Z', '2026-03-02T01:00:00.000Z']);
    expect(fireTimesBetween('0 9 * * 1-5', 'Asia/Shanghai', to, new Date(to.getTime() + 1000))).toEqual([]);
  });

  it('keeps only the latest `max` fire times', () => {
    const to = new Date('2026-03-02T01:00:00Z');
    const times = fireTimesBetween('* * * * * *', 'UTC', new Date(to.getTime() - 60_000), to, 3);
    expect(times.map((d) => d.toISOString())).toEqual(['2026-03-02T00:59:58.000Z', '2026-03-02T00:59:59.000Z', '2026-03-02T01:00:00.000Z']);
  });
});
