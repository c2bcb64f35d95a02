import { afterEach, describe, expect, it } from 'vitest';
import { ME_KEY } from '../api/auth.ts';
import { queryClient } from '../api/query-client.ts';
import { formatLookup, formatMoney, formatMoneyByCurrency } from './format.ts';

const me = (companyCurrency: string) => queryClient.setQueryData(ME_KEY, { id: 'u', tenantId: 't', companyId: 'c', departmentId: null, isAdmin: false, companyCurrency });
afterEach(() => queryClient.clear());

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
    expect(formatMoneyByCurrency({ JPY: '1200.4', USD: '3.456' }, 'JPY', 'en', 0)).toBe('JPY\u00a01,200 · $3'); // a CNY company: its ¥ is the yuan
  });
});

// The company's currency keeps its short sign; any other one is told apart from it, per locale (Intl/CLDR).
describe('formatMoney: currencies told apart', () => {
  it('in Chinese for a CNY company: ¥ is the yuan, US$, JP¥ and HK$ are the others', () => {
    expect(formatMoneyByCurrency({ CNY: '100000', USD: '20000', JPY: '3000', HKD: '5' }, 'CNY', 'zh-CN', 0)).toBe('¥100,000 · HK$5 · JP¥3,000 · US$20,000');
  });

  it('in English for a CNY company: ¥ is the yuan, so the yen shows its code; $ is the US dollar', () => {
    expect(formatMoney('100000', 'CNY', 'en')).toBe('¥100,000.00');
    expect(formatMoney('3000', 'JPY', 'en', 0)).toBe('JPY\u00a03,000');
    expect(formatMoney('20000', 'USD', 'en')).toBe('$20,000.00');
    expect(formatMoney('9', 'AUD', 'en')).toBe('A$9.00');
  });

  it('for a USD company: $ is its dollar; the yuan is ¥ in Chinese, CN¥ in English', () => {
    me('USD');
    expect(formatMoney('20000', 'USD', 'zh-CN')).toBe('$20,000.00');
    expect(formatMoney('100', 'CNY', 'zh-CN')).toBe('¥100.00');
    expect(formatMoney('100', 'CNY', 'en')).toBe('CN¥100.00');
    expect(formatMoney('7', 'CAD', 'zh-CN')).toBe('CA$7.00');
  });

  it('shows a code Intl does not know as that code', () => {
    expect(formatMoney('5', 'ABC', 'en')).toBe('ABC\u00a05.00');
  });
});

// A lookup of a money field is answered as money ({ amount, currency }): it shows in its own currency.
describe('formatLookup', () => {
  it('shows a lookup of money in its currency, at the scale its amount has', () => {
    expect(formatLookup({ amount: '50000.00', currency: 'USD' }, 'zh-CN')).toBe('US$50,000.00');
    expect(formatLookup({ amount: '12.3456', currency: 'CNY' }, 'zh-CN')).toBe('¥12.3456');
    expect(formatLookup({ amount: '7', currency: null }, 'en')).toBe('¥7'); // stored without a currency: the company's
  });

  it('shows any other lookup as it is', () => {
    expect(formatLookup('Acme', 'en')).toBe('Acme');
    expect(formatLookup(3, 'en')).toBe('3');
  });
});
