import { AppError } from '@mosaic/kernel';
import { columnNameFor, sql, tableNameFor, type Tx } from '@mosaic/db';
import { FIELD_TYPE_DEFS, hasColumn } from './field-types/index.ts';
import type { FieldMeta, ObjectMeta } from './meta.types.ts';
import { systemColumnsFor } from './system-fields.ts';
import { SYSTEM_OBJECTS } from './system-objects.ts';
import { rangeKeyColumn } from './filter/range-keys.ts';

/**
 * Metadata → DDL. Tables are shared by all tenants (tenant_id leads every key);
 * `physical_name` hands out table and column names so that two tenants'
 * definitions never collide: a column is reused only by a field of the same
 * SQL signature, otherwise a new suffixed column is made. Everything here runs
 * in the metadata change's transaction, so the DDL commits with it or not at all.
 */

/** Creates the object's table if no tenant has made it yet, and returns its name. */
export async function ensureTable(tx: Tx, obj: Pick<ObjectMeta, 'apiName' | 'isChild' | 'isDocument'>, parentTable?: string): Promise<string> {
  const signature = `${obj.isChild ? 'child' : 'object'}:${obj.isDocument ? 'doc' : 'plain'}:${parentTable ?? ''}`;
  for (let suffix = 0; suffix < 100; suffix++) {
    const table = tableNameFor(obj.apiName, suffix);
    const existing = await sql<{ sql_type: string }>`SELECT sql_type FROM physical_name WHERE table_name = ${table} AND column_name = ''`.execute(tx);
    if (existing.rows[0]?.sql_type === signature) return table;
    if (existing.rows.length) continue;
    await sql`INSERT INTO physical_name (table_name, column_name, sql_type) VALUES (${table}, '', ${signature})`.execute(tx);
    await createTable(tx, table, obj, parentTable);
    return table;
  }
  throw new AppError('META_INVALID', `Too many tables named like ${obj.apiName}.`);
}

async function createTable(tx: Tx, table: string, obj: Pick<ObjectMeta, 'isChild' | 'isDocument'>, parentTable?: string): Promise<void> {
  const cols = systemColumnsFor(obj).map((c) => sql`${sql.id(c.apiName)} ${sql.raw(c.sql)}`);
  await sql`CREATE TABLE ${sql.id(table)} (tenant_id uuid NOT NULL, ${sql.join(cols)}, PRIMARY KEY (tenant_id, id))`.execute(tx);
  await sql`SELECT mosaic_enable_rls(${table}::regclass)`.execute(tx);
  if (obj.isDocument) {
    // Submitted documents are immutable in the database itself (migration 0030).
    await sql`CREATE TRIGGER ${sql.id(`${table}_guard`)} BEFORE UPDATE OR DELETE ON ${sql.id(table)} FOR EACH ROW EXECUTE FUNCTION mosaic_guard_document()`.execute(tx);
  }
  if (obj.isChild && parentTable) {
    await sql`ALTER TABLE ${sql.id(table)} ADD FOREIGN KEY (tenant_id, parent_id) REFERENCES ${sql.id(parentTable)} (tenant_id, id) ON DELETE CASCADE`.execute(tx);
    const parentIsDocument = await sql<{ d: boolean }>`SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = ${`${parentTable}_guard`}) AS d`.execute(tx);
    if (parentIsDocument.rows[0].d) {
      await sql`CREATE TRIGGER ${sql.id(`${table}_guard`)} BEFORE INSERT OR UPDATE OR DELETE ON ${sql.id(table)} FOR EACH ROW EXECUTE FUNCTION mosaic_guard_document_child(${sql.lit(parentTable)})`.execute(tx);
    }
    await sql`CREATE INDEX ${sql.id(`${table}_parent_idx`)} ON ${sql.id(table)} (tenant_id, parent_id, idx)`.execute(tx);
  } else {
    await sql`CREATE INDEX ${sql.id(`${table}_owner_idx`)} ON ${sql.id(table)} (tenant_id, owner_id)`.execute(tx);
    await sql`CREATE INDEX ${sql.id(`${table}_created_idx`)} ON ${sql.id(table)} (tenant_id, created_at, id)`.execute(tx);
  }
}

/** The physical signature of a field's column: same signature, same column can serve. */
function columnSignature(field: FieldMeta, targetTable?: string): string {
  const base = FIELD_TYPE_DEFS[field.type].sqlType(field);
  return targetTable ? `${base}->${targetTable}` : base;
}

/**
 * Allocates (or reuses) the column for a new field and adds it to the table,
 * with its foreign key, index and unique index (partial per tenant, because
 * the column may serve other tenants that do not want it unique).
 */
export async function addColumn(tx: Tx, tenantId: string, obj: ObjectMeta, field: FieldMeta, targetTable?: string): Promise<string | null> {
  if (!hasColumn(field)) return null;
  const signature = columnSignature(field, targetTable);
  const taken = new Set(obj.fields.filter((f) => f.columnName).map((f) => f.columnName));
  for (let suffix = 0; suffix < 100; suffix++) {
    const column = columnNameFor(field.apiName, suffix);
    if (taken.has(column)) continue;
    const existing = await sql<{ sql_type: string }>`SELECT sql_type FROM physical_name WHERE table_name = ${obj.tableName} AND column_name = ${column}`.execute(tx);
    if (existing.rows.length && existing.rows[0].sql_type !== signature) continue;
    if (!existing.rows.length) {
      await sql`INSERT INTO physical_name (table_name, column_name, sql_type) VALUES (${obj.tableName}, ${column}, ${signature})`.execute(tx);
      await sql`ALTER TABLE ${sql.id(obj.tableName)} ADD COLUMN ${sql.id(column)} ${sql.raw(FIELD_TYPE_DEFS[field.type].sqlType(field))}`.execute(tx);
      for (const extra of FIELD_TYPE_DEFS[field.type].extraColumns?.(field) ?? []) {
        await sql`ALTER TABLE ${sql.id(obj.tableName)} ADD COLUMN ${sql.id(column + extra.suffix)} ${sql.raw(extra.sqlType)}`.execute(tx);
      }
      if (targetTable) {
        const onDelete = field.config.onDelete === 'cascade' ? sql`CASCADE` : field.config.onDelete === 'set_null' ? sql`SET NULL (${sql.id(column)})` : sql`RESTRICT`;
        await sql`ALTER TABLE ${sql.id(obj.tableName)} ADD CONSTRAINT ${sql.id(`${obj.tableName}_${column}_fk`)}
          FOREIGN KEY (tenant_id, ${sql.id(column)}) REFERENCES ${sql.id(targetTable)} (tenant_id, id) ON DELETE ${onDelete}`.execute(tx);
        await sql`CREATE INDEX ${sql.id(`${obj.tableName}_${column}_idx`)} ON ${sql.id(obj.tableName)} (tenant_id, ${sql.id(column)})`.execute(tx);
      }
    }
    await syncIndexes(tx, tenantId, obj.tableName, column, field);
    return column;
  }
  throw new AppError('META_INVALID', `Too many columns named like ${field.apiName}.`, { field: field.apiName });
}

/** Creates or drops the per-tenant unique index and the plain index a field asks for. */
export async function syncIndexes(tx: Tx, tenantId: string, table: string, column: string, field: Pick<FieldMeta, 'unique' | 'indexed' | 'type'>): Promise<void> {
  const tenantKey = tenantId.replace(/-/g, '').slice(0, 12);
  const uniqueName = `${table}_${column}_u_${tenantKey}`.slice(0, 63);
  if (field.unique) {
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.id(uniqueName)} ON ${sql.id(table)} (tenant_id, ${sql.id(column)}) WHERE tenant_id = ${sql.lit(tenantId)}::uuid`.execute(tx);
  } else {
    await sql`DROP INDEX IF EXISTS ${sql.id(uniqueName)}`.execute(tx);
  }
  if (field.indexed && FIELD_TYPE_DEFS[field.type].comparable) {
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${table}_${column}_idx`.slice(0, 63))} ON ${sql.id(table)} (tenant_id, ${sql.id(column)})`.execute(tx);
  }
  // An indexed decimal/money/percent field: its float8 range key and that key's index, so that
  // its filters reach an index under row-level security (filter/range-keys.ts, ADR 0011).
  const key = rangeKeyColumn({ ...field, columnName: column });
  if (key) {
    await sql`ALTER TABLE ${sql.id(table)} ADD COLUMN IF NOT EXISTS ${sql.id(key)} float8 GENERATED ALWAYS AS (${sql.id(column)}::float8) STORED`.execute(tx);
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${table}_${key}_idx`.slice(0, 63))} ON ${sql.id(table)} (tenant_id, ${sql.id(key)})`.execute(tx);
  }
}

/** The physical table a link field's target lives in. */
export function targetTableOf(objects: Map<string, ObjectMeta>, field: Pick<FieldMeta, 'type' | 'config'>): string | undefined {
  if (field.type === 'user') return SYSTEM_OBJECTS.user.tableName;
  if (field.type === 'department') return SYSTEM_OBJECTS.department.tableName;
  if (field.type !== 'link') return undefined;
  const t = field.config.target!;
  if (t in SYSTEM_OBJECTS) return SYSTEM_OBJECTS[t as keyof typeof SYSTEM_OBJECTS].tableName;
  return objects.get(t)?.tableName;
}
