import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import { AppError, isUuid } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';
import { evalContextOf, JoinScope, registerRecordHooks, whereSql, type RecordsCtx } from '@mosaic/records';
import { physical } from './physical.ts';

/**
 * Who a leave request, timesheet or expense claim may be filed for: the employee it names
 * must lie inside the caller's create scope of the object, the paper counted as the
 * employee's — owner their user, department their department, company theirs. So an
 * employee (employee_self: own) files only for themselves, an HR clerk or a manager with
 * a department scope only for the employees of that department, HR with a company scope
 * for the company. One's own employee is always allowed. Checked on create and on every
 * edit that names an employee (whichever path writes: the records API, an import, a
 * service — registerFilingEmployeeCheck), and again on submit. 403 naming `employee`.
 */
export function registerFilingEmployeeCheck(objectApiName: string): void {
  registerRecordHooks(objectApiName, {
    async afterWrite({ ctx, tx, objects, obj, ids, op }) {
      if (op === 'create') await refuseOutsideScope(ctx, tx, objects, obj, ids.map((id) => ({ id, employee: null })));
    },
    async prepareUpdate({ ctx, tx, objects, obj, inputs }) {
      const named = inputs.flatMap(({ id, values }) => {
        const employee = (values as Record<string, unknown> | null)?.employee;
        // Not an id: the records API refuses the value itself, naming the field.
        return typeof employee === 'string' && isUuid(employee) && isUuid(id) ? [{ id, employee }] : [];
      });
      await refuseOutsideScope(ctx, tx, objects, obj, named);
      return inputs.map((i) => i.values);
    },
  });
}

/** The submit's check of the same rule, for the record as it stands. */
export async function checkFilingEmployee(tx: Tx, ctx: RecordsCtx, obj: ObjectMeta, recordId: string): Promise<void> {
  await refuseOutsideScope(ctx, tx, await ctx.store.objects(ctx.guard.actor.tenantId), obj, [{ id: recordId, employee: null }]);
}

/**
 * Each row with its owner, department and company taken from the employee (`employee` given:
 * the one an update is about to set, else the row's own) is tested against the caller's create
 * scope, compiled as a list's scope is:
 *
 *   SELECT t.filing_employee FROM (SELECT (jsonb_populate_record(r, jsonb_build_object('owner_id', e.c_user, …))).*, … FROM o_leave_request r JOIN o_employee e …) AS t
 *    WHERE NOT t.filing_own AND NOT COALESCE((<create scope>)::boolean, false) LIMIT 1
 */
async function refuseOutsideScope(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, rows: { id: string; employee: string | null }[]): Promise<void> {
  if (!rows.length || ctx.guard.recordScope(obj, 'create') === null) return; // unrestricted (HR of every company, the system)
  const field = obj.fields.find((f) => f.apiName === 'employee' && f.columnName);
  if (!field) return;
  const e = physical(objects, 'employee');
  const scope = new JoinScope(objects, obj, ctx.guard, evalContextOf(ctx));
  const inScope = whereSql(ctx, scope, obj, undefined, 'create');
  const asEmployees = sql`jsonb_build_object('owner_id', ${e.ref('user', 'e')}, 'department_id', ${e.ref('department', 'e')}, 'company_id', e.company_id)`;
  const outside = (await sql<{ filing_employee: string }>`
    SELECT t.filing_employee FROM (
      SELECT (jsonb_populate_record(r, ${asEmployees})).*, e.id AS filing_employee,
        ${e.ref('user', 'e')} IS NOT DISTINCT FROM ${ctx.guard.actor.userId}::uuid AS filing_own
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.employee)}::uuid[]) AS p(id, employee)
      JOIN ${sql.id(obj.tableName)} r ON r.id = p.id
      JOIN ${e.table} e ON e.id = COALESCE(p.employee, ${sql.ref(`r.${field.columnName}`)})) AS t ${scope.joinSql()}
    WHERE NOT t.filing_own AND NOT COALESCE((${inScope})::boolean, false) LIMIT 1`.execute(tx)).rows[0];
  if (!outside) return;
  // The employee by the id the caller sent, not by name: the caller may not be one who reads employees.
  throw new AppError('FORBIDDEN', `employee: ${outside.filing_employee} is outside the employees you may file a ${obj.apiName} for — your role may create ${obj.apiName} only within its record scope (yourself, your department …)`,
    { field: 'employee', details: { employee: outside.filing_employee } });
}
