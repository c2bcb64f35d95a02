import { describe, expect, it } from 'vitest';
import type { ObjectMeta } from '../api/types.ts';
import { groupObjects, settingsObjects } from './modules.tsx';

const obj = (apiName: string, module: string, extra: Partial<ObjectMeta> = {}) => ({ apiName, module, label: { zh: apiName, en: apiName }, fields: [], ...extra }) as unknown as ObjectMeta;
const objects = [obj('customer', 'crm'), obj('company_holiday', 'calendar'), obj('gadget', 'acme'), obj('quote_line', 'selling', { isChild: true })];

describe('the menu groups', () => {
  it('puts the company calendar under 设置 for an admin, in a group of its own for anyone else', () => {
    expect(groupObjects(objects, { settingsApart: true }).map((g) => g.key)).toEqual(['crm', 'acme']);
    expect(settingsObjects(objects).map((o) => o.apiName)).toEqual(['company_holiday']);
    const others = groupObjects(objects);
    expect(others.map((g) => [g.key, g.objects.map((o) => o.apiName)])).toEqual([['crm', ['customer']], ['acme', ['gadget']], ['calendar', ['company_holiday']]]);
  });
});
