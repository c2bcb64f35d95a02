import { sql } from 'kysely';
import { inTenantTx } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';
import { listRecords, type RecordsCtx } from '@mosaic/records';

export interface OrgNode {
  id: string;
  name: string;
  manager: { id: string; name: string } | null;
  employees: { id: string; employee_no: string; name: string; position: string | null }[];
  children: OrgNode[];
}

/**
 * 组织架构图: the caller's company's departments as a tree (identity's
 * department table, with its managers), each with the active employees the
 * caller may read (through the guard, so a narrower role sees fewer names).
 */
export async function orgChart(ctx: RecordsCtx): Promise<{ data: OrgNode[] }> {
  const actor = ctx.guard.actor;
  const departments = await inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) =>
    (await sql<{ id: string; parent_id: string | null; name: string; manager_id: string | null; manager_name: string | null }>`
      SELECT d.id, d.parent_id, d.name, d.manager_id, u.name AS manager_name FROM department d LEFT JOIN app_user u ON u.id = d.manager_id
      WHERE d.company_id = ${actor.companyId} ORDER BY d.name`.execute(tx)).rows);
  const employees = await allRows(ctx, 'employee', { employment_status: 'active' }, 'employee_no');
  const nodes = new Map<string, OrgNode>(departments.map((d) => [d.id, {
    id: d.id, name: d.name, manager: d.manager_id ? { id: d.manager_id, name: d.manager_name ?? '' } : null, employees: [], children: [],
  }]));
  for (const e of employees) {
    nodes.get(e.department as string)?.employees.push({ id: e.id as string, employee_no: e.employee_no as string, name: e.name as string, position: (e.position as string) ?? null });
  }
  const roots: OrgNode[] = [];
  for (const d of departments) (d.parent_id && nodes.has(d.parent_id) ? nodes.get(d.parent_id)!.children : roots).push(nodes.get(d.id)!);
  return { data: roots };
}

/**
 * 团队日历: leave submitted or approved that overlaps [from, to], for the
 * employees of one department or everyone the caller may see.
 */
export async function leaveCalendar(ctx: RecordsCtx, q: { from?: string; to?: string; department?: string }): Promise<{ data: Record<string, unknown>[] }> {
  for (const f of ['from', 'to'] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(q[f] ?? '')) throw new AppError('FIELD_INVALID', `${f}: YYYY-MM-DD`, { field: f });
  }
  if (q.to! < q.from!) throw new AppError('FIELD_INVALID', 'to: must not be before from', { field: 'to' });
  const filter: Record<string, unknown>[] = [
    { field: 'from_date', op: 'lte', value: q.to }, { field: 'to_date', op: 'gte', value: q.from }, { field: 'status', op: 'in', value: ['submitted', 'approved'] },
  ];
  if (q.department) filter.push({ field: 'employee.department', op: 'eq', value: q.department });
  const rows = await allRows(ctx, 'leave_request', { and: filter }, 'from_date', ['employee', 'employee.name', 'leave_type.name', 'from_date', 'to_date', 'days', 'status']);
  return { data: rows };
}

async function allRows(ctx: RecordsCtx, object: string, filter: unknown, sort: string, fields?: string[]): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (let page = 1; page <= 40; page++) {
    const r = await listRecords(ctx, object, { filter, sort, page, pageSize: 500, total: false, fields });
    rows.push(...r.data);
    if (!r.nextCursor) return rows;
  }
  throw new AppError('CONFLICT', `More than 20,000 ${object} rows: narrow the request.`);
}
