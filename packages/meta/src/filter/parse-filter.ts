import { FILTER_LIMITS, isOperator, type FilterCondition, type FilterNode } from './filter.types.ts';
import { fieldPathOrThrow, filterInvalid, isPlainObject, isValueObject, show, valueInvalid } from './filter-shape.ts';
import { expandShorthand, operatorUnknown } from './normalise-filter.ts';

/**
 * Checks a filter's shape (already-parsed JSON) and returns the canonical tree,
 * shorthand expanded. Pure: it knows no fields — whether a path exists, and
 * whether a value fits its field, is decided when compiling against a scope.
 *
 *   parseFilter({ status: 'open', amount: { gte: 100 } })
 *   → { and: [ { field: 'status', op: 'eq', value: 'open' }, { field: 'amount', op: 'gte', value: 100 } ] }
 */
export function parseFilter(input: unknown): FilterNode {
  return parseNode(input, 1, { conditions: 0, nodes: 0 });
}

/** The `filter` query parameter: JSON text → canonical tree; bad JSON is FILTER_INVALID. */
export function parseFilterJson(text: string): FilterNode {
  if (typeof text !== 'string') throw filterInvalid('must be JSON text');
  if (text.length > FILTER_LIMITS.jsonLength) throw filterInvalid(`is longer than ${FILTER_LIMITS.jsonLength.toLocaleString('en')} characters`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw filterInvalid('is not valid JSON');
  }
  return parseFilter(json);
}

interface Budget {
  conditions: number;
  nodes: number;
}

function parseNode(input: unknown, depth: number, budget: Budget): FilterNode {
  if (depth > FILTER_LIMITS.depth) throw filterInvalid(`nests deeper than ${FILTER_LIMITS.depth} levels`);
  if (!isPlainObject(input)) throw filterInvalid(`each node must be a JSON object like {"field":"name","op":"eq","value":"x"}, not ${show(input)}`);
  if (++budget.nodes > FILTER_LIMITS.nodes) throw filterInvalid(`has more than ${FILTER_LIMITS.nodes} groups and conditions`);
  const keys = Object.keys(input);
  const group = keys.find((k) => k === 'and' || k === 'or' || k === 'not');
  if (group) {
    const other = keys.find((k) => k !== group);
    if (other !== undefined) throw filterInvalid(`"${group}" must stand alone in its object; found also ${show(other)}`);
    const inner = input[group];
    if (group === 'not') return { not: parseNode(inner, depth + 1, budget) };
    if (!Array.isArray(inner)) throw filterInvalid(`"${group}" takes a list of conditions, not ${show(inner)}`);
    const children = inner.map((child) => parseNode(child, depth + 1, budget));
    return group === 'and' ? { and: children } : { or: children };
  }
  if (keys.includes('field') || keys.includes('op') || keys.includes('value')) return parseCondition(input, budget);
  const conditions = expandShorthand(input).map((c) => parseCondition(c, budget));
  return conditions.length === 1 ? conditions[0] : { and: conditions };
}

function parseCondition(obj: Record<string, unknown>, budget: Budget): FilterCondition {
  const field = fieldPathOrThrow(obj.field);
  const extra = Object.keys(obj).find((k) => k !== 'field' && k !== 'op' && k !== 'value');
  if (extra !== undefined) throw filterInvalid(`unknown key ${show(extra)} in a condition (use field, op, value)`, field);
  const { op } = obj;
  if (op === undefined) throw filterInvalid('the condition needs "op"', field);
  if (!isOperator(op)) throw operatorUnknown(field, op);
  if (++budget.conditions > FILTER_LIMITS.conditions) throw filterInvalid(`has more than ${FILTER_LIMITS.conditions} conditions`);
  if (obj.value === undefined) {
    // `{ "field": "x", "op": "isNull" }` reads naturally; every other operator needs its value.
    if (op === 'isNull') return { field, op, value: true };
    throw filterInvalid(`${op} needs a "value"`, field);
  }
  checkValueShape(obj.value, field);
  return { field, op, value: obj.value };
}

/** JSON scalars, value objects, or a flat list of them — within the size limits. */
function checkValueShape(value: unknown, field: string): void {
  if (Array.isArray(value)) {
    if (value.length > FILTER_LIMITS.listItems) throw filterInvalid(`a list may hold at most ${FILTER_LIMITS.listItems} values`, field);
    for (const item of value) {
      if (Array.isArray(item)) throw filterInvalid('lists cannot be nested', field);
      checkItem(item, field);
    }
    return;
  }
  checkItem(value, field);
}

function checkItem(item: unknown, field: string): void {
  if (item === null || typeof item === 'boolean') return;
  if (typeof item === 'number') {
    if (!Number.isFinite(item)) throw valueInvalid(field, `${show(item)} is not a finite number`);
    return;
  }
  if (typeof item === 'string') return checkString(item, field);
  if (isValueObject(item)) {
    const inner = 'var' in item ? item.var : item.relative;
    if (typeof inner !== 'string') throw filterInvalid(`${show(item)} must name a ${'var' in item ? 'variable' : 'relative date'} as a string`, field);
    return checkString(inner, field);
  }
  throw filterInvalid(`${show(item)} is not a value; use text, a number, true/false, null, a list, {"relative": …} or {"var": …}`, field);
}

function checkString(s: string, field: string): void {
  if (s.length > FILTER_LIMITS.stringLength) throw filterInvalid(`a value is longer than ${FILTER_LIMITS.stringLength} characters`, field);
}
