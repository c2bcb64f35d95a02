import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type RawBuilder } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { FieldMeta, FieldType, ObjectMeta } from './meta.types.ts';
import type { ChildAggregateScope, EvalContext, QueryScope } from './query-scope.ts';

/**
 * Test helpers for the compilers: a Kysely that only compiles, fake fields, and a
 * scope mapping paths to `"t"."c_<name>"` (or `"j1"."c_<name>"` through a link).
 */
export const compileOnly = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

export function toSql(expr: RawBuilder<unknown>): { sql: string; parameters: readonly unknown[] } {
  const c = sql`${expr}`.compile(compileOnly);
  return { sql: c.sql, parameters: c.parameters };
}

export function fakeField(apiName: string, type: FieldType, config: FieldMeta['config'] = {}): FieldMeta {
  return {
    id: apiName, objectId: 'o', apiName, columnName: `c_${apiName}`, type, label: { zh: apiName }, required: false, unique: false,
    indexed: false, defaultValue: null, config, position: 0, system: false, readOnly: false, archived: false,
  };
}

export function fakeScope(fields: FieldMeta[], links: Record<string, FieldMeta[]> = {}): QueryScope & ChildAggregateScope {
  const root: ObjectMeta = {
    id: 'o', apiName: 'order', tableName: 'o_order', label: { zh: '订单' }, module: 'test', isChild: false, isDocument: false,
    titleField: 'name', searchFields: [], rules: [], fields, archived: false, version: 1,
  };
  return {
    root,
    ref(path: string) {
      const [head, tail] = path.split('.');
      if (tail) {
        const f = links[head]?.find((x) => x.apiName === tail);
        if (!f) throw new AppError('FIELD_UNKNOWN', `no field ${path}`, { field: path });
        return { sql: sql.ref(`j1.${f.columnName}`), field: f };
      }
      const f = fields.find((x) => x.apiName === path);
      if (!f) throw new AppError('FIELD_UNKNOWN', `no field ${path}`, { field: path });
      return { sql: sql.ref(`t.${f.columnName}`), field: f };
    },
    childAggregate(path, fn) {
      if (!path.startsWith('lines.')) return null;
      return sql`(SELECT ${sql.raw(fn)}(c.${sql.id(`c_${path.slice(6)}`)}) FROM o_line c WHERE c.parent_id = t.id)`;
    },
  };
}

export const fixedCtx: EvalContext = {
  now: new Date('2026-11-23T18:30:00Z'), // already 2026-11-24 in Shanghai
  timeZone: 'Asia/Shanghai',
  userId: '0190b5c8-7a4d-7cc3-9a4e-000000000001',
  departmentId: '0190b5c8-7a4d-7cc3-9a4e-000000000002',
  departmentIds: ['0190b5c8-7a4d-7cc3-9a4e-000000000002', '0190b5c8-7a4d-7cc3-9a4e-000000000003'],
  companyId: '0190b5c8-7a4d-7cc3-9a4e-000000000009',
};
