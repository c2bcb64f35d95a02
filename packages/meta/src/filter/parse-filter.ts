import { AppError } from '@mosaic/kernel';
import { FILTER_LIMITS, OPERATORS, type FilterNode, type Operator } from './filter.types.ts';

/** Checks the shape of a filter (already parsed JSON) and normalises shorthand to the canonical tree. */
export function parseFilter(input: unknown): FilterNode {
  const state = { conditions: 0 };
  return parseNode(input, 0, state);
}

/** The `filter` query parameter: JSON text → tree; bad JSON is a 400 naming the parameter. */
export function parseFilterJson(text: string): FilterNode {
  if (text.length > 100_000) throw new AppError('FILTER_INVALID', 'filter: longer than 100,000 characters', { field: 'filter' });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('FILTER_INVALID', 'filter: is not valid JSON', { field: 'filter' });
  }
  return parseFilter(json);
}

function parseNode(input: unknown, depth: number, state: { conditions: number }): FilterNode {
  if (depth > FILTER_LIMITS.depth) throw bad(`nests deeper than ${FILTER_LIMITS.depth} levels`);
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw bad('each condition must be a JSON object');
  const obj = input as Record<string, unknown>;
  const keys = Object.keys(obj);
  if ('and' in obj || 'or' in obj) {
    const key = 'and' in obj ? 'and' : 'or';
    if (keys.length !== 1) throw bad(`"${key}" must stand alone in its object`);
    const list = obj[key];
    if (!Array.isArray(list)) throw bad(`"${key}" takes a list of conditions`);
    const children = list.map((c) => parseNode(c, depth + 1, state));
    return key === 'and' ? { and: children } : { or: children };
  }
  if ('not' in obj) {
    if (keys.length !== 1) throw bad('"not" must stand alone in its object');
    return { not: parseNode(obj.not, depth + 1, state) };
  }
  if ('field' in obj || 'op' in obj) return parseCondition(obj, state);
  // Shorthand: { "<path>": value | { "<op>": value, … }, … }
  if (!keys.length) return { and: [] };
  const parts: FilterNode[] = [];
  for (const path of keys) {
    const v = obj[path];
    if (v && typeof v === 'object' && !Array.isArray(v) && !isValueObject(v)) {
      const ops = Object.entries(v as Record<string, unknown>);
      if (!ops.length) throw bad(`${path}: an empty operator object`, path);
      for (const [op, value] of ops) parts.push(parseCondition({ field: path, op, value }, state));
    } else {
      parts.push(parseCondition({ field: path, op: v === null ? 'isNull' : 'eq', value: v === null ? true : v }, state));
    }
  }
  return parts.length === 1 ? parts[0] : { and: parts };
}

function parseCondition(obj: Record<string, unknown>, state: { conditions: number }): FilterNode {
  const extra = Object.keys(obj).filter((k) => k !== 'field' && k !== 'op' && k !== 'value');
  if (extra.length) throw bad(`unknown key "${extra[0].slice(0, 50)}" in a condition`);
  const { field, op, value } = obj;
  if (typeof field !== 'string' || !/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/.test(field) || field.length > 200) {
    throw new AppError('FIELD_UNKNOWN', `filter: "${String(field).slice(0, 80)}" is not a field path`, { field: typeof field === 'string' ? field.slice(0, 200) : 'filter' });
  }
  if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) {
    throw new AppError('OPERATOR_UNKNOWN', `${field}: unknown operator "${String(op).slice(0, 30)}"; use one of ${OPERATORS.join(', ')}`, { field });
  }
  if (++state.conditions > FILTER_LIMITS.conditions) throw bad(`more than ${FILTER_LIMITS.conditions} conditions`);
  checkValueSize(value, field);
  return { field, op: op as Operator, value };
}

function checkValueSize(value: unknown, field: string): void {
  if (typeof value === 'string' && value.length > FILTER_LIMITS.stringLength) throw new AppError('FIELD_INVALID', `${field}: a value is longer than ${FILTER_LIMITS.stringLength} characters`, { field });
  if (Array.isArray(value)) {
    if (value.length > FILTER_LIMITS.listItems) throw new AppError('FIELD_INVALID', `${field}: more than ${FILTER_LIMITS.listItems} values`, { field });
    for (const v of value) if (typeof v === 'string' && v.length > FILTER_LIMITS.stringLength) throw new AppError('FIELD_INVALID', `${field}: a value is too long`, { field });
  }
}

export function isValueObject(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'relative' || keys[0] === 'var');
}

function bad(reason: string, field?: string): AppError {
  return new AppError('FILTER_INVALID', `filter: ${reason}`, { field: field ?? 'filter' });
}
