import { describe, expect, it } from 'vitest';
import { formatLookup, formatMoney, formatMoneyByCurrency } from './format.ts';

// The list's totals row and a kanban column's total: money summed per currency (the aggregate's
// "sum:<money>@currency") shows one amount per currency, never ¥ and US$ added into one figure.
describe('formatMoneyByCurrency', () => {
  it('shows one currency exactly as one total did', () => {
    expect(formatMoneyByCurrency({ CNY: '120000.00' }, 'CNY', 'zh-CN')).toBe('¥120,000.00');
    expect(formatMoneyByCurrency({ CNY: '120000.00' }, 'CNY', 'zh-CN')).toBe(formatMoney('120000.00', 'CNY', 'zh-CN'));
  });

  it('shows each currency in its own, the field or company currency first, then by code', () => {
    expect(formatMoneyByCurrency({ CNY: '100000.00', USD: '20000.00' }, 'CNY', 'en')).toBe('¥100,000.00 · $20,000.00');
    expect(formatMoneyByCurrency({ CNY: '3', EUR: '1.5', USD: '20000' }, 'USD', 'zh-CN'))
      .toBe([formatMoney('20000', 'USD', 'zh-CN'), formatMoney('3', 'CNY', 'zh-CN'), formatMoney('1.5', 'EUR', 'zh-CN')].join(' · '));
  });

  it('counts amounts stored without a currency in the field or company one, exactly', () => {
    expect(formatMoneyByCurrency({ '': '0.10', CNY: '0.20' }, 'CNY', 'en')).toBe('¥0.30');
    expect(formatMoneyByCurrency({ '': '9007199254740993.01', USD: '1.00' }, 'USD', 'en')).toBe('$9,007,199,254,740,994.01');
    expect(formatMoneyByCurrency({ '': '5' }, null, 'en')).toBe('¥5.00'); // no field currency, no "me" yet: the company fallback
  });

  it('shows 0 in the field or company currency when nothing was summed', () => {
    expect(formatMoneyByCurrency({}, 'USD', 'en')).toBe('$0.00');
    expect(formatMoneyByCurrency(undefined, 'CNY', 'zh-CN')).toBe('¥0.00');
  });

  it('keeps the field scale for every currency', () => {
    expect(formatMoneyByCurrency({ JPY: '1200.4', USD: '3.456' }, 'JPY', 'en', 0)).toBe('¥1,200 · $3');
  });
});

// A lookup of a money field is answered as money ({ amount, currency }): it shows in its own currency.
describe('formatLookup', () => {
  it('shows a lookup of money in its currency, at the scale its amount has', () => {
    expect(formatLookup({ amount: '50000.00', currency: 'USD' }, 'en')).toBe('$50,000.00');
    expect(formatLookup({ amount: '12.3456', currency: 'CNY' }, 'zh-CN')).toBe('¥12.3456');
    expect(formatLookup({ amount: '7', currency: null }, 'en')).toBe('¥7'); // stored without a currency: the company's
  });

  it('shows any other lookup as it is', () => {
    expect(formatLookup('Acme', 'en')).toBe('Acme');
    expect(formatLookup(3, 'en')).toBe('3');
  });
});
