import { AppError } from '@mosaic/kernel';
import { pgCode } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';

const UNIQUE_RULES = new Map<string, { field: string; message: string }>();

/**
 * A module's own unique index over several columns (a rule such as "one active
 * template per company, kind and department"): its violation answers 409 naming
 * `field` with the rule's own words, instead of the generic "already has this value".
 */
export function registerUniqueRule(indexName: string, rule: { field: string; message: string }): void {
  UNIQUE_RULES.set(indexName, rule);
}

/**
 * PostgreSQL constraint errors → the caller's 4xx, naming the field. Anything
 * else is rethrown untouched (and becomes a logged 500: a bug).
 */
export function mapPgError(e: unknown, obj: ObjectMeta, op: 'write' | 'delete'): never {
  const code = pgCode(e);
  const pe = e as { constraint?: string; detail?: string; column?: string };
  const field = fieldFromConstraint(obj, pe.constraint ?? '');
  if (code === '23505') {
    const rule = UNIQUE_RULES.get(pe.constraint ?? '');
    if (rule) throw new AppError('FIELD_NOT_UNIQUE', `${rule.field}: ${rule.message}`, { field: rule.field, cause: e });
    throw new AppError('FIELD_NOT_UNIQUE', `${field ?? 'record'}: another record already has this value`, { field, cause: e });
  }
  if (code === '23503') {
    if (op === 'delete' || /is still referenced/.test(pe.detail ?? '')) throw new AppError('RECORD_LINKED', 'Other records link to this record; remove those links first.', { cause: e });
    throw new AppError('LINK_NOT_FOUND', `${field ?? 'link'}: the linked record does not exist`, { field, cause: e });
  }
  if (code === 'MS003') throw new AppError('PERIOD_CLOSED', `${(e as Error).message}.`, { cause: e });
  if (code === 'MS004') throw new AppError('VOUCHER_UNBALANCED', `${(e as Error).message}.`, { cause: e });
  if (code === 'MS002') throw new AppError('FORBIDDEN', `${(e as Error).message}.`, { cause: e });
  if (code === 'MS001') throw new AppError('DOCUMENT_IMMUTABLE', `${(e as Error).message}.`, { cause: e });
  if (code === '22003') throw new AppError('FIELD_INVALID', 'A number is out of range.', { cause: e });
  if (code === '23502') {
    const f = obj.fields.find((x) => x.columnName === pe.column);
    throw new AppError('FIELD_REQUIRED', `${f?.apiName ?? pe.column}: is required`, { field: f?.apiName, cause: e });
  }
  throw e;
}

function fieldFromConstraint(obj: ObjectMeta, constraint: string): string | undefined {
  const hit = obj.fields
    .filter((f) => f.columnName && constraint.includes(`_${f.columnName}_`))
    .sort((a, b) => b.columnName!.length - a.columnName!.length)[0];
  return hit?.apiName;
}

const GUARDS: Record<string, import('@mosaic/kernel').ErrorCode> = { MS001: 'DOCUMENT_IMMUTABLE', MS002: 'FORBIDDEN', MS003: 'PERIOD_CLOSED', MS004: 'VOUCHER_UNBALANCED' };

/** The database guards' own SQLSTATEs (MS001…) → the caller's AppError; anything else → null. */
export function appErrorFromDatabase(e: unknown): AppError | null {
  const code = pgCode(e);
  const mapped = code ? GUARDS[code] : undefined;
  return mapped ? new AppError(mapped, `${(e as Error).message}.`, { cause: e }) : null;
}
