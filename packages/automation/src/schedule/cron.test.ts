import { describe, expect, it } from 'vitest';
import { checkCron, fireTimesBetween, NextFireMemo, nextFireAfter } from './cron.ts';

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

describe('the next fire time, remembered', () => {
  it('is due only when its moment comes, the rule changes, or the recheck interval passes', () => {
    const memo = new NextFireMemo(60_000);
    const t = new Date('2026-03-02T00:59:30Z');
    expect(memo.due('r', 'v1', t)).toBe(true); // never looked at
    memo.remember('r', 'v1', '0 9 * * 1-5', 'Asia/Shanghai', t); // next: 01:00:00Z
    expect(memo.due('r', 'v1', new Date('2026-03-02T00:59:59Z'))).toBe(false);
    expect(memo.due('r', 'v1', new Date('2026-03-02T01:00:00Z'))).toBe(true);
    expect(memo.due('r', 'v2', new Date('2026-03-02T00:59:31Z'))).toBe(true); // the rule changed
    memo.remember('r', 'v1', '0 9 1 1 *', 'Asia/Shanghai', t); // next January
    expect(memo.due('r', 'v1', new Date(t.getTime() + 59_000))).toBe(false);
    expect(memo.due('r', 'v1', new Date(t.getTime() + 60_000))).toBe(true); // recheck after the interval
    expect(nextFireAfter('0 9 * * 1-5', 'Asia/Shanghai', new Date('2026-03-02T01:00:00Z'))?.toISOString()).toBe('2026-03-03T01:00:00.000Z');
  });
});
