import type sanitize from 'sanitize-html';
import { AppError, Decimal, isUuid, lazyRequire, parseDecimal } from '@mosaic/kernel';
import type { FieldMeta } from '../meta.types.ts';
import { regionName, regionParent } from './china-regions.ts';

/** Loaded with the first rich-text value, not at start-up (it brings postcss). */
const sanitizer = lazyRequire<typeof sanitize>('sanitize-html');

/**
 * API value → database value, one function per kind of field. Each throws
 * FIELD_INVALID naming the field (`field` is the API path, e.g. `lines.2.qty`)
 * and saying what is wrong in words a user understands.
 */
export type Coercer = (input: unknown, field: FieldMeta, path: string) => unknown;

export function invalid(path: string, reason: string): AppError {
  return new AppError('FIELD_INVALID', `${path}: ${reason}`, { field: path });
}

export const coerceText: Coercer = (input, field, path) => {
  if (typeof input === 'number' || typeof input === 'boolean') input = String(input);
  if (typeof input !== 'string') throw invalid(path, 'must be text');
  const max = field.config.maxLength ?? (field.type === 'text' ? 255 : 100_000);
  if ([...input].length > max) throw invalid(path, `is longer than ${max} characters`);
  if (field.config.regex && !safeRegex(field.config.regex).test(input)) throw invalid(path, 'does not match the required pattern');
  if (input.includes('\u0000')) throw invalid(path, 'contains a NUL character');
  return input;
};

export const coerceRichText: Coercer = (input, field, path) => {
  const html = coerceText(input, { ...field, config: { ...field.config, maxLength: field.config.maxLength ?? 1_000_000 } }, path) as string;
  const sanitizeHtml = sanitizer();
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.concat(['img', 'span', 'u', 's']),
    allowedAttributes: { a: ['href', 'title', 'target'], img: ['src', 'alt', 'width', 'height'], span: ['style'], '*': ['class'] },
    allowedSchemes: ['http', 'https', 'mailto', 'data'],
  });
};

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
export const coerceEmail: Coercer = (input, field, path) => {
  const s = (coerceText(input, field, path) as string).trim();
  if (!EMAIL_RE.test(s) || s.length > 254) throw invalid(path, 'is not an email address');
  return s;
};

// Chinese mobiles (1[3-9]x, 11 digits), landlines with area code, or international +xx.
const PHONE_RE = /^\+?[0-9][0-9 ()-]{5,19}$/;
export const coercePhone: Coercer = (input, field, path) => {
  const s = (coerceText(input, field, path) as string).trim();
  if (!PHONE_RE.test(s)) throw invalid(path, 'is not a phone number');
  return s;
};

export const coerceUrl: Coercer = (input, field, path) => {
  const s = (coerceText(input, field, path) as string).trim();
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw invalid(path, 'is not a URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalid(path, 'must be an http or https URL');
  return s;
};

export function coerceNumber(input: unknown, field: FieldMeta, path: string, opts: { integer?: boolean } = {}): string {
  const d = parseDecimal(input);
  if (!d) throw invalid(path, 'is not a number');
  if (opts.integer && !d.isInteger()) throw invalid(path, 'must be a whole number');
  checkBounds(d, field, path);
  if (opts.integer) {
    // JSON readers (the web app, most clients) hold numbers as doubles: a whole number past 2^53 would
    // come back as another number. The column (bigint) could hold it; the API could not return it intact.
    if (d.abs().gt(Number.MAX_SAFE_INTEGER)) throw invalid(path, `is too large (at most ${Number.MAX_SAFE_INTEGER})`);
    return d.toFixed(0);
  }
  const scale = field.config.scale ?? (field.type === 'money' ? 2 : field.type === 'percent' ? 4 : 6);
  const precision = field.config.precision ?? 20;
  const rounded = d.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP);
  if (rounded.abs().gte(limitOf(precision - scale))) throw invalid(path, 'is too large');
  return rounded.toFixed(scale);
}

// 10^(integer digits) per column shape, computed once: Decimal.pow per value was a third of
// the Node-side time of a 1,000-row bulk create (profiled with --cpu-prof under bench/records).
const LIMITS = new Map<number, Decimal>();
function limitOf(integerDigits: number): Decimal {
  let limit = LIMITS.get(integerDigits);
  if (!limit) LIMITS.set(integerDigits, (limit = new Decimal(10).pow(integerDigits)));
  return limit;
}

function checkBounds(d: Decimal, field: FieldMeta, path: string): void {
  const { min, max } = field.config;
  if (min !== undefined && d.lt(String(min))) throw invalid(path, `must be at least ${min}`);
  if (max !== undefined && d.gt(String(max))) throw invalid(path, `must be at most ${max}`);
}

export const coerceBoolean: Coercer = (input, _field, path) => {
  if (typeof input === 'boolean') return input;
  if (input === 'true' || input === 1 || input === '1' || input === '是') return true;
  if (input === 'false' || input === 0 || input === '0' || input === '否') return false;
  throw invalid(path, 'must be true or false');
};

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Month 1–12 and a day that month has (proleptic Gregorian, as JavaScript's Date): no Date per value. */
function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}
export const coerceDate: Coercer = (input, field, path) => {
  if (input instanceof Date) input = input.toISOString().slice(0, 10);
  if (typeof input !== 'string') throw invalid(path, 'must be a date (YYYY-MM-DD)');
  const s = input.trim().replace(/\//g, '-');
  const m = DATE_RE.exec(s);
  if (!m) throw invalid(path, 'must be a date (YYYY-MM-DD)');
  if (!isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw invalid(path, 'is not a real date');
  if (field.config.min !== undefined && s < String(field.config.min)) throw invalid(path, `must be on or after ${field.config.min}`);
  if (field.config.max !== undefined && s > String(field.config.max)) throw invalid(path, `must be on or before ${field.config.max}`);
  return s;
};

export const coerceDatetime: Coercer = (input, _field, path) => {
  if (typeof input !== 'string' && !(input instanceof Date)) throw invalid(path, 'must be a date-time (ISO 8601)');
  const s = typeof input === 'string' ? input.trim() : '';
  if (typeof input === 'string' && !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) {
    throw invalid(path, 'must be a date-time (ISO 8601)');
  }
  const d = input instanceof Date ? input : new Date(s);
  if (Number.isNaN(d.getTime())) throw invalid(path, 'is not a real date-time');
  return d.toISOString();
};

export const coerceSelect: Coercer = (input, field, path) => {
  if (typeof input !== 'string') throw invalid(path, 'must be one of the options');
  const options = field.config.options ?? [];
  const hit = options.find((o) => o.value === input) ?? options.find((o) => o.label.zh === input || o.label.en === input);
  if (!hit) throw invalid(path, `"${input.slice(0, 50)}" is not one of the options`);
  return hit.value;
};

export const coerceMultiSelect: Coercer = (input, field, path) => {
  const list = typeof input === 'string' ? input.split(/[,，;；]/).map((s) => s.trim()).filter(Boolean) : input;
  if (!Array.isArray(list)) throw invalid(path, 'must be a list of options');
  return [...new Set(list.map((v) => coerceSelect(v, field, path) as string))];
};

export const coerceUuid: Coercer = (input, _field, path) => {
  if (input && typeof input === 'object' && 'id' in input) input = (input as { id: unknown }).id;
  if (!isUuid(input)) throw invalid(path, 'must be the id (UUID) of a record');
  return (input as string).toLowerCase();
};

export interface AddressValue {
  province?: string;
  city?: string;
  district?: string;
  detail?: string;
  postcode?: string;
}

/** An address with 省/市/区 codes (GB/T 2260) that must exist and nest properly. */
export const coerceAddress: Coercer = (input, _field, path) => {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw invalid(path, 'must be an address object');
  const a = input as Record<string, unknown>;
  const out: AddressValue = {};
  for (const key of ['province', 'city', 'district', 'detail', 'postcode'] as const) {
    const v = a[key];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string' || v.length > 500) throw invalid(`${path}.${key}`, 'must be text');
    out[key] = v;
  }
  const extra = Object.keys(a).filter((k) => !['province', 'city', 'district', 'detail', 'postcode', 'province_name', 'city_name', 'district_name'].includes(k));
  if (extra.length) throw invalid(`${path}.${extra[0]}`, 'is not part of an address');
  const levels: [keyof AddressValue, keyof AddressValue | null][] = [['province', null], ['city', 'province'], ['district', 'city']];
  for (const [key, parentKey] of levels) {
    const code = out[key];
    if (!code) continue;
    if (!regionName(code)) throw invalid(`${path}.${key}`, `"${code}" is not a known region code`);
    if (parentKey && out[parentKey] && regionParent(code) !== out[parentKey]) {
      throw invalid(`${path}.${key}`, `"${code}" is not inside ${out[parentKey]}`);
    }
  }
  return out;
};

/** Regexes come from admins; refuse the shapes that backtrack catastrophically. */
function safeRegex(src: string): RegExp {
  if (src.length > 200 || /(\+|\*|\{\d+,?\d*\})\)?(\+|\*|\{)/.test(src)) return /^[\s\S]*$/;
  try {
    return new RegExp(src, 'u');
  } catch {
    return /^[\s\S]*$/;
  }
}
