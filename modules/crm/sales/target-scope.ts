import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';
import { lockRow, registerRecordHooks } from '@mosaic/records';

/**
 * A target is set for people the setter manages: after the write (the owner
 * trigger has made the rep the owner and the rep's or the team's department
 * the record's department), the target must lie in the setter's own edit
 * scope for targets — the access package's record scope: department_tree for
 * a sales manager (their department and those below it), none for an
 * administrator. Creating is granted to managers without a scope (create:
 * all), so without this a manager could set a target for another team's rep.
 * Outside → 403 naming the field that points there (`rep` — the target's
 * owner — or `team`).
 */
registerRecordHooks('sales_target', {
  async afterWrite({ ctx, tx, objects, obj, ids }) {
    if (!ctx.guard.recordScope(obj, 'edit')) return; // administrator / unrestricted role
    for (const id of ids) {
      try {
        await lockRow(ctx, tx, objects, obj, id, 'edit');
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'RECORD_NOT_FOUND') throw e;
        const field = await targetField(tx, obj, id);
        throw new AppError('FORBIDDEN', `${field}: outside your department tree — a target may be set only for ${field === 'team' ? 'your team or a team below it' : 'a rep (its owner) of your team or a team below it'}`, { field });
      }
    }
  },
});

async function targetField(tx: Tx, obj: ObjectMeta, id: string): Promise<'rep' | 'team'> {
  const rep = obj.fields.find((f) => f.apiName === 'rep')!.columnName!;
  const r = await sql<{ rep: string | null }>`SELECT ${sql.ref(rep)} AS rep FROM ${sql.id(obj.tableName)} WHERE id = ${id}`.execute(tx);
  return r.rows[0]?.rep ? 'rep' : 'team';
}
