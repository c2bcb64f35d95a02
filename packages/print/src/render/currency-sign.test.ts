import { describe, expect, it } from 'vitest';
import type { ObjectMeta } from '@mosaic/meta';
import { amountUnit, currencyName, currencySign, documentCurrency, moneyText } from './currency-sign.ts';

// A printed total carries a sign no one misreads: the company's own currency its short one, any other
// the one Chinese tells apart — as the web shows them (apps/web/src/lib/format.ts).
describe('currencySign', () => {
  it('gives the company currency its short sign', () => {
    expect(currencySign('CNY', 'CNY')).toBe('¥');
    expect(currencySign('USD', 'USD')).toBe('$');
  });

  it('tells any other currency apart from it', () => {
    expect(['USD', 'JPY', 'HKD', 'EUR'].map((c) => currencySign(c, 'CNY'))).toEqual(['US$', 'JP¥', 'HK$', '€']);
    expect(currencySign('CNY', 'USD')).toBe('¥'); // in Chinese ¥ is the yuan whoever prints it
    expect(currencySign('CAD', 'USD')).toBe('CA$');
  });

  it('prints a code Intl does not know as that code', () => {
    expect(currencySign('ABC', 'CNY')).toBe('ABC ');
  });
});

describe('moneyText', () => {
  it('writes an amount with its sign and the money filter\'s digits, as a template prints it', () => {
    expect(moneyText('100000', 'USD', 'CNY')).toBe('US$100,000.00');
    expect(moneyText('100000', 'CNY', 'CNY')).toBe('¥100,000.00');
  });
});

describe('currencyName', () => {
  it('names a currency as Chinese documents and banks do, else prints its code', () => {
    expect(['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP'].map(currencyName)).toEqual(['人民币', '美元', '欧元', '港币', '日元', '英镑']);
    expect(currencyName('ABC')).toBe('ABC');
    expect(currencyName('not a code')).toBe('not a code');
  });
});

describe('documentCurrency', () => {
  const withCurrency = { fields: [{ apiName: 'currency', archived: false }] } as unknown as ObjectMeta;
  const without = { fields: [] } as unknown as ObjectMeta;
  it('is the document\'s own, blank is the company\'s, an object without one is the company\'s', () => {
    expect(documentCurrency(withCurrency, { currency: 'USD' }, 'CNY')).toBe('USD');
    expect(documentCurrency(withCurrency, { currency: null }, 'CNY')).toBe('CNY');
    expect(documentCurrency(without, {}, 'CNY')).toBe('CNY');
  });

  it('is unknown (no sign) when the reader may not read the document\'s currency', () => {
    expect(documentCurrency(withCurrency, {}, 'CNY')).toBeNull();
  });
});

describe('amountUnit', () => {
  it('counts yuan figures in 元, as statements always have, and any other currency by its name', () => {
    expect(['CNY', 'USD', 'HKD', 'EUR'].map(amountUnit)).toEqual(['元', '美元', '港币', '欧元']);
  });
});
