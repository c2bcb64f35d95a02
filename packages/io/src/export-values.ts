import type { FieldMeta } from '@mosaic/meta';
import { addressToText, type AddressValue } from './address-text.ts';
import { formatInZone } from './datetime.ts';
import { neutralise } from './formula-guard.ts';

/** A cell on its way out: text, or a number when it converts to one exactly (XLSX). */
export type OutCell = string | number | null;

export interface ValueStyle {
  lang: 'zh' | 'en';
  timeZone: string;
  /** XLSX: numbers as numbers; CSV: everything is text anyway. */
  numbers: boolean;
}

/**
 * One API value → one spreadsheet cell, for people: option labels instead of
 * codes, 是/否, dates as 'YYYY-MM-DD', date-times on the user's clock, the
 * linked record's title, addresses as one line, multi-selects joined with "，".
 * Every text cell passes through the formula-injection guard.
 */
export function valueToCell(value: unknown, field: FieldMeta, style: ValueStyle, title?: unknown): OutCell {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'percent':
    case 'rollup':
      return numberCell(String(value), style);
    case 'money':
      return numberCell(String((value as { amount?: unknown }).amount ?? value), style);
    case 'boolean':
      return text(boolText(value === true, style));
    case 'date':
      return text(String(value).slice(0, 10));
    case 'datetime':
      return text(formatInZone(new Date(String(value)), style.timeZone));
    case 'single_select':
      return text(optionLabel(field, String(value), style));
    case 'multi_select':
      return text((Array.isArray(value) ? value : [value]).map((v) => optionLabel(field, String(v), style)).join('，'));
    case 'address':
      return text(addressToText(value as AddressValue));
    case 'link':
    case 'user':
    case 'department':
      return text(title === null || title === undefined || title === '' ? String(value) : String(title));
    case 'attachment':
      return text(Array.isArray(value) ? value.join(',') : String(value));
    default:
      if (typeof value === 'number') return style.numbers ? value : String(value);
      if (typeof value === 'boolean') return text(boolText(value, style));
      return text(typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
}

export function currencyCell(value: unknown): OutCell {
  const c = (value as { currency?: unknown } | null)?.currency;
  return typeof c === 'string' ? c : null;
}

function text(s: string): string {
  return neutralise(s);
}

function boolText(b: boolean, style: ValueStyle): string {
  return style.lang === 'en' ? (b ? 'true' : 'false') : b ? '是' : '否';
}

function optionLabel(field: FieldMeta, value: string, style: ValueStyle): string {
  const o = field.config.options?.find((x) => x.value === value);
  if (!o) return value;
  return style.lang === 'en' ? (o.label.en ?? o.label.zh) : o.label.zh;
}

/** "1250.500" → 1250.5 when the number prints back the same (≤ 15 significant digits); else the text. */
function numberCell(s: string, style: ValueStyle): OutCell {
  if (!style.numbers) return s;
  const n = Number(s);
  if (!Number.isFinite(n)) return text(s);
  if (n === 0) return 0;
  const canonical = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return String(n) === canonical.replace(/^\+/, '') ? n : s;
}
