import { sql } from 'kysely';
import { AppError, clock } from '@mosaic/kernel';
import { loadActor } from '@mosaic/identity';
import { compileFormulaToSql, correlatedScope, parseFormula, type EvalContext } from '@mosaic/meta';
import type { Run } from '../approval.types.ts';

/**
 * Whether a branch condition (formula language, e.g. `amount > 50000`) holds
 * for the instance's record. Evaluated in SQL on the row as this transaction
 * sees it, like validation rules — so a formula means the same here, in
 * reports and in rules, links and child-row aggregates included:
 *
 *   SELECT COALESCE(("t"."c_amount" > 50000)::boolean, false) AS ok FROM "o_expense" AS t WHERE t.id = $1
 *
 * A condition that is NULL (an empty field) does not hold.
 */
export async function conditionHolds(run: Run, src: string): Promise<boolean> {
  const objects = await run.deps.store.objects(run.actor.tenantId);
  const obj = objects.get(run.instance.object);
  if (!obj) throw new AppError('CONFLICT', `The object ${run.instance.object} of this approval no longer exists.`);
  const expr = compileFormulaToSql(parseFormula(src), correlatedScope(objects, obj, 't'), await submitterContext(run));
  const r = await sql<{ ok: boolean }>`SELECT COALESCE((${expr})::boolean, false) AS ok FROM ${sql.id(obj.tableName)} AS t WHERE t.id = ${run.instance.record_id}`.execute(run.tx);
  return r.rows[0]?.ok === true;
}

/** `$user`, `$department`, `$today` in a flow's conditions are the submitter's. */
async function submitterContext(run: Run): Promise<EvalContext> {
  if (!run.submitterCtx) {
    const a = (await loadActor(run.tx, run.actor.tenantId, run.instance.submitted_by))?.actor;
    run.submitterCtx = {
      now: clock.now(),
      timeZone: a?.timeZone ?? run.actor.timeZone,
      userId: run.instance.submitted_by,
      departmentId: a?.departmentId ?? undefined,
      departmentIds: a?.departmentIds ?? [],
      companyId: a?.companyId ?? undefined,
    };
  }
  return run.submitterCtx;
}
