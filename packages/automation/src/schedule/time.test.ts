import { describe, expect, it } from 'vitest';
import { todayIn } from '@mosaic/kernel';
import { addOffset } from './time.ts';

describe('offsets in the tenant’s time zone', () => {
  const monday1520 = new Date('2026-03-02T07:20:00Z'); // 15:20 in Shanghai
  it.each([
    [{ days: 1, at: '09:00' }, '2026-03-03T01:00:00.000Z'],
    [{ hours: 2 }, '2026-03-02T09:20:00.000Z'],
    [{ days: -3 }, '2026-02-27T07:20:00.000Z'],
    [{ at: '08:30' }, '2026-03-02T00:30:00.000Z'],
    [{ days: 1, hours: 20, at: '09:00' }, '2026-03-04T01:00:00.000Z'],
  ])('%o → %s', (offset, iso) => {
    expect(addOffset(monday1520, offset, 'Asia/Shanghai').toISOString()).toBe(iso);
  });

  it('keeps the wall clock across a DST change', () => {
    // 2026-03-08 is the US spring-forward day: 09:00 New York is 13:00Z before, 13:00Z → 12:00Z after
    expect(addOffset(new Date('2026-03-07T14:00:00Z'), { days: 1, at: '09:00' }, 'America/New_York').toISOString()).toBe('2026-03-08T13:00:00.000Z');
  });

  it('gives the local calendar date', () => {
    expect(todayIn('Asia/Shanghai', new Date('2026-03-02T17:00:00Z'))).toBe('2026-03-03');
  });
});
