/**
 * The JSON filter DSL, as API users write it:
 *
 *   { "and": [ { "field": "customer.region", "op": "eq", "value": "south" },
 *              { "or": [ { "field": "amount", "op": "gte", "value": 1000 },
 *                        { "not": { "field": "status", "op": "in", "value": ["draft"] } } ] } ] }
 *
 * Shorthand, normalised to the same tree: an object keyed by field paths —
 *   { "status": "open", "amount": { "gte": 100, "lt": 500 }, "closed_at": null }
 * (implicit AND; a bare value means eq; null means isNull).
 *
 * Values may be relative dates, { "relative": "this_month" } (also "last_30_days", …),
 * or context variables, { "var": "$user" } ($user, $department, $departmentTree, $company, $today).
 */
export const OPERATORS = [
  'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'notContains', 'startsWith', 'endsWith',
  'between', 'isNull', 'hasAny', 'hasAll',
] as const;
export type Operator = (typeof OPERATORS)[number];

export type FilterNode =
  | { and: FilterNode[] }
  | { or: FilterNode[] }
  | { not: FilterNode }
  | { field: string; op: Operator; value: unknown };

export const FILTER_LIMITS = { depth: 10, conditions: 200, listItems: 1000, stringLength: 1000 };
