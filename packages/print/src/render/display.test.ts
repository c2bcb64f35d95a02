import { describe, expect, it } from 'vitest';
import type { FieldMeta } from '@mosaic/meta';
import { displayValue } from './display.ts';

const field = (type: string) => ({ apiName: 'x', type, config: {}, label: { zh: 'x' } }) as unknown as FieldMeta;
const opts = { timeZone: 'Asia/Shanghai' };

// A lookup of a money field is read as money ({ amount, currency }): it prints its amount, as money does,
// and a template's `|money` filter reads it — never the JSON of the pair.
describe('displayValue of a lookup', () => {
  it('prints a lookup of money as its amount', () => {
    expect(displayValue(field('lookup'), { amount: '50000.00', currency: 'USD' }, opts)).toBe('50000.00');
    expect(displayValue(field('money'), { amount: '50000.00', currency: 'USD' }, opts)).toBe('50000.00');
  });

  it('prints any other lookup as before', () => {
    expect(displayValue(field('lookup'), '华东', opts)).toBe('华东');
    expect(displayValue(field('lookup'), ['a', 'b'], opts)).toBe('["a","b"]');
  });
});
