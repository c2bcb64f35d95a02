import { AppError } from '@mosaic/kernel';

/**
 * Small shared checks of the filter's JSON shape. A path is only ever checked
 * for syntax here; whether it names a field the user may read is the
 * QueryScope's call (FIELD_UNKNOWN / FIELD_FORBIDDEN).
 */
const PATH_RE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const MAX_PATH = 200;

/** A JSON object (not an array, a Date or another class instance). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** `{ "relative": "this_month" }` or `{ "var": "$user" }`: a value, not an operator object. */
export function isValueObject(v: unknown): v is { relative: unknown } | { var: unknown } {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'relative' || keys[0] === 'var');
}

export function isVarObject(v: unknown): v is { var: unknown } {
  return isValueObject(v) && 'var' in v;
}

export function isRelativeObject(v: unknown): v is { relative: unknown } {
  return isValueObject(v) && 'relative' in v;
}

/** The field path of a condition, or a FIELD_UNKNOWN naming what was given. */
export function fieldPathOrThrow(field: unknown): string {
  if (field === undefined) throw filterInvalid('a condition needs "field", the path of the field it tests');
  if (typeof field !== 'string') throw filterInvalid(`"field" must be a field path like "customer.region", not ${show(field)}`);
  if (field.length > MAX_PATH || !PATH_RE.test(field)) {
    throw new AppError('FIELD_UNKNOWN', `filter: ${show(field)} is not a field path (lower-case API names joined by ".")`, { field: field.slice(0, MAX_PATH) });
  }
  return field;
}

/** FILTER_INVALID (400): the filter's structure is wrong. Names the field path when there is one. */
export function filterInvalid(reason: string, field?: string): AppError {
  return new AppError('FILTER_INVALID', field ? `filter: ${field}: ${reason}` : `filter: ${reason}`, field ? { field } : {});
}

/** FIELD_INVALID (422): a value does not fit the field it is compared with. */
export function valueInvalid(field: string, reason: string): AppError {
  return new AppError('FIELD_INVALID', `filter: ${field}: ${reason}`, { field });
}

/** A user's value, quoted and cut short, for an error message. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v) : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
