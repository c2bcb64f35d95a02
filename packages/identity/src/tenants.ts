import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { newId } from '@mosaic/kernel';
import { setTenant, type Database, type Tx } from '@mosaic/db';
import { assertPasswordAcceptable, hashPassword } from './password.ts';

export interface NewTenant {
  name: string;
  companyName: string;
  adminEmail: string;
  adminPassword: string;
  adminName?: string;
  timeZone?: string;
}

export interface TenantCreated {
  tenantId: string;
  companyId: string;
  departmentId: string;
  adminId: string;
}

/**
 * A new tenant with one company, a root department and an admin user, in one
 * transaction on the owner connection. Module metadata is installed afterwards
 * by the caller (the same path an admin's changes take).
 */
export async function createTenant(db: Database, t: NewTenant): Promise<TenantCreated> {
  assertPasswordAcceptable(t.adminPassword, 'adminPassword');
  const ids: TenantCreated = { tenantId: newId(), companyId: newId(), departmentId: newId(), adminId: newId() };
  const hash = await hashPassword(t.adminPassword);
  await db.owner.transaction().execute(async (tx) => {
    await setTenant(tx, { tenantId: ids.tenantId, userId: ids.adminId });
    await sql`INSERT INTO tenant (tenant_id, name, time_zone) VALUES (${ids.tenantId}, ${t.name}, ${t.timeZone ?? 'Asia/Shanghai'})`.execute(tx);
    await sql`INSERT INTO tenant_registry (tenant_id) VALUES (${ids.tenantId})`.execute(tx);
    await sql`INSERT INTO company (tenant_id, id, name) VALUES (${ids.tenantId}, ${ids.companyId}, ${t.companyName})`.execute(tx);
    await sql`INSERT INTO department (tenant_id, id, company_id, name, path) VALUES (${ids.tenantId}, ${ids.departmentId}, ${ids.companyId}, ${t.companyName}, ARRAY[${ids.departmentId}]::uuid[])`.execute(tx);
    await insertUser(tx, ids.tenantId, {
      id: ids.adminId, email: t.adminEmail, name: t.adminName ?? '系统管理员', passwordHash: hash, isAdmin: true,
      departmentId: ids.departmentId, companyId: ids.companyId,
    });
  });
  return ids;
}

export interface NewUser {
  id?: string;
  email: string;
  name: string;
  passwordHash: string | null;
  isAdmin?: boolean;
  departmentId?: string | null;
  companyId?: string | null;
  phone?: string | null;
  locale?: string;
}

export async function insertUser(tx: Tx, tenantId: string, u: NewUser): Promise<string> {
  const id = u.id ?? newId();
  await sql`INSERT INTO app_user (tenant_id, id, email, name, phone, password_hash, is_admin, department_id, company_id, locale)
    VALUES (${tenantId}, ${id}, ${u.email.toLowerCase()}, ${u.name}, ${u.phone ?? null}, ${u.passwordHash}, ${u.isAdmin ?? false},
      ${u.departmentId ?? null}, ${u.companyId ?? null}, ${u.locale ?? 'zh-CN'})`.execute(tx);
  await sql`SELECT mosaic_identity_set(${u.email}, ${id})`.execute(tx);
  return id;
}

/** On a fresh installation, the first tenant; afterwards, nothing. Owner-only bookkeeping in install_state. */
export async function ensureFirstTenant(db: Database, env: NodeJS.ProcessEnv = process.env): Promise<{ created: TenantCreated; email: string; password: string; generated: boolean } | null> {
  const done = await sql<{ value: unknown }>`SELECT value FROM install_state WHERE key = 'first_tenant'`.execute(db.owner);
  if (done.rows.length) return null;
  const email = env.MOSAIC_ADMIN_EMAIL || 'admin@mosaic.local';
  const generated = !env.MOSAIC_ADMIN_PASSWORD;
  const password = env.MOSAIC_ADMIN_PASSWORD || randomBytes(12).toString('base64url');
  const created = await createTenant(db, { name: '演示公司', companyName: '广东星河五金制品有限公司', adminEmail: email, adminPassword: password });
  await sql`INSERT INTO install_state (key, value) VALUES ('first_tenant', ${JSON.stringify({ tenantId: created.tenantId, at: new Date().toISOString() })})`.execute(db.owner);
  return { created, email, password, generated };
}

/** Every tenant's id (owner connection; for start-up work such as installing modules). */
export async function listTenantIds(db: Database): Promise<string[]> {
  return (await sql<{ tenant_id: string }>`SELECT tenant_id FROM tenant_registry ORDER BY created_at`.execute(db.owner)).rows.map((r) => r.tenant_id);
}
