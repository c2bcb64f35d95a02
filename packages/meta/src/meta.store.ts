import { AppError } from '@mosaic/kernel';
import { CacheHearing, inTenantTx, sql, type Db, type Tx } from '@mosaic/db';
import type { FieldMeta, Label, ObjectMeta } from './meta.types.ts';

/**
 * Reads metadata and caches it per tenant. The cache is dropped when any process
 * changes metadata: the change sends NOTIFY mosaic_meta '<tenant>' on commit and
 * every process LISTENs (see `listenForMetaChanges`), so no process needs a restart.
 * While that LISTEN connection is lost nothing is cached: every call reads the
 * metadata afresh (a change made meanwhile would go unheard).
 */
export class MetaStore {
  private cache = new Map<string, Promise<Map<string, ObjectMeta>>>();
  readonly hearing = new CacheHearing('cache');

  constructor(private readonly db: Db) {}

  /** All objects of a tenant, by API name (archived ones included, flagged). */
  objects(tenantId: string): Promise<Map<string, ObjectMeta>> {
    if (!this.hearing.canCache()) return inTenantTx(this.db, { tenantId }, (tx) => loadObjects(tx));
    let hit = this.cache.get(tenantId);
    if (!hit) {
      hit = inTenantTx(this.db, { tenantId }, (tx) => loadObjects(tx));
      hit.catch(() => this.cache.delete(tenantId));
      this.cache.set(tenantId, hit);
    }
    return hit;
  }

  async object(tenantId: string, apiName: string): Promise<ObjectMeta | undefined> {
    return (await this.objects(tenantId)).get(apiName);
  }

  /** The object, or OBJECT_UNKNOWN (404) naming it. Archived objects count as unknown. */
  async objectOrThrow(tenantId: string, apiName: string): Promise<ObjectMeta> {
    const obj = await this.object(tenantId, apiName);
    if (!obj || obj.archived) throw new AppError('OBJECT_UNKNOWN', `No object named "${String(apiName).slice(0, 64)}".`, { field: 'object' });
    return obj;
  }

  invalidate(tenantId?: string): void {
    if (tenantId) this.cache.delete(tenantId);
    else this.cache.clear();
  }
}

/** Loads a tenant's metadata inside a transaction that has the tenant set. */
export async function loadObjects(tx: Tx): Promise<Map<string, ObjectMeta>> {
  const objects = await sql<Record<string, any>>`SELECT * FROM meta_object ORDER BY api_name`.execute(tx);
  const fields = await sql<Record<string, any>>`SELECT * FROM meta_field ORDER BY position, created_at`.execute(tx);
  const byObject = new Map<string, FieldMeta[]>();
  for (const f of fields.rows) {
    const list = byObject.get(f.object_id) ?? [];
    list.push(rowToField(f));
    byObject.set(f.object_id, list);
  }
  const map = new Map<string, ObjectMeta>();
  for (const o of objects.rows) map.set(o.api_name, rowToObject(o, byObject.get(o.id) ?? []));
  return map;
}

function rowToObject(o: Record<string, any>, fields: FieldMeta[]): ObjectMeta {
  return {
    id: o.id,
    apiName: o.api_name,
    tableName: o.table_name,
    label: o.label as Label,
    pluralLabel: o.plural_label ?? undefined,
    module: o.module,
    isChild: o.is_child,
    parentObject: o.parent_object ?? undefined,
    isDocument: o.is_document,
    titleField: o.title_field,
    searchFields: o.search_fields,
    rules: o.rules,
    fields,
    archived: o.archived,
    version: o.version,
    ...(o.list_defaults ? { listDefaults: o.list_defaults } : {}),
    listDefaultsCustom: o.list_defaults_custom ?? false,
  };
}

function rowToField(f: Record<string, any>): FieldMeta {
  return {
    id: f.id,
    objectId: f.object_id,
    apiName: f.api_name,
    columnName: f.column_name,
    type: f.type,
    label: f.label,
    required: f.required,
    unique: f.is_unique,
    indexed: f.indexed,
    defaultValue: f.default_value,
    config: f.config ?? {},
    position: f.position,
    system: f.system,
    readOnly: f.read_only,
    archived: f.archived,
  };
}

/** The live (not archived) field of an object by API name. */
export function fieldOf(obj: ObjectMeta, apiName: string): FieldMeta | undefined {
  return obj.fields.find((f) => f.apiName === apiName && !f.archived);
}

/**
 * Keeps a LISTEN connection that drops cached metadata when another process
 * changes it; while the connection is lost the store does not cache, and once it
 * is back everything is dropped, since changes made meanwhile were not heard.
 * The connection answers cache barriers (ADR 0012): a narrowing change waits for it.
 */
export function listenForMetaChanges(url: string, store: MetaStore, onChange?: (tenantId: string) => void): Promise<() => Promise<void>> {
  return store.hearing.listen(url, ['mosaic_meta'], (tenantId) => {
    if (!tenantId) return;
    store.invalidate(tenantId);
    onChange?.(tenantId);
  }, () => store.invalidate());
}
