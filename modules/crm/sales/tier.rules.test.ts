import { describe, expect, it } from 'vitest';
import { Decimal } from '@mosaic/kernel';
import { tierOf } from './tier.rules.ts';

describe('tierOf', () => {
  const s = { aMin: new Decimal('1000000'), bMin: new Decimal('200000'), months: 12 };
  it.each([
    ['1000000.00', 'A'], ['1000000.01', 'A'], ['999999.99', 'B'], ['200000', 'B'], ['199999.99', 'C'], ['0', 'C'],
  ])('revenue %s → %s (thresholds inclusive)', (revenue, tier) => {
    expect(tierOf(new Decimal(revenue), s)).toBe(tier);
  });
  it('equal thresholds leave no B', () => {
    expect(tierOf(new Decimal('500'), { aMin: new Decimal('500'), bMin: new Decimal('500'), months: 12 })).toBe('A');
    expect(tierOf(new Decimal('499.99'), { aMin: new Decimal('500'), bMin: new Decimal('500'), months: 12 })).toBe('C');
  });
});
