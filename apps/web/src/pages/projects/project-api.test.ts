import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { budgetTotal, portfolioKey, projectKey, refreshProject, type BudgetLine } from './project-api.ts';

const line = (costType: BudgetLine['costType'], budget: string, actual: string): BudgetLine => ({ costType, budget, actual, variance: '0', usage: null, overrun: false });

describe('portfolio budget totals', () => {
  it('adds the cost types\' decimal strings exactly, where floats would drift', () => {
    const lines = [line('labour', '0.10', '0.10'), line('material', '0.20', '0.20'), line('purchase', '90071992547409.93', '12345678901234.56'), line('expense', '0.01', '0.07')];
    // Added as floats (the old Number sum) the budget comes to 90071992547410.25.
    expect(budgetTotal(lines, 'budget')).toBe('90071992547410.24');
    expect(budgetTotal(lines, 'actual')).toBe('12345678901234.93');
    expect(budgetTotal([], 'budget')).toBe('0');
  });
});

describe('after a task or timesheet is saved', () => {
  it('marks the project\'s panels and the portfolio stale, not another project\'s panels', async () => {
    const qc = new QueryClient();
    for (const key of [[...projectKey('p1'), 'figures'], [...projectKey('p2'), 'figures'], portfolioKey]) qc.setQueryData(key, { loaded: true });
    await refreshProject(qc, 'p1');
    const stale = (key: readonly unknown[]) => qc.getQueryState(key)?.isInvalidated;
    expect([stale([...projectKey('p1'), 'figures']), stale(portfolioKey), stale([...projectKey('p2'), 'figures'])]).toEqual([true, true, false]);
    qc.clear();
  });
});
