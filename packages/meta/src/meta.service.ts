import { AppError, isUuid, newId, parseOrThrow } from '@mosaic/kernel';
import { isDeepStrictEqual } from 'node:util';
import { awaitCachesDropped, retryOnLockConflict, setTenant, sql, type Database, type Tx } from '@mosaic/db';
import { addColumn, ensureTable, syncIndexes, targetTableOf } from './ddl.ts';
import { FIELD_TYPE_DEFS, hasColumn } from './field-types/index.ts';
import { loadObjects, fieldOf, type MetaStore } from './meta.store.ts';
import { validateFieldDef } from './field-def.rules.ts';
import type { FieldMeta, ObjectMeta } from './meta.types.ts';
import { ZCreateField, ZCreateObject, ZListDefaults, ZUpdateField, ZUpdateObject, type TCreateField, type TCreateObject, type TListDefaults, type TUpdateField, type TUpdateObject } from './meta.schemas.ts';
import { checkListDefaults } from './list-defaults.ts';
import { systemColumnsFor, systemFieldMeta } from './system-fields.ts';
import { rangeKeyColumn } from './filter/range-keys.ts';
import { DEFAULT_TIME_ZONE } from './filter/relative-dates.ts';
import { SYSTEM_OBJECTS } from './system-objects.ts';
import { withSearchDefaults } from './search-fields.ts';

/**
 * Admin changes to objects and fields. Each runs on the owner connection in one
 * transaction: metadata rows, ALTER TABLE, audit entry and a NOTIFY that drops
 * every process's metadata cache on commit. Built-in modules install their
 * objects through these same functions.
 */
export interface MetaCtx {
  db: Database;
  store: MetaStore;
  tenantId: string;
  userId: string | null;
  /**
   * The caller runs its whole step again on a lock conflict (a module install:
   * apps/server/src/modules.ts): each metadata change then tries once and hands the
   * conflict out, rather than retrying inside the caller's retries.
   */
  outerRetry?: boolean;
}

export async function createObject(ctx: MetaCtx, input: TCreateObject | unknown): Promise<ObjectMeta> {
  const def = parseOrThrow(ZCreateObject, input, 'META_INVALID');
  await inMetaTx(ctx, async (tx, objects) => {
    if (objects.has(def.apiName) || def.apiName in SYSTEM_OBJECTS) {
      throw new AppError('OBJECT_EXISTS', `An object named "${def.apiName}" already exists.`, { field: 'apiName' });
    }
    let parentTable: string | undefined;
    if (def.isChild) {
      const parent = def.parentObject ? objects.get(def.parentObject) : undefined;
      if (!parent) throw new AppError('META_INVALID', 'parentObject: a child object needs an existing parent object', { field: 'parentObject' });
      parentTable = parent.tableName;
    }
    const tableName = await ensureTable(tx, def, parentTable);
    if (!def.isChild) await lockSearchSync(tx, tableName); // its searchable fields sync below, after ALTER TABLEs
    const id = newId();
    const titleField = def.titleField ?? def.fields.find((f) => f.apiName === 'name')?.apiName ?? def.fields.find((f) => f.type === 'text' || f.type === 'auto_number')?.apiName ?? 'id';
    await sql`INSERT INTO meta_object (tenant_id, id, api_name, table_name, label, plural_label, module, is_child, parent_object, is_document, title_field, search_fields, rules)
      VALUES (${ctx.tenantId}, ${id}, ${def.apiName}, ${tableName}, ${JSON.stringify(def.label)}, ${def.pluralLabel ? JSON.stringify(def.pluralLabel) : null},
        ${def.module}, ${def.isChild}, ${def.parentObject ?? null}, ${def.isDocument}, ${titleField}, ${def.searchFields ?? [titleField]}, ${JSON.stringify(def.rules)})`.execute(tx);
    const system = systemColumnsFor(def).map((c, i) => ({ id: newId(), ...systemFieldMeta(c, id, def.apiName, i) }));
    for (const f of system) await insertField(tx, ctx.tenantId, f);
    const obj: ObjectMeta = { id, apiName: def.apiName, tableName, label: def.label, module: def.module, isChild: def.isChild, parentObject: def.parentObject,
      isDocument: def.isDocument, titleField, searchFields: def.searchFields ?? [titleField], rules: def.rules, fields: system, archived: false, version: 1 };
    objects.set(def.apiName, obj);
    for (const [i, f] of (def.isChild ? def.fields : withSearchDefaults(def.fields, [titleField, ...(def.searchFields ?? [])])).entries()) {
      await addFieldInTx(ctx, tx, objects, obj, { ...f, position: f.position ?? 100 + i }, `fields.${i}.`);
    }
    if (!fieldOf(obj, titleField)) throw new AppError('META_INVALID', `titleField: "${titleField}" is not a field of the object`, { field: 'titleField' });
    if (def.listDefaults) {
      checkListDefaults(objects, obj, def.listDefaults);
      await sql`UPDATE meta_object SET list_defaults = ${JSON.stringify(def.listDefaults)}::jsonb WHERE id = ${id}`.execute(tx);
    }
    await audit(tx, ctx, 'meta.object.create', def.apiName, { apiName: def.apiName });
  });
  return ctx.store.objectOrThrow(ctx.tenantId, def.apiName);
}

export async function updateObject(ctx: MetaCtx, apiName: string, input: TUpdateObject | unknown): Promise<ObjectMeta> {
  const patch = parseOrThrow(ZUpdateObject, input, 'META_INVALID');
  await inMetaTx(ctx, async (tx, objects) => {
    const obj = objectOrThrow(objects, apiName, true);
    if (patch.titleField && !fieldOf(obj, patch.titleField)) throw new AppError('META_INVALID', `titleField: "${patch.titleField}" is not a field`, { field: 'titleField' });
    if (patch.listDefaults) checkListDefaults(objects, obj, patch.listDefaults);
    await sql`UPDATE meta_object SET
        label = COALESCE(${patch.label ? JSON.stringify(patch.label) : null}::jsonb, label),
        plural_label = COALESCE(${patch.pluralLabel ? JSON.stringify(patch.pluralLabel) : null}::jsonb, plural_label),
        title_field = COALESCE(${patch.titleField ?? null}, title_field),
        search_fields = COALESCE(${patch.searchFields ?? null}::text[], search_fields),
        rules = COALESCE(${patch.rules ? JSON.stringify(patch.rules) : null}::jsonb, rules),
        archived = COALESCE(${patch.archived ?? null}::boolean, archived),
        version = version + 1, updated_at = now()
      WHERE id = ${obj.id}`.execute(tx);
    // An admin's list defaults (null: none) are theirs from now on: a module install no longer replaces them.
    if (patch.listDefaults !== undefined) {
      await sql`UPDATE meta_object SET list_defaults = ${patch.listDefaults ? JSON.stringify(patch.listDefaults) : null}::jsonb, list_defaults_custom = true
        WHERE id = ${obj.id}`.execute(tx);
    }
    await audit(tx, ctx, 'meta.object.update', apiName, patch);
    // Relabelling and list defaults are cosmetic (how the web opens a list); archiving, new rules,
    // another title or search fields change what requests accept.
    return Object.keys(patch).some((k) => !COSMETIC_OBJECT_KEYS.has(k)) ? NARROWING : undefined;
  });
  ctx.store.invalidate(ctx.tenantId);
  const objects = await ctx.store.objects(ctx.tenantId);
  return objects.get(apiName)!;
}

const COSMETIC_OBJECT_KEYS = new Set(['label', 'pluralLabel', 'listDefaults']);

/**
 * The list defaults a module ships for an object (installObjects): set while no admin has set
 * their own (list_defaults_custom), so a newer module's defaults reach existing tenants and an
 * admin's choice stays. Nothing written when they are already these. Returns whether it wrote.
 */
export async function installListDefaults(ctx: MetaCtx, apiName: string, input: TListDefaults): Promise<boolean> {
  const ld = parseOrThrow(ZListDefaults, input, 'META_INVALID');
  const stored = (await ctx.store.objects(ctx.tenantId)).get(apiName);
  if (!stored || stored.listDefaultsCustom || isDeepStrictEqual(stored.listDefaults, ld)) return false;
  let wrote = false;
  await inMetaTx(ctx, async (tx, objects) => {
    const obj = objectOrThrow(objects, apiName, true);
    if (obj.listDefaultsCustom || isDeepStrictEqual(obj.listDefaults, ld)) return; // an admin's, or another process got here first
    checkListDefaults(objects, obj, ld);
    await sql`UPDATE meta_object SET list_defaults = ${JSON.stringify(ld)}::jsonb WHERE id = ${obj.id}`.execute(tx);
    await audit(tx, ctx, 'meta.object.list_defaults', apiName, { listDefaults: ld, shipped: true });
    wrote = true;
  });
  return wrote;
}

export async function addField(ctx: MetaCtx, objectApiName: string, input: TCreateField | unknown): Promise<FieldMeta> {
  const def = parseOrThrow(ZCreateField, input, 'META_INVALID');
  await inMetaTx(ctx, async (tx, objects) => {
    const obj = objectOrThrow(objects, objectApiName);
    await addFieldInTx(ctx, tx, objects, obj, { ...def, position: def.position ?? 100 + obj.fields.length }, '');
    await audit(tx, ctx, 'meta.field.create', objectApiName, { field: def.apiName, type: def.type });
    // A new field is additive, unless it is required: a process still without it would create records lacking it.
    return def.required ? NARROWING : undefined;
  });
  const obj = await ctx.store.objectOrThrow(ctx.tenantId, objectApiName);
  return fieldOf(obj, def.apiName)!;
}

async function addFieldInTx(ctx: MetaCtx, tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, def: ReturnType<typeof ZCreateField.parse>, at: string): Promise<FieldMeta> {
  if (obj.fields.some((f) => f.apiName === def.apiName)) {
    throw new AppError('FIELD_EXISTS', `${at}apiName: "${def.apiName}" already exists on ${obj.apiName} (archived fields keep their name)`, { field: `${at}apiName` });
  }
  const field: FieldMeta = {
    id: newId(), objectId: obj.id, apiName: def.apiName, columnName: null, type: def.type, label: def.label,
    required: def.required, unique: def.unique, indexed: def.indexed, defaultValue: def.defaultValue ?? null,
    config: { ...def.config }, position: def.position ?? 100, system: false, readOnly: FIELD_TYPE_DEFS[def.type].computed === true, archived: false,
  };
  validateFieldDef(objects, obj, field, at);
  const target = targetTableOf(objects, field);
  if (field.config.searchable && !obj.isChild) await lockSearchSync(tx, obj.tableName);
  field.columnName = await addColumn(tx, ctx.tenantId, obj, field, target);
  await insertField(tx, ctx.tenantId, field);
  // The gram triggers watch every tenant's searchable columns (migration 0066): a new one may add a
  // column to them, or give the table its first. No rebuild: the tenant's values of a new field are empty.
  if (field.config.searchable && !obj.isChild) await sql`SELECT mosaic_search_sync(${obj.tableName}, ${ctx.tenantId}::uuid)`.execute(tx);
  obj.fields.push(field);
  if (field.type === 'rollup' || (field.type === 'formula' && hasColumn(field))) await backfillComputed(tx, objects, obj, field);
  return field;
}

export async function updateField(ctx: MetaCtx, objectApiName: string, fieldApiName: string, input: TUpdateField | unknown): Promise<FieldMeta> {
  const patch = parseOrThrow(ZUpdateField, input, 'META_INVALID');
  await inMetaTx(ctx, async (tx, objects) => {
    const obj = objectOrThrow(objects, objectApiName);
    const field = obj.fields.find((f) => f.apiName === fieldApiName);
    if (!field) throw new AppError('FIELD_UNKNOWN', `${objectApiName} has no field "${fieldApiName}"`, { field: fieldApiName });
    if (field.system) throw new AppError('FIELD_READ_ONLY', `${fieldApiName} is a standard field and cannot be changed`, { field: fieldApiName });
    if (patch.type && patch.type !== field.type) {
      const same = FIELD_TYPE_DEFS[patch.type].sqlType({ ...field, type: patch.type }) === FIELD_TYPE_DEFS[field.type].sqlType(field) && hasColumn({ ...field, type: patch.type });
      if (!same) throw new AppError('FIELD_TYPE_CHANGE', `type: ${field.type} cannot become ${patch.type} (the stored values differ); add a new field and import into it`, { field: 'type' });
    }
    // Relabelling never renames: the API name and the column stay as they are.
    const next: FieldMeta = {
      ...field, type: patch.type ?? field.type, label: patch.label ?? field.label, required: patch.required ?? field.required,
      unique: patch.unique ?? field.unique, indexed: patch.indexed ?? field.indexed, position: patch.position ?? field.position,
      defaultValue: patch.defaultValue !== undefined ? patch.defaultValue : field.defaultValue,
      config: patch.config ? { ...field.config, ...patch.config } : field.config, archived: patch.archived ?? field.archived,
    };
    if (next.config.target !== field.config.target) throw new AppError('FIELD_TYPE_CHANGE', 'config.target: a link cannot be re-pointed', { field: 'config.target' });
    validateFieldDef(objects, obj, next, '');
    const regrams = !!next.config.searchable !== !!field.config.searchable || (next.config.searchable && next.archived !== field.archived);
    if (regrams) await lockSearchSync(tx, obj.tableName);
    if (next.columnName) {
      if (next.unique && !field.unique) await assertNoDuplicates(tx, obj, next);
      await syncIndexes(tx, ctx.tenantId, obj.tableName, next.columnName, next);
    }
    await sql`UPDATE meta_field SET type = ${next.type}, label = ${JSON.stringify(next.label)}, required = ${next.required}, is_unique = ${next.unique},
        indexed = ${next.indexed}, position = ${next.position}, default_value = ${JSON.stringify(next.defaultValue ?? null)}, config = ${JSON.stringify(next.config)},
        archived = ${next.archived}, updated_at = now() WHERE id = ${field.id}`.execute(tx);
    // The grams follow the searchable fields (migrations 0065, 0066): the triggers re-made and the
    // tenant's grams rebuilt when that set changes, the tenant's writes to the table held off until this commits.
    if (regrams) {
      await sql`SELECT mosaic_search_reindex(${obj.tableName}, ${ctx.tenantId}::uuid)`.execute(tx);
    }
    const narrows = narrowsField(field, next);
    Object.assign(field, next);
    if (patch.config?.formula && next.type === 'formula' && next.columnName) await backfillComputed(tx, objects, obj, next);
    await audit(tx, ctx, 'meta.field.update', objectApiName, { field: fieldApiName, patch });
    return narrows ? NARROWING : undefined;
  });
  return (await ctx.store.objectOrThrow(ctx.tenantId, objectApiName)).fields.find((f) => f.apiName === fieldApiName)!;
}

/**
 * Removes a field. A field that holds data is archived (hidden, data kept)
 * unless `force` is set; forcing clears this tenant's values and drops the
 * metadata. The column itself stays while other tenants' fields may use it.
 */
export async function removeField(ctx: MetaCtx, objectApiName: string, fieldApiName: string, opts: { force?: boolean } = {}): Promise<{ archived: boolean; deleted: boolean }> {
  let result = { archived: false, deleted: false };
  await inMetaTx(ctx, async (tx, objects) => {
    const obj = objectOrThrow(objects, objectApiName);
    const field = obj.fields.find((f) => f.apiName === fieldApiName);
    if (!field) throw new AppError('FIELD_UNKNOWN', `${objectApiName} has no field "${fieldApiName}"`, { field: fieldApiName });
    if (field.system) throw new AppError('FIELD_READ_ONLY', `${fieldApiName} is a standard field and cannot be removed`, { field: fieldApiName });
    if (obj.titleField === fieldApiName) throw new AppError('CONFLICT', `${fieldApiName} is the object's title field; choose another title first`, { field: fieldApiName });
    if (field.config.searchable) await lockSearchSync(tx, obj.tableName);
    const hasData = field.columnName
      ? (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(obj.tableName)} WHERE ${sql.id(field.columnName)} IS NOT NULL LIMIT 1`.execute(tx)).rows[0].n > 0
      : false;
    if (hasData && !opts.force) {
      await sql`UPDATE meta_field SET archived = true, updated_at = now() WHERE id = ${field.id}`.execute(tx);
      result = { archived: true, deleted: false };
    } else {
      if (hasData && field.columnName) {
        if (field.unique) await syncIndexes(tx, ctx.tenantId, obj.tableName, field.columnName, { ...field, unique: false, indexed: false });
        const extra = FIELD_TYPE_DEFS[field.type].extraColumns?.(field) ?? [];
        const sets = [field.columnName, ...extra.map((e) => field.columnName + e.suffix)].map((c) => sql`${sql.id(c)} = NULL`);
        await sql`UPDATE ${sql.id(obj.tableName)} SET ${sql.join(sets)}`.execute(tx);
      }
      await sql`DELETE FROM meta_field WHERE id = ${field.id}`.execute(tx);
      result = { archived: false, deleted: true };
    }
    if (field.config.searchable) await sql`SELECT mosaic_search_reindex(${obj.tableName}, ${ctx.tenantId}::uuid)`.execute(tx);
    await audit(tx, ctx, 'meta.field.remove', objectApiName, { field: fieldApiName, ...result, force: !!opts.force });
    return NARROWING;
  });
  return result;
}

// ---------------------------------------------------------------- helpers

/**
 * Makes the float8 range-key columns (ADR 0011) that indexed decimal/money/percent
 * fields lack: fields indexed before range keys existed have none, and their number
 * filters name the key. One catalogue query when nothing is missing (every start);
 * the DDL runs only for what is. Returns the columns it made.
 */
export async function ensureRangeKeys(ctx: MetaCtx): Promise<string[]> {
  const wanted = [...(await ctx.store.objects(ctx.tenantId)).values()].flatMap((obj) =>
    obj.fields.flatMap((f) => {
      const key = f.columnName && !f.archived ? rangeKeyColumn(f) : null;
      return key ? [{ obj, field: f, table: obj.tableName, key }] : [];
    }));
  if (!wanted.length) return [];
  const present = new Set((await sql<{ k: string }>`SELECT t.name || '.' || a.attname AS k FROM unnest(${[...new Set(wanted.map((w) => w.table))]}::text[]) AS t(name)
      JOIN pg_attribute a ON a.attrelid = to_regclass(t.name) WHERE a.attname = ANY(${wanted.map((w) => w.key)}::text[]) AND NOT a.attisdropped`
    .execute(ctx.db.owner)).rows.map((r) => r.k));
  const missing = wanted.filter((w) => !present.has(`${w.table}.${w.key}`));
  if (!missing.length) return [];
  await inMetaTx(ctx, async (tx) => {
    for (const m of missing) await syncIndexes(tx, ctx.tenantId, m.table, m.field.columnName!, m.field);
  });
  return missing.map((m) => `${m.table}.${m.key}`);
}

/** What a change's body returns when it narrows what requests may do (see inMetaTx). */
const NARROWING = 'narrowing' as const;

/**
 * Whether a field change may refuse or hide something the old definition allowed
 * (or the reverse): anything but a new label, position, index or added select
 * options. Conservative on purpose — the cost is one barrier wait on a rare admin change.
 */
export function narrowsField(before: FieldMeta, after: FieldMeta): boolean {
  // searchable only chooses how `contains` finds its candidates; the ILIKE still decides the rows.
  const material = (f: FieldMeta) => ({ ...f, label: null, position: null, indexed: null, config: { ...f.config, options: null, searchable: null } });
  if (!isDeepStrictEqual(material(before), material(after))) return true;
  const kept = new Set((after.config.options ?? []).map((o) => o.value));
  return (before.config.options ?? []).some((o) => !kept.has(o.value));
}

/**
 * One metadata change: its own transaction on the owner pool. Tables are shared by
 * tenants, so two tenants' changes (or a change and a request's writes) can take
 * two tables' locks in the other order — ALTER TABLE a, then a foreign key to b,
 * beside the reverse — and PostgreSQL aborts one with a deadlock. The loser did
 * nothing, so it runs again: `fn` loads the metadata afresh inside each try and
 * keeps its effects in the database.
 */
async function inMetaTx(ctx: MetaCtx, fn: (tx: Tx, objects: Map<string, ObjectMeta>) => Promise<typeof NARROWING | void>): Promise<void> {
  if (!isUuid(ctx.tenantId)) throw new AppError('UNAUTHENTICATED');
  const once = () =>
    ctx.db.owner.transaction().execute(async (tx) => {
      await setTenant(tx, { tenantId: ctx.tenantId, userId: ctx.userId });
      // One metadata change at a time per tenant: the checks below read what the previous one wrote.
      await sql`SELECT pg_advisory_xact_lock(hashtext('meta:' || ${ctx.tenantId}))`.execute(tx);
      const objects = await loadObjects(tx);
      const result = await fn(tx, objects);
      await sql`SELECT pg_notify('mosaic_meta', ${ctx.tenantId})`.execute(tx);
      return result === NARROWING;
    });
  const narrowing = await retryOnLockConflict(once, ctx.outerRetry ? { attempts: 1 } : {});
  ctx.store.invalidate(ctx.tenantId);
  // A removing or narrowing change (ADR 0012) answers only once every process has
  // dropped its metadata: a process still holding the old definition would accept a
  // removed option, or a record without a now-required field. Additions are not
  // waited for: a process that does not see them yet refuses (404/400), it leaks nothing.
  if (narrowing) await awaitCachesDropped(ctx.db.owner, ['mosaic_meta']);
}

function objectOrThrow(objects: Map<string, ObjectMeta>, apiName: string, includeArchived = false): ObjectMeta {
  const obj = objects.get(apiName);
  if (!obj || (obj.archived && !includeArchived)) throw new AppError('OBJECT_UNKNOWN', `No object named "${String(apiName).slice(0, 64)}".`, { field: 'object' });
  return obj;
}

/**
 * The table's gram-sync lock (migration 0068), taken by a change that will sync or rebuild the
 * table's grams BEFORE it alters, indexes or writes the table: then every metadata change takes
 * that lock first and the table's locks after it, and two tenants' changes of one shared table
 * cannot wait on each other in a circle (ADR 0009, update 0068).
 */
async function lockSearchSync(tx: Tx, table: string): Promise<void> {
  await sql`SELECT mosaic_search_sync_lock(${table})`.execute(tx);
}

async function insertField(tx: Tx, tenantId: string, f: FieldMeta): Promise<void> {
  await sql`INSERT INTO meta_field (tenant_id, id, object_id, api_name, column_name, type, label, required, is_unique, indexed, default_value, config, position, system, read_only, archived)
    VALUES (${tenantId}, ${f.id}, ${f.objectId}, ${f.apiName}, ${f.columnName}, ${f.type}, ${JSON.stringify(f.label)}, ${f.required}, ${f.unique}, ${f.indexed},
      ${JSON.stringify(f.defaultValue ?? null)}, ${JSON.stringify(f.config)}, ${f.position}, ${f.system}, ${f.readOnly}, ${f.archived})`.execute(tx);
}

async function assertNoDuplicates(tx: Tx, obj: ObjectMeta, field: FieldMeta): Promise<void> {
  const dup = await sql<{ v: unknown }>`SELECT ${sql.id(field.columnName!)} AS v FROM ${sql.id(obj.tableName)}
    WHERE ${sql.id(field.columnName!)} IS NOT NULL GROUP BY 1 HAVING count(*) > 1 LIMIT 1`.execute(tx);
  if (dup.rows.length) throw new AppError('FIELD_NOT_UNIQUE', `unique: existing records share the value "${String(dup.rows[0].v).slice(0, 50)}"`, { field: 'unique' });
}

/** Fills a new stored formula or roll-up for the rows that already exist. */
async function backfillComputed(tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, field: FieldMeta): Promise<void> {
  const { recomputeColumnSql } = await import('./computed.sql.ts');
  // The tenant's zone: a stored TODAY() or a datetime's date is the tenant's day.
  const timeZone = (await sql<{ tz: string }>`SELECT time_zone AS tz FROM tenant`.execute(tx)).rows[0]?.tz ?? DEFAULT_TIME_ZONE;
  const expr = recomputeColumnSql(objects, obj, field, 't', timeZone);
  if (expr) await sql`UPDATE ${sql.id(obj.tableName)} AS t SET ${sql.id(field.columnName!)} = ${expr}`.execute(tx);
}

async function audit(tx: Tx, ctx: MetaCtx, kind: string, object: string, detail: unknown): Promise<void> {
  await sql`INSERT INTO audit_log (tenant_id, actor_id, kind, object, detail) VALUES (${ctx.tenantId}, ${ctx.userId}, ${kind}, ${object}, ${JSON.stringify(detail)})`.execute(tx);
}
