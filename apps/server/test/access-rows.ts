import { inTenantTx, sql, type Database } from '@mosaic/db';
import { newId } from '@mosaic/kernel';
import type { FieldMeta, ObjectMeta } from '@mosaic/meta';

/**
 * Writes a bare row of any object straight into its table, with the owner,
 * department and company a matrix case needs — whatever the object. The
 * columns the database insists on (NOT NULL, no default) get a value fitting
 * their field: a select's first option, a link to an "anchor" record of the
 * target object (made once per tenant, the same way), a number inside its
 * bounds, a unique text. Nothing goes through the API: the access matrix asks
 * the API about these rows, it must not be how they came to be.
 */
export interface RowFacts {
  ownerId: string;
  departmentId: string;
  companyId: string;
  tenantId: string;
}

const POSTING_SETTINGS = ['mosaic.gl_posting', 'mosaic.stock_posting', 'mosaic.stage_move', 'mosaic.buying_posting'];

interface RequiredColumn {
  column: string;
  pgType: string;
}

export interface RowFactory {
  insert(object: string, facts: RowFacts, extra?: Record<string, unknown>): Promise<string>;
}

export async function rowFactory(db: Database, objects: Map<string, ObjectMeta>, adminOf: (tenantId: string) => RowFacts): Promise<RowFactory> {
  const required = await requiredColumns(db);
  const uniqueCols = await uniqueColumns(db);
  let serial = 0;
  const anchors = new Map<string, Promise<string>>();

  const anchor = (object: string, tenantId: string): Promise<string> => {
    const key = `${tenantId}:${object}`;
    if (!anchors.has(key)) anchors.set(key, insert(object, adminOf(tenantId)));
    return anchors.get(key)!;
  };

  async function valueFor(obj: ObjectMeta, col: RequiredColumn, facts: RowFacts): Promise<unknown> {
    const field = obj.fields.find((f) => f.columnName === col.column);
    if (field) return fieldValue(field, facts, uniqueCols.get(obj.tableName)?.has(col.column) ?? false);
    if (col.pgType === 'uuid') return facts.ownerId; // created_by-like system columns
    throw new Error(`${obj.apiName}.${col.column}: no field describes this required column`);
  }

  /** A value for the field; `distinct` when a unique index covers it, so every row needs its own. */
  async function fieldValue(field: FieldMeta, facts: RowFacts, distinct: boolean): Promise<unknown> {
    const c = field.config;
    const n = ++serial;
    // A literal default is what a new record starts with (some stages insist on it).
    if (!distinct && field.defaultValue !== null && field.defaultValue !== undefined && typeof field.defaultValue !== 'object') return field.defaultValue;
    switch (field.type) {
      case 'single_select': return c.options![0]!.value;
      case 'multi_select': return [c.options![0]!.value];
      case 'link': return distinct ? insert(c.target!, adminOf(facts.tenantId)) : anchor(c.target!, facts.tenantId);
      case 'user': return facts.ownerId;
      case 'date': return distinct ? new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10) : '2026-01-15';
      case 'datetime': return new Date(Date.UTC(2026, 0, 15, 8) + (distinct ? n * 60_000 : 0));
      case 'boolean': return false;
      case 'integer': case 'decimal': case 'money': case 'percent':
        return distinct ? String(Number(c.min ?? 0) + n) : c.min !== undefined ? String(c.min) : '1';
      case 'department': return facts.departmentId;
      case 'address': return JSON.stringify({});
      default: return textValue(field, n);
    }
  }

  async function insert(object: string, facts: RowFacts, extra: Record<string, unknown> = {}): Promise<string> {
    const obj = objects.get(object);
    if (!obj) throw new Error(`unknown object ${object}`);
    const id = newId();
    const cols: Record<string, unknown> = { tenant_id: facts.tenantId, id, company_id: facts.companyId, owner_id: facts.ownerId, department_id: facts.departmentId, created_by: facts.ownerId, ...extra };
    for (const col of required.get(obj.tableName) ?? []) {
      if (!(col.column in cols)) cols[col.column] = await valueFor(obj, col, facts);
    }
    // Fields the metadata calls required but the table leaves nullable (posting triggers may still need them).
    for (const f of obj.fields) {
      if (f.required && f.columnName && !f.archived && !f.readOnly && !(f.columnName in cols)) cols[f.columnName] = await fieldValue(f, facts, uniqueCols.get(obj.tableName)?.has(f.columnName) ?? false);
    }
    try {
      await inTenantTx(db.app, { tenantId: facts.tenantId }, async (tx) => {
        // Ledgers and staged records accept rows only from their posting code; these rows are
        // scaffolding for the access questions, so the transaction says it is that code.
        await sql`SELECT ${sql.join(POSTING_SETTINGS.map((posting) => sql`set_config(${posting}, 'on', true)`))}`.execute(tx); // one round trip for all four
        await sql`INSERT INTO ${sql.id(obj.tableName)} (${sql.join(Object.keys(cols).map((c) => sql.id(c)))}) VALUES (${sql.join(Object.values(cols))})`.execute(tx);
      });
    } catch (e) {
      throw new Error(`${object}: ${(e as Error).message}`);
    }
    return id;
  }

  return { insert };
}

/** A unique text, or for a short or patterned field (a month, a quarter, a currency code) a sample that fits it. */
function textValue(field: FieldMeta, n: number): string {
  const { maxLength, regex } = field.config;
  if (maxLength === undefined && !regex) return `${field.apiName}-${n}-${newId().slice(-8)}`;
  // The samples change with n, so that rows under a unique index differ.
  const samples = [`${2000 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`, `${2000 + Math.floor(n / 4)}-Q${(n % 4) + 1}`, String(2000 + (n % 100)), '09:00', 'CNY', `A${n}`, `${field.apiName}-${n}-${newId().slice(-8)}`];
  const fits = samples.find((v) => (!maxLength || v.length <= maxLength) && (!regex || new RegExp(regex).test(v)));
  if (!fits) throw new Error(`${field.apiName}: no sample value fits its length and pattern`);
  return fits;
}

/** table → the columns some unique index (other than the primary key) covers, tenant and company aside. */
async function uniqueColumns(db: Database): Promise<Map<string, Set<string>>> {
  const rows = await sql<{ table_name: string; column_name: string }>`
    SELECT t.relname AS table_name, a.attname AS column_name
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (i.indkey)
    WHERE i.indisunique AND NOT i.indisprimary AND n.nspname = current_schema() AND a.attname NOT IN ('tenant_id', 'company_id')`.execute(db.owner);
  const byTable = new Map<string, Set<string>>();
  for (const r of rows.rows) byTable.set(r.table_name, (byTable.get(r.table_name) ?? new Set()).add(r.column_name));
  return byTable;
}

/** table → its NOT NULL columns without a default, from the catalogue. */
async function requiredColumns(db: Database): Promise<Map<string, RequiredColumn[]>> {
  const rows = await sql<{ table_name: string; column_name: string; data_type: string }>`
    SELECT table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = current_schema() AND is_nullable = 'NO' AND column_default IS NULL`.execute(db.owner);
  const byTable = new Map<string, RequiredColumn[]>();
  for (const r of rows.rows) {
    const list = byTable.get(r.table_name) ?? [];
    list.push({ column: r.column_name, pgType: r.data_type });
    byTable.set(r.table_name, list);
  }
  return byTable;
}
