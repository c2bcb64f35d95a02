import { sql } from 'kysely';
import { AppError, newId, parseOrThrow } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import { inAuthChangeTx } from './session-cache.ts';
import { auditAdmin, changesOf, idOrThrow, requireAreaOrThrow, txScopeOf, type AdminCtx } from '@mosaic/access';
import { assertOrgExistsOrThrow } from './user-rights.ts';
import { ZCreateDepartment, ZUpdateDepartment } from './users.schemas.ts';

/** A department (部门) of the org tree; `path` lists its ancestors, root first, itself last. */
export interface DepartmentView {
  id: string;
  name: string;
  parentId: string | null;
  companyId: string | null;
  managerId: string | null;
  path: string[];
  archived: boolean;
}

/** GET /api/v1/admin/departments: the whole tree, flat, parents before children. */
export async function listDepartments(ctx: AdminCtx): Promise<DepartmentView[]> {
  requireAreaOrThrow(ctx, 'admin.org', 'read');
  const rows = await inTenantTx(ctx.db.app, txScopeOf(ctx), (tx) => sql<Record<string, any>>`SELECT * FROM department ORDER BY cardinality(path), name, id`.execute(tx));
  return rows.rows.map(viewOf);
}

/** POST /api/v1/admin/departments {name, parentId?, companyId?, managerId?}; the company defaults to the parent's. */
export async function createDepartment(ctx: AdminCtx, body: unknown): Promise<DepartmentView> {
  requireAreaOrThrow(ctx, 'admin.org', 'create');
  const input = parseOrThrow(ZCreateDepartment, body);
  const id = newId();
  return inAuthChangeTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    await assertOrgExistsOrThrow(tx, { companyId: input.companyId, managerId: input.managerId });
    const parent = input.parentId ? await departmentOrThrow(tx, input.parentId, 'parentId') : null;
    const companyId = input.companyId ?? parent?.company_id ?? ctx.guard.actor.companyId;
    const path = [...(parent?.path ?? []), id];
    await sql`INSERT INTO department (tenant_id, id, company_id, parent_id, name, manager_id, path)
      VALUES (${ctx.guard.actor.tenantId}, ${id}, ${companyId}, ${parent?.id ?? null}, ${input.name}, ${input.managerId ?? null}, ${path}::uuid[])`.execute(tx);
    await auditAdmin(tx, ctx.guard.actor, 'org.department.create', { object: 'admin.department', id }, changesOf({}, { ...input, companyId }));
    return viewOf(await departmentOrThrow(tx, id, 'id'));
  });
}

/**
 * PATCH /api/v1/admin/departments/{id}. Moving a department (parentId) moves
 * its subtree: every path below is rewritten, so "department and below" scopes
 * follow at once. A department cannot move under itself.
 */
export async function updateDepartment(ctx: AdminCtx, id: string, body: unknown): Promise<DepartmentView> {
  requireAreaOrThrow(ctx, 'admin.org', 'edit');
  const deptId = idOrThrow(id, 'department');
  const input = parseOrThrow(ZUpdateDepartment, body);
  return inAuthChangeTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    const d = await departmentOrThrow(tx, deptId, 'id', true);
    await assertOrgExistsOrThrow(tx, { companyId: input.companyId, managerId: input.managerId });
    const before = { name: d.name, parentId: d.parent_id, companyId: d.company_id, managerId: d.manager_id, archived: d.archived };
    const after = { ...before, ...input };
    if (after.parentId !== before.parentId) await move(tx, d, after.parentId);
    if (after.archived && !before.archived) {
      const busy = await sql`SELECT 1 FROM app_user WHERE department_id = ${deptId} AND active UNION ALL SELECT 1 FROM department WHERE parent_id = ${deptId} AND NOT archived LIMIT 1`.execute(tx);
      if (busy.rows.length) throw new AppError('CONFLICT', 'The department still has active people or departments; move them first.');
    }
    await sql`UPDATE department SET name = ${after.name}, company_id = ${after.companyId}, manager_id = ${after.managerId}, archived = ${after.archived} WHERE id = ${deptId}`.execute(tx);
    await auditAdmin(tx, ctx.guard.actor, 'org.department.update', { object: 'admin.department', id: deptId }, changesOf(before, after));
    return viewOf(await departmentOrThrow(tx, deptId, 'id'));
  });
}

/** DELETE /api/v1/admin/departments/{id}: only an empty one (no people, no departments below); else archive it. */
export async function deleteDepartment(ctx: AdminCtx, id: string): Promise<void> {
  requireAreaOrThrow(ctx, 'admin.org', 'delete');
  const deptId = idOrThrow(id, 'department');
  await inAuthChangeTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    const d = await departmentOrThrow(tx, deptId, 'id', true);
    const busy = await sql`SELECT 1 FROM app_user WHERE department_id = ${deptId} UNION ALL SELECT 1 FROM department WHERE parent_id = ${deptId} LIMIT 1`.execute(tx);
    if (busy.rows.length) throw new AppError('CONFLICT', 'The department has people or departments below it; archive it instead.');
    await sql`DELETE FROM department WHERE id = ${deptId}`.execute(tx);
    await auditAdmin(tx, ctx.guard.actor, 'org.department.delete', { object: 'admin.department', id: deptId }, changesOf({ name: d.name, parentId: d.parent_id }, {}));
  });
}

async function move(tx: Tx, d: Record<string, any>, parentId: string | null): Promise<void> {
  const parent = parentId ? await departmentOrThrow(tx, parentId, 'parentId') : null;
  if (parent && (parent.path as string[]).includes(d.id)) throw new AppError('VALIDATION_FAILED', 'parentId: a department cannot move under itself', { field: 'parentId' });
  const prefix = parent ? (parent.path as string[]) : [];
  const depth = (d.path as string[]).length; // the moved department's position in its descendants' paths
  await sql`UPDATE department SET path = ${prefix}::uuid[] || path[${depth}:] WHERE path @> ARRAY[${d.id}]::uuid[]`.execute(tx);
  await sql`UPDATE department SET parent_id = ${parent?.id ?? null} WHERE id = ${d.id}`.execute(tx);
}

async function departmentOrThrow(tx: Tx, id: string, field: string, lock = false): Promise<Record<string, any>> {
  const row = (await sql<Record<string, any>>`SELECT * FROM department WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`.execute(tx)).rows[0];
  if (!row) throw field === 'id' ? new AppError('NOT_FOUND', `No department with id ${id}.`) : new AppError('VALIDATION_FAILED', `${field}: no such department`, { field });
  return row;
}

function viewOf(d: Record<string, any>): DepartmentView {
  return { id: d.id, name: d.name, parentId: d.parent_id ?? null, companyId: d.company_id ?? null, managerId: d.manager_id ?? null, path: d.path, archived: d.archived };
}
