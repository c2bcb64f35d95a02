import { sql, type RawBuilder } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { AccessGuard } from '@mosaic/access';
import {
  childAggregateSql, compileFilter, correlatedCurrencySql, compileFormulaToSql, correlatedScope, parseFilter, parseFormula, resolvePath,
  type ChildAggregateScope, type EvalContext, type FieldMeta, type ObjectMeta, type QueryScope,
} from '@mosaic/meta';
import type { GramChoice } from './gram-choice.ts';

/**
 * The QueryScope of a records query: turns field paths into SQL, adding one
 * LEFT JOIN per link hop (`customer.region` → JOIN o_customer AS j1), and asks
 * the guard about every field and object on the way — so a filter, sort,
 * grouping or selected column on something the user may not read is refused
 * here, in one place, for every read path that builds on it.
 *
 *   FROM "o_order" AS "t"
 *   LEFT JOIN "o_customer" AS "j1" ON "j1"."tenant_id" = "t"."tenant_id" AND "j1"."id" = "t"."c_customer" AND (<customer read scope>)
 */
export class JoinScope implements QueryScope, ChildAggregateScope {
  private joins = new Map<string, { alias: string; sql: RawBuilder<unknown> }>();
  private depth = 0;

  constructor(
    readonly objects: Map<string, ObjectMeta>,
    readonly root: ObjectMeta,
    readonly guard: AccessGuard,
    readonly ctx: EvalContext,
    readonly alias = 't',
    private readonly joinPrefix = 'j',
  ) {}

  ref(path: string): { sql: RawBuilder<unknown>; field: FieldMeta } {
    const { alias, obj, field } = this.locate(path);
    return { sql: this.columnSql(obj, field, alias, path), field };
  }

  childAggregate(path: string, fn: 'sum' | 'avg' | 'min' | 'max' | 'count'): RawBuilder<unknown> | null {
    const field = this.root.fields.find((f) => f.apiName === path.split('.')[0]);
    if (field && !this.guard.canReadField(this.root, field)) throw new AppError('FIELD_FORBIDDEN', `${path}: you may not read this field`, { field: path });
    return childAggregateSql(this.objects, this.root, this.alias, path, fn);
  }

  /** A column stored beside a field's own (money keeps its currency in `<column>_ccy`). */
  siblingRef(path: string, suffix: string): RawBuilder<unknown> {
    const { alias, field } = this.locate(path);
    return field.columnName ? sql.ref(`${alias}.${field.columnName}${suffix}`) : sql`NULL`;
  }

  /**
   * The currency of the money value at `path` (moneyBehind says which paths have one), read the way its
   * amount is: `<column>_ccy` beside a money field — the field and its links checked as for the amount —
   * and for a lookup, the currency of the money field it reads, through the same scope as its amount.
   */
  currencyRef(path: string): RawBuilder<unknown> {
    const { alias, obj, field } = this.locate(path);
    const lk = field.type === 'lookup' ? field.config.lookup! : null;
    if (!lk) return sql.ref(`${alias}.${field.columnName}_ccy`);
    const read = `${lk.link}.${lk.field}`;
    return alias === this.alias ? this.currencyRef(read) : correlatedCurrencySql(this.objects, obj, alias, read);
  }

  /** Set by a list that chooses per query between search_gram and the scan (gram-choice.ts); absent: always the grams. */
  gramChoice?: GramChoice;

  useGrams(table: string, text: string): boolean {
    return this.gramChoice ? this.gramChoice.useGrams(table, text) : true;
  }

  /** The row holding the field behind `path`: its id, its table (search_gram's `object`) and its alias. */
  rowOf(path: string): { id: RawBuilder<unknown>; table: string; key: string } | null {
    const { alias, obj } = this.locate(path);
    return obj.id.startsWith('system.') || obj.isChild ? null : { id: sql.ref(`${alias}.id`), table: obj.tableName, key: alias };
  }

  private locate(path: string): { alias: string; obj: ObjectMeta; field: FieldMeta } {
    const r = resolvePath(this.objects, this.root, path);
    if (r.many) throw new AppError('FILTER_INVALID', `${path}: child-table fields cannot be used here`, { field: path });
    let alias = this.alias;
    let obj = this.root;
    let prefix = '';
    for (const link of r.links) {
      this.assertReadable(obj, link.field, path);
      if (!link.target.id.startsWith('system.') && !this.guard.can(link.target, 'read')) {
        throw new AppError('FIELD_FORBIDDEN', `${path}: you may not read ${link.target.apiName}`, { field: path });
      }
      prefix = prefix ? `${prefix}.${link.field.apiName}` : link.field.apiName;
      alias = this.joinFor(prefix, alias, link.field, link.target);
      obj = link.target;
    }
    this.assertReadable(obj, r.field, path);
    if (!this.lookupReadable(obj, r.field)) throw new AppError('FIELD_FORBIDDEN', `${path}: you may not read the field it looks up`, { field: path });
    return { alias, obj, field: r.field };
  }

  /** Whether the user may read what a lookup field shows (lookupReadable). */
  lookupReadable(obj: ObjectMeta, field: FieldMeta): boolean {
    return lookupReadable(this.objects, this.guard, obj, field);
  }

  /** The LEFT JOINs the refs so far need, in order. */
  /** Whether any path so far needed a LEFT JOIN (a write's RETURNING cannot join). */
  get joined(): boolean {
    return this.joins.size > 0;
  }

  joinSql(): RawBuilder<unknown> {
    return sql.join([...this.joins.values()].map((j) => j.sql), sql` `);
  }

  private joinFor(prefix: string, fromAlias: string, link: FieldMeta, target: ObjectMeta): string {
    const hit = this.joins.get(prefix);
    if (hit) return hit.alias;
    const alias = `${this.joinPrefix}${this.joins.size + 1}`;
    let on = sql`${sql.ref(`${alias}.tenant_id`)} = ${sql.ref(`${fromAlias}.tenant_id`)} AND ${sql.ref(`${alias}.id`)} = ${sql.ref(`${fromAlias}.${link.columnName}`)}`;
    const scope = target.id.startsWith('system.') ? null : this.guard.recordScope(target, 'read');
    if (scope) {
      // A linked record the user may not see shows as empty, like a missing one.
      // Policy filters are system data, so their own paths compile as correlated subqueries.
      const cond = compileFilter(parseFilter(scope), correlatedScope(this.objects, target, alias), this.ctx);
      on = sql`${on} AND ${cond}`;
    }
    this.joins.set(prefix, { alias, sql: sql`LEFT JOIN ${sql.id(target.tableName)} AS ${sql.id(alias)} ON ${on}` });
    return alias;
  }

  private columnSql(obj: ObjectMeta, field: FieldMeta, alias: string, path: string): RawBuilder<unknown> {
    if (field.columnName) return sql.ref(`${alias}.${field.columnName}`);
    if (++this.depth > 8) throw new AppError('FORMULA_TYPE', `${path}: computed fields nest too deeply`, { field: path });
    try {
      const sub: QueryScope = alias === this.alias ? this : correlatedScope(this.objects, obj, alias);
      if (field.type === 'formula') return compileFormulaToSql(parseFormula(field.config.formula!), sub, this.ctx);
      if (field.type === 'lookup') return sub.ref(`${field.config.lookup!.link}.${field.config.lookup!.field}`).sql;
    } finally {
      this.depth--;
    }
    throw new AppError('FIELD_UNKNOWN', `${path} holds child rows and cannot be used here`, { field: path });
  }

  private assertReadable(obj: ObjectMeta, field: FieldMeta, path: string): void {
    if (obj.id.startsWith('system.')) return;
    if (!this.guard.canReadField(obj, field)) throw new AppError('FIELD_FORBIDDEN', `${path}: you may not read this field`, { field: path });
  }
}

/**
 * Whether the user may read what a lookup field shows: the links it follows, their objects and the field
 * it reads (through lookups of lookups). A lookup is hidden wherever that field is — its amount and its
 * currency alike — also when it is reached through a link, where it is read by a correlated subquery.
 * True for any other field.
 */
export function lookupReadable(objects: Map<string, ObjectMeta>, guard: AccessGuard, obj: ObjectMeta, field: FieldMeta, hops = 0): boolean {
  const lk = field.type === 'lookup' ? field.config.lookup : undefined;
  if (!lk) return true;
  if (hops > 4) return false;
  const r = resolvePath(objects, obj, `${lk.link}.${lk.field}`);
  const readable = (o: ObjectMeta, f: FieldMeta) => o.id.startsWith('system.') || guard.canReadField(o, f);
  let at = obj;
  for (const link of r.links) {
    if (!readable(at, link.field) || !(link.target.id.startsWith('system.') || guard.can(link.target, 'read'))) return false;
    at = link.target;
  }
  return readable(at, r.field) && lookupReadable(objects, guard, at, r.field, hops + 1);
}
