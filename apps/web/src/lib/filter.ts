import type { FieldMeta, FilterNode, ObjectMeta } from '../api/types.ts';
import { shiftDecimal } from './decimal.ts';

/**
 * The list filter bar's conditions and the JSON filter DSL they become
 * (packages/meta/src/filter): every condition ANDed, the quick search an OR of
 * `contains` over the object's search fields:
 *   {"and":[{"field":"name","op":"contains","value":"华"},{"field":"qty","op":"gte","value":"10"}]}
 */
export type Kind = 'text' | 'number' | 'date' | 'datetime' | 'select' | 'uuid' | 'boolean' | 'multi' | 'none';
export type UiOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin' | 'contains' | 'notContains' | 'startsWith' | 'endsWith' | 'between' | 'isNull' | 'notNull' | 'hasAny' | 'hasAll';

export interface Condition {
  field: string;
  op: UiOp;
  value?: unknown;
}

/** Mirrors compile-filter.ts `kindOf`: which operators and which value widget a field gets. */
export function kindOf(f: FieldMeta): Kind {
  switch (f.type) {
    case 'integer': case 'decimal': case 'money': case 'percent': case 'rollup': return 'number';
    case 'date': return 'date';
    case 'datetime': return 'datetime';
    case 'boolean': return 'boolean';
    case 'single_select': return 'select';
    case 'multi_select': return 'multi';
    case 'link': case 'user': case 'department': return 'uuid';
    case 'attachment': case 'address': case 'child_table': case 'image': case 'lookup': return 'none';
    case 'formula': {
      const t = f.config.resultType;
      return t === 'number' ? 'number' : t === 'date' ? 'date' : t === 'datetime' ? 'datetime' : t === 'boolean' ? 'boolean' : 'text';
    }
    default: return 'text';
  }
}

export const OPS: Record<Kind, UiOp[]> = {
  text: ['contains', 'eq', 'ne', 'startsWith', 'endsWith', 'notContains', 'isNull', 'notNull'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'isNull', 'notNull'],
  date: ['between', 'eq', 'gte', 'lte', 'isNull', 'notNull'],
  datetime: ['between', 'gte', 'lte', 'isNull', 'notNull'],
  select: ['in', 'nin', 'isNull', 'notNull'],
  uuid: ['eq', 'ne', 'isNull', 'notNull'],
  boolean: ['eq'],
  multi: ['hasAny', 'hasAll', 'isNull', 'notNull'],
  none: ['isNull', 'notNull'],
};

export const takesValue = (op: UiOp) => op !== 'isNull' && op !== 'notNull';

/** Fields that can be filtered on (stored, readable, not child tables or virtual formulas). */
export function filterableFields(obj: ObjectMeta): FieldMeta[] {
  return obj.fields.filter((f) => !f.archived && f.type !== 'child_table' && f.type !== 'lookup' && !(f.type === 'formula' && f.config.stored === false) && f.apiName !== 'id' && f.apiName !== 'version');
}

function hasValue(c: Condition): boolean {
  if (!takesValue(c.op)) return true;
  if (c.value === undefined || c.value === null || c.value === '') return false;
  if (Array.isArray(c.value)) return c.value.length > 0 && c.value.every((x) => x !== undefined && x !== null && x !== '');
  return true;
}

export function conditionNode(c: Condition, f: FieldMeta | undefined): FilterNode {
  if (c.op === 'isNull' || c.op === 'notNull') return { field: c.field, op: 'isNull', value: c.op === 'isNull' };
  // A percent is stored as a fraction; people type points (13 → 0.13).
  const v = f?.type === 'percent' ? (Array.isArray(c.value) ? c.value.map((x) => shiftDecimal(x, -2)) : shiftDecimal(c.value, -2)) : c.value;
  return { field: c.field, op: c.op, value: v };
}

const UI_OPS = new Set<string>(Object.values(OPS).flat());

/**
 * The filter bar's conditions a filter is (the inverse of buildFilter without a quick search): one condition
 * or an `and` of them, each with an operator the bar offers. Null for anything else (an `or`, a `not`):
 * the bar cannot show it.
 */
export function conditionsOf(obj: ObjectMeta, node: FilterNode | null | undefined): Condition[] | null {
  if (!node) return [];
  const leaves = 'and' in node ? node.and : [node];
  const out: Condition[] = [];
  for (const n of leaves) {
    if (!('field' in n) || typeof n.field !== 'string') return null;
    if (n.op === 'isNull') { out.push({ field: n.field, op: n.value === false ? 'notNull' : 'isNull' }); continue; }
    if (!UI_OPS.has(n.op)) return null;
    const f = obj.fields.find((x) => x.apiName === n.field);
    const v = f?.type === 'percent' ? (Array.isArray(n.value) ? n.value.map((x) => shiftDecimal(x, 2)) : shiftDecimal(n.value, 2)) : n.value;
    out.push({ field: n.field, op: n.op as UiOp, value: v });
  }
  return out;
}

export function buildFilter(obj: ObjectMeta, conditions: Condition[], quick: string): FilterNode | null {
  const parts: FilterNode[] = conditions.filter(hasValue).map((c) => conditionNode(c, obj.fields.find((f) => f.apiName === c.field)));
  const q = quick.trim();
  if (q) {
    const fields = quickSearchFields(obj);
    if (fields.length) parts.push({ or: fields.map((f) => ({ field: f.apiName, op: 'contains', value: q })) });
  }
  if (!parts.length) return null;
  return parts.length === 1 ? parts[0] : { and: parts };
}

/** What the quick search box looks in: the object's search fields that are text. */
export function quickSearchFields(obj: ObjectMeta): FieldMeta[] {
  const names = obj.searchFields?.length ? obj.searchFields : [obj.titleField];
  return names.map((n) => obj.fields.find((f) => f.apiName === n)).filter((f): f is FieldMeta => !!f && kindOf(f) === 'text');
}
