import { sql, type RawBuilder } from 'kysely';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import { correlatedScope, resolvePath, type ObjectMeta } from '@mosaic/meta';
import type { RecordView } from '../automation.types.ts';

const ALWAYS = ['id', 'owner_id', 'company_id', 'department_id'];

/**
 * The triggering record as rules see it: the values of the field paths its
 * condition, formulas and templates read (`amount`, `customer.name`,
 * `lines.amount` as a list), read in one query through the same correlated
 * scope stored formulas use — so a path means the same here as in a formula field.
 *
 *   SELECT t."c_amount" AS p0, (SELECT x0_0."c_name" FROM "o_customer" x0_0 WHERE … = t."c_customer") AS p1 FROM "o_lead" t WHERE t.id = $1
 *
 * Returns null when the record no longer exists.
 */
export async function loadRecordView(db: Database, tenantId: string, objects: Map<string, ObjectMeta>, obj: ObjectMeta, id: string, paths: string[], tx?: Tx): Promise<RecordView | null> {
  const values = new Map<string, unknown>();
  const load = async (more: string[], inTx?: Tx): Promise<boolean> => {
    const wanted = [...new Set(more)].filter((p) => !values.has(p));
    if (!wanted.length) return true;
    const read = async (tx: Tx) => {
      const exprs = wanted.map((p, i) => sql`${pathSql(objects, obj, p)} AS ${sql.id(`p${i}`)}`);
      return (await sql<Record<string, unknown>>`SELECT ${sql.join(exprs)} FROM ${sql.id(obj.tableName)} AS t WHERE t.id = ${id}`.execute(tx)).rows[0];
    };
    // Inside an action, on the action's own transaction: a second connection per job could starve the pool.
    const row = inTx ? await read(inTx) : await inTenantTx(db.app, { tenantId }, read);
    if (!row) return false;
    wanted.forEach((p, i) => values.set(p, row[`p${i}`]));
    return true;
  };
  if (!(await load([...ALWAYS, ...paths], tx))) return null;
  return {
    object: obj, id, values,
    async load(more: string[], tx?: Tx) {
      await load(more, tx);
    },
  };
}

/** A record that is gone (a delete event): its last values, from the event. */
export function deletedRecordView(obj: ObjectMeta, id: string, changes: Record<string, [unknown, unknown]>): RecordView {
  const values = new Map<string, unknown>([['id', id]]);
  for (const [k, [old]] of Object.entries(changes ?? {})) values.set(k, old);
  return { object: obj, id, values, async load() {} };
}

/**
 * The values the triggering change wrote, over the record as it is now: a rule
 * judges the change it was triggered by, even when later changes came before
 * the job ran (money as its amount, as formulas read it).
 */
export function overlayChanges(view: RecordView, changes: Record<string, [unknown, unknown]> | undefined, side: 0 | 1 = 1): void {
  for (const [k, pair] of Object.entries(changes ?? {})) {
    if (!Array.isArray(pair) || !view.object.fields.some((f) => f.apiName === k && f.columnName)) continue;
    const v = pair[side];
    view.values.set(k, v && typeof v === 'object' && !Array.isArray(v) && 'amount' in v ? (v as { amount: unknown }).amount : v);
  }
}

/** The same record with the event's old values for the fields it changed: "before" for becomesTrue. */
export function valuesBefore(values: Map<string, unknown>, changes: Record<string, [unknown, unknown]> | undefined): Map<string, unknown> {
  const before = new Map(values);
  for (const [k, pair] of Object.entries(changes ?? {})) if (Array.isArray(pair)) before.set(k, pair[0]);
  return before;
}

/** Whether `path` can be read for `obj` (a field removed since the rule was saved cannot). */
export function canLoadPath(objects: Map<string, ObjectMeta>, obj: ObjectMeta, path: string): boolean {
  try {
    pathSql(objects, obj, path);
    return true;
  } catch {
    return false;
  }
}

function pathSql(objects: Map<string, ObjectMeta>, obj: ObjectMeta, path: string): RawBuilder<unknown> {
  const r = resolvePath(objects, obj, path);
  if (r.many && r.links.length === 1 && r.links[0].field.type === 'child_table' && r.field.columnName) {
    const child = r.links[0].target;
    return sql`ARRAY(SELECT c.${sql.id(r.field.columnName)} FROM ${sql.id(child.tableName)} AS c WHERE c.tenant_id = t.tenant_id AND c.parent_id = t.id ORDER BY c.idx)`;
  }
  return correlatedScope(objects, obj, 't').ref(path).sql;
}
