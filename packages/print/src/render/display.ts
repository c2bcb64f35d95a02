import { regionName, type FieldMeta } from '@mosaic/meta';

/**
 * How one stored value prints, by field type, before any filter: a select shows
 * its option's label, a link its record's title, a yes/no field 是/否, money its
 * amount, a date-time the local time. Empty is ''.
 */
export function displayValue(field: FieldMeta, value: unknown, opts: { timeZone: string; linkTitle?: (id: string) => string }): string {
  if (value === null || value === undefined || value === '') return '';
  switch (field.type) {
    case 'money':
      return typeof value === 'object' ? String((value as { amount: unknown }).amount ?? '') : String(value);
    case 'lookup': // a lookup of a money field reads as money, { amount, currency }: it prints its amount, as money does
      return typeof value === 'object' && !Array.isArray(value) && 'amount' in value ? String(value.amount ?? '') : displayValue({ ...field, type: 'text' }, value, opts);
    case 'link':
      return opts.linkTitle ? opts.linkTitle(String(value)) : '';
    case 'single_select':
      return optionLabel(field, String(value));
    case 'multi_select':
      return Array.isArray(value) ? value.map((v) => optionLabel(field, String(v))).join('、') : String(value);
    case 'boolean':
      return value === true || value === 'true' ? '是' : '否';
    case 'datetime':
      return localDateTime(String(value), opts.timeZone);
    case 'address':
      return addressText(value);
    case 'attachment':
    case 'image':
    case 'child_table':
      return '';
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

function optionLabel(field: FieldMeta, value: string): string {
  return field.config.options?.find((o) => o.value === value)?.label.zh ?? value;
}

/** "2026-11-23T06:05:00.000Z" in Asia/Shanghai → "2026-11-23 14:05". */
export function localDateTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

function addressText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  const a = value as { province?: string; city?: string; district?: string; detail?: string };
  const names = [a.province, a.city, a.district].map((c) => (c ? regionName(c) : undefined)).filter((n) => n && n !== '市辖区');
  return [names.join(''), a.detail ?? ''].filter(Boolean).join(' ');
}
