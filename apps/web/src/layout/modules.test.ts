import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import type { ModuleInfo, ObjectMeta } from '../api/types.ts';
import { groupLabel, groupObjects, menuGroups, moduleChoices } from './modules.tsx';

const obj = (apiName: string, module: string, extra: Partial<ObjectMeta> = {}) => ({ apiName, module, label: { zh: apiName, en: apiName }, fields: [], ...extra }) as unknown as ObjectMeta;
const objects = [
  obj('invoice', 'finance'), obj('customer', 'crm'), obj('ticket', 'crm'), obj('item', 'stock'), obj('quote', 'selling'), obj('quote_line', 'selling', { isChild: true }),
  obj('company_holiday', 'calendar'), obj('gadget', 'acme'), obj('machine', 'custom'),
];
const manifest = (name: string, group: string, zh: string, order: number, objectModules: string[]): ModuleInfo =>
  ({ name, label: { zh, en: name }, depends: [], menu: { group, label: { zh, en: name }, order }, objectModules });
// as GET /api/v1/meta/modules answers them, in no particular order
const modules = [
  manifest('selling', 'stock', '进销存/供应链', 21, ['selling']),
  manifest('calendar', 'admin', '公司日历', 96, ['calendar']),
  manifest('crm', 'crm', '客户关系', 10, ['crm']),
  manifest('stock', 'stock', '进销存/供应链', 20, ['stock']),
  manifest('crm_sales', 'crm', '客户关系', 11, ['crm']),
  manifest('print', 'admin', '打印模板', 95, []),
  manifest('finance_dunning', 'finance', '财务', 31, ['finance', 'crm']), // adds fields to crm's customer
  manifest('finance', 'finance', '财务', 30, ['finance']),
];
const t = ((key: string, opts?: { defaultValue?: string }) => (key === 'menu.settings' ? '设置' : key === 'menu.custom' ? '自定义' : opts?.defaultValue ?? key)) as unknown as TFunction;
const filed = (isAdmin: boolean) => groupObjects(objects, menuGroups(modules, isAdmin))
  .filter((g) => g.objects.length > 0)
  .map((g) => [g.key, groupLabel(g, t, 'zh-CN'), g.objects.map((o) => o.apiName)]);

describe('the menu groups, from the modules\' manifests', () => {
  it('files objects under their manifest\'s group and label, in menu order; unknown modules last', () => {
    expect(filed(true)).toEqual([
      ['crm', '客户关系', ['customer', 'ticket']],
      ['stock', '进销存/供应链', ['item', 'quote']], // two manifests, one group: stock's objects before selling's
      ['finance', '财务', ['invoice']], // not crm's customer, which a finance manifest extends
      ['custom', '自定义', ['machine']],
      ['settings', '设置', ['company_holiday']],
      ['acme', 'acme', ['gadget']],
    ]);
  });

  it('puts a settings module under 设置 for an administrator, in a group of its own for anyone else', () => {
    expect(filed(false)).toContainEqual(['calendar', '公司日历', ['company_holiday']]);
    expect(filed(false).map((g) => g[0])).not.toContain('settings');
  });

  it('offers a new object every module but 设置\'s, 自定义 first, naming the module where a group has several', () => {
    const choices = moduleChoices(menuGroups(modules, true), t, 'zh-CN');
    expect(choices[0]).toEqual({ value: 'custom', label: '自定义' });
    expect(choices).toContainEqual({ value: 'selling', label: '进销存/供应链 · selling' });
    expect(choices).toContainEqual({ value: 'crm', label: '客户关系' });
    expect(choices.map((c) => c.value)).not.toContain('calendar');
  });
});
