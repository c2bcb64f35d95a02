import { describe, expect, it } from 'vitest';
import { Decimal } from '@mosaic/kernel';
import { dig, renderTemplate, templatePaths } from './template.ts';

describe('templates with merge fields', () => {
  const values: Record<string, unknown> = { name: '星河五金', 'customer.name': '广州客户', amount: new Decimal('1234.50'), tags: ['a', 'b'], due: new Date('2026-03-01T01:00:00Z') };
  const get = (p: string) => values[p];

  it('lists the paths it reads, once each', () => {
    expect(templatePaths('{{name}} / {{ customer.name }} / {{name}} / {{payload.lead.email}}')).toEqual(['name', 'customer.name', 'payload.lead.email']);
  });

  it.each([
    ['您好 {{name}}', '您好 星河五金'],
    ['客户：{{customer.name}}', '客户：广州客户'],
    ['金额 {{amount}}', '金额 1234.5'],
    ['{{tags}}', 'a, b'],
    ['{{due}}', '2026-03-01 09:00'],
    ['{{missing}}|', '|'],
    ['{{ not closed', '{{ not closed'],
    ['{{constructor}}{{__proto__}}', ''],
  ])('%s → %s', (text, out) => {
    expect(renderTemplate(text, (p) => (Object.hasOwn(values, p) ? get(p) : undefined), { timeZone: 'Asia/Shanghai' })).toBe(out);
  });

  it('escapes values, not the template, in HTML', () => {
    expect(renderTemplate('<b>{{name}}</b>', () => '<script>"x"</script>', { html: true })).toBe('<b>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</b>');
  });

  it('digs only own properties of JSON payloads', () => {
    expect(dig({ lead: { email: 'a@b.cn' } }, 'lead.email')).toBe('a@b.cn');
    expect(dig({}, 'constructor.name')).toBeUndefined();
    expect(dig(null, 'a')).toBeUndefined();
  });
});
