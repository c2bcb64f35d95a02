import dayjs, { type Dayjs } from 'dayjs';
import { companyCurrency } from '../api/company-currency.ts';
import { isComputed, userFields } from '../api/meta.ts';
import type { FieldMeta, ObjectMeta, RecordData } from '../api/types.ts';
import { shiftDecimal } from '../lib/decimal.ts';

/**
 * API values ⇄ form values. Numbers stay decimal strings both ways; a percent
 * is a fraction in the API (0.13) and points in the form (13); dates are dayjs
 * in the form and 'YYYY-MM-DD' / ISO 8601 in the API; an address is a cascader
 * path plus a street line.
 */
export function editableFields(obj: ObjectMeta): FieldMeta[] {
  return userFields(obj).filter((f) => !isComputed(f));
}

/**
 * The currency a child grid's money column is totalled in: the rows' own (the first row whose value names one),
 * else the column's default currency, else the record's (its `currency` field: a quote's, an invoice's), else
 * `company` (useCompanyCurrency) — never a fixed CNY, so a grid with no amount yet totals in the right currency.
 */
export function moneyTotalCurrency(f: FieldMeta, rows: (Record<string, unknown> | undefined)[], recordCurrency: unknown, company: string): string {
  for (const r of rows) {
    const c = (r?.[f.apiName] as { currency?: unknown } | null | undefined)?.currency;
    if (typeof c === 'string' && c) return c;
  }
  return f.config.defaultCurrency || (typeof recordCurrency === 'string' && recordCurrency ? recordCurrency : company);
}

export interface AddressForm {
  region?: string[];
  detail?: string;
}

export function toFormValue(f: FieldMeta, v: unknown, objects: ObjectMeta[]): unknown {
  switch (f.type) {
    case 'money': {
      const m = v as { amount?: string; currency?: string } | null;
      return { amount: m?.amount ?? null, currency: m?.currency ?? f.config.defaultCurrency ?? companyCurrency() };
    }
    case 'percent': return v === null || v === undefined ? null : shiftDecimal(v, 2);
    case 'date': case 'datetime': return typeof v === 'string' && v ? dayjs(v) : null;
    case 'address': {
      const a = v as { province?: string; city?: string; district?: string; detail?: string } | null;
      return { region: a ? [a.province, a.city, a.district].filter(Boolean) : [], detail: a?.detail ?? '' };
    }
    case 'child_table': {
      const child = objects.find((o) => o.apiName === f.config.target);
      return Array.isArray(v) && child ? v.map((r: RecordData) => ({ ...toFormValues(child, objects, r), id: r.id })) : [];
    }
    case 'integer': case 'decimal': return v === null || v === undefined ? null : String(v);
    // Ids only here; the form drawer fills in names from /records/{object}/{id}/attachments.
    case 'attachment': return Array.isArray(v) ? v.map((id) => ({ id: String(id), name: String(id) })) : [];
    default: return v ?? null;
  }
}

export function toFormValues(obj: ObjectMeta, objects: ObjectMeta[], record: RecordData | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of userFields(obj)) {
    const v = record ? record[f.apiName] : literalDefault(f);
    out[f.apiName] = toFormValue(f, v, objects);
  }
  return out;
}

function literalDefault(f: FieldMeta): unknown {
  const d = f.defaultValue;
  if (d === null || d === undefined || (typeof d === 'object' && !Array.isArray(d) && 'formula' in (d as object))) return undefined;
  return d;
}

export function fromFormValue(f: FieldMeta, v: unknown, objects: ObjectMeta[]): unknown {
  switch (f.type) {
    case 'money': {
      const m = v as { amount?: string | null; currency?: string } | null;
      return m && m.amount !== null && m.amount !== undefined && m.amount !== '' ? { amount: String(m.amount), currency: m.currency || companyCurrency() } : null;
    }
    case 'percent': return v === null || v === undefined || v === '' ? null : shiftDecimal(v, -2);
    case 'date': return v ? (v as Dayjs).format('YYYY-MM-DD') : null;
    case 'datetime': return v ? (v as Dayjs).toISOString() : null;
    case 'address': {
      const a = (v ?? {}) as AddressForm;
      const [province, city, district] = a.region ?? [];
      if (!province && !a.detail) return null;
      return { province, city, district, detail: a.detail || undefined };
    }
    case 'child_table': {
      const child = objects.find((o) => o.apiName === f.config.target);
      if (!child || !Array.isArray(v)) return [];
      return v.map((row: Record<string, unknown>) => {
        const out: Record<string, unknown> = row.id ? { id: row.id } : {};
        for (const cf of editableFields(child)) {
          const x = fromFormValue(cf, row[cf.apiName], objects);
          if (x !== null && x !== undefined) out[cf.apiName] = x;
        }
        return out;
      });
    }
    case 'multi_select': return Array.isArray(v) && v.length ? v : null;
    case 'attachment': return Array.isArray(v) ? v.map((x: { id?: string }) => x.id).filter(Boolean) : [];
    case 'boolean': return v === undefined ? null : Boolean(v);
    case 'integer': case 'decimal': return v === null || v === undefined || v === '' ? null : String(v);
    default: return v === '' || v === undefined ? null : v;
  }
}

/**
 * The request body: on create every filled field; on update only the fields
 * that changed (so history shows what the person changed), plus `version`.
 */
export function fromFormValues(obj: ObjectMeta, objects: ObjectMeta[], values: Record<string, unknown>, original?: RecordData): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of editableFields(obj)) {
    if (f.type === 'image' || f.type === 'user' || f.type === 'department') continue;
    const v = fromFormValue(f, values[f.apiName], objects);
    if (!original) {
      if (v !== null && !(Array.isArray(v) && v.length === 0)) body[f.apiName] = v;
      continue;
    }
    const before = fromFormValue(f, toFormValue(f, original[f.apiName], objects), objects);
    if (JSON.stringify(v) !== JSON.stringify(before)) body[f.apiName] = v;
  }
  if (original) body.version = original.version;
  return body;
}

/** An error's `field` ("lines.2.qty", "price.currency") → the form item it belongs on. */
export function formPath(obj: ObjectMeta, field: string | undefined): (string | number)[] | null {
  if (!field) return null;
  const parts = field.split('.');
  const top = obj.fields.find((f) => f.apiName === parts[0]);
  if (!top) return null;
  if (top.type === 'child_table' && parts.length >= 3 && /^\d+$/.test(parts[1])) return [parts[0], Number(parts[1]), parts[2]];
  return [parts[0]];
}
