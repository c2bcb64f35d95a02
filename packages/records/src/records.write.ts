import { sql } from 'kysely';
import { AppError, newId } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import { FIELD_TYPE_DEFS, evaluateFormula, parseFormula, type FieldMeta, type ObjectMeta } from '@mosaic/meta';
import { assignNumbers, numberSql } from './auto-number.ts';
import { checkRowFiles } from './files/check-files.ts';
import { logChanges, type Change } from './change-log.ts';
import { mapPgError } from './pg-errors.ts';
import { checkRules, refreshComputed, refreshDependents, storedComputedFields } from './recompute.ts';
import { fillCompanyCurrency, isEmpty, prepareRow, setValue, type PreparedRow } from './record-values.ts';
import { evalContextOf, type RecordsCtx } from './records.context.ts';
import { readableObject, recordAfterWrite } from './records.query.ts';
import { ReplyRows } from './reply-rows.ts';
import { hasPrepareHooks, runAfterWrite, runPrepareCreate } from './record-hooks.ts';
import { enforceWriteScope } from './write-scope.ts';

/**
 * Creating records — one or many in one transaction (all or nothing). For each
 * row: refuse what may not be set, coerce, apply defaults, check required,
 * number it, insert it with its child rows; then refresh computed fields,
 * check validation rules and log events and audit entries for every row.
 */
export async function createRecords(ctx: RecordsCtx, objectApiName: string, inputs: unknown[], opts: { tx?: Tx; reply?: ReplyRows } = {}): Promise<{ id: string; version: number }[]> {
  const { objects, obj } = await readableObject(ctx, objectApiName, 'create');
  if (inputs.length > 10_000) throw new AppError('BAD_REQUEST', 'at most 10,000 records per call', { field: 'records' });
  const bulk = inputs.length > 1;
  const prepare = (list: unknown[]) => list.map((input, i) => prepareForCreate(ctx, obj, input, bulk ? `${i}.` : ''));
  // Checked before the transaction opens, unless a module's hook first fills inputs in (record-hooks.ts).
  const early = hasPrepareHooks(obj.apiName) ? null : prepare(inputs);
  const run = async (tx: Tx) => {
    try {
      const rows = early ?? prepare(await runPrepareCreate({ ctx, tx, objects, obj, inputs }));
      await checkRowFiles(tx, obj, rows, (i) => (bulk ? `${i}.` : ''));
      const ids = await insertRows(ctx, tx, objects, obj, rows, null, opts.reply);
      await refreshComputed(tx, objects, obj, ids, ctx.guard.actor.timeZone, opts.reply);
      const links = linkKeys(obj, rows.map((r) => r.columns));
      // A record linking to itself may have its own roll-ups refreshed below, after its RETURNING.
      if ([...links.values()].some((set) => ids.some((id) => set.has(id)))) opts.reply?.invalidate();
      await refreshDependents(tx, objects, obj, links, ctx.guard.actor.timeZone);
      await checkRules(tx, objects, obj, ids, evalContextOf(ctx), ctx.guard.actor.locale);
      await enforceWriteScope(ctx, tx, objects, obj, ids, 'create', { reply: opts.reply, at: bulk ? (id) => `${ids.indexOf(id)}.` : undefined });
      await runAfterWrite({ ctx, tx, objects, obj, ids, op: 'create' });
      await logChanges(tx, ctx.guard.actor, rows.map((r, i) => ({ object: obj.apiName, recordId: ids[i], op: 'create', changes: createdChanges(r) })));
      return ids.map((id) => ({ id, version: 1 }));
    } catch (e) {
      return mapPgError(e, obj, 'write');
    }
  };
  return opts.tx ? run(opts.tx) : inTenantTx(ctx.db.app, scopeOf(ctx), run);
}

export async function createRecord(ctx: RecordsCtx, objectApiName: string, input: unknown): Promise<Record<string, unknown>> {
  const { objects, obj } = await readableObject(ctx, objectApiName, 'read');
  return inTenantTx(ctx.db.app, scopeOf(ctx), async (tx) => {
    // The reply comes from the writes' RETURNING; read back only where that cannot say it (reply-rows.ts).
    const reply = new ReplyRows(ctx, objects, obj);
    const [{ id }] = await createRecords(ctx, objectApiName, [input], { tx, reply });
    return reply.record(id) ?? recordAfterWrite(ctx, objectApiName, id, tx);
  });
}

function prepareForCreate(ctx: RecordsCtx, obj: ObjectMeta, input: unknown, at: string): PreparedRow {
  const row = prepareRow(obj, ctx.guard, input, 'create', at);
  applyDefaults(ctx, obj, row, at);
  for (const f of obj.fields) {
    if (f.required && !f.archived && f.columnName && isEmpty(row.values[f.apiName])) {
      throw new AppError('FIELD_REQUIRED', `${at}${f.apiName}: ${f.label.zh} is required`, { field: `${at}${f.apiName}` });
    }
    if (f.required && f.type === 'child_table' && !row.children.find((c) => c.field === f)?.rows.length) {
      throw new AppError('FIELD_REQUIRED', `${at}${f.apiName}: needs at least one row`, { field: `${at}${f.apiName}` });
    }
  }
  return row;
}

/** Defaults: a literal, or a formula over the row's own values (e.g. TODAY(), amount * 0.13). */
export function applyDefaults(ctx: RecordsCtx, obj: ObjectMeta, row: PreparedRow, at: string): void {
  for (const f of obj.fields) {
    if (f.archived || f.system || !f.columnName || f.defaultValue === null || f.defaultValue === undefined) continue;
    if (f.apiName in row.values || FIELD_TYPE_DEFS[f.type].computed) continue;
    let value: unknown = f.defaultValue;
    if (typeof value === 'object' && value !== null && 'formula' in value) {
      const ast = parseFormula(String((value as { formula: unknown }).formula));
      value = evaluateFormula(ast, { get: (p: string) => row.values[p] ?? null }, evalContextOf(ctx));
      if (value !== null && typeof value === 'object' && 'toFixed' in (value as object)) value = String(value);
    }
    setValue(row, f, value, `${at}${f.apiName}`);
  }
}

/** Inserts prepared rows (and, recursively, their child rows); returns their ids in order. */
async function insertRows(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, rows: PreparedRow[], parentId: string | null, reply?: ReplyRows): Promise<string[]> {
  if (!rows.length) return [];
  const a = ctx.guard.actor;
  await fillCompanyCurrency(tx, a, obj, rows);
  const ev = evalContextOf(ctx);
  const numbered = obj.fields.filter((x) => x.type === 'auto_number' && !x.archived && x.columnName);
  // One row with one number (a document created through the API): the INSERT draws it itself, its
  // counter's upsert a CTE of the same statement (numberSql), and RETURNs it — one round trip less.
  const inline = rows.length === 1 && numbered.length === 1 ? { field: numbered[0], ...numberSql(obj, numbered[0], rows[0].values, a.companyId, ev.now, ev.timeZone) } : null;
  if (inline) rows[0].columns[inline.field.columnName!] = sql`(SELECT ${inline.value} FROM num)`;
  for (const f of inline ? [] : numbered) {
    const numbers = await assignNumbers(tx, obj, f, rows, a.companyId, ev.now, ev.timeZone);
    rows.forEach((r, i) => {
      r.columns[f.columnName!] = numbers[i];
      r.values[f.apiName] = numbers[i];
    });
  }
  const ids = rows.map((r) => r.id ?? newId());
  const standard: Record<string, (i: number) => unknown> = obj.isChild
    ? { id: (i) => ids[i], parent_id: () => parentId, idx: (i) => i }
    : { id: (i) => ids[i], company_id: () => a.companyId, owner_id: () => a.userId, department_id: () => a.departmentId, created_by: () => a.userId, updated_by: () => a.userId };
  const dataColumns = [...new Set(rows.flatMap((r) => Object.keys(r.columns)))];
  const columns = ['tenant_id', ...Object.keys(standard), ...dataColumns];
  const types = columnTypes(obj);
  const cells = (r: PreparedRow, i: number) => [a.tenantId, ...Object.values(standard).map((fn) => fn(i)), ...dataColumns.map((c) => r.columns[c] ?? null)];
  const arrayColumn = columns.some((c) => types.get(c)?.endsWith('[]'));
  // Rows with stored formulas or roll-ups are written again by refreshComputed, whose RETURNING answers for them.
  const returning = hasStoredComputed(obj) ? null : reply?.returning(obj);
  const drawn = inline ? sql`t.${sql.id(inline.field.columnName!)} AS "$number"` : null;
  const tail = returning ? sql` RETURNING ${returning}${drawn ? sql`, ${drawn}` : sql``}` : drawn ? sql` RETURNING ${drawn}` : sql``;
  const head = inline ? sql`WITH ${inline.cte} ` : sql``;
  for (let start = 0; start < rows.length; start += 1000) {
    const batch = rows.slice(start, start + 1000).map((r, j) => cells(r, start + j));
    if (arrayColumn || batch.length < 4) {
      // Array columns cannot go through unnest (it flattens them): plain VALUES.
      const values = batch.map((row) => sql`(${sql.join(row)})`);
      const r = await sql<Record<string, unknown>>`${head}INSERT INTO ${sql.id(obj.tableName)} AS t (${sql.join(columns.map((c) => sql.id(c)))}) VALUES ${sql.join(values)}${tail}`.execute(tx);
      if (inline) {
        const number = r.rows[0].$number as string;
        rows[0].columns[inline.field.columnName!] = number;
        rows[0].values[inline.field.apiName] = number;
      }
      if (returning) reply!.take(obj, r.rows);
    } else {
      // One array parameter per column instead of one parameter per cell: far less to bind
      // and parse. (Measured against one JSON parameter read by json_array_elements /
      // json_to_recordset for issue 2: those cost the server more than they save here.)
      const arrays = columns.map((c, k) => sql`${batch.map((row) => row[k])}::${sql.raw(arrayType(types.get(c) ?? 'text'))}`);
      const r = await sql<Record<string, unknown>>`INSERT INTO ${sql.id(obj.tableName)} AS t (${sql.join(columns.map((c) => sql.id(c)))}) SELECT * FROM unnest(${sql.join(arrays)})${tail}`.execute(tx);
      if (returning) reply!.take(obj, r.rows);
    }
  }
  for (const [i, r] of rows.entries()) {
    for (const { field, rows: childInputs } of r.children) await insertChildren(ctx, tx, objects, field, childInputs, ids[i], `${field.apiName}.`, reply);
  }
  return ids;
}

async function insertChildren(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, field: FieldMeta, inputs: unknown[], parentId: string, at: string, reply?: ReplyRows): Promise<void> {
  const child = objects.get(field.config.target!)!;
  const rows = inputs.map((input, i) => prepareForCreate(ctx, child, input, `${at}${i}.`));
  await checkRowFiles(tx, child, rows, (i) => `${at}${i}.`);
  const ids = await insertRows(ctx, tx, objects, child, rows, parentId, reply);
  await refreshComputed(tx, objects, child, ids, ctx.guard.actor.timeZone, reply);
  await checkRules(tx, objects, child, ids, evalContextOf(ctx), ctx.guard.actor.locale);
}

/** Whether refreshComputed will UPDATE the rows: it does when computedAssignments has fields to write. */
export function hasStoredComputed(obj: ObjectMeta): boolean {
  return storedComputedFields(obj).length > 0;
}

/** Link values by column, to refresh roll-ups of the records they point at. */
export function linkKeys(obj: ObjectMeta, columnSets: Record<string, unknown>[], extra: Record<string, unknown>[] = []): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const linkCols = obj.fields.filter((f) => f.type === 'link' && f.columnName).map((f) => f.columnName!);
  if (obj.isChild) linkCols.push('parent_id');
  for (const cols of [...columnSets, ...extra]) {
    for (const c of linkCols) {
      const v = cols[c];
      if (typeof v === 'string') (out.get(c) ?? out.set(c, new Set()).get(c)!).add(v);
    }
  }
  return out;
}

function createdChanges(r: PreparedRow): Change['changes'] {
  return Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, [null, v]]));
}

export function scopeOf(ctx: RecordsCtx) {
  return { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId };
}

const STANDARD_TYPES: Record<string, string> = {
  tenant_id: 'uuid', id: 'uuid', company_id: 'uuid', owner_id: 'uuid', department_id: 'uuid', created_by: 'uuid', updated_by: 'uuid', parent_id: 'uuid', idx: 'integer',
};

/** The SQL type of every column of an object's table, for typed array parameters. */
function columnTypes(obj: ObjectMeta): Map<string, string> {
  const out = new Map(Object.entries(STANDARD_TYPES));
  for (const f of obj.fields) {
    if (!f.columnName || f.system) continue;
    out.set(f.columnName, FIELD_TYPE_DEFS[f.type].sqlType(f));
    for (const extra of FIELD_TYPE_DEFS[f.type].extraColumns?.(f) ?? []) out.set(f.columnName + extra.suffix, extra.sqlType);
  }
  return out;
}

/** numeric(20,2) → numeric[]; jsonb → jsonb[]; char(3) → text[]. */
function arrayType(sqlType: string): string {
  const base = sqlType.replace(/\(.*\)$/, '');
  return `${base === 'char' ? 'text' : base}[]`;
}
