import { describe, expect, it } from 'vitest';
import { budgetTotal, type BudgetLine } from './project-api.ts';

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
