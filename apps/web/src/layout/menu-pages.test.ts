import { describe, expect, it } from 'vitest';
import { pagesOf } from './menu-pages.ts';

describe('menu pages', () => {
  it('offers 财务设置 to administrators only (its API answers others 403); 财务报表 to everyone with the finance menu', () => {
    expect(pagesOf('finance', true).map((p) => p.path)).toEqual(['/finance/statements', '/finance/settings']);
    expect(pagesOf('finance', false).map((p) => p.path)).toEqual(['/finance/statements']);
    expect(pagesOf('crm', false).map((p) => p.path)).toEqual(['/crm/pool', '/crm/pipeline', '/crm/sales-forecast']);
    expect(pagesOf('settings', true).map((p) => p.path)).toEqual(['/settings/calendar']);
    expect(pagesOf('settings', false)).toEqual([]);
    expect(pagesOf('manufacturing', false).map((p) => p.path)).toEqual(['/mfg/mrp', '/mfg/can-take', '/mfg/reports']);
    expect(pagesOf('custom', true)).toEqual([]);
  });
});
