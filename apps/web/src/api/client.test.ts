import { describe, expect, it } from 'vitest';
import { fileNameOf } from './client.ts';

describe('fileNameOf (Content-Disposition → the download name)', () => {
  it('prefers the UTF-8 name over the ASCII fallback, whichever comes first', () => {
    // As packages/print and packages/io send it: an ASCII fallback, then the real name.
    expect(fileNameOf(`inline; filename="document.pdf"; filename*=UTF-8''${encodeURIComponent('销售发票-SI-2026-00001.pdf')}`)).toBe('销售发票-SI-2026-00001.pdf');
    expect(fileNameOf(`attachment; filename*=UTF-8''${encodeURIComponent('客户.xlsx')}; filename="customer.xlsx"`)).toBe('客户.xlsx');
  });
  it('takes the plain name when that is all there is, and nothing from no header', () => {
    expect(fileNameOf('attachment; filename="trial_balance-2026-11.xlsx"')).toBe('trial_balance-2026-11.xlsx');
    expect(fileNameOf('attachment; filename=plain.csv')).toBe('plain.csv');
    expect(fileNameOf(null)).toBeUndefined();
  });
});
