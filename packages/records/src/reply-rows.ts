import { sql, type RawBuilder } from 'kysely';
import type { ObjectMeta } from '@mosaic/meta';
import { JoinScope } from './join-scope.ts';
import { evalContextOf, type RecordsCtx } from './records.context.ts';
import { selectedFields, selectList, whereSql, type SelectedField } from './records.query.ts';
import { shapeRow } from './records.serialize.ts';

interface Plan {
  columns: RawBuilder<unknown>;
  selected: SelectedField[];
}

/**
 * A create's reply without reading the record back (issue 8: two statements per
 * document): the last statement that writes each row — its INSERT, or the UPDATE
 * that refreshes its stored formulas and roll-ups — RETURNs exactly the columns
 * getRecord would select (field rights applied, `$title`), and whether the
 * user's read scope lets them see the row (`$visible`; when it does not, the reply is
 * the id alone, as recordAfterWrite answers).
 *
 * Where RETURNING cannot say what a read would, `record()` answers null and the
 * caller reads the record back: a field without a column (a virtual formula or a
 * lookup is computed when read, and may read rows written after the RETURNING),
 * or a write after the rows' own that may have changed them (`invalidate`).
 */
export class ReplyRows {
  private plans = new Map<string, Plan | null>();
  private rows = new Map<string, Map<string, Record<string, unknown>>>();
  private stale = false;

  constructor(private readonly ctx: RecordsCtx, private readonly objects: Map<string, ObjectMeta>, private readonly root: ObjectMeta) {}

  /** The RETURNING list for rows of `obj`, or null when this reply cannot come from RETURNING. */
  returning(obj: ObjectMeta): RawBuilder<unknown> | null {
    return this.plan(obj)?.columns ?? null;
  }

  /** Rows a write returned; a later write of the same row replaces an earlier one. */
  take(obj: ObjectMeta, rows: Record<string, unknown>[]): void {
    const byId = this.rows.get(obj.apiName) ?? this.rows.set(obj.apiName, new Map()).get(obj.apiName)!;
    for (const r of rows) byId.set(r.$rid as string, r);
  }

  /** Something wrote the rows after their RETURNING (a roll-up over a link to itself): read back. */
  invalidate(): void {
    this.stale = true;
  }

  /** The record as getRecord answers it, with its child rows; null when it must be read back. */
  record(id: string): Record<string, unknown> | null {
    const head = this.plan(this.root);
    const row = this.rows.get(this.root.apiName)?.get(id);
    if (this.stale || !head || !row) return null;
    if (row.$visible === false) return { id };
    const record = shapeRow(row, head.selected);
    for (const f of this.root.fields) {
      if (f.type !== 'child_table' || f.archived || !this.ctx.guard.canReadField(this.root, f)) continue;
      const child = this.objects.get(f.config.target!)!;
      const plan = this.plan(child);
      if (!plan) return null;
      const rows = [...(this.rows.get(child.apiName)?.values() ?? [])].filter((r) => r.$parent === id);
      // getRecord's order: ORDER BY idx, id.
      rows.sort((a, b) => (a.$idx as number) - (b.$idx as number) || String(a.$rid).localeCompare(String(b.$rid)));
      record[f.apiName] = rows.map((r) => shapeRow(r, plan.selected));
    }
    return record;
  }

  private plan(obj: ObjectMeta): Plan | null {
    if (this.plans.has(obj.apiName)) return this.plans.get(obj.apiName)!;
    const plan = this.buildPlan(obj);
    this.plans.set(obj.apiName, plan);
    return plan;
  }

  private buildPlan(obj: ObjectMeta): Plan | null {
    const scope = new JoinScope(this.objects, obj, this.ctx.guard, evalContextOf(this.ctx));
    const selected = selectedFields(scope, obj, undefined);
    if (selected.some((s) => !s.field.columnName)) return null;
    const cols = selectList(scope, obj, selected, !obj.isChild);
    cols.push(sql`${sql.ref('t.id')} AS "$rid"`);
    if (obj.isChild) cols.push(sql`${sql.ref('t.parent_id')} AS "$parent"`, sql`${sql.ref('t.idx')} AS "$idx"`);
    // The read scope compiles to correlated subqueries on t: legal in RETURNING, and they see the statement's snapshot.
    else if (this.ctx.guard.recordScope(obj, 'read')) cols.push(sql`COALESCE((${whereSql(this.ctx, scope, obj, undefined, 'read')})::boolean, false) AS "$visible"`);
    if (scope.joined) return null;
    return { columns: sql.join(cols), selected };
  }
}
