import { sql, type RawBuilder } from 'kysely';
import { AppError, clock } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ReplyRows } from './reply-rows.ts';
import { compileFormulaToSql, correlatedScope, FIELD_TYPE_DEFS, parseFormula, recomputeColumnSql, rollupSource, rollupSql, type EvalContext, type FieldMeta, type FormulaAst, type ObjectMeta } from '@mosaic/meta';

/**
 * After rows are written: refresh their stored roll-ups and formulas, then
 * refresh roll-ups on other objects that count these rows, then check the
 * object's validation rules. All in SQL, so a formula means the same here, in
 * backfills and in reports.
 *
 * Every computed column of the rows is set by ONE UPDATE (it was one per field:
 * ~8 round trips per sales order). A formula reading another computed field of
 * the same row gets that field's expression inlined, cast to its column type so
 * the value is rounded exactly as storing it would round it:
 *
 *   UPDATE "o_order_line" AS t SET "c_net" = round(t.c_qty * t.c_rate, 2),
 *     "c_gross" = ((CAST(round(t.c_qty * t.c_rate, 2) AS numeric(20,2)))::numeric + …)
 *   WHERE t.id = ANY($1)
 *
 * So each field sees the fresh value of the fields it reads, whatever their order.
 */
export async function refreshComputed(tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, ids: string[], timeZone: string, reply?: ReplyRows): Promise<void> {
  if (!ids.length) return;
  const statements = computedAssignments(objects, obj, timeZone);
  for (const [i, sets] of statements.entries()) {
    // The last write of the rows returns what the API answers for them (a create's reply, no re-read).
    const returning = i === statements.length - 1 ? reply?.returning(obj) : null;
    const r = await sql<Record<string, unknown>>`UPDATE ${sql.id(obj.tableName)} AS t SET ${sql.join(sets)} WHERE t.id = ANY(${ids}::uuid[])${returning ? sql` RETURNING ${returning}` : sql``}`.execute(tx);
    if (returning) reply!.take(obj, r.rows);
  }
}

/** How many computed expressions one field's SQL may inline (counting repeats); a bigger one waits for a later UPDATE. */
const INLINE_BUDGET = 24;

/**
 * The SET lists of the UPDATEs that refresh `obj`'s stored computed fields: one
 * list unless inlining would blow an expression up (a chain of formulas each
 * reading the one before twice doubles at every step), then a field goes to a
 * later UPDATE, where the fields already written are read from their columns.
 */
export function computedAssignments(objects: Map<string, ObjectMeta>, obj: ObjectMeta, timeZone: string): RawBuilder<unknown>[][] {
  // Parsing, typing and compiling every formula was ~10 ms of CPU per order chain (issue 8's profile): the
  // SQL depends only on the tenant's metadata, so it is kept per metadata snapshot (a metadata change loads
  // new ObjectMeta objects) — unless a formula reads the clock (TODAY(), NOW()), compiled in as a parameter.
  const perObjects = assignmentCache.get(objects) ?? assignmentCache.set(objects, new WeakMap()).get(objects)!;
  // The signature guards a snapshot changed in place inside a metadata transaction (add a field, then backfill).
  // The zone too: a datetime's date or YEAR() is compiled with it as a parameter.
  const signature = `${timeZone}#${computedSignature(obj)}`;
  const hit = perObjects.get(obj);
  if (hit?.signature === signature) return hit.statements;
  const statements = buildAssignments(objects, obj, timeZone);
  if (!tenantReadsClock(objects)) perObjects.set(obj, { signature, statements });
  return statements;
}

const assignmentCache = new WeakMap<Map<string, ObjectMeta>, WeakMap<ObjectMeta, { signature: string; statements: RawBuilder<unknown>[][] }>>();

function computedSignature(obj: ObjectMeta): string {
  let out = String(obj.fields.length);
  for (const f of obj.fields) {
    if (f.type === 'formula' || f.type === 'rollup') out += `;${f.apiName}|${f.archived}|${f.columnName}|${f.config.formula ?? JSON.stringify(f.config.rollup)}`;
  }
  return out;
}

/**
 * Whether any formula of the tenant reads the clock. Not only the object's own: a roll-up over a
 * child's virtual formula, or a path through a link to one, compiles that formula into this SQL
 * with the day as a parameter. Tenant-wide is coarse but cannot miss one; such tenants build the
 * SQL per write, as before the cache.
 */
function tenantReadsClock(objects: Map<string, ObjectMeta>): boolean {
  // Keyed by the field count too: a snapshot gains fields in place inside a metadata transaction.
  let fields = 0;
  for (const o of objects.values()) fields += o.fields.length;
  const memo = clockReaders.get(objects);
  if (memo?.fields === fields) return memo.reads;
  const reads = [...objects.values()].some((o) => o.fields.some((f) => f.type === 'formula' && /\b(TODAY|NOW)\s*\(|\$(now|today)\b/i.test(f.config.formula ?? '')));
  clockReaders.set(objects, { fields, reads });
  return reads;
}

const clockReaders = new WeakMap<Map<string, ObjectMeta>, { fields: number; reads: boolean }>();

/**
 * The fields refreshComputed writes: live roll-ups and formulas with a column.
 * Also what tells a write whether its rows will be UPDATEd again (records.write.ts).
 */
export function storedComputedFields(obj: ObjectMeta): FieldMeta[] {
  return obj.fields.filter((f) => !f.archived && f.columnName && (f.type === 'rollup' || f.type === 'formula'));
}

function buildAssignments(objects: Map<string, ObjectMeta>, obj: ObjectMeta, timeZone: string): RawBuilder<unknown>[][] {
  const computed = storedComputedFields(obj)
    .sort((a, b) => (a.type === b.type ? a.position - b.position : a.type === 'rollup' ? -1 : 1));
  // Virtual formulas (no column) are computed wherever they are read: inlined too, so one that reads a
  // stored computed field of the row sees its fresh value like everything else in the UPDATE.
  const virtual = obj.fields.filter((f) => !f.archived && f.type === 'formula' && !f.columnName);
  const byName = new Map([...computed, ...virtual].map((f) => [f.apiName, f]));
  const statements: RawBuilder<unknown>[][] = [];
  const written = new Set<string>();
  let pending = computed;
  while (pending.length) {
    const inline = (name: string, visiting: string[]) => {
      const f = byName.get(name);
      return !!f && !visiting.includes(name) && (!f.columnName || !written.has(name));
    };
    let now = pending.filter((f) => inlineCost(f, byName, inline, [f.apiName]) <= INLINE_BUDGET);
    // Nothing fits: the first field reads plain columns, as the one-UPDATE-per-field refresh did.
    const plain = !now.length;
    if (plain) now = [pending[0]];
    statements.push(now.map((f) => sql`${sql.id(f.columnName!)} = ${plain ? recomputeColumnSql(objects, obj, f, 't', timeZone)! : inlinedSql(objects, obj, f, byName, inline, [f.apiName], timeZone)}`));
    for (const f of now) written.add(f.apiName);
    pending = pending.filter((f) => !now.includes(f));
  }
  return statements;
}

type InlineTest = (name: string, visiting: string[]) => boolean;

/** The expressions `field`'s SQL would inline, counted with repeats (a field read twice costs twice). */
function inlineCost(field: FieldMeta, byName: Map<string, FieldMeta>, inline: InlineTest, visiting: string[]): number {
  if (field.type !== 'formula') return 0;
  let cost = 0;
  for (const path of fieldPaths(parseFormula(field.config.formula!))) {
    if (!inline(path, visiting)) continue;
    cost += 1 + inlineCost(byName.get(path)!, byName, inline, [...visiting, path]);
    if (cost > INLINE_BUDGET) break;
  }
  return cost;
}

/** `field`'s SQL with the same-row computed fields it reads inlined, each cast to its column type so it rounds as storing it would. */
function inlinedSql(objects: Map<string, ObjectMeta>, obj: ObjectMeta, field: FieldMeta, byName: Map<string, FieldMeta>, inline: InlineTest, visiting: string[], timeZone: string): RawBuilder<unknown> {
  if (field.type === 'rollup') return rollupSql(objects, obj, field, 't');
  const base = correlatedScope(objects, obj, 't', 0, timeZone);
  const scope = {
    ...base,
    ref(path: string) {
      // A cycle cannot be saved by metadata; were one there, it reads the column instead of recursing.
      if (!inline(path, visiting)) return base.ref(path);
      const target = byName.get(path)!;
      const expr = inlinedSql(objects, obj, target, byName, inline, [...visiting, path], timeZone);
      return { sql: target.columnName ? sql`CAST(${expr} AS ${sql.raw(FIELD_TYPE_DEFS[target.type].sqlType(target))})` : expr, field: target };
    },
  };
  const ctx: EvalContext = { now: clock.now(), timeZone };
  return compileFormulaToSql(parseFormula(field.config.formula!), scope, ctx);
}

/** Every field path a formula names, once per mention. */
function fieldPaths(node: FormulaAst): string[] {
  switch (node.kind) {
    case 'field': return [node.path];
    case 'unary': return fieldPaths(node.arg);
    case 'binary': return [...fieldPaths(node.left), ...fieldPaths(node.right)];
    case 'call': return node.args.flatMap(fieldPaths);
    default: return [];
  }
}

/** Roll-ups elsewhere that aggregate `obj`'s rows: a parent's over its child rows, a target's over records linking to it. */
export async function refreshDependents(tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, keysByColumn: Map<string, Set<string>>, timeZone: string): Promise<void> {
  for (const other of objects.values()) {
    if (other.archived) continue;
    for (const f of other.fields) {
      if (f.archived || f.type !== 'rollup' || !f.columnName) continue;
      const source = rollupSource(objects, other, f.config.rollup!.relation);
      if (!source || source.object.apiName !== obj.apiName) continue;
      const ids = [...(keysByColumn.get(source.keyColumn) ?? [])].filter(Boolean);
      if (ids.length) await refreshComputed(tx, objects, other, ids, timeZone);
    }
  }
}

/** Validation rules: each formula must hold (TRUE) for every written row. */
export async function checkRules(tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, ids: string[], ctx: EvalContext, locale: string): Promise<void> {
  if (!ids.length || !obj.rules.length) return;
  const scope = correlatedScope(objects, obj, 't', 0, ctx.timeZone);
  for (const rule of obj.rules) {
    const cond = compileFormulaToSql(parseFormula(rule.formula), scope, ctx);
    const bad = await sql<{ id: string }>`SELECT t.id FROM ${sql.id(obj.tableName)} AS t WHERE t.id = ANY(${ids}::uuid[]) AND NOT COALESCE((${cond})::boolean, false) LIMIT 1`.execute(tx);
    if (bad.rows.length) {
      const message = (locale.startsWith('en') ? rule.message.en : undefined) ?? rule.message.zh;
      const index = ids.indexOf(bad.rows[0].id);
      const rowPrefix = ids.length > 1 ? `${index}.` : '';
      throw new AppError('RULE_VIOLATED', rule.field ? `${rowPrefix}${rule.field}: ${message}` : message, { field: rule.field ? `${rowPrefix}${rule.field}` : undefined, details: { rule: rule.name } });
    }
  }
}
