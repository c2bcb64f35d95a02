import type { Decimal } from '@mosaic/kernel';

export interface TierSettings {
  aMin: Decimal;
  bMin: Decimal;
  months: number;
}

/** A ≥ aMin, B ≥ bMin, else C: the thresholds are inclusive. */
export function tierOf(revenue: Decimal, s: TierSettings): 'A' | 'B' | 'C' {
  if (revenue.gte(s.aMin)) return 'A';
  if (revenue.gte(s.bMin)) return 'B';
  return 'C';
}
