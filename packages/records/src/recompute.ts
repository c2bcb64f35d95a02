import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import { compileFormulaToSql, correlatedScope, parseFormula, recomputeColumnSql, rollupSource, type EvalContext, type ObjectMeta } from '@mosaic/meta';

/**
 * After rows are written: refresh their stored roll-ups and formulas (in field
 * order, roll-ups first since formulas may read them), then refresh roll-ups on
 * other objects that count these rows, then check the object's validation rules.
 * All in SQL, so a formula means the same here, in backfills and in reports.
 *
 *   UPDATE "o_order" AS t SET "c_total" = COALESCE((SELECT sum(c."c_amount") …), 0) WHERE t.id = ANY($1)
 */
export async function refreshComputed(tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const computed = obj.fields
    .filter((f) => !f.archived && f.columnName && (f.type === 'rollup' || f.type === 'formula'))
    .sort((a, b) => (a.type === b.type ? a.position - b.position : a.type === 'rollup' ? -1 : 1));
  for (const f of computed) {
    const expr = recomputeColumnSql(objects, obj, f, 't');
    if (expr) await sql`UPDATE ${sql.id(obj.tableName)} AS t SET ${sql.id(f.columnName!)} = ${expr} WHERE t.id = ANY(${ids}::uuid[])`.execute(tx);
  }
}

/** Roll-ups elsewhere that aggregate `obj`'s rows: a parent's over its child rows, a target's over records linking to it. */
export async function refreshDependents(tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, keysByColumn: Map<string, Set<string>>): Promise<void> {
  for (const other of objects.values()) {
    if (other.archived) continue;
    for (const f of other.fields) {
      if (f.archived || f.type !== 'rollup' || !f.columnName) continue;
      const source = rollupSource(objects, other, f.config.rollup!.relation);
      if (!source || source.object.apiName !== obj.apiName) continue;
      const ids = [...(keysByColumn.get(source.keyColumn) ?? [])].filter(Boolean);
      if (ids.length) await refreshComputed(tx, objects, other, ids);
    }
  }
}

/** Validation rules: each formula must hold (TRUE) for every written row. */
export async function checkRules(tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, ids: string[], ctx: EvalContext, locale: string): Promise<void> {
  if (!ids.length || !obj.rules.length) return;
  const scope = correlatedScope(objects, obj, 't');
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
