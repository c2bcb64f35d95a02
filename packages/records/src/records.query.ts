import { sql, type RawBuilder } from 'kysely';
import { AppError, isUuid } from '@mosaic/kernel';
import { inTenantTx, tenantRead, type Tx } from '@mosaic/db';
import { compileFilter, correlatedScope, fieldOf, moneyBehind, parseFilter, type FieldMeta, type ObjectMeta } from '@mosaic/meta';
import { JoinScope } from './join-scope.ts';
import { GramChoice, tooCommonForGrams, type GramMode } from './gram-choice.ts';
import { evalContextOf, type RecordsCtx } from './records.context.ts';
import { shapeRow } from './records.serialize.ts';
import type { Action } from '@mosaic/access';

export interface ListRequest {
  filter?: unknown;
  /** "-amount,name": several fields, `-` for descending. */
  sort?: string;
  page?: number;
  pageSize?: number;
  /** Opaque keyset cursor from a previous reply; replaces `page`. */
  cursor?: string;
  /** Field paths to return; default: every readable stored field. */
  fields?: string[];
  /** Count all matches (default true). */
  total?: boolean;
  /** Add `$title` (the record's title field) to each row. */
  titles?: boolean;
}

/** Run inside the caller's transaction (several lists in one, as the 360° view and the kanban do) instead of one of its own. */
export interface ListOptions {
  tx?: Tx;
  /** `contains` through search_gram: chosen per query by a probe (default), or whenever it can serve (gram-choice.ts). */
  grams?: GramMode;
}

export interface ListReply {
  data: Record<string, unknown>[];
  total?: number;
  page: number;
  pageSize: number;
  nextCursor?: string | null;
}

export const MAX_PAGE_SIZE = 500;

/**
 *   SELECT "t"."id" AS "id", "j1"."c_region" AS "customer.region", …
 *   FROM "o_order" AS "t" LEFT JOIN "o_customer" AS "j1" ON …
 *   WHERE <filter> AND <read scope> ORDER BY "t"."c_amount" DESC NULLS FIRST, "t"."id" LIMIT $n OFFSET $m
 * (tenant isolation is row-level security; it is not in the SQL.)
 */
export async function listRecords(ctx: RecordsCtx, objectApiName: string, req: ListRequest, action: Action = 'read', opts: ListOptions = {}): Promise<ListReply> {
  const first = await prepareList(ctx, objectApiName, req, action);
  const run = async (tx: Tx) => {
    const list = await withGramChoice(ctx, tx, first, opts.grams, (scan) => prepareList(ctx, objectApiName, req, action, scan));
    return list.read((await sql<Record<string, unknown>>`${list.query}`.execute(tx)).rows);
  };
  return opts.tx ? run(opts.tx) : inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, run, { readOnly: true });
}

/**
 * Several lists of one object in one statement — one round trip instead of one per list (the
 * pipeline kanban: a page of cards and a count per stage). Each list is compiled exactly as
 * listRecords compiles it (guard, record scope, field rights); the replies come back in order.
 */
export async function listRecordsTogether(ctx: RecordsCtx, objectApiName: string, reqs: ListRequest[], opts: ListOptions = {}): Promise<ListReply[]> {
  if (!reqs.length) return [];
  const firsts = await Promise.all(reqs.map((r) => prepareList(ctx, objectApiName, r, 'read')));
  const run = async (tx: Tx) => {
    const lists: PreparedList[] = [];
    for (const [i, l] of firsts.entries()) lists.push(await withGramChoice(ctx, tx, l, opts.grams, (scan) => prepareList(ctx, objectApiName, reqs[i], 'read', scan)));
    // Every part has the same columns (same object, same fields asked): a UNION ALL, each row tagged with its part
    // and its place in that part's order, so the split does not rely on the order UNION ALL happens to keep.
    const parts = lists.map((l, i) => sql`SELECT ${i}::int AS "$part", row_number() OVER (ORDER BY ${l.orderOn('x')}) AS "$n", x.* FROM (${l.query}) x`);
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) u ORDER BY "$part", "$n"`.execute(tx)).rows;
    return lists.map((l, i) => l.read(rows.filter((r) => r.$part === i)));
  };
  return opts.tx ? run(opts.tx) : inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, run, { readOnly: true });
}

/** A list request compiled: its one statement (the page, with the count when asked), how to read its rows into a reply, and the `contains` queries search_gram could serve. */
interface PreparedList {
  query: RawBuilder<unknown>;
  read(rows: Record<string, unknown>[]): ListReply;
  orderOn(alias: string): RawBuilder<unknown>;
  gramsAsked: { table: string; text: string }[];
}

/** The list as compiled, or — when a probe finds some of its `contains` queries' grams too common — compiled again with those keeping the scan. */
async function withGramChoice(ctx: RecordsCtx, tx: Tx, list: PreparedList, mode: GramMode = 'auto', again: (scan: Set<string>) => Promise<PreparedList>): Promise<PreparedList> {
  if (mode === 'always' || !list.gramsAsked.length) return list;
  const scan = await tooCommonForGrams(tx, ctx.guard.actor.tenantId, list.gramsAsked);
  return scan.size ? again(scan) : list;
}

async function prepareList(ctx: RecordsCtx, objectApiName: string, req: ListRequest, action: Action, scan?: Set<string>): Promise<PreparedList> {
  const { objects, obj } = await readableObject(ctx, objectApiName, action);
  const pageSize = req.pageSize ?? 50;
  const page = req.page ?? 1;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new AppError('PAGE_INVALID', `pageSize: must be 1 to ${MAX_PAGE_SIZE}`, { field: 'pageSize' });
  if (!Number.isInteger(page) || page < 1 || page > 1_000_000) throw new AppError('PAGE_INVALID', 'page: must be a whole number from 1', { field: 'page' });

  const scope = new JoinScope(objects, obj, ctx.guard, evalContextOf(ctx));
  const choice = (scope.gramChoice = new GramChoice(scan));
  const selected = selectedFields(scope, obj, req.fields);
  const where = whereSql(ctx, scope, obj, req.filter, action);
  const sort = sortTerms(scope, req.sort);
  const columns = selectList(scope, obj, selected, req.titles);
  const cursor = req.cursor ? decodeCursor(req.cursor, sort.length) : null;
  const keyset = cursor ? sql` AND ${keysetSql(sort, cursor)}` : sql``;
  const offset = cursor ? 0 : (page - 1) * pageSize;
  const order = sql.join([...sort.map((s) => sql`${s.expr} ${s.desc ? sql`DESC NULLS FIRST` : sql`ASC NULLS LAST`}`), sql`${sql.ref('t.id')} ASC`]);
  const sortCols = sort.map((s, i) => sql`${s.expr} AS ${sql.id(`$s${i}`)}`);
  const withTotal = req.total !== false;

  const pageSql = sql`SELECT ${sql.join([...columns, ...sortCols, sql`${sql.ref('t.id')} AS "$id"`])}
      FROM ${sql.id(obj.tableName)} AS t ${scope.joinSql()}
      WHERE ${where}${keyset} ORDER BY ${order} LIMIT ${pageSize + 1} OFFSET ${offset}`;
  // With a count, the count and the page are one statement (one round trip, not two): the count's row always
  // comes back with the page joined to it — an empty page leaves one row whose "$id" is null.
  const orderOn = (alias: string) => sql.join([...sort.map((s, i) => sql`${sql.ref(`${alias}.$s${i}`)} ${s.desc ? sql`DESC NULLS FIRST` : sql`ASC NULLS LAST`}`), sql`${sql.ref(`${alias}.$id`)} ASC`]);
  const query = withTotal
    ? sql`SELECT p.*, c.n AS "$total"
        FROM (SELECT count(*)::bigint AS n FROM ${sql.id(obj.tableName)} AS t ${scope.joinSql()} WHERE ${where}) c
        LEFT JOIN LATERAL (${pageSql}) p ON true ORDER BY ${orderOn('p')}`
    : pageSql;
  const read = (all: Record<string, unknown>[]): ListReply => {
    const rows = withTotal ? all.filter((x) => x.$id !== null) : all;
    const more = rows.length > pageSize;
    const pageRows = rows.slice(0, pageSize);
    const data = pageRows.map((r) => shapeRow(r, selected));
    const last = pageRows[pageRows.length - 1];
    const reply: ListReply = { data, page: cursor ? 1 : page, pageSize, nextCursor: more && last ? encodeCursor(sort.map((_, i) => last[`$s${i}`]), last.$id as string) : null };
    if (withTotal) reply.total = Number(all[0]?.$total ?? 0);
    return reply;
  };
  return { query, read, orderOn, gramsAsked: [...choice.asked.values()] };
}

/** One record by id, with its child rows; a record outside the user's scope is a 404 like a missing one. */
/**
 * The reply to a write, in the writing transaction: the record as the writer may now read it.
 * A write may leave the record outside the writer's read scope — a rep hands a customer to a
 * colleague, a receptionist logs a lead for the sales team. The write stands, and the reply is
 * its id alone: a 404 would say nothing happened, and failing the write would refuse what the
 * writer's create/update rights allow.
 */
export async function recordAfterWrite(ctx: RecordsCtx, objectApiName: string, id: string, tx: Tx): Promise<Record<string, unknown>> {
  try {
    return await getRecord(ctx, objectApiName, id, { tx });
  } catch (e) {
    if (e instanceof AppError && e.code === 'RECORD_NOT_FOUND') return { id };
    throw e;
  }
}

export async function getRecord(ctx: RecordsCtx, objectApiName: string, id: string, opts: { fields?: string[]; tx?: Tx } = {}): Promise<Record<string, unknown>> {
  const { objects, obj } = await readableObject(ctx, objectApiName, 'read');
  if (!isUuid(id)) throw new AppError('RECORD_NOT_FOUND', `No ${obj.apiName} with id ${String(id).slice(0, 40)}.`);
  const scope = new JoinScope(objects, obj, ctx.guard, evalContextOf(ctx));
  const selected = selectedFields(scope, obj, opts.fields);
  const where = whereSql(ctx, scope, obj, { field: 'id', op: 'eq', value: id }, 'read');
  const main = sql<Record<string, unknown>>`SELECT ${sql.join(selectList(scope, obj, selected, true))}
    FROM ${sql.id(obj.tableName)} AS t ${scope.joinSql()} WHERE ${where}`;
  const children = obj.fields
    .filter((x) => x.type === 'child_table' && !x.archived && ctx.guard.canReadField(obj, x) && (!opts.fields || opts.fields.includes(x.apiName)))
    .map((f) => ({ field: f, ...childRowsQuery(ctx, objects, f, id) }));
  // The record and its child rows need nothing from each other: outside a caller's
  // transaction they go to the server as one pipeline, one round trip (tenantRead).
  const queries = [main, ...children.map((c) => c.query)];
  const [rows, ...childRows] = opts.tx
    ? await runEach(opts.tx, queries)
    : await tenantRead(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, queries.map((q) => q.compile(ctx.db.app)));
  if (!rows.length) throw new AppError('RECORD_NOT_FOUND', `No ${obj.apiName} with id ${String(id).slice(0, 40)}.`);
  const record = shapeRow(rows[0], selected);
  children.forEach((c, i) => (record[c.field.apiName] = childRows[i].map((r) => shapeRow(r, c.selected))));
  return record;
}

async function runEach(tx: Tx, queries: RawBuilder<Record<string, unknown>>[]): Promise<Record<string, unknown>[][]> {
  const out: Record<string, unknown>[][] = [];
  for (const q of queries) out.push((await q.execute(tx)).rows);
  return out;
}

export function childRowsQuery(ctx: RecordsCtx, objects: Map<string, ObjectMeta>, field: FieldMeta, parentId: string) {
  const child = objects.get(field.config.target!)!;
  const scope = new JoinScope(objects, child, ctx.guard, evalContextOf(ctx));
  const selected = selectedFields(scope, child, undefined);
  const query = sql<Record<string, unknown>>`SELECT ${sql.join(selectList(scope, child, selected, false))}
    FROM ${sql.id(child.tableName)} AS t ${scope.joinSql()} WHERE t.parent_id = ${parentId} ORDER BY t.idx, t.id`;
  return { query, selected };
}

// ---------------------------------------------------------------- building blocks

export async function readableObject(ctx: RecordsCtx, objectApiName: string, action: Action) {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const obj = objects.get(objectApiName);
  // An object the user may not read looks exactly like one that does not exist.
  if (!obj || obj.archived || obj.isChild || !ctx.guard.can(obj, 'read') || !ctx.guard.can(obj, action)) {
    throw new AppError('OBJECT_UNKNOWN', `No object named "${String(objectApiName).slice(0, 64)}".`, { field: 'object' });
  }
  return { objects, obj };
}

/** A column of a read: its path, its field, and whether it is money (a money field, or a lookup of one: moneyBehind) answered with its currency. */
export interface SelectedField {
  path: string;
  field: FieldMeta;
  money?: boolean;
}

export function selectedFields(scope: JoinScope, obj: ObjectMeta, paths: string[] | undefined): SelectedField[] {
  // Only a money field or a lookup can be money: no path resolved again for the others.
  const money = (path: string, field: FieldMeta) => field.type === 'money' || (field.type === 'lookup' && !!moneyBehind(scope.objects, obj, path));
  if (paths && paths.length) {
    if (paths.length > 100) throw new AppError('BAD_REQUEST', 'fields: at most 100 fields', { field: 'fields' });
    const unique = [...new Set(['id', ...paths])];
    return unique.map((path) => {
      const { field } = scope.ref(path);
      return { path, field, money: money(path, field) };
    });
  }
  return obj.fields
    .filter((f) => !f.archived && f.type !== 'child_table' && scope.guard.canReadField(obj, f) && scope.lookupReadable(obj, f))
    .map((f) => ({ path: f.apiName, field: f, money: money(f.apiName, f) }));
}

export function selectList(scope: JoinScope, obj: ObjectMeta, selected: SelectedField[], titles?: boolean): RawBuilder<unknown>[] {
  const cols: RawBuilder<unknown>[] = [];
  for (const { path, money } of selected) {
    const ref = scope.ref(path).sql;
    cols.push(sql`${ref} AS ${sql.id(path)}`);
    if (money) cols.push(sql`${scope.currencyRef(path)} AS ${sql.id(`${path}$ccy`)}`);
  }
  if (titles) {
    const title = fieldOf(obj, obj.titleField);
    if (title && scope.guard.canReadField(obj, title)) cols.push(sql`${scope.ref(obj.titleField).sql}::text AS "$title"`);
  }
  return cols;
}

export function whereSql(ctx: RecordsCtx, scope: JoinScope, obj: ObjectMeta, filter: unknown, action: Action): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (filter !== undefined && filter !== null) parts.push(compileFilter(parseFilter(filter), scope, scope.ctx));
  const recordScope = ctx.guard.recordScope(obj, action);
  // The policy's own filter is system data: it may test fields the user cannot read (owner_id hidden, a
  // salary band), so it compiles without the guard's field checks, its paths as correlated subqueries.
  if (recordScope) parts.push(compileFilter(parseFilter(recordScope), correlatedScope(scope.objects, obj, scope.alias, 0, scope.ctx.timeZone), scope.ctx));
  return parts.length ? sql.join(parts.map((p) => sql`(${p})`), sql` AND `) : sql`TRUE`;
}

interface SortTerm {
  path: string;
  expr: RawBuilder<unknown>;
  desc: boolean;
}

export function sortTerms(scope: JoinScope, sort: string | undefined): SortTerm[] {
  if (!sort) return [];
  const parts = sort.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length > 5) throw new AppError('SORT_INVALID', 'sort: at most 5 fields', { field: 'sort' });
  return parts.map((p) => {
    const desc = p.startsWith('-');
    const path = desc || p.startsWith('+') ? p.slice(1) : p;
    const { sql: expr, field } = scope.ref(path);
    if (['multi_select', 'attachment', 'address', 'long_text', 'rich_text'].includes(field.type)) {
      throw new AppError('SORT_INVALID', `sort: ${path} (${field.type}) cannot be sorted on`, { field: 'sort' });
    }
    return { path, expr, desc };
  });
}

// Keyset paging. Ascending sorts put NULLs last and descending ones first (PostgreSQL's
// default), so NULL always counts as the largest value; "after v" follows from that.
function keysetSql(sort: SortTerm[], cursor: { values: unknown[]; id: string }): RawBuilder<unknown> {
  const ors: RawBuilder<unknown>[] = [];
  for (let i = 0; i <= sort.length; i++) {
    const eqs = sort.slice(0, i).map((s, j) => sql`${s.expr} IS NOT DISTINCT FROM ${cursor.values[j]}`);
    const after = i === sort.length ? sql`${sql.ref('t.id')} > ${cursor.id}` : afterSql(sort[i], cursor.values[i]);
    ors.push(sql`(${sql.join([...eqs, after], sql` AND `)})`);
  }
  return sql`(${sql.join(ors, sql` OR `)})`;
}

function afterSql(s: SortTerm, v: unknown): RawBuilder<unknown> {
  if (!s.desc) return v === null ? sql`FALSE` : sql`(${s.expr} > ${v} OR ${s.expr} IS NULL)`;
  return v === null ? sql`${s.expr} IS NOT NULL` : sql`${s.expr} < ${v}`;
}

function encodeCursor(values: unknown[], id: string): string {
  return Buffer.from(JSON.stringify({ v: values.map((x) => (x instanceof Date ? x.toISOString() : x)), id })).toString('base64url');
}

function decodeCursor(text: string, n: number): { values: unknown[]; id: string } {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(c.v) || c.v.length !== n || typeof c.id !== 'string' || !/^[0-9a-f-]{36}$/i.test(c.id)) throw new Error('shape');
    if (c.v.some((x: unknown) => x !== null && typeof x === 'object')) throw new Error('shape');
    return { values: c.v, id: c.id };
  } catch {
    throw new AppError('PAGE_INVALID', 'cursor: not a cursor from this list (the sort must stay the same)', { field: 'cursor' });
  }
}
