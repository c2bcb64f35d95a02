import { AppError } from '@mosaic/kernel';
import { isOperator, OPERATORS } from './filter.types.ts';
import { fieldPathOrThrow, filterInvalid, isPlainObject, isValueObject, show } from './filter-shape.ts';

/** A condition in canonical form whose value is not checked yet. */
export type RawCondition = { field: string; op: string; value: unknown };

/**
 * The shorthand form → canonical conditions, in key order:
 *
 *   { "status": "open", "amount": { "gte": 100, "lt": 500 }, "closed_at": null }
 *   → [ { field: "status", op: "eq", value: "open" },
 *       { field: "amount", op: "gte", value: 100 }, { field: "amount", op: "lt", value: 500 },
 *       { field: "closed_at", op: "isNull", value: true } ]
 *
 * A value object ({ "relative": … } / { "var": … }) is a bare value, so
 * `{ "owner_id": { "var": "$user" } }` means eq.
 */
export function expandShorthand(obj: Record<string, unknown>): RawCondition[] {
  const out: RawCondition[] = [];
  for (const [key, value] of Object.entries(obj)) {
    const field = fieldPathOrThrow(key);
    if (value === null) {
      out.push({ field, op: 'isNull', value: true });
    } else if (isPlainObject(value) && !isValueObject(value)) {
      const ops = Object.entries(value);
      if (!ops.length) throw filterInvalid('an empty operator object; write e.g. { "gte": 100 }', field);
      for (const [op, v] of ops) {
        if (!isOperator(op)) throw operatorUnknown(field, op);
        out.push({ field, op, value: v });
      }
    } else {
      out.push({ field, op: 'eq', value });
    }
  }
  return out;
}

export function operatorUnknown(field: string, op: unknown): AppError {
  return new AppError('OPERATOR_UNKNOWN', `filter: ${field}: unknown operator ${show(op)}; use one of ${OPERATORS.join(', ')}`, { field });
}
