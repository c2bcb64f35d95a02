import { addDays } from '@mosaic/kernel';
import { describe, expect, it } from 'vitest';
import { daysOverdue, fillTemplate, levelFor, type DunningLevel } from './dunning.rules.ts';

const levels: DunningLevel[] = [
  { level: 1, name: 'a', daysOverdue: 1, subject: '', body: '' },
  { level: 3, name: 'c', daysOverdue: 30, subject: '', body: '' },
  { level: 2, name: 'b', daysOverdue: 15, subject: '', body: '' },
];

describe('dunning rules', () => {
  it('counts days overdue across months and years', () => {
    expect(daysOverdue('2026-11-30', '2026-12-01')).toBe(1);
    expect(daysOverdue('2026-12-31', '2027-01-30')).toBe(30);
    expect(daysOverdue('2026-12-01', '2026-12-01')).toBe(0);
    expect(daysOverdue('2026-12-02', '2026-12-01')).toBe(-1);
    expect(addDays('2026-11-23', 30)).toBe('2026-12-23');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('gives the highest level passed, none before the first threshold', () => {
    expect(levelFor(0, levels)).toBeNull();
    expect(levelFor(-5, levels)).toBeNull();
    expect(levelFor(1, levels)?.level).toBe(1);
    expect(levelFor(14, levels)?.level).toBe(1);
    expect(levelFor(15, levels)?.level).toBe(2);
    expect(levelFor(400, levels)?.level).toBe(3);
    expect(levelFor(5, [{ ...levels[1] }])).toBeNull();
  });

  it('fills the placeholders it knows and leaves the others visible', () => {
    expect(fillTemplate('发票 {{number}} 逾期 {{ days_overdue }} 天 {{nope}}', { number: 'SI-1', days_overdue: 3 })).toBe('发票 SI-1 逾期 3 天 {{nope}}');
  });
});
