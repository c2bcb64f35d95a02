import { describe, expect, it } from 'vitest';
import { Decimal } from '@mosaic/kernel';
import { budgetVsActual, projectHealth, projectProfit, rolledUpProgress } from './project.rules.ts';

const d = (x: string | number) => new Decimal(x);
const budgets = { labour: d(1000), material: d(500), purchase: d(0), expense: d(200) };

describe('budget vs actual', () => {
  it('lists every cost type with variance, usage and the overrun flag', () => {
    expect(budgetVsActual(budgets, { labour: d('1150.5'), expense: d(50) })).toEqual([
      { costType: 'labour', budget: '1000.00', actual: '1150.50', variance: '-150.50', usage: '1.1505', overrun: true },
      { costType: 'material', budget: '500.00', actual: '0.00', variance: '500.00', usage: '0.0000', overrun: false },
      { costType: 'purchase', budget: '0.00', actual: '0.00', variance: '0.00', usage: null, overrun: false },
      { costType: 'expense', budget: '200.00', actual: '50.00', variance: '150.00', usage: '0.2500', overrun: false },
    ]);
  });
});

describe('profit and health', () => {
  it('profit = revenue − costs, with the margin', () => {
    expect(projectProfit(d(10000), [d(3000), d('1250.5')])).toEqual({ revenue: '10000.00', cost: '4250.50', profit: '5749.50', margin: '0.5750' });
    expect(projectProfit(d(0), [d(10)])).toEqual({ revenue: '0.00', cost: '10.00', profit: '-10.00', margin: null });
  });

  const lines = (labourActual: number) => budgetVsActual(budgets, { labour: d(labourActual) });
  it.each([
    ['an overrun is red', lines(1001), '0.5', '2026-01-01', '2026-12-31', false, '2026-06-01', 'red'],
    ['late and unfinished is red', lines(0), '0.9', '2026-01-01', '2026-03-31', false, '2026-04-02', 'red'],
    ['late but finished is fine', lines(0), '1', '2026-01-01', '2026-03-31', true, '2026-04-02', 'green'],
    // 1 000 + 500 + 100 of 1 700 = 94 %, no single type over
    ['90 % of the budget used is amber', budgetVsActual(budgets, { labour: d(1000), material: d(500), expense: d(100) }), '0.9', '2026-01-01', '2026-12-31', false, '2026-06-01', 'amber'],
    ['behind schedule is amber', lines(0), '0.1', '2026-01-01', '2026-01-31', false, '2026-01-21', 'amber'],
    ['on track is green', lines(100), '0.5', '2026-01-01', '2026-01-31', false, '2026-01-16', 'green'],
  ])('%s', (_, l, progress, start, end, finished, today, health) => {
    expect(projectHealth({ lines: l, progress: d(progress), start, end, finished, today })).toBe(health);
  });
});

describe('project progress from its tasks', () => {
  const task = (id: string, progress: string, over: { parent?: string; done?: boolean; estimate?: number } = {}) =>
    ({ id, parent: over.parent ?? null, progress: d(progress), done: over.done ?? false, estimateHours: over.estimate === undefined ? null : d(over.estimate) });

  it('weights the leaf tasks by their estimates; a parent\'s own progress does not count', () => {
    // 设计 (parent, 0.9 ignored) → 勘察 0.5 × 10 h, 方案 done × 30 h; 施工 0.2 × 60 h → (5 + 30 + 12) / 100
    expect(rolledUpProgress([task('a', '0.9'), task('a1', '0.5', { parent: 'a', estimate: 10 }), task('a2', '0.1', { parent: 'a', done: true, estimate: 30 }), task('b', '0.2', { estimate: 60 })])?.toFixed(4)).toBe('0.4700');
  });

  it('weighs a task without an estimate as 1 h and keeps progress within 0–100 %; no tasks, no figure', () => {
    expect(rolledUpProgress([task('a', '1.5'), task('b', '0', { estimate: 0 })])?.toFixed(4)).toBe('0.5000');
    expect(rolledUpProgress([])).toBeNull();
  });
});
