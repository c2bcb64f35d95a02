import { sql, type RawBuilder } from 'kysely';
import { AppError, isUuid } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { Action } from '@mosaic/access';
import type { FieldMeta, ObjectMeta } from '@mosaic/meta';
import { logChangesThenRead, type Change } from './change-log.ts';
import { JoinScope } from './join-scope.ts';
import { evalContextOf, type RecordsCtx } from './records.context.ts';
import { childRowsQuery, selectedFields, selectList, whereSql } from './records.query.ts';
import { shapeRow } from './records.serialize.ts';

/**
 * The reads of a document transition (submit, cancel), in as few statements as
 * the answers allow (issue 8): the row lock, the record as getRecord answers
 * it and the rows of its (first) child table are one statement; at the end the audit entry, the
 * event and the record after the hooks are one statement, and the child rows are
 * read again only if the transaction changed them (a validate hook stamping lines).
 */
export interface LockedRecord {
  status: string;
  version: number;
  record: Record<string, unknown>;
  /** The value of the caller's `extra` column (see lockAndRead), if it gave one. */
  extra?: unknown;
  /** The compiled reads, reused by logAndReread (building them is most of a transition's own CPU). */
  reads: { head: HeadQuery; children: ChildTable[] };
}

type HeadQuery = ReturnType<typeof headQuery>;
type ChildTable = ReturnType<typeof childTables>[number];

/**
 * Locks the row for `action` (its record scope) and reads it as the user may read it (read scope, field rights).
 * `extra`: one more expression the caller needs in the same transaction (a submit's active approval flows),
 * read by the same statement instead of one of its own.
 */
export async function lockAndRead(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, id: string, action: Action, extra?: RawBuilder<unknown>): Promise<LockedRecord> {
  if (typeof id !== 'string' || !isUuid(id)) throw new AppError('RECORD_NOT_FOUND', `No ${obj.apiName} with id ${String(id).slice(0, 40)}.`);
  const head = headQuery(ctx, objects, obj);
  const mayAct = whereSql(ctx, head.scope, obj, { field: 'id', op: 'eq', value: id }, action);
  const children = childTables(ctx, objects, obj, id);
  // The first child table rides along (a document's lines): joined to the locked head row, one result
  // row per child row (one with NULLs when there is none), its columns renamed "$c:<alias>" and kept in
  // the child query's order by "$c:#". Further child tables (rare) are read one statement each.
  const [lines, ...others] = children;
  const lineAliases = lines ? lines.selected.flatMap(({ path, money }) => (money ? [path, `${path}$ccy`] : [path])) : [];
  const r = await sql<Record<string, unknown>>`SELECT ${sql.join(head.columns)}, t.status AS "$status", t.version AS "$version"${extra ? sql`, ${extra} AS "$extra"` : sql``}
    ${lines ? sql`, ${sql.join([...lineAliases, '#'].map((k) => sql`c.${sql.id(k)} AS ${sql.id(`$c:${k}`)}`))}` : sql``}
    FROM ${sql.id(obj.tableName)} AS t ${head.scope.joinSql()}
    ${lines ? sql`LEFT JOIN (SELECT q.*, row_number() OVER () AS "#" FROM (${lines.query}) AS q) AS c ON true` : sql``}
    WHERE ${mayAct} AND ${head.mayRead} ${lines ? sql`ORDER BY c."#"` : sql``} FOR UPDATE OF t`.execute(tx);
  if (!r.rows.length) throw new AppError('RECORD_NOT_FOUND', `No ${obj.apiName} with id ${id}.`);
  const record = shapeRow(r.rows[0], head.selected);
  if (lines) {
    record[lines.field.apiName] = r.rows.filter((row) => row['$c:#'] !== null && row['$c:#'] !== undefined)
      .map((row) => shapeRow(Object.fromEntries(lineAliases.map((k) => [k, row[`$c:${k}`]])), lines.selected));
  }
  for (const c of others) record[c.field.apiName] = (await c.query.execute(tx)).rows.map((row) => shapeRow(row, c.selected));
  return { status: r.rows[0].$status as string, version: r.rows[0].$version as number, extra: r.rows[0].$extra, record, reads: { head, children } };
}

/**
 * Logs the transition's change and reads the record as it ends. `before` is the record lockAndRead
 * gave (as it was before the hooks): its child rows are kept unless a row of theirs was written in
 * this transaction (its xmin is the transaction's, as the head's is after the status UPDATE) or
 * their count changed (a hook deleted one): then they are read again, so the reply matches a GET.
 */
export async function logAndReread(ctx: RecordsCtx, tx: Tx, obj: ObjectMeta, id: string, change: Change, locked: LockedRecord, before: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { head, children } = locked.reads;
  // Written in this transaction (xmin), or fewer rows than before: a hook deleted one (a deleted row leaves no xmin to see).
  const touched = children.map((c, i) => {
    const had = Array.isArray(before[c.field.apiName]) ? (before[c.field.apiName] as unknown[]).length : 0;
    return sql`(EXISTS (SELECT 1 FROM ${sql.id(c.table)} AS c WHERE c.parent_id = t.id AND c.xmin = t.xmin)
      OR (SELECT count(*) FROM ${sql.id(c.table)} AS c WHERE c.parent_id = t.id) <> ${had}) AS ${sql.id(`$touched${i}`)}`;
  });
  const rows = await logChangesThenRead<Record<string, unknown>>(tx, ctx.guard.actor, [change],
    sql`SELECT ${sql.join([...head.columns, ...touched])} FROM ${sql.id(obj.tableName)} AS t ${head.scope.joinSql()} WHERE t.id = ${id} AND ${head.mayRead}`);
  if (!rows.length) throw new AppError('RECORD_NOT_FOUND', `No ${obj.apiName} with id ${id}.`);
  const record = shapeRow(rows[0], head.selected);
  for (const [i, c] of children.entries()) {
    record[c.field.apiName] = rows[0][`$touched${i}`] ? (await c.query.execute(tx)).rows.map((row) => shapeRow(row, c.selected)) : before[c.field.apiName];
  }
  return record;
}

function headQuery(ctx: RecordsCtx, objects: Map<string, ObjectMeta>, obj: ObjectMeta): { scope: JoinScope; selected: { path: string; field: FieldMeta }[]; columns: RawBuilder<unknown>[]; mayRead: RawBuilder<unknown> } {
  const scope = new JoinScope(objects, obj, ctx.guard, evalContextOf(ctx));
  const selected = selectedFields(scope, obj, undefined);
  const columns = selectList(scope, obj, selected, true);
  return { scope, selected, columns, mayRead: whereSql(ctx, scope, obj, undefined, 'read') };
}

/** The child tables getRecord returns (those the user may read), each with its query. */
function childTables(ctx: RecordsCtx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, id: string) {
  return obj.fields
    .filter((f) => f.type === 'child_table' && !f.archived && ctx.guard.canReadField(obj, f))
    .map((f) => ({ field: f, table: objects.get(f.config.target!)!.tableName, ...childRowsQuery(ctx, objects, f, id) }));
}
