import { AppError } from '@mosaic/kernel';
import type { FieldMeta, ObjectMeta, ResolvedPath } from './meta.types.ts';
import { fieldOf } from './meta.store.ts';
import { scalarOf } from './field-types/index.ts';
import type { FormulaTypeEnv } from './query-scope.ts';
import { SYSTEM_OBJECTS } from './system-objects.ts';

export const MAX_PATH_DEPTH = 4;

/** `<money field>.currency`: the currency a money value is in. */
const CURRENCY_PART = 'currency';

/**
 * The currency of a money field as a field of its own (its `<column>_ccy` column, read-only
 * text): `amount.currency` filters, sorts, groups a report and drills like any text field —
 * a report can split a sum by currency instead of adding yuan to dollars. It keeps the money
 * field's id and apiName, so whoever may not read the amount may not read its currency either.
 */
export function moneyCurrencyField(money: FieldMeta): FieldMeta {
  const en = money.label.en ?? money.label.zh;
  return {
    ...money, type: 'text', columnName: `${money.columnName}_ccy`, label: { zh: `${money.label.zh}币种`, en: `${en} currency` },
    required: false, unique: false, indexed: false, defaultValue: null, config: {}, readOnly: true,
  };
}

/**
 * Walks a dotted path (`customer.region`, `customer.owner_id.name`,
 * `lines.amount`) through link, user, department and child-table fields; a
 * money field's currency is `amount.currency` (moneyCurrencyField).
 * Throws FIELD_UNKNOWN naming the path for anything that does not resolve.
 */
export function resolvePath(objects: Map<string, ObjectMeta>, root: ObjectMeta, path: string): ResolvedPath & { many: boolean } {
  if (typeof path !== 'string' || path.length === 0 || path.length > 200) throw unknown(String(path).slice(0, 200), root);
  const parts = path.split('.');
  if (parts.length > MAX_PATH_DEPTH + 1) throw new AppError('FIELD_UNKNOWN', `${path}: paths may go through at most ${MAX_PATH_DEPTH} links`, { field: path });
  let obj = root;
  let many = false;
  const links: ResolvedPath['links'] = [];
  for (let i = 0; i < parts.length; i++) {
    const field = fieldOf(obj, parts[i]);
    if (!field) throw unknown(path, obj);
    if (i === parts.length - 1) return { path, links, field, object: obj, many };
    if (i === parts.length - 2 && parts[i + 1] === CURRENCY_PART && field.type === 'money' && field.columnName) {
      return { path, links, field: moneyCurrencyField(field), object: obj, many };
    }
    const target = linkTarget(objects, field);
    if (!target) throw new AppError('FIELD_UNKNOWN', `${path}: "${parts[i]}" is not a link, so "${parts[i + 1]}" cannot follow it`, { field: path });
    if (field.type === 'child_table') many = true;
    links.push({ field, target });
    obj = target;
  }
  throw unknown(path, root);
}

/**
 * The field whose value the value at `path` is: the field at the path, or for a lookup the field it reads
 * (through lookups of lookups, the hops columnSql reads it through); null through a child table (many values)
 * or past 4 lookups. A lookup's own type says nothing ("any"): what it can be summed, totalled or shown as is
 * the type of the field behind it.
 */
export function fieldBehind(objects: Map<string, ObjectMeta>, root: ObjectMeta, path: string, hops = 0): FieldMeta | null {
  const r = resolvePath(objects, root, path);
  if (r.many) return null;
  const lk = r.field.type === 'lookup' ? r.field.config.lookup : undefined;
  if (!lk) return r.field;
  return hops < 4 ? fieldBehind(objects, r.object, `${lk.link}.${lk.field}`, hops + 1) : null;
}

/**
 * The money field whose amount the value at `path` is: a money field, or the money field a lookup
 * reads (fieldBehind); null for anything else. Reads answer such a value with its
 * currency. A formula's result is a number, not money: `amount * 1.13` or `a + b` (two currencies?)
 * has no currency that can be known, so none is claimed for it.
 */
export function moneyBehind(objects: Map<string, ObjectMeta>, root: ObjectMeta, path: string): FieldMeta | null {
  const field = fieldBehind(objects, root, path);
  return field?.type === 'money' && field.columnName ? field : null;
}

/** The object a link-like field points at (links, users, departments, child tables). */
export function linkTarget(objects: Map<string, ObjectMeta>, field: FieldMeta): ObjectMeta | undefined {
  if (field.type === 'user') return SYSTEM_OBJECTS.user;
  if (field.type === 'department') return SYSTEM_OBJECTS.department;
  if (field.type !== 'link' && field.type !== 'child_table') return undefined;
  const target = field.config.target;
  if (!target) return undefined;
  if (target in SYSTEM_OBJECTS) return SYSTEM_OBJECTS[target as keyof typeof SYSTEM_OBJECTS];
  const obj = objects.get(target);
  return obj && !obj.archived ? obj : undefined;
}

function unknown(path: string, obj: ObjectMeta): AppError {
  return new AppError('FIELD_UNKNOWN', `${obj.apiName} has no field "${path}"`, { field: path });
}

/** The type environment formulas are checked against. */
export function formulaEnvFor(objects: Map<string, ObjectMeta>, root: ObjectMeta): FormulaTypeEnv {
  return {
    typeOf(path: string) {
      const r = resolvePath(objects, root, path);
      return { type: scalarOf(r.field), field: r.field, many: r.many };
    },
  };
}
