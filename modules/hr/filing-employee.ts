import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';
import { getRecord, type RecordsCtx } from '@mosaic/records';
import { physical } from './physical.ts';

/**
 * Who a leave request, timesheet or expense claim may be filed for, checked on submit:
 * the caller's own employee (the one linked to their user), or an employee the caller may
 * read (HR, a manager over their department). The employee_self role reads no employee
 * records, so an employee cannot put hours at a colleague's rate on a project, claim
 * expenses owed to someone else, or spend a colleague's leave. 422 naming `employee`.
 */
export async function checkFilingEmployee(tx: Tx, ctx: RecordsCtx, employeeId: unknown): Promise<void> {
  if (typeof employeeId !== 'string') return; // required: the records API has refused a missing one already
  const e = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'employee');
  const own = await sql<{ id: string }>`SELECT id FROM ${e.table} WHERE id = ${employeeId} AND ${e.ref('user')} = ${ctx.guard.actor.userId}`.execute(tx);
  if (own.rows.length) return;
  try {
    await getRecord(ctx, 'employee', employeeId, { tx, fields: ['id'] });
  } catch (err) {
    if (err instanceof AppError && (err.code === 'RECORD_NOT_FOUND' || err.code === 'OBJECT_UNKNOWN')) {
      throw new AppError('FIELD_INVALID', 'employee: you may file only for yourself or for an employee you may see', { field: 'employee' });
    }
    throw err;
  }
}
