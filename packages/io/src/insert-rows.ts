import { AppError } from '@mosaic/kernel';
import { pgCode, sql, type Tx } from '@mosaic/db';
import { createRecords, type RecordsCtx } from '@mosaic/records';
import type { ImportRow, RowProblem } from './import-row.ts';

export interface InsertOutcome {
  inserted: number;
  failures: { row: ImportRow; problem: RowProblem }[];
}

/**
 * Inserts rows through the records service's own validation (createRecords in
 * bulk, inside `tx`). When a bulk call fails, the failing row is found and the
 * rest retried: the service names the row in bulk errors ("17.amount"), so that
 * row is set aside at once; an error that names no row (a unique index, a
 * foreign key) splits the set in halves. Each attempt runs under a savepoint,
 * so a failed one leaves nothing behind and the transaction stays usable.
 */
export async function insertRows(ctx: RecordsCtx, tx: Tx, objectApiName: string, rows: ImportRow[]): Promise<InsertOutcome> {
  const outcome: InsertOutcome = { inserted: 0, failures: [] };
  const attempt = async (set: ImportRow[]): Promise<void> => {
    if (!set.length) return;
    await sql`SAVEPOINT mosaic_import`.execute(tx);
    try {
      await createRecords(ctx, objectApiName, set.map((r) => r.values), { tx });
      await sql`RELEASE SAVEPOINT mosaic_import`.execute(tx);
      outcome.inserted += set.length;
      return;
    } catch (e) {
      await sql`ROLLBACK TO SAVEPOINT mosaic_import`.execute(tx);
      await sql`RELEASE SAVEPOINT mosaic_import`.execute(tx);
      const problem = rowProblem(e);
      if (set.length === 1) return void outcome.failures.push({ row: set[0], problem: problem.at === null ? problem : stripIndex(problem) });
      if (problem.at !== null && problem.at < set.length) {
        outcome.failures.push({ row: set[problem.at], problem: stripIndex(problem) });
        return attempt(set.filter((_, i) => i !== problem.at));
      }
      const mid = set.length >> 1;
      await attempt(set.slice(0, mid));
      await attempt(set.slice(mid));
    }
  };
  await attempt(rows);
  outcome.failures.sort((a, b) => a.row.number - b.row.number);
  return outcome;
}

/** An error of the records service → a row problem; `at` is the bulk index it names, if any. */
function rowProblem(e: unknown): RowProblem & { at: number | null } {
  if (e instanceof AppError) {
    const m = /^(\d+)\./.exec(e.field ?? '') ?? /^(\d+)\./.exec(e.message);
    return { field: e.field ?? null, message: e.message, at: m ? Number(m[1]) : null };
  }
  // Data errors the service does not map itself (22xxx data exception, 23xxx integrity) are still the row's fault.
  const code = pgCode(e);
  if (code && (code.startsWith('22') || code.startsWith('23'))) return { field: null, message: (e as Error).message, at: null };
  throw e;
}

function stripIndex(p: RowProblem & { at?: number | null }): RowProblem {
  return { field: p.field?.replace(/^\d+\./, '') || null, message: p.message.replace(/^\d+\./, '') };
}
