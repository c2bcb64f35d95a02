import type { AccessGuard } from '@mosaic/access';
import type { Database } from '@mosaic/db';
import type { EvalContext, MetaStore } from '@mosaic/meta';
import { clock, todayIn } from '@mosaic/kernel';

/** What every records operation needs: the database, metadata, and who is asking. */
export interface RecordsCtx {
  db: Database;
  store: MetaStore;
  guard: AccessGuard;
}

export function evalContextOf(ctx: RecordsCtx): EvalContext {
  const a = ctx.guard.actor;
  return {
    now: clock.now(),
    timeZone: a.timeZone,
    userId: a.userId,
    departmentId: a.departmentId ?? undefined,
    departmentIds: a.departmentIds,
    companyId: a.companyId ?? undefined,
  };
}

/** Today's date where the caller is (their time zone), YYYY-MM-DD, by the kernel clock: the default of a posting or report date. */
export function todayFor(ctx: Pick<RecordsCtx, 'guard'>): string {
  return todayIn(ctx.guard.actor.timeZone);
}
