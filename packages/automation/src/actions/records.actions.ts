import { sql } from 'kysely';
import { z } from 'zod';
import { createRecords, updateRecords } from '@mosaic/records';
import type { ActionContext } from '../automation.types.ts';
import { ZValues } from '../rules/rule.schema.ts';
import { resolveValues } from '../engine/values.ts';
import { registerAction } from './registry.ts';
import { targetIds, targetObject } from './record-target.ts';

/**
 * update_record: set fields of the triggering record, of the record a link
 * points at ({ "link": "customer" }), or of the records linking to it
 * ({ "related": { "object": "contact", "field": "account" } }). Values are
 * literals, formulas over the triggering record, or templates.
 *
 *   { "type": "update_record", "values": { "stage": "qualified", "score": { "formula": "score + 10" } } }
 */
export const ZUpdateRecord = z.object({
  type: z.literal('update_record'),
  target: z.union([z.object({ link: z.string().min(1).max(63) }).strict(), z.object({ related: z.object({ object: z.string().min(1).max(63), field: z.string().min(1).max(63) }).strict() }).strict()]).optional(),
  values: ZValues,
}).strict();

/** create_record: a new record of any object, fields mapped from the trigger (web-to-lead, follow-ups). */
export const ZCreateRecord = z.object({
  type: z.literal('create_record'),
  object: z.string().min(1).max(63),
  values: ZValues,
}).strict();

registerAction('update_record', {
  schema: ZUpdateRecord,
  mode: 'tx',
  validate(a, v) {
    v.checkValues(targetObject(v, a.target), a.values, `${v.at}.values`);
  },
  async run(ctx, a) {
    const obj = a.target && !('link' in a.target) ? ctx.objects.get(a.target.related.object)! : a.target ? linkTargetOf(ctx, a.target.link) : ctx.record!.object;
    const values = await resolveValues(ctx, a.values);
    const ids = await targetIds(ctx, obj, a.target);
    for (const id of ids) {
      const version = (await sql<{ version: number }>`SELECT version FROM ${sql.id(obj.tableName)} WHERE id = ${id} FOR UPDATE`.execute(ctx.tx)).rows[0]?.version;
      if (version === undefined) continue;
      await updateRecords(ctx.rctx, obj.apiName, [{ id, version, values }], { tx: ctx.tx });
    }
    return { object: obj.apiName, updated: ids.length, ids: ids.slice(0, 20), values };
  },
});

registerAction('create_record', {
  schema: ZCreateRecord,
  mode: 'tx',
  validate(a, v) {
    v.checkValues(v.objectOrThrow(a.object, `${v.at}.object`), a.values, `${v.at}.values`);
  },
  async run(ctx, a) {
    const values = await resolveValues(ctx, a.values);
    const [{ id }] = await createRecords(ctx.rctx, a.object, [values], { tx: ctx.tx });
    return { object: a.object, id };
  },
});

function linkTargetOf(ctx: ActionContext, link: string) {
  const f = ctx.record!.object.fields.find((x) => x.apiName === link);
  return ctx.objects.get(f!.config.target!)!;
}
