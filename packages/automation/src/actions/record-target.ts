import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { fieldOf, type ObjectMeta } from '@mosaic/meta';
import type { ActionContext } from '../automation.types.ts';
import { ActionFailure, type ValidateCtx } from './registry.ts';

/** Which records an update acts on: the triggering record, the one a link points at, or those linking to it. */
export type Target = { link: string } | { related: { object: string; field: string } } | undefined;

export function targetObject(v: ValidateCtx, target: Target): ObjectMeta {
  if (!v.obj) throw bad(v, '', 'this rule has no record to update');
  if (!target) return v.obj;
  if ('link' in target) {
    const f = fieldOf(v.obj, target.link);
    if (!f || f.type !== 'link' || !f.config.target) throw bad(v, '.target.link', `${v.obj.apiName}.${target.link} is not a link field`);
    return v.objectOrThrow(f.config.target, `${v.at}.target.link`);
  }
  const other = v.objectOrThrow(target.related.object, `${v.at}.target.related.object`);
  const f = fieldOf(other, target.related.field);
  if (!f || f.type !== 'link' || f.config.target !== v.obj.apiName) throw bad(v, '.target.related.field', `${other.apiName}.${target.related.field} does not link to ${v.obj.apiName}`);
  return other;
}

/** The ids the target names, at most 500 related records (oldest first). */
export async function targetIds(ctx: ActionContext, obj: ObjectMeta, target: Target): Promise<string[]> {
  const rec = ctx.record;
  if (!rec) throw new ActionFailure('this rule has no record to update');
  if (!target) return [rec.id];
  if ('link' in target) {
    await rec.load([target.link], ctx.tx);
    const id = rec.values.get(target.link);
    return typeof id === 'string' ? [id] : [];
  }
  const col = fieldOf(obj, target.related.field)!.columnName!;
  const rows = await sql<{ id: string }>`SELECT id FROM ${sql.id(obj.tableName)} WHERE ${sql.id(col)} = ${rec.id} ORDER BY created_at, id LIMIT 500`.execute(ctx.tx);
  return rows.rows.map((r) => r.id);
}

function bad(v: ValidateCtx, field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${v.at}${field}: ${message}`, { field: `${v.at}${field}` });
}
