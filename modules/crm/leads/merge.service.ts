import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, parseOrThrow } from '@mosaic/kernel';
import { logChanges, lockRow, type RecordsCtx, type Change } from '@mosaic/records';
import { txOf } from '../shared/system-ctx.ts';

export const ZMerge = z.object({
  survivor: z.uuid(),
  duplicates: z.array(z.uuid()).min(1).max(50),
}).strict();

/** Text references (object, id) the CRM and the rules engine keep besides link fields. */
const TEXT_REFS: { object: string; objectField: string; idField: string }[] = [
  { object: 'task', objectField: 'related_object', idField: 'related_id' },
  { object: 'pool_move', objectField: 'target_object', idField: 'target_id' },
  { object: 'campaign_message', objectField: 'target_object', idField: 'target_id' },
];

/**
 * Merges duplicate leads or customers into one (合并): every record linking to
 * a duplicate — contacts, activities, opportunities, quotes, tickets, orders,
 * through any link field of any object, admins' own included — and the text
 * references of tasks, pool moves and campaign emails are moved to the
 * survivor; the survivor gains the phone and email it lacked; the duplicates
 * stay, marked merged_into, so their history (audit log, record history) is
 * kept and old links resolve. Submitted documents are immutable, so they keep
 * naming the merged-away record; the 360° view follows merged_into to them. The caller needs edit rights on all of them.
 */
export async function mergeRecords(ctx: RecordsCtx, object: string, body: unknown): Promise<{ survivor: string; merged: string[]; moved: Record<string, number> }> {
  if (object !== 'lead' && object !== 'customer') throw new AppError('NOT_FOUND', 'Only leads and customers can be merged.');
  const input = parseOrThrow(ZMerge, body);
  if (input.duplicates.includes(input.survivor)) throw new AppError('FIELD_INVALID', 'duplicates: must not contain the survivor', { field: 'duplicates' });
  const tenantId = ctx.guard.actor.tenantId;
  const objects = await ctx.store.objects(tenantId);
  const obj = objects.get(object)!;
  const col = (f: string) => obj.fields.find((x) => x.apiName === f)!.columnName!;
  return txOf(ctx, async (tx) => {
    const survivor = await lockRow(ctx, tx, objects, obj, input.survivor, 'edit');
    const dups = [];
    for (const [i, id] of input.duplicates.entries()) {
      try {
        dups.push(await lockRow(ctx, tx, objects, obj, id, 'edit'));
      } catch (e) {
        if (e instanceof AppError && e.code === 'RECORD_NOT_FOUND') throw new AppError('RECORD_NOT_FOUND', `duplicates.${i}: no ${object} ${id} you may edit`, { field: `duplicates.${i}` });
        throw e;
      }
    }
    if (survivor[col('merged_into')] || dups.some((d) => d[col('merged_into')])) throw new AppError('CONFLICT', 'A record that was merged away cannot take part in another merge.');
    const changes: Change[] = [];
    const moved: Record<string, number> = {};
    for (const other of objects.values()) {
      for (const f of other.fields) {
        if (f.type !== 'link' || f.system || f.config.target !== object || !f.columnName || (other.apiName === object && f.apiName === 'merged_into')) continue;
        const r = await sql<{ id: string }>`UPDATE ${sql.id(other.tableName)} SET ${sql.id(f.columnName)} = ${input.survivor}, version = version + 1, updated_at = now()
          WHERE ${sql.id(f.columnName)} = ANY(${input.duplicates}::uuid[]) ${other.isDocument ? sql`AND status = 'draft'` : sql``} RETURNING id`.execute(tx);
        if (!r.rows.length) continue;
        moved[`${other.apiName}.${f.apiName}`] = r.rows.length;
        for (const row of r.rows) changes.push({ object: other.apiName, recordId: row.id, op: 'update', changes: { [f.apiName]: ['(merged)', input.survivor] } });
      }
    }
    for (const ref of TEXT_REFS) {
      const o = objects.get(ref.object);
      if (!o) continue;
      const oc = (f: string) => o.fields.find((x) => x.apiName === f)!.columnName!;
      const r = await sql`UPDATE ${sql.id(o.tableName)} SET ${sql.id(oc(ref.idField))} = ${input.survivor}
        WHERE ${sql.id(oc(ref.objectField))} = ${object} AND ${sql.id(oc(ref.idField))} = ANY(${input.duplicates}::text[])`.execute(tx);
      if (Number(r.numAffectedRows ?? 0)) moved[`${ref.object}.${ref.idField}`] = Number(r.numAffectedRows);
    }
    // The survivor keeps its own values and gains the contact details it lacked.
    const fill: Record<string, unknown> = {};
    for (const f of ['phone', 'email', 'industry']) {
      if (survivor[col(f)] == null) fill[f] = dups.find((d) => d[col(f)] != null)?.[col(f)] ?? null;
    }
    const fills = Object.entries(fill).filter(([, v]) => v != null);
    if (fills.length) {
      await sql`UPDATE ${sql.id(obj.tableName)} SET ${sql.join(fills.map(([k, v]) => sql`${sql.id(col(k))} = ${v}`))}, version = version + 1, updated_at = now() WHERE id = ${input.survivor}`.execute(tx);
      changes.push({ object, recordId: input.survivor, op: 'update', changes: Object.fromEntries(fills.map(([k, v]) => [k, [null, v]])) });
    }
    await sql`UPDATE ${sql.id(obj.tableName)} SET ${sql.id(col('merged_into'))} = ${input.survivor}, ${sql.id(col('in_pool'))} = false, version = version + 1, updated_at = now()
      WHERE id = ANY(${input.duplicates}::uuid[])`.execute(tx);
    for (const id of input.duplicates) changes.push({ object, recordId: id, op: 'merge', changes: { merged_into: [null, input.survivor] } });
    changes.push({ object, recordId: input.survivor, op: 'merge', changes: { merged_from: [null, input.duplicates] } });
    await logChanges(tx, ctx.guard.actor, changes);
    return { survivor: input.survivor, merged: input.duplicates, moved };
  });
}
