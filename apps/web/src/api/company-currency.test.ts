import { afterEach, describe, expect, it } from 'vitest';
import type { FieldMeta } from './types.ts';
import { ME_KEY } from './auth.ts';
import { companyCurrency } from './company-currency.ts';
import { queryClient } from './query-client.ts';
import { fromFormValue, moneyTotalCurrency, toFormValue } from '../fields/values.ts';
import { formatMoney } from '../lib/format.ts';
import { receivableTotals } from '../pages/crm/customer-360/customer-360-api.ts';

// The formatting path of figures without a currency of their own: the company's currency from /auth/me.
const me = (companyCurrency?: string) => queryClient.setQueryData(ME_KEY, { id: 'u', tenantId: 't', companyId: 'c', departmentId: null, isAdmin: false, companyCurrency });
const amount = { apiName: 'amount', type: 'money', label: 'Amount', config: {} } as unknown as FieldMeta;

afterEach(() => queryClient.clear());

describe('company currency', () => {
  it("is /auth/me's companyCurrency, CNY before it is known", () => {
    expect(companyCurrency()).toBe('CNY');
    me('USD');
    expect(companyCurrency()).toBe('USD');
  });

  it('formats a company-currency figure of a USD company in dollars', () => {
    me('USD');
    const owed = receivableTotals({ outstanding: '629.75', open: 1 }, companyCurrency());
    expect(owed).toEqual([{ currency: 'USD', outstanding: '629.75' }]);
    expect(formatMoney(owed[0].outstanding, owed[0].currency, 'zh-CN')).toBe('$629.75');
    expect(formatMoney('1130', companyCurrency(), 'en')).toBe('$1,130.00');
  });

  it('starts a new money value in it unless the field has a default currency', () => {
    me('USD');
    expect(toFormValue(amount, null, [])).toEqual({ amount: null, currency: 'USD' });
    expect(toFormValue({ ...amount, config: { defaultCurrency: 'EUR' } } as FieldMeta, null, [])).toEqual({ amount: null, currency: 'EUR' });
    expect(fromFormValue(amount, { amount: '5', currency: '' }, [])).toEqual({ amount: '5', currency: 'USD' });
  });

  it('formats an amount that names no currency in it, not in CNY', () => {
    expect(formatMoney('1130', null, 'zh-CN')).toBe('¥1,130.00'); // "me" not known yet
    me('USD');
    expect(formatMoney('1130', null, 'zh-CN')).toBe('$1,130.00');
    expect(formatMoney('1130', '', 'en')).toBe('$1,130.00');
    expect(formatMoney('1130', 'EUR', 'en')).toBe('€1,130.00'); // its own currency first
  });

  it("totals a child grid's money column in the rows' currency, else the field's, the record's, the company's", () => {
    me('USD');
    const empty = [{ amount: null }, {}, undefined] as (Record<string, unknown> | undefined)[];
    expect(moneyTotalCurrency(amount, empty, undefined, companyCurrency())).toBe('USD');
    expect(moneyTotalCurrency(amount, empty, 'HKD', companyCurrency())).toBe('HKD');
    expect(moneyTotalCurrency({ ...amount, config: { defaultCurrency: 'EUR' } } as FieldMeta, empty, 'HKD', companyCurrency())).toBe('EUR');
    expect(moneyTotalCurrency(amount, [{ amount: null }, { amount: { amount: '3', currency: 'JPY' } }], 'HKD', companyCurrency())).toBe('JPY');
  });
});
