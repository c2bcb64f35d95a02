/**
 * The JSON filter DSL — what API users write in `GET /api/v1/records/{object}?filter=<json>`,
 * and what saved views, permission record scopes, reports and rules store.
 *
 * Canonical form: a tree of groups and conditions.
 *
 *   { "and": [ { "field": "customer.region", "op": "eq", "value": "华南" },
 *              { "or": [ { "field": "amount", "op": "gte", "value": "1000.00" },
 *                        { "not": { "field": "stage", "op": "in", "value": ["lost", "draft"] } } ] } ] }
 *
 * Shorthand, normalised to the same tree: an object keyed by field paths
 * (implicit AND; a bare value means eq; null means isNull; an object of
 * operators puts several conditions on one field):
 *
 *   { "status": "open", "amount": { "gte": 100, "lt": 500 }, "closed_at": null }
 *
 * Operators, by field type:
 *   numbers (integer, decimal, money, percent, rollup)  eq ne gt gte lt lte in nin between isNull
 *   date, datetime                                       eq ne gt gte lt lte between isNull (date also in nin)
 *   text-like (text, email, phone, url, auto_number, …)  eq ne gt gte lt lte in nin contains notContains startsWith endsWith isNull
 *   single_select                                        eq ne in nin isNull   (values must be options)
 *   link, user, department, image                        eq ne in nin isNull   (values are UUIDs)
 *   boolean                                              eq ne isNull
 *   multi_select                                         hasAny hasAll isNull
 *   attachment, address                                  isNull
 *
 * Values: numbers as JSON numbers or decimal strings ("1234.50"); dates as
 * "YYYY-MM-DD"; date-times as ISO 8601 ("2026-11-24T09:30:00+08:00"; without an
 * offset, the tenant's time zone). in/nin/hasAny/hasAll take a list (≤ 1,000
 * items), between takes [from, to] (inclusive), isNull takes true or false.
 * ne and notContains also match empty (NULL) values.
 *
 * Relative dates (date and datetime fields), as a string or an object, mean a
 * range of days in the tenant's time zone: eq → within it, gt → after it, …
 *   { "field": "close_date", "op": "eq", "value": "this_month" }
 *   { "field": "created_at", "op": "between", "value": [{ "relative": "last_month" }, "today"] }
 * A plain date on a datetime field means that whole day the same way.
 *
 * Variables, taken from who is asking:
 *   { "field": "owner_id", "op": "eq", "value": { "var": "$user" } }
 *   { "field": "department_id", "op": "in", "value": { "var": "$departmentTree" } }   // own department and below
 * ($user, $department, $departmentTree, $company, $today). A variable with no
 * value (a user in no department) matches nothing.
 *
 * Limits: nesting ≤ 10 levels, ≤ 200 conditions, strings ≤ 1,000 characters.
 */
export const OPERATORS = [
  'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'notContains', 'startsWith', 'endsWith',
  'between', 'isNull', 'hasAny', 'hasAll',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const VARIABLES = ['$user', '$department', '$departmentTree', '$company', '$today'] as const;
export type Variable = (typeof VARIABLES)[number];

/** One condition. `value` stays `unknown`: the compiler checks it against the field's type. */
export interface FilterCondition {
  field: string;
  op: Operator;
  value: unknown;
}

export type FilterNode = { and: FilterNode[] } | { or: FilterNode[] } | { not: FilterNode } | FilterCondition;

export const FILTER_LIMITS = {
  depth: 10,
  conditions: 200,
  /** Groups and conditions together: keeps `{"and":[{},{},…]}` from slipping past `conditions`. */
  nodes: 1000,
  listItems: 1000,
  stringLength: 1000,
  jsonLength: 100_000,
} as const;

export function isOperator(op: unknown): op is Operator {
  return typeof op === 'string' && (OPERATORS as readonly string[]).includes(op);
}
